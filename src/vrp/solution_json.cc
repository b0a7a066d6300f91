#include "vrp/solution_json.h"

#include <cstdio>

namespace cocity::vrp {

json::object solution_to_json(const Problem& problem, const Solution& solution,
                              double seconds) {
  json::object out;
  out["cost"] = solution.cost / problem.cost_scale;
  out["vehicles"] = static_cast<int64_t>(solution.routes.size());
  out["seconds"] = seconds;
  json::array routes;
  json::array plan;
  for (const Route& r : solution.routes) {
    json::array numbers;
    json::array stops;
    for (const Stop& s : r.stops) {
      json::object stop;
      if (s.kind == Stop::Kind::kJob) {
        numbers.push_back(problem.jobs[s.index].number);
        stop["job"] = problem.jobs[s.index].number;
      } else {
        stop["disposal_site"] = s.index;
      }
      stops.push_back(std::move(stop));
    }
    routes.push_back(std::move(numbers));
    json::object entry;
    entry["vehicle_type"] = problem.vehicle_types[r.vehicle_type].id;
    entry["vehicle"] = r.vehicle;
    entry["start"] = r.start_time;
    entry["stops"] = std::move(stops);
    plan.push_back(std::move(entry));
  }
  json::array unassigned;
  for (int j : solution.unassigned)
    unassigned.push_back(problem.jobs[j].number);
  out["routes"] = std::move(routes);
  out["unassigned"] = std::move(unassigned);
  out["plan"] = std::move(plan);
  return out;
}

std::string solution_to_text(const Problem& problem, const Solution& solution,
                             double seconds) {
  char head[160];
  std::snprintf(head, sizeof head, "%s: cost %.2f, %zu vehicles, %.2f s\n",
                problem.name.empty() ? "plan" : problem.name.c_str(),
                solution.cost / problem.cost_scale, solution.routes.size(),
                seconds);
  std::string out = head;
  for (size_t k = 0; k < solution.routes.size(); ++k) {
    out += "route " + std::to_string(k + 1) + ":";
    for (const Stop& s : solution.routes[k].stops) {
      out += ' ';
      out += s.kind == Stop::Kind::kJob
                 ? std::to_string(problem.jobs[s.index].number)
                 : "D" + std::to_string(s.index);
    }
    out += '\n';
  }
  if (!solution.unassigned.empty()) {
    out += "unserved:";
    for (int j : solution.unassigned) {
      out += ' ' + std::to_string(problem.jobs[j].number);
    }
    out += '\n';
  }
  return out;
}

}  // namespace cocity::vrp
