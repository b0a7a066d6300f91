#include "vrp/solomon_reader.h"

#include <cmath>
#include <string>

#include "vrp/text_lines.h"

namespace cocity::vrp {
namespace {

struct Row {
  double values[7];
};

Result<Row> parse_row(std::string_view source, const TextLine& line) {
  static constexpr const char* kFields[7] = {
      "CUST NO.",   "XCOORD.",  "YCOORD.",     "DEMAND",
      "READY TIME", "DUE DATE", "SERVICE TIME"};
  Row row;
  if (line.tokens.size() != 7) {
    return line_error(
        source, line.number, "CUSTOMER",
        "expected 7 columns, got " + std::to_string(line.tokens.size()));
  }
  for (size_t i = 0; i < 7; ++i) {
    auto v = parse_number(source, line, i, kFields[i]);
    if (!v) return std::unexpected(v.error());
    if (*v < 0) {
      return line_error(source, line.number, kFields[i],
                        "must not be negative");
    }
    row.values[i] = *v;
  }
  if (row.values[4] > row.values[5]) {
    return line_error(source, line.number, "DUE DATE", "is before READY TIME");
  }
  return row;
}

int64_t scaled(double v) { return std::llround(v * kSolomonScale); }

Problem build(const std::vector<Row>& rows, int fleet, double capacity,
              std::string name) {
  Problem p;
  p.name = std::move(name);
  p.cost_scale = kSolomonScale;
  std::vector<Point> points;
  for (const Row& r : rows) points.push_back({r.values[1], r.values[2]});
  p.travel = make_euclidean_provider(points, {kSolomonScale, 1.0});
  VehicleType v;
  v.id = "vehicle";
  v.count = fleet;
  v.capacity = std::llround(capacity);
  v.shift = {scaled(rows[0].values[4]), scaled(rows[0].values[5])};
  p.vehicle_types.push_back(v);
  for (size_t i = 1; i < rows.size(); ++i) {
    Job j;
    j.number = std::llround(rows[i].values[0]);
    j.location = static_cast<int>(i);
    j.demand = std::llround(rows[i].values[3]);
    j.window = {scaled(rows[i].values[4]), scaled(rows[i].values[5])};
    j.service_time = scaled(rows[i].values[6]);
    p.jobs.push_back(j);
  }
  return p;
}

}  // namespace

Result<Problem> parse_solomon(std::string_view text, std::string_view source) {
  std::vector<TextLine> lines = split_lines(text);
  if (lines.empty()) return line_error(source, 1, "name", "file is empty");
  size_t i = 1;
  while (i < lines.size() && lines[i].tokens[0] != "VEHICLE") ++i;
  if (i + 2 >= lines.size()) {
    return line_error(source, lines.back().number, "VEHICLE",
                      "section missing or incomplete");
  }
  const TextLine& fleet_line = lines[i + 2];
  auto fleet = parse_number(source, fleet_line, 0, "NUMBER");
  if (!fleet) return std::unexpected(fleet.error());
  auto capacity = parse_number(source, fleet_line, 1, "CAPACITY");
  if (!capacity) return std::unexpected(capacity.error());
  if (*fleet < 1 || *fleet > 100000 || *capacity < 0) {
    return line_error(source, fleet_line.number, "NUMBER",
                      "fleet must be 1..100000 and capacity >= 0");
  }
  i += 3;
  if (i >= lines.size() || lines[i].tokens[0] != "CUSTOMER") {
    return line_error(source, i < lines.size() ? lines[i].number : 0,
                      "CUSTOMER", "section missing");
  }
  i += 2;  // skip the column header line
  std::vector<Row> rows;
  for (; i < lines.size(); ++i) {
    auto row = parse_row(source, lines[i]);
    if (!row) return std::unexpected(row.error());
    rows.push_back(*row);
  }
  if (rows.size() < 2) {
    return line_error(source, lines.back().number, "CUSTOMER",
                      "needs a depot row and at least one customer");
  }
  return build(rows, static_cast<int>(*fleet), *capacity,
               std::string(lines[0].tokens[0]));
}

}  // namespace cocity::vrp
