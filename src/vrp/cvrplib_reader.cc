#include "vrp/cvrplib_reader.h"

#include <cmath>
#include <map>
#include <string>

#include "vrp/text_lines.h"

namespace cocity::vrp {
namespace {

constexpr int kMaxDimension = 20000;

struct Raw {
  std::map<std::string, std::string> header;
  std::map<std::string, int> header_line;
  std::vector<Point> points;
  std::vector<double> demands;
  std::vector<bool> seen_coord, seen_demand;
  int depot = -1;
  int dimension = 0;
};

// "KEY : value" or "KEY: value" or "KEY :value".
bool parse_header(const TextLine& line, Raw* raw) {
  std::string joined;
  for (size_t i = 0; i < line.tokens.size(); ++i) {
    if (i) joined += ' ';
    joined += line.tokens[i];
  }
  size_t colon = joined.find(':');
  if (colon == std::string::npos) return false;
  auto trim = [](std::string s) {
    while (!s.empty() && (s.back() == ' ' || s.back() == '"')) s.pop_back();
    size_t b = s.find_first_not_of(" \"");
    return b == std::string::npos ? std::string() : s.substr(b);
  };
  std::string key = trim(joined.substr(0, colon));
  raw->header[key] = trim(joined.substr(colon + 1));
  raw->header_line[key] = line.number;
  return true;
}

Result<int> node_id(std::string_view source, const TextLine& line,
                    const Raw& raw) {
  auto id = parse_number(source, line, 0, "node id");
  if (!id) return std::unexpected(id.error());
  if (*id < 1 || *id > raw.dimension || *id != std::floor(*id)) {
    return line_error(
        source, line.number, "node id",
        "must be an integer in 1.." + std::to_string(raw.dimension));
  }
  return static_cast<int>(*id);
}

Status read_section_line(std::string_view source, const std::string& section,
                         const TextLine& line, Raw* raw) {
  if (section == "DEPOT_SECTION") {
    auto v = parse_number(source, line, 0, "DEPOT_SECTION");
    if (!v) return std::unexpected(v.error());
    if (*v == -1) return ok();
    if (raw->depot != -1) {
      return line_error(source, line.number, "DEPOT_SECTION",
                        "only one depot is supported");
    }
    auto id = node_id(source, line, *raw);
    if (!id) return std::unexpected(id.error());
    raw->depot = *id - 1;
    return ok();
  }
  auto id = node_id(source, line, *raw);
  if (!id) return std::unexpected(id.error());
  const int k = *id - 1;
  if (section == "NODE_COORD_SECTION") {
    auto x = parse_number(source, line, 1, "x");
    if (!x) return std::unexpected(x.error());
    auto y = parse_number(source, line, 2, "y");
    if (!y) return std::unexpected(y.error());
    raw->points[k] = {*x, *y};
    raw->seen_coord[k] = true;
    return ok();
  }
  auto d = parse_number(source, line, 1, "demand");
  if (!d) return std::unexpected(d.error());
  if (*d < 0) {
    return line_error(source, line.number, "demand", "must not be negative");
  }
  raw->demands[k] = *d;
  raw->seen_demand[k] = true;
  return ok();
}

Status start_sections(std::string_view source, const TextLine& line, Raw* raw) {
  if (raw->dimension > 0) return ok();
  auto it = raw->header.find("DIMENSION");
  if (it == raw->header.end()) {
    return line_error(source, line.number, "DIMENSION",
                      "missing before the first section");
  }
  TextLine tl{raw->header_line["DIMENSION"], {it->second}};
  auto n = parse_number(source, tl, 0, "DIMENSION");
  if (!n) return std::unexpected(n.error());
  if (*n < 2 || *n > kMaxDimension) {
    return line_error(source, tl.number, "DIMENSION",
                      "must be 2.." + std::to_string(kMaxDimension));
  }
  auto w = raw->header.find("EDGE_WEIGHT_TYPE");
  if (w == raw->header.end() || w->second != "EUC_2D") {
    return line_error(source, line.number, "EDGE_WEIGHT_TYPE",
                      "only EUC_2D is supported");
  }
  raw->dimension = static_cast<int>(*n);
  raw->points.assign(raw->dimension, {});
  raw->demands.assign(raw->dimension, 0);
  raw->seen_coord.assign(raw->dimension, false);
  raw->seen_demand.assign(raw->dimension, false);
  return ok();
}

Result<double> header_number(std::string_view source, Raw& raw,
                             const std::string& key, int last_line) {
  auto it = raw.header.find(key);
  if (it == raw.header.end()) {
    return line_error(source, last_line, key, "missing");
  }
  TextLine tl{raw.header_line[key], {it->second}};
  return parse_number(source, tl, 0, key);
}

Result<Problem> build(std::string_view source, Raw& raw, int last_line) {
  if (raw.dimension == 0) {
    return line_error(source, last_line, "NODE_COORD_SECTION", "missing");
  }
  for (int k = 0; k < raw.dimension; ++k) {
    if (!raw.seen_coord[k] || !raw.seen_demand[k]) {
      return line_error(
          source, last_line, "NODE_COORD_SECTION",
          "node " + std::to_string(k + 1) + " lacks coordinates or demand");
    }
  }
  auto capacity = header_number(source, raw, "CAPACITY", last_line);
  if (!capacity) return std::unexpected(capacity.error());
  Problem p;
  p.name = raw.header["NAME"];
  if (raw.depot < 0) raw.depot = 0;
  p.travel = make_euclidean_provider(raw.points, {1.0, 1.0});
  VehicleType v;
  v.id = "vehicle";
  v.count = VehicleType::kUnlimited;
  if (raw.header.count("VEHICLES")) {
    auto n = header_number(source, raw, "VEHICLES", last_line);
    if (!n) return std::unexpected(n.error());
    v.count = static_cast<int>(*n);
  }
  v.capacity = std::llround(*capacity);
  v.start_location = v.end_location = raw.depot;
  p.vehicle_types.push_back(v);
  for (int k = 0; k < raw.dimension; ++k) {
    if (k == raw.depot) continue;
    Job j;
    j.number = k;  // node id - 1
    j.location = k;
    j.demand = std::llround(raw.demands[k]);
    p.jobs.push_back(j);
  }
  return p;
}

}  // namespace

Result<Problem> parse_cvrplib(std::string_view text, std::string_view source) {
  Raw raw;
  std::string section;
  int last_line = 1;
  for (const TextLine& line : split_lines(text)) {
    last_line = line.number;
    std::string_view first = line.tokens[0];
    if (first == "EOF") break;
    if (first.ends_with("_SECTION")) {
      section = std::string(first);
      if (section != "NODE_COORD_SECTION" && section != "DEMAND_SECTION" &&
          section != "DEPOT_SECTION") {
        return line_error(source, line.number, section, "unsupported section");
      }
      if (auto s = start_sections(source, line, &raw); !s) {
        return std::unexpected(s.error());
      }
      continue;
    }
    if (section.empty()) {
      if (!parse_header(line, &raw)) {
        return line_error(source, line.number, first, "expected 'KEY : value'");
      }
      continue;
    }
    if (auto s = read_section_line(source, section, line, &raw); !s) {
      return std::unexpected(s.error());
    }
  }
  return build(source, raw, last_line);
}

}  // namespace cocity::vrp
