// A small Prometheus registry: counters, gauges and histograms with labels,
// rendered in the Prometheus text exposition format (version 0.0.4).
//
// Thread-safe. Metric objects returned by the registry live as long as it.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace cocity::server {

class Metrics {
 public:
  Metrics();
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // Adds `value` to the counter `name` with these label pairs.
  void count(const std::string& name, const std::string& help,
             const std::vector<std::pair<std::string, std::string>>& labels,
             double value = 1);
  // Records one observation in the histogram `name` (seconds buckets from
  // 100 us to 10 s).
  void observe(const std::string& name, const std::string& help,
               const std::vector<std::pair<std::string, std::string>>& labels,
               double value);
  // A gauge or counter whose value is read at render time (store commits,
  // queue depth). `type` is "gauge" or "counter".
  void add_callback(const std::string& name, const std::string& help,
                   const std::string& type, std::function<double()> read);

  std::string render_text() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cocity::server
