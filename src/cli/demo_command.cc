#include <CLI/CLI.hpp>

#include <cstdio>

#include <atomic>
#include <fstream>
#include <iterator>
#include <thread>

#include "apps/cocreation/live_demo.h"
#include "broker/bulk_load.h"
#include "cli/commands.h"
#include "cli/run_server.h"
#include "cli/server_flags.h"
#include "sim/city_model.h"
#include "sim/http_publisher.h"
#include "sim/mqtt_publisher.h"
#include "sim/simulator.h"

namespace cocity::cli {
namespace {

// The demo city's sensors, simulated: the last `days` days are replayed at
// once (so there is history to look at), then the sensors go on reporting
// in real time: over MQTT through the broker the server ingests from, when
// there is one, else through the server's own HTTP API.
class LiveCity {
 public:
  ~LiveCity() { stop(); }

  // Reads the city; false if it cannot be simulated.
  bool prepare(const std::string& city_file) {
    std::ifstream in(city_file);
    std::string text((std::istreambuf_iterator<char>(in)), {});
    auto doc = parse_json(text);
    if (!doc || !doc->is_array() || doc->as_array().empty()) return false;
    city_ = std::move(doc->as_array());
    const json::value& first = city_.front();
    const json::value* id =
        first.is_object() ? first.as_object().if_contains("id") : nullptr;
    if (id && id->is_string()) first_id_ = std::string(id->as_string());
    return true;
  }

  // An entity of the city, to tell a fresh data directory from one that
  // already holds the city's history.
  const std::string& first_id() const { return first_id_; }

  // Replays the last `days` days (none when days is 0), then goes live.
  // Returns where the readings go.
  std::string start(int days, uint16_t port, const std::string& mqtt_url) {
    TimePoint begin = Clock::system()->now() - std::chrono::hours(24 * days);
    auto model = sim::CityModel::create(city_, 1, 1, begin);
    if (!model) return "nowhere: " + model.error().detail;
    std::unique_ptr<sim::Publisher> publisher;
    if (!mqtt_url.empty()) {
      auto target = sim::parse_mqtt_url(mqtt_url);
      if (target) {
        auto mqtt = sim::make_mqtt_publisher(*target);
        if (mqtt) publisher = std::move(*mqtt);
      }
    }
    if (!publisher) {
      sim::HttpTarget target;
      target.port = port;
      publisher = sim::make_http_publisher(target);
    }
    std::string name = publisher->name();
    thread_ = std::thread([this, model = std::move(*model),
                           publisher = std::move(publisher), begin]() mutable {
      sim::SimOptions options;
      options.start = begin;
      options.duration = std::chrono::hours(24 * 366);
      options.speed = 0;
      options.report_every_hours = 0;
      options.wall_clock = Clock::system();
      sim::SimStats stats =
          sim::run_simulation(model, *publisher, options, &stop_);
      publisher.reset();
      // A batch lost while the server shuts down is no news; more is.
      if (stats.failed * 100 > stats.readings) {
        std::fprintf(stderr,
                     "cocity demo: simulator: %llu of %llu readings were "
                     "not delivered (last error: %s)\n",
                     static_cast<unsigned long long>(stats.failed),
                     static_cast<unsigned long long>(stats.readings),
                     stats.last_error.c_str());
      }
    });
    return name;
  }

  void stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }

 private:
  json::array city_;
  std::string first_id_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// The co-creation demo: where to log in and the live session to join.
void print_cocreation(const apps::cocreation::DemoLogin& demo,
                      const std::string& host, uint16_t port) {
  std::printf(
      "  Co-creation: a demo process with the 22 ideas, a survey with "
      "generated\n  responses and a live session.\n"
      "    Moderator login: %s / %s at http://%s:%u/\n",
      demo.email.c_str(), demo.password.c_str(), host.c_str(), port);
  if (!demo.live_code.empty()) {
    std::printf(
        "    Live session: join at http://%s:%u/live/%s (code %s),\n"
        "    projector view: http://%s:%u/live/%s/projector\n",
        host.c_str(), port, demo.live_code.c_str(), demo.live_code.c_str(),
        host.c_str(), port, demo.live_code.c_str());
  }
}

}  // namespace

void add_demo_command(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "demo", "Run the server in open mode with the demo municipality loaded");
  auto flags = std::make_shared<ServerFlags>();
  flags->attach(cmd);
  auto city = std::make_shared<std::string>(COCITY_DATA_DIR
                                            "/demo/kaiserslautern.json");
  cmd->add_option("--city", *city, "NGSI-LD entities to load (JSON array)");
  auto sim_days = std::make_shared<int>(7);
  cmd->add_option("--sim-days", *sim_days,
                  "days of sensor history to simulate before going live "
                  "(0: no simulated sensors)")
      ->check(CLI::Range(0, 366));
  cmd->callback([flags, city, sim_days] {
    server::ServerConfig base;
    base.open = true;
    base.data_dir = "cocity-demo-data";
    // The web app as scripts/build-web.sh builds it (COCITY_WEB_DIR wins).
    base.web_dir = COCITY_DATA_DIR "/../web/dist";
    auto config = flags->resolve(base);
    if (!config) {
      std::fprintf(stderr, "cocity demo: %s\n", config.error().detail.c_str());
      set_exit_code(2);
      return;
    }
    config->open = true;
    // Co-creation first (its own database), so the server finds it.
    auto cocreation = apps::cocreation::seed_cocreation_demo(
        config->data_dir, COCITY_DATA_DIR "/ideas/catalogue.json");
    if (!cocreation) {
      std::fprintf(stderr, "cocity demo: co-creation demo not seeded: %s\n",
                   cocreation.error().detail.c_str());
    }
    LiveCity live;
    set_exit_code(run_server(*config, [city, sim_days, &live, &cocreation,
                                       bind = config->bind,
                                       mqtt_url = config->mqtt_url](
                                          broker::Broker& broker,
                                          uint16_t port) {
      bool simulate = *sim_days > 0 && live.prepare(*city);
      // A data directory that already holds the city keeps its history: the
      // simulator then only goes on from now.
      auto existing = broker.get("", live.first_id());
      bool fresh =
          !live.first_id().empty() &&
          (existing ? !*existing
                    : existing.error().code == Code::kNonexistentTenant);
      auto n = broker::load_entities_file(broker, "", *city);
      if (!n) {
        std::fprintf(stderr, "cocity demo: could not load the demo city: %s\n",
                     n.error().detail.c_str());
        return;
      }
      std::string host = bind == "0.0.0.0" ? "127.0.0.1" : bind;
      std::printf(
          "\ncocity demo is running at http://%s:%u/\n"
          "  %zu entities of the demo municipality (Kaiserslautern) are "
          "loaded.\n"
          "  Try: curl "
          "'http://%s:%u/ngsi-ld/v1/entities?type=WasteContainer&limit=3'\n",
          host.c_str(), port, *n, host.c_str(), port);
      if (simulate) {
        std::string to = live.start(fresh ? *sim_days : 0, port, mqtt_url);
        if (fresh) {
          std::printf(
              "  Simulated sensors: the last %d days are replayed now, "
              "then they go on live.\n",
              *sim_days);
        }
        std::printf(
            "  Live: air quality every 15 minutes, traffic every 5 minutes, "
            "waste fill\n  levels hourly, published to %s.\n",
            to.c_str());
      }
      if (cocreation) print_cocreation(*cocreation, host, port);
      std::printf("  Stop with Ctrl-C.\n\n");
      std::fflush(stdout);
    }));
    live.stop();
  });
}

}  // namespace cocity::cli
