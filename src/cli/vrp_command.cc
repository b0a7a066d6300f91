// cocity vrp solve FILE [--time-limit S] [--threads N] [--seed N] [--json]
#include <CLI/CLI.hpp>

#include <cstdio>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "core/json.h"
#include "vrp/feasibility.h"
#include "vrp/instance_reader.h"
#include "vrp/solution_json.h"
#include "vrp/solver.h"

namespace cocity::cli {
namespace {

struct SolveArgs {
  std::string file;
  double time_limit_s = 10;
  int threads = 1;
  uint64_t seed = 1;
  bool json = false;
};

int run_solve(const SolveArgs& args) {
  auto problem = vrp::read_problem_file(args.file);
  if (!problem) {
    std::fprintf(stderr, "error: %s\n", problem.error().detail.c_str());
    return 2;
  }
  vrp::SolverOptions options;
  options.time_limit_s = args.time_limit_s;
  options.threads = args.threads;
  options.seed = args.seed;
  vrp::SolveStats stats;
  auto solution = vrp::solve(*problem, options, &stats);
  if (!solution) {
    std::fprintf(stderr, "error: %s\n", solution.error().detail.c_str());
    return 1;
  }
  auto check = vrp::check_solution(*problem, *solution);
  if (!check) {
    std::fprintf(stderr, "INFEASIBLE PLAN: %s\n", check.error().detail.c_str());
    return 3;
  }
  if (args.json) {
    std::printf("%s\n", to_json(vrp::solution_to_json(*problem, *solution,
                                                      stats.seconds))
                            .c_str());
  } else {
    std::printf(
        "%s",
        vrp::solution_to_text(*problem, *solution, stats.seconds).c_str());
  }
  return 0;
}

}  // namespace

void add_vrp_command(CLI::App& app) {
  CLI::App* vrp = app.add_subcommand("vrp", "Vehicle routing solver");
  vrp->require_subcommand(1);
  CLI::App* solve = vrp->add_subcommand(
      "solve", "Solve a Solomon (.txt), CVRPLIB (.vrp) or cocity JSON file");
  auto args = std::make_shared<SolveArgs>();
  solve->add_option("FILE", args->file, "problem file")->required();
  solve->add_option("--time-limit", args->time_limit_s, "seconds")
      ->check(CLI::Range(0.0, 86400.0));
  solve->add_option("--threads", args->threads, "search threads")
      ->check(CLI::Range(1, 64));
  solve->add_option("--seed", args->seed, "random seed");
  solve->add_flag("--json", args->json, "print the plan as JSON");
  solve->callback([args] { set_exit_code(run_solve(*args)); });
}

}  // namespace cocity::cli
