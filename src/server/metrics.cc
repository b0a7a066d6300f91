#include "server/metrics.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <array>
#include <atomic>
#include <cmath>
#include <map>
#include <mutex>

namespace cocity::server {

namespace {

constexpr size_t kShards = 4;
constexpr std::array<double, 16> kBucketBounds = {
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
    0.05,   0.1,     0.25,   0.5,   1,      2.5,   5,    10};

// Each thread writes to its own shard (by a thread-local index), so two
// threads rarely touch the same cache line.
size_t shard_index() {
  static std::atomic<size_t> next{0};
  thread_local size_t index = next.fetch_add(1) % kShards;
  return index;
}

struct alignas(64) CounterShard {
  std::atomic<double> value{0};
};

class ShardedCounter final : public Counter {
 public:
  void add(double value) override {
    shards_[shard_index()].value.fetch_add(value, std::memory_order_relaxed);
  }
  double value() const override {
    double total = 0;
    for (const auto& s : shards_)
      total += s.value.load(std::memory_order_relaxed);
    return total;
  }

 private:
  std::array<CounterShard, kShards> shards_;
};

struct alignas(64) HistogramShard {
  std::array<std::atomic<uint64_t>, kBucketBounds.size() + 1> buckets{};
  std::atomic<double> sum{0};
};

class ShardedHistogram final : public Histogram {
 public:
  void observe(double value_s) override {
    size_t b = 0;
    while (b < kBucketBounds.size() && value_s > kBucketBounds[b]) ++b;
    HistogramShard& shard = shards_[shard_index()];
    shard.buckets[b].fetch_add(1, std::memory_order_relaxed);
    shard.sum.fetch_add(value_s, std::memory_order_relaxed);
  }
  uint64_t count() const override {
    uint64_t n = 0;
    for (size_t b = 0; b <= kBucketBounds.size(); ++b) n += bucket(b);
    return n;
  }
  double sum() const override {
    double total = 0;
    for (const auto& s : shards_)
      total += s.sum.load(std::memory_order_relaxed);
    return total;
  }
  uint64_t bucket(size_t b) const {
    uint64_t n = 0;
    for (const auto& s : shards_)
      n += s.buckets[b].load(std::memory_order_relaxed);
    return n;
  }

 private:
  std::array<HistogramShard, kShards> shards_;
};

void append_escaped(std::string_view value, std::string* out) {
  for (char c : value) {
    if (c == '\\') {
      *out += "\\\\";
    } else if (c == '"') {
      *out += "\\\"";
    } else if (c == '\n') {
      *out += "\\n";
    } else {
      out->push_back(c);
    }
  }
}

// `{a="1",b="2"}` or "" without labels; `extra` is appended (le="...").
std::string label_text(const Labels& labels, std::string_view extra = {}) {
  if (labels.empty() && extra.empty()) return {};
  std::string out = "{";
  for (const auto& [name, value] : labels) {
    if (out.size() > 1) out += ',';
    out += name;
    out += "=\"";
    append_escaped(value, &out);
    out += '"';
  }
  if (!extra.empty()) {
    if (out.size() > 1) out += ',';
    out += extra;
  }
  out += '}';
  return out;
}

std::string number_text(double v) {
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (std::isnan(v)) return "NaN";
  return fmt::format("{}", v);
}

enum class Type { kCounter, kHistogram, kCallback };

struct Family {
  Type type = Type::kCounter;
  std::string help;
  std::string callback_type;  // "gauge" or "counter" for kCallback
  std::function<double()> read;
  // Keyed by label text, so rendering order is stable.
  std::map<std::string, std::unique_ptr<ShardedCounter>> counters;
  std::map<std::string, std::unique_ptr<ShardedHistogram>> histograms;
};

void append_help_type(const std::string& name, const Family& f,
                      std::string_view type, std::string* out) {
  std::string help;
  for (char c : f.help) {
    if (c == '\\')
      help += "\\\\";
    else if (c == '\n')
      help += "\\n";
    else
      help.push_back(c);
  }
  *out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

void render_histogram(const std::string& name, const Labels& labels,
                      const ShardedHistogram& h, std::string* out) {
  uint64_t cumulative = 0;
  for (size_t b = 0; b <= kBucketBounds.size(); ++b) {
    cumulative += h.bucket(b);
    std::string le = b < kBucketBounds.size()
                         ? "le=\"" + number_text(kBucketBounds[b]) + "\""
                         : std::string("le=\"+Inf\"");
    *out += fmt::format("{}_bucket{} {}\n", name, label_text(labels, le),
                        cumulative);
  }
  *out += fmt::format("{}_sum{} {}\n", name, label_text(labels),
                      number_text(h.sum()));
  *out += fmt::format("{}_count{} {}\n", name, label_text(labels), cumulative);
}

}  // namespace

class Metrics::Impl {
 public:
  Counter* counter(const std::string& name, const std::string& help,
                   const Labels& labels) {
    std::lock_guard lock(mu_);
    Family& f = family(name, help, Type::kCounter);
    if (f.type != Type::kCounter) return detached_counter(name);
    auto& slot = f.counters[label_text(labels)];
    if (!slot) {
      slot = std::make_unique<ShardedCounter>();
      labels_[slot.get()] = labels;
    }
    return slot.get();
  }

