// vrp_bench: runs the routing solver over ../shared/data/vrp and reports the
// gap to the best-known costs per family.
//
//   vrp_bench [--families C1,C2,R1,R2,RC1,RC2,X] [--time-limit S]
//             [--threads N] [--seed N] [--instances A,B] [--csv FILE]
//             [--granularity K] [--iterations N] [--data DIR]
//
// Tuning knobs for experiments: environment VRP_MU, VRP_LAMBDA, VRP_TARGET.
//
// Without --time-limit, Solomon instances get 0.7 s and X instances 19 s.
// Every plan is checked by check_solution; a violation aborts the run.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "vrp/feasibility.h"
#include "vrp/instance_reader.h"
#include "vrp/solver.h"

namespace {

using cocity::vrp::SolverOptions;

struct Options {
  std::string data;
  std::vector<std::string> families;
  std::vector<std::string> instances;
  double time_limit_s = -1;
  int threads = 2;
  uint64_t seed = 1;
  int granularity = 0;     // 0: the solver's default
  int64_t iterations = 0;  // per thread; 0: until the time limit
  std::string csv;
};

struct BksRow {
  std::string instance, family, file;
  double cost = 0, alt_cost = 0;
};

struct Outcome {
  BksRow bks;
  double cost = 0, seconds = 0;
  int vehicles = 0;
  int64_t iterations = 0;
};

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  bool quoted = false;
  for (char c : s) {
    if (c == '"') {
      quoted = !quoted;
    } else if (c == sep && !quoted) {
      out.push_back(cur);
      cur.clear();
    } else if (c != '\r') {
      cur += c;
    }
  }
  out.push_back(cur);
  return out;
}

bool wanted(const std::vector<std::string>& list, const std::string& v) {
  if (list.empty()) return true;
  for (const auto& x : list) {
    if (x == v) return true;
  }
  return false;
}

std::vector<BksRow> read_bks(const Options& o) {
  std::ifstream in(o.data + "/bks.csv");
  std::string line;
  std::getline(in, line);
  const std::vector<std::string> header = split(line, ',');
  std::map<std::string, size_t> col;
  for (size_t i = 0; i < header.size(); ++i) col[header[i]] = i;
  std::vector<BksRow> rows;
  while (std::getline(in, line)) {
    const auto f = split(line, ',');
    if (f.size() < header.size()) continue;
    BksRow r{f[col["instance"]], f[col["family"]], f[col["file"]],
             std::atof(f[col["best_known_cost"]].c_str()),
             std::atof(f[col["alt_cost"]].c_str())};
    if (wanted(o.families, r.family) && wanted(o.instances, r.instance)) {
      rows.push_back(r);
    }
  }
  return rows;
}

Options parse_args(int argc, char** argv) {
  Options o;
  const char* src = std::getenv("COCITY_SOURCE_DIR");
  o.data = std::string(src ? src : COCITY_DEFAULT_SOURCE_DIR) +
           "/../shared/data/vrp";
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i], v = argv[i + 1];
    if (k == "--families")
      o.families = split(v, ',');
    else if (k == "--instances")
      o.instances = split(v, ',');
    else if (k == "--time-limit")
      o.time_limit_s = std::atof(v.c_str());
    else if (k == "--threads")
      o.threads = std::atoi(v.c_str());
    else if (k == "--seed")
      o.seed = std::strtoull(v.c_str(), nullptr, 10);
    else if (k == "--csv")
      o.csv = v;
    else if (k == "--granularity")
      o.granularity = std::atoi(v.c_str());
    else if (k == "--iterations")
      o.iterations = std::atoll(v.c_str());
    else if (k == "--data")
      o.data = v;
    else {
      std::fprintf(stderr, "unknown option %s\n", k.c_str());
      std::exit(2);
    }
  }
  return o;
}

