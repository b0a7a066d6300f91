#include "ingest/write_batcher.h"

#include <map>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "broker/entity_ops.h"
#include "ingest/old_readings.h"

namespace cocity::ingest {

namespace {

// The updates of one entity inside one batch, and what became of each.
struct EntityGroup {
  std::vector<Update> updates;
  std::vector<std::optional<Error>> errors;  // set by the mutation
  uint64_t duplicates = 0;                   // old_readings.h, set by the
  uint64_t late = 0;                         // mutation
};

// Applies each fragment in turn; a refused fragment is recorded and
// skipped, so one bad reading never sinks its neighbours.
Result<store::Change> merge_all(EntityGroup* g, ngsi::Entity* current) {
  std::optional<ngsi::Entity> state;
  ngsi::Entity* cur = current;
  store::Change total;
  g->errors.assign(g->updates.size(), std::nullopt);
  g->duplicates = g->late = 0;
  std::optional<Error> first_error;
  for (size_t i = 0; i < g->updates.size(); ++i) {
    const Update& u = g->updates[i];
    SortedReadings old = sort_out_old_readings(u.fragment, cur, u.now);
    g->duplicates += old.duplicates;
    g->late += old.late.size();
    for (auto& h : old.late) total.history.push_back(std::move(h));
    const ngsi::Fragment& fragment = old.rest ? *old.rest : u.fragment;
    auto c = broker::merge_entity(cur, fragment, u.now, false);
    if (!c) {
      g->errors[i] = c.error();
      if (!first_error) first_error = c.error();
      continue;
    }
    for (auto& h : c->history) total.history.push_back(std::move(h));
    if (c->kind == store::Change::Kind::kPut) {
      state = std::move(c->entity);
      cur = &*state;
      total.kind = store::Change::Kind::kPut;
    }
  }
  if (!state) {
    if (first_error) return std::unexpected(*first_error);
    return total;
  }
  total.entity = std::move(*state);
  return total;
}

}  // namespace

WriteBatcher::WriteBatcher(broker::Broker* broker, IngestStats* stats,
                           BatcherOptions options)
    : broker_(broker), stats_(stats), options_(options) {
  if (options_.max_batch == 0) options_.max_batch = 1;
  if (options_.max_pending < options_.max_batch) {
    options_.max_pending = options_.max_batch;
  }
  thread_ = std::thread([this] { run(); });
}

WriteBatcher::~WriteBatcher() {
  drain();
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  work_.notify_all();
  room_.notify_all();
  thread_.join();
}

Status WriteBatcher::push(Update update, bool block) {
  std::unique_lock lock(mu_);
  if (pending_ >= options_.max_pending) {
    if (!block) {
      return fail(Code::kUnavailable, "ingestion is at its limit of " +
                                          std::to_string(options_.max_pending) +
                                          " pending updates; retry later");
    }
    stats_->backpressure_waits.fetch_add(1, std::memory_order_relaxed);
    room_.wait(lock,
               [&] { return pending_ < options_.max_pending || stopping_; });
  }
  if (stopping_) return fail(Code::kUnavailable, "ingestion is stopping");
  ++pending_;
  stats_->in_flight.store(pending_, std::memory_order_relaxed);
  queue_.push_back(std::move(update));
  if (queue_.size() == 1 || queue_.size() == options_.max_batch / 4) {
    work_.notify_one();
  }
  return ok();
}

void WriteBatcher::flush() {
  {
    std::lock_guard lock(mu_);
    if (queue_.empty()) return;
    flush_ = true;
  }
  work_.notify_one();
}

void WriteBatcher::drain() {
  std::unique_lock lock(mu_);
  room_.wait(lock, [&] { return pending_ == 0; });
}

void WriteBatcher::run() {
  while (true) {
    std::deque<Update> batch;
    {
      std::unique_lock lock(mu_);
      work_.wait(lock, [&] { return !queue_.empty() || stopping_; });
      if (queue_.empty()) return;  // stopping, nothing left
      if (queue_.size() < options_.max_batch / 4 && !stopping_ && !flush_) {
        // Linger briefly: bigger batches coalesce more readings per entity
        // and cost the store fewer round trips.
        work_.wait_for(lock, options_.linger, [&] {
          return flush_ || stopping_ || queue_.size() >= options_.max_batch / 4;
        });
      }
      flush_ = false;
      if (queue_.size() <= options_.max_batch) {
        batch.swap(queue_);
      } else {
        for (size_t i = 0; i < options_.max_batch; ++i) {
          batch.push_back(std::move(queue_.front()));
          queue_.pop_front();
        }
      }
    }
    submit(std::move(batch));
  }
}

void WriteBatcher::finished(size_t n) {
  {
    std::lock_guard lock(mu_);
    pending_ -= n;
    stats_->in_flight.store(pending_, std::memory_order_relaxed);
  }
  room_.notify_all();
}

void WriteBatcher::submit(std::deque<Update> batch) {
  // tenant -> entity id -> group, keeping arrival order inside a group.
  std::map<std::string, std::map<std::string, std::shared_ptr<EntityGroup>>>
      by_tenant;
  for (auto& u : batch) {
    auto& slot = by_tenant[u.tenant][u.fragment.id];
    if (!slot) slot = std::make_shared<EntityGroup>();
    slot->updates.push_back(std::move(u));
  }
  for (auto& [tenant, groups] : by_tenant) {
    std::vector<store::WriteOp> ops;
    std::vector<std::shared_ptr<EntityGroup>> order;
    ops.reserve(groups.size());
    for (auto& [id, g] : groups) {
      ops.push_back(
          {id, [g](ngsi::Entity* cur) { return merge_all(g.get(), cur); }});
      order.push_back(g);
    }
    stats_->batches.fetch_add(1, std::memory_order_relaxed);
    broker_->write(
        tenant, std::move(ops),
        [this, order = std::move(order)](std::vector<Status> st) {
          size_t n = 0;
          for (size_t i = 0; i < order.size(); ++i) {
            EntityGroup& g = *order[i];
            Status op = i < st.size() ? st[i] : ok();
            if (op) {
              stats_->duplicates.fetch_add(g.duplicates,
                                           std::memory_order_relaxed);
              stats_->late.fetch_add(g.late, std::memory_order_relaxed);
            }
            for (size_t j = 0; j < g.updates.size(); ++j) {
              Status s = op;
              if (j < g.errors.size() && g.errors[j]) {
                s = std::unexpected(*g.errors[j]);
              }
              if (s) {
                stats_->readings.fetch_add(1, std::memory_order_relaxed);
              }
              if (g.updates[j].done) g.updates[j].done(s);
              ++n;
            }
          }
          finished(n);
        });
  }
}

}  // namespace cocity::ingest
