#include "apps/waste/plan.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <set>

#include "vrp/distance_provider.h"
#include "vrp/feasibility.h"
#include "vrp/solver.h"

namespace cocity::apps::waste {

namespace {

constexpr int64_t kUnreachable = 10'000'000;  // s or m: never chosen

// The points of the problem, in matrix order: depots, disposal sites, then
// the containers that are planned (must or may).
struct Points {
  std::vector<roads::Snap> snaps;
  std::vector<size_t> container;  // index into request.containers
  size_t depots = 0;
  size_t sites = 0;
};

Status validate_request(const PlanRequest& r) {
  if (r.trucks.empty()) return fail(Code::kBadRequestData, "fleet: no truck");
  std::set<std::string> depots;
  for (const auto& d : r.depots) {
    if (!depots.insert(d.id).second) {
      return fail(Code::kBadRequestData, "depots: duplicate id '" + d.id + "'");
    }
  }
  std::set<std::string> trucks;
  for (const auto& t : r.trucks) {
    std::string name = "truck '" + t.id + "'";
    if (!trucks.insert(t.id).second) {
      return fail(Code::kBadRequestData, name + ": duplicate id");
    }
    if (!depots.contains(t.depot)) {
      return fail(Code::kBadRequestData,
                  name + ": unknown depot '" + t.depot + "'");
    }
    if (!(t.capacity_l > 0)) {
      return fail(Code::kBadRequestData, name + ": capacity must be > 0");
    }
    if (t.shift_start_s < 0 || t.shift_end_s <= t.shift_start_s) {
      return fail(Code::kBadRequestData,
                  name + ": shift must end after it starts");
    }
  }
  std::set<std::string> containers;
  for (const auto& c : r.containers) {
    if (!containers.insert(c.id).second) {
      return fail(Code::kBadRequestData,
                  "containers: duplicate id '" + c.id + "'");
    }
  }
  return ok();
}

Result<Points> snap_points(const PlanRequest& r,
                           const std::vector<Selection>& selection,
                           const RoadIndex& roads, Plan* plan) {
  Points p;
  for (const auto& d : r.depots) {
    auto s = roads.snap(d.location, "depot '" + d.id + "'");
    if (!s) return std::unexpected(s.error());
    p.snaps.push_back(*s);
  }
  p.depots = r.depots.size();
  for (const auto& d : r.disposal_sites) {
    auto s = roads.snap(d.location, "disposal site '" + d.id + "'");
    if (!s) return std::unexpected(s.error());
    p.snaps.push_back(*s);
  }
  p.sites = r.disposal_sites.size();
  for (size_t i = 0; i < r.containers.size(); ++i) {
    const auto& c = r.containers[i];
    if (selection[i].priority == Priority::kSkip) {
      plan->skipped.push_back(c.id);
      continue;
    }
    auto s = roads.snap(c.location, "container '" + c.id + "'");
    if (!s) {
      plan->unroutable.push_back({c.id, s.error().detail});
      continue;
    }
    p.snaps.push_back(*s);
    p.container.push_back(i);
  }
  return p;
}

int64_t to_units(double v) {
  return std::isfinite(v) ? int64_t(std::llround(v)) : kUnreachable;
}

Result<std::shared_ptr<const vrp::DistanceProvider>> travel_of(
    const roads::Matrix& m) {
  std::vector<std::vector<int64_t>> dist(m.sources), dur(m.sources);
  for (size_t i = 0; i < m.sources; ++i) {
    dist[i].resize(m.targets);
    dur[i].resize(m.targets);
    for (size_t j = 0; j < m.targets; ++j) {
      dist[i][j] = to_units(m.distance(i, j));
      dur[i][j] = to_units(m.duration(i, j));
    }
  }
  return vrp::make_matrix_provider(std::move(dist), std::move(dur));
}

vrp::Problem problem_of(const PlanRequest& r, const Points& p,
                        const std::vector<Selection>& selection) {
  vrp::Problem problem;
  problem.name = "waste";
  std::map<std::string, int> depot_index;
  for (size_t i = 0; i < r.depots.size(); ++i) {
    depot_index[r.depots[i].id] = int(i);
  }
  for (size_t k = 0; k < p.container.size(); ++k) {
    size_t i = p.container[k];
    const auto& c = r.containers[i];
    vrp::Job job;
    job.number = int64_t(k);
    job.location = int(p.depots + p.sites + k);
    job.demand =
        int64_t(std::ceil(selection[i].level_at_visit * c.volume_l - 1e-9));
    job.service_time = r.policy.service_s;
    job.mandatory = selection[i].priority == Priority::kMust;
    job.prize =
        job.mandatory ? 0 : r.policy.prize_m * selection[i].level_at_visit;
    problem.jobs.push_back(job);
  }
  for (const auto& t : r.trucks) {
    vrp::VehicleType v;
    v.id = t.id;
    v.capacity = int64_t(std::floor(t.capacity_l));
    v.start_location = v.end_location = depot_index[t.depot];
    v.shift = {t.shift_start_s, t.shift_end_s};
    v.max_duration = t.max_duration_s;
    v.cost_per_distance = 1;
    v.cost_per_time = r.cost_per_hour_m / 3600;
    problem.vehicle_types.push_back(v);
  }
  for (size_t i = 0; i < r.disposal_sites.size(); ++i) {
    const auto& d = r.disposal_sites[i];
    problem.disposal_sites.push_back(
        {int(p.depots + i), {d.open_s, d.close_s}, d.unload_s});
  }
  return problem;
}

// Walks a solved route and fills in times, loads and distances.
TruckRoute render_route(const PlanRequest& r, const Points& p,
                        const std::vector<Selection>& selection,
                        const vrp::Problem& problem, const vrp::Route& route) {
  const auto& travel = *problem.travel;
  const auto& truck = r.trucks[size_t(route.vehicle_type)];
  const auto& type = problem.vehicle_types[size_t(route.vehicle_type)];
  TruckRoute out;
  out.truck = truck.id;
  out.depot = truck.depot;
  out.depart_s = route.start_time;
  int at = type.start_location;
  int64_t time = route.start_time;
  double load = 0;
  for (const auto& stop : route.stops) {
    PlanStop s;
    int loc = 0;
    int64_t service = 0;
    int64_t open = 0;
    if (stop.kind == vrp::Stop::Kind::kJob) {
      const auto& job = problem.jobs[size_t(stop.index)];
      size_t ci = p.container[size_t(job.number)];
      const auto& c = r.containers[ci];
      loc = job.location;
      service = job.service_time;
      s.id = c.id;
      s.location = c.location;
      s.level = selection[ci].level_at_visit;
      s.must = selection[ci].priority == Priority::kMust;
      load += double(job.demand);
      ++out.containers;
    } else {
      const auto& site = problem.disposal_sites[size_t(stop.index)];
      const auto& d = r.disposal_sites[size_t(stop.index)];
      s.kind = PlanStop::Kind::kDisposal;
      loc = site.location;
      service = site.unload_time;
      open = site.window.open;
      s.id = d.id;
      s.location = d.location;
      load = 0;
      ++out.disposal_visits;
    }
    s.distance_m = double(travel.distance(at, loc));
    s.arrival_s = time + travel.duration(at, loc);
    s.start_s = std::max(s.arrival_s, open);
    s.departure_s = s.start_s + service;
    s.load_l = load;
    out.distance_m += s.distance_m;
    time = s.departure_s;
    at = loc;
    out.stops.push_back(std::move(s));
  }
  out.distance_m += double(travel.distance(at, type.end_location));
  out.return_s = time + travel.duration(at, type.end_location);
  return out;
}

Status add_geometry(const Points& p, const vrp::Problem& problem,
                    const vrp::Route& route, const RoadIndex& roads,
                    TruckRoute* out) {
  const auto& type = problem.vehicle_types[size_t(route.vehicle_type)];
  std::vector<int> seq{type.start_location};
  for (const auto& stop : route.stops) {
    seq.push_back(stop.kind == vrp::Stop::Kind::kJob
                      ? problem.jobs[size_t(stop.index)].location
                      : problem.disposal_sites[size_t(stop.index)].location);
  }
  seq.push_back(type.end_location);
  for (size_t i = 0; i + 1 < seq.size(); ++i) {
    auto leg =
        roads.route(p.snaps[size_t(seq[i])], p.snaps[size_t(seq[i + 1])]);
    if (!leg) return std::unexpected(leg.error());
    size_t skip = out->geometry.empty() ? 0 : 1;
    out->geometry.insert(
        out->geometry.end(),
        leg->geometry.begin() + long(std::min(skip, leg->geometry.size())),
        leg->geometry.end());
  }
  return ok();
}

}  // namespace

// Best effort when the musts do not fit: all jobs optional (musts with a
// large prize); if the solver still finds nothing, fewer jobs (musts first,
// nearest the depots first), halving until a plan is found.
Result<vrp::Solution> solve_best_effort(const PlanRequest& r,
                                        const vrp::SolverOptions& options,
                                        vrp::Problem* problem) {
  for (auto& j : problem->jobs) {
    if (!j.mandatory) continue;
    j.mandatory = false;
    j.prize = kMustPrizeFactor * r.policy.prize_m;
  }
  auto solution = vrp::solve(*problem, options);
  const auto& travel = *problem->travel;
  auto depot_s = [&](const vrp::Job& j) {
    int64_t best = kUnreachable;
    for (const auto& v : problem->vehicle_types) {
      best = std::min(best, travel.duration(v.start_location, j.location));
    }
    return best;
  };
  auto jobs = problem->jobs;
  std::stable_sort(jobs.begin(), jobs.end(),
                   [&](const vrp::Job& a, const vrp::Job& b) {
                     if (a.prize != b.prize) return a.prize > b.prize;
                     return depot_s(a) < depot_s(b);
                   });
  for (size_t keep = jobs.size() / 2; !solution && keep >= 1; keep /= 2) {
    problem->jobs.assign(jobs.begin(), jobs.begin() + long(keep));
    solution = vrp::solve(*problem, options);
  }
  return solution;
}

Result<Plan> make_plan(const PlanRequest& r, const RoadIndex& roads) {
  if (auto s = validate_request(r); !s) return std::unexpected(s.error());
  auto visit = r.day_start + std::chrono::seconds(r.trucks[0].shift_start_s);
  auto selection = select_containers(r.containers, visit, r.policy, r.forecast);
  Plan plan;
  plan.day_start = r.day_start;
  auto points = snap_points(r, selection, roads, &plan);
  if (!points) return std::unexpected(points.error());
  auto matrix = roads.matrix(points->snaps);
  if (!matrix) return std::unexpected(matrix.error());
  auto travel = travel_of(*matrix);
  if (!travel) return std::unexpected(travel.error());
  auto problem = problem_of(r, *points, selection);
  problem.travel = *travel;
  for (const auto& j : problem.jobs) (j.mandatory ? plan.must : plan.may)++;
  vrp::SolverOptions options;
  options.time_limit_s = r.time_limit_s;
  options.threads = std::max(1, r.threads);
  options.seed = r.seed;
  auto start = std::chrono::steady_clock::now();
  auto solution = problem.jobs.empty() ? Result<vrp::Solution>(vrp::Solution{})
                                       : vrp::solve(problem, options);
  auto all_jobs = problem.jobs;
  if (!solution && r.best_effort && plan.must > 0) {
    solution = solve_best_effort(r, options, &problem);
  }
  plan.solve_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  if (!solution) {
    return fail(Code::kBadRequestData,
                "no plan serves all " + std::to_string(plan.must) +
                    " must containers within the fleet's shifts and "
                    "capacities: " +
                    solution.error().detail);
  }
  auto figures = vrp::check_solution(problem, *solution);
  if (!figures) {
    return fail(Code::kInternal, "the plan failed the feasibility check: " +
                                     figures.error().detail);
  }
  plan.cost = figures->cost;
  for (const auto& route : solution->routes) {
    auto out = render_route(r, *points, selection, problem, route);
    if (auto s = add_geometry(*points, problem, route, roads, &out); !s) {
      return std::unexpected(s.error());
    }
    plan.collected += out.containers;
    plan.distance_m += out.distance_m;
    plan.duration_s += double(out.return_s - out.depart_s);
    plan.routes.push_back(std::move(out));
  }
  std::vector<bool> served(all_jobs.size());
  for (const auto& route : solution->routes) {
    for (const auto& stop : route.stops) {
      if (stop.kind != vrp::Stop::Kind::kJob) continue;
      served[size_t(problem.jobs[size_t(stop.index)].number)] = true;
    }
  }
  for (const auto& j : all_jobs) {
    if (served[size_t(j.number)]) continue;
    size_t ci = points->container[size_t(j.number)];
    auto& list = j.mandatory ? plan.must_left : plan.optional_left;
    list.push_back(r.containers[ci].id);
  }
  return plan;
}

}  // namespace cocity::apps::waste