Outcome run_one(const Options& o, const BksRow& row) {
  auto problem = cocity::vrp::read_problem_file(o.data + "/" + row.file);
  if (!problem) {
    std::fprintf(stderr, "%s: %s\n", row.instance.c_str(),
                 problem.error().detail.c_str());
    std::exit(1);
  }
  SolverOptions options;
  options.threads = o.threads;
  options.seed = o.seed;
  if (o.granularity > 0) options.granularity = o.granularity;
  options.max_iterations = o.iterations;
  if (const char* mu = std::getenv("VRP_MU")) {
    options.search.population.mu = std::atoi(mu);
  }
  if (const char* l = std::getenv("VRP_LAMBDA")) {
    options.search.population.lambda = std::atoi(l);
  }
  if (const char* t = std::getenv("VRP_TARGET")) {
    options.search.target_feasible = std::atof(t);
  }
  options.time_limit_s =
      o.time_limit_s > 0 ? o.time_limit_s : (row.family == "X" ? 19.0 : 0.7);
  cocity::vrp::SolveStats stats;
  auto solution = cocity::vrp::solve(*problem, options, &stats);
  if (!solution) {
    std::fprintf(stderr, "%s: %s\n", row.instance.c_str(),
                 solution.error().detail.c_str());
    std::exit(1);
  }
  auto check = cocity::vrp::check_solution(*problem, *solution);
  if (!check) {
    std::fprintf(stderr, "%s: INFEASIBLE: %s\n", row.instance.c_str(),
                 check.error().detail.c_str());
    std::exit(3);
  }
  Outcome out{row, check->cost / problem->cost_scale, stats.seconds,
              check->vehicles, stats.iterations};
  std::printf(
      "%-12s cost %10.2f  bks %10.2f  gap %6.2f%%  veh %3d  %6.2f s  %lld it\n",
      row.instance.c_str(), out.cost, row.cost,
      100.0 * (out.cost - row.cost) / row.cost, out.vehicles, out.seconds,
      static_cast<long long>(out.iterations));
  std::fflush(stdout);
  return out;
}

void print_table(const std::vector<Outcome>& all) {
  std::map<std::string, std::vector<const Outcome*>> by_family;
  for (const auto& o : all) by_family[o.bks.family].push_back(&o);
  std::printf("\n%-6s %4s %10s %14s %10s\n", "family", "n", "mean gap",
              "gap vs alt BKS", "mean time");
  for (const auto& [family, list] : by_family) {
    double gap = 0, alt = 0, secs = 0;
    for (const Outcome* o : list) {
      gap += 100.0 * (o->cost - o->bks.cost) / o->bks.cost;
      alt += 100.0 * (o->cost - o->bks.alt_cost) / o->bks.alt_cost;
      secs += o->seconds;
    }
    const double n = static_cast<double>(list.size());
    std::printf("%-6s %4zu %9.2f%% %13.2f%% %9.2fs\n", family.c_str(),
                list.size(), gap / n, alt / n, secs / n);
  }
}

void write_csv(const std::string& path, const std::vector<Outcome>& all) {
  std::ofstream out(path);
  out << "instance,family,cost,bks,gap_pct,alt_bks,alt_gap_pct,vehicles,"
         "seconds,iterations\n";
  for (const auto& o : all) {
    out << o.bks.instance << ',' << o.bks.family << ',' << o.cost << ','
        << o.bks.cost << ',' << 100.0 * (o.cost - o.bks.cost) / o.bks.cost
        << ',' << o.bks.alt_cost << ','
        << 100.0 * (o.cost - o.bks.alt_cost) / o.bks.alt_cost << ','
        << o.vehicles << ',' << o.seconds << ',' << o.iterations << '\n';
  }
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = parse_args(argc, argv);
  const std::vector<BksRow> rows = read_bks(o);
  if (rows.empty()) {
    std::fprintf(stderr, "no instances selected (data: %s)\n", o.data.c_str());
    return 1;
  }
  std::vector<Outcome> all;
  for (const BksRow& row : rows) all.push_back(run_one(o, row));
  print_table(all);
  if (!o.csv.empty()) write_csv(o.csv, all);
  return 0;
}
