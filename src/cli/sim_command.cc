// cocity sim [--server URL] [--mqtt URL] [--tenant T] [--city FILE]
//            [--scale N] [--speed X] [--hours H] [--max-readings N]
//            [--start TIME] [--seed N] [--api-key K]
#include <signal.h>
#include <CLI/CLI.hpp>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "core/json.h"
#include "sim/city_model.h"
#include "sim/http_publisher.h"
#include "sim/mqtt_publisher.h"
#include "sim/simulator.h"

namespace cocity::cli {
namespace {

struct SimArgs {
  std::string server = "http://127.0.0.1:8080";
  std::string mqtt;  // when set, readings go over MQTT instead of HTTP
  std::string tenant;
  std::string city = COCITY_DATA_DIR "/demo/kaiserslautern.json";
  std::string api_key;
  std::string start;  // ISO time; default now
  int scale = 1;
  double speed = 60;
  double hours = 24;
  uint64_t max_readings = 1'000'000;
  uint64_t seed = 1;
};

std::atomic<bool> g_stop{false};

Result<json::array> read_city(const std::string& path) {
  std::ifstream in(path);
  if (!in) return fail(Code::kNotFound, "cannot read the city file " + path);
  std::string text((std::istreambuf_iterator<char>(in)), {});
  auto doc = parse_json(text);
  if (!doc) return std::unexpected(doc.error());
  if (!doc->is_array()) {
    return fail(Code::kBadRequestData,
                path + " is not a JSON array of NGSI-LD entities");
  }
  return std::move(doc->get_array());
}

Result<std::unique_ptr<sim::Publisher>> make_publisher(const SimArgs& args) {
  if (!args.mqtt.empty()) {
    auto target = sim::parse_mqtt_url(args.mqtt);
    if (!target) return std::unexpected(target.error());
    target->tenant = args.tenant;
    return sim::make_mqtt_publisher(*target);
  }
  auto target = sim::parse_http_url(args.server);
  if (!target) return std::unexpected(target.error());
  target->tenant = args.tenant;
  target->api_key = args.api_key;
  return sim::make_http_publisher(*target);
}

int run_sim(const SimArgs& args) {
  TimePoint start = Clock::system()->now();
  if (!args.start.empty()) {
    auto t = parse_iso_time(args.start);
    if (!t) {
      std::fprintf(stderr, "cocity sim: --start: %s\n",
                   t.error().detail.c_str());
      return 2;
    }
    start = *t;
  }
  auto city = read_city(args.city);
  if (!city) {
    std::fprintf(stderr, "cocity sim: %s\n", city.error().detail.c_str());
    return 2;
  }
  auto model = sim::CityModel::create(*city, args.scale, args.seed, start);
  if (!model) {
    std::fprintf(stderr, "cocity sim: %s\n", model.error().detail.c_str());
    return 2;
  }
  auto publisher = make_publisher(args);
  if (!publisher) {
    std::fprintf(stderr, "cocity sim: %s\n", publisher.error().detail.c_str());
    return 1;
  }
  sim::SimOptions options;
  options.start = start;
  options.duration = std::chrono::duration_cast<Micros>(
      std::chrono::duration<double, std::ratio<3600>>(args.hours));
  options.speed = args.speed;
  options.max_readings = args.max_readings;
  std::printf(
      "cocity sim: %zu sensors, %.1f simulated hours from %s at %gx, to %s\n",
      model->sensors().size(), args.hours, format_iso_time(start).c_str(),
      args.speed, (*publisher)->name().c_str());
  std::fflush(stdout);
  signal(SIGINT, [](int) { g_stop = true; });
  signal(SIGTERM, [](int) { g_stop = true; });
  sim::SimStats stats =
      sim::run_simulation(*model, **publisher, options, &g_stop);
  std::printf(
      "cocity sim: done: %llu readings in %llu batches (%llu failed), "
      "simulated up to %s, %.1f s\n",
      static_cast<unsigned long long>(stats.readings),
      static_cast<unsigned long long>(stats.publishes),
      static_cast<unsigned long long>(stats.failed),
      format_iso_time(stats.reached).c_str(), stats.seconds);
  if (stats.failed > 0) {
    std::fprintf(stderr, "cocity sim: last error: %s\n",
                 stats.last_error.c_str());
    return 1;
  }
  return 0;
}

}  // namespace

void add_sim_command(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand(
      "sim", "Publish realistic sensor streams of a city to a cocity server");
  auto args = std::make_shared<SimArgs>();
  cmd->add_option("--server", args->server,
                  "cocity server for HTTP batch upserts (http://HOST:PORT)");
  cmd->add_option("--mqtt", args->mqtt,
                  "publish over MQTT instead (mqtt://HOST:PORT)");
  cmd->add_option("--tenant", args->tenant, "NGSILD-Tenant of the city");
  cmd->add_option("--city", args->city,
                  "NGSI-LD entities of the city (JSON array)");
  cmd->add_option("--api-key", args->api_key, "Bearer key with role write");
  cmd->add_option("--scale", args->scale,
                  "sensors per sensor entity of the city (load tests)")
      ->check(CLI::Range(1, 10000));
  cmd->add_option("--speed", args->speed,
                  "simulated seconds per real second (0: as fast as possible)")
      ->check(CLI::Range(0.0, 1e7));
  cmd->add_option("--hours", args->hours, "simulated hours to run")
      ->check(CLI::Range(0.0, 24.0 * 3660));
  cmd->add_option("--max-readings", args->max_readings,
                  "stop after this many readings");
  cmd->add_option("--start", args->start,
                  "simulated start time (ISO 8601; default now)");
  cmd->add_option("--seed", args->seed, "random seed");
  cmd->callback([args] { set_exit_code(run_sim(*args)); });
}

}  // namespace cocity::cli