  Histogram* histogram(const std::string& name, const std::string& help,
                       const Labels& labels) {
    std::lock_guard lock(mu_);
    Family& f = family(name, help, Type::kHistogram);
    if (f.type != Type::kHistogram) return detached_histogram(name);
    auto& slot = f.histograms[label_text(labels)];
    if (!slot) {
      slot = std::make_unique<ShardedHistogram>();
      labels_[slot.get()] = labels;
    }
    return slot.get();
  }

  void add_callback(const std::string& name, const std::string& help,
                    const std::string& type, std::function<double()> read) {
    std::lock_guard lock(mu_);
    Family& f = family(name, help, Type::kCallback);
    if (f.type != Type::kCallback) {
      spdlog::warn("metric {} registered twice with different types", name);
      return;
    }
    f.callback_type = type == "counter" ? "counter" : "gauge";
    f.read = std::move(read);
  }

  std::string render() const {
    // Callbacks run outside the lock: they may take other locks (the store).
    std::vector<std::pair<std::string, const Family*>> families;
    {
      std::lock_guard lock(mu_);
      for (const auto& [name, f] : families_) families.emplace_back(name, &f);
    }
    std::string out;
    for (const auto& [name, f] : families) render_family(name, *f, &out);
    return out;
  }

 private:
  Family& family(const std::string& name, const std::string& help, Type type) {
    auto [it, inserted] = families_.try_emplace(name);
    if (inserted) {
      it->second.type = type;
      it->second.help = help;
    }
    return it->second;
  }

  void render_family(const std::string& name, const Family& f,
                     std::string* out) const {
    switch (f.type) {
      case Type::kCallback:
        append_help_type(name, f, f.callback_type, out);
        *out +=
            fmt::format("{} {}\n", name, number_text(f.read ? f.read() : 0));
        break;
      case Type::kCounter: {
        append_help_type(name, f, "counter", out);
        std::lock_guard lock(mu_);
        for (const auto& [labels, c] : f.counters) {
          *out +=
              fmt::format("{}{} {}\n", name, labels, number_text(c->value()));
        }
        break;
      }
      case Type::kHistogram: {
        append_help_type(name, f, "histogram", out);
        std::lock_guard lock(mu_);
        for (const auto& [labels, h] : f.histograms) {
          render_histogram(name, labels_.at(h.get()), *h, out);
        }
        break;
      }
    }
  }

  Counter* detached_counter(const std::string& name) {
    spdlog::warn("metric {} is not a counter; updates are dropped", name);
    detached_counters_.push_back(std::make_unique<ShardedCounter>());
    return detached_counters_.back().get();
  }
  Histogram* detached_histogram(const std::string& name) {
    spdlog::warn("metric {} is not a histogram; updates are dropped", name);
    detached_histograms_.push_back(std::make_unique<ShardedHistogram>());
    return detached_histograms_.back().get();
  }

  mutable std::mutex mu_;
  // std::map: references stay valid while other families are added.
  std::map<std::string, Family> families_;
  std::map<const void*, Labels> labels_;  // series -> its labels
  std::vector<std::unique_ptr<ShardedCounter>> detached_counters_;
  std::vector<std::unique_ptr<ShardedHistogram>> detached_histograms_;
};

Metrics::Metrics() : impl_(std::make_unique<Impl>()) {}
Metrics::~Metrics() = default;

void Metrics::count(const std::string& name, const std::string& help,
                    const Labels& labels, double value) {
  impl_->counter(name, help, labels)->add(value);
}

void Metrics::observe(const std::string& name, const std::string& help,
                      const Labels& labels, double value) {
  impl_->histogram(name, help, labels)->observe(value);
}

void Metrics::add_callback(const std::string& name, const std::string& help,
                           const std::string& type,
                           std::function<double()> read) {
  impl_->add_callback(name, help, type, std::move(read));
}

Counter* Metrics::counter(const std::string& name, const std::string& help,
                          const Labels& labels) {
  return impl_->counter(name, help, labels);
}

Histogram* Metrics::histogram(const std::string& name, const std::string& help,
                              const Labels& labels) {
  return impl_->histogram(name, help, labels);
}

std::string Metrics::render_text() const { return impl_->render(); }

}  // namespace cocity::server
