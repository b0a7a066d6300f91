// Runs a CityModel against a live cocity: readings go out through a
// Publisher (HTTP batch upserts, MQTT) as simulated time passes.
//
// Simulated time runs `speed` times faster than real time (speed 0: as fast
// as the publisher takes them), from `start`, for `duration`, and stops
// after `max_readings`, whichever comes first: a run is always bounded.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/json.h"
#include "core/time.h"
#include "sim/city_model.h"

namespace cocity::sim {

class Publisher {
 public:
  virtual ~Publisher() = default;
  // Sends entity fragments (upserts that add to the entity) to the
  // tenant the publisher was made for.
  // An error means none or only part of them arrived; the simulator
  // counts them as failed and goes on.
  virtual Status publish(const std::vector<json::object>& fragments) = 0;
  // A short description for logs ("http://127.0.0.1:8080").
  virtual std::string name() const = 0;
};

struct SimOptions {
  TimePoint start{};
  Micros duration = std::chrono::hours(24);
  double speed = 60;
  uint64_t max_readings = 1'000'000;
  // Progress line every this many simulated hours (0: quiet).
  int report_every_hours = 6;
  // When set, simulated time never runs ahead of this clock: a run that
  // starts in the past replays at `speed` until it reaches the present and
  // then goes on in real time (the demo's live city).
  const Clock* wall_clock = nullptr;
};

struct SimStats {
  uint64_t readings = 0;   // fragments handed to the publisher
  uint64_t failed = 0;     // of those, in publishes that failed
  uint64_t publishes = 0;  // publish calls
  TimePoint reached{};     // simulated time at the end
  double seconds = 0;      // real time taken
  std::string last_error;
};

// Runs until done or until *stop becomes true.
SimStats run_simulation(CityModel& model, Publisher& publisher,
                        const SimOptions& options,
                        const std::atomic<bool>* stop = nullptr);

}  // namespace cocity::sim
