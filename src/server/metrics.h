// A small Prometheus registry: counters, gauges and histograms with labels,
// rendered in the Prometheus text exposition format (version 0.0.4).
//
// Thread-safe. Metric objects returned by the registry live as long as it.
//
// Two ways to record: by name (count/observe: a locked map lookup, fine for
// rare events) or through a handle (counter()/histogram(): resolve once,
// then add/observe are lock-free sharded atomics, for the request path).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace cocity::server {

using Labels = std::vector<std::pair<std::string, std::string>>;

// A monotonically increasing value. add() is lock-free.
class Counter {
 public:
  virtual ~Counter() = default;
  virtual void add(double value = 1) = 0;
  virtual double value() const = 0;
};

// Observations in seconds, counted in fixed buckets (100 us .. 10 s).
// observe() is lock-free.
class Histogram {
 public:
  virtual ~Histogram() = default;
  virtual void observe(double value_s) = 0;
  virtual uint64_t count() const = 0;
  virtual double sum() const = 0;
};

class Metrics {
 public:
  Metrics();
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // Adds `value` to the counter `name` with these label pairs.
  void count(const std::string& name, const std::string& help,
             const Labels& labels, double value = 1);
  // Records one observation in the histogram `name` (seconds buckets from
  // 100 us to 10 s).
  void observe(const std::string& name, const std::string& help,
               const Labels& labels, double value);
  // A gauge or counter whose value is read at render time (store commits,
  // queue depth). `type` is "gauge" or "counter". `read` is called without
  // the registry's lock held, from the thread rendering /metrics.
  void add_callback(const std::string& name, const std::string& help,
                    const std::string& type, std::function<double()> read);

  // Handles: the same series count()/observe() would update. Never null.
  // A name registered with another type yields a detached series that is
  // not rendered (a programming error, logged once).
  Counter* counter(const std::string& name, const std::string& help,
                   const Labels& labels);
  Histogram* histogram(const std::string& name, const std::string& help,
                       const Labels& labels);

  // Families sorted by name, series by label text.
  std::string render_text() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cocity::server
