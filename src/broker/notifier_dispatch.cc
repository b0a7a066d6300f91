// The notifier's dispatcher thread: matching, throttling, periodic
// subscriptions, pending notifications and status flushes (notifier.h).
#include <spdlog/spdlog.h>

#include <chrono>

#include "broker/notification.h"
#include "broker/notifier.h"
#include "broker/subscription_matcher.h"
#include "ngsi/query_eval.h"

namespace cocity::broker {
namespace {

using SteadyClock = std::chrono::steady_clock;

Micros seconds(double s) { return Micros(static_cast<int64_t>(s * 1e6)); }

// The "address" of an endpoint: one queue (and thread) per address.
std::string endpoint_key(const Endpoint& e) {
  const char* scheme = e.scheme == Endpoint::Scheme::kMqtt    ? "mqtt"
                       : e.scheme == Endpoint::Scheme::kHttps ? "https"
                                                              : "http";
  return std::string(scheme) + "://" + e.host + ":" + std::to_string(e.port);
}

// The entities a periodic subscription reports now.
std::vector<ngsi::Entity> current_entities(Broker& broker,
                                           const Subscription& sub) {
  std::vector<ngsi::Entity> out;
  for (const auto& item : sub.entities) {
    store::EntitySelector sel;
    sel.types.push_back(item.type);
    if (!item.id.empty()) sel.ids.push_back(item.id);
    constexpr uint64_t kMaxPeriodicEntities = 1000;
    auto page = broker.find(sub.tenant, sel, 0, kMaxPeriodicEntities);
    if (!page) continue;
    for (auto& e : page->entities) {
      if (!selects_entity(sub, e)) continue;
      if (sub.q && !ngsi::evaluate(*sub.q, e)) continue;
      if (sub.geo_q && !ngsi::geo_matches(*sub.geo_q, e)) continue;
      out.push_back(std::move(e));
    }
  }
  return out;
}

}  // namespace

void Notifier::dispatch_loop() {
  auto next_flush = SteadyClock::now() + options_.status_flush;
  for (;;) {
    std::deque<std::vector<ChangeEvent>> batches;
    TimePoint now = options_.clock->now();
    auto wake = std::min(next_flush, next_periodic_due(now));
    {
      std::unique_lock lock(events_mu_);
      events_cv_.wait_until(lock, wake,
                            [this] { return stopping_ || !events_.empty(); });
      if (stopping_) return;
      batches.swap(events_);
      waiting_changes_ = 0;
    }
    for (const auto& events : batches) dispatch(events);
    now = options_.clock->now();
    run_periodic(now);
    bool save_status = SteadyClock::now() >= next_flush;
    flush(save_status);
    if (save_status) next_flush = SteadyClock::now() + options_.status_flush;
  }
}

void Notifier::dispatch(const std::vector<ChangeEvent>& events) {
  if (events.empty()) return;
  const std::string& tenant = events.front().tenant;
  std::vector<std::shared_ptr<SubState>> states;
  std::vector<std::shared_ptr<ListenerEntry>> listeners;
  {
    std::lock_guard lock(mu_);
    if (auto t = subs_.find(tenant); t != subs_.end()) {
      states.reserve(t->second.size());
      for (const auto& [id, s] : t->second) states.push_back(s);
    }
    for (const auto& l : listeners_) {
      if (l->tenant == tenant) listeners.push_back(l);
    }
  }
  TimePoint now = options_.clock->now();
  for (const auto& l : listeners) {
    for (const auto& e : events) {
      if (fires(l->filter, e, now)) l->listener(e);
    }
  }
  std::vector<QueuedNotification> batch;
  std::vector<const ChangeEvent*> fired;
  for (const auto& state : states) {
    std::shared_ptr<const Subscription> sub;
    {
      std::lock_guard lock(mu_);
      sub = state->sub;
    }
    if (state->last_fired && sub->throttling_s > 0 &&
        now < *state->last_fired + seconds(sub->throttling_s))
      continue;
    fired.clear();
    for (const auto& e : events) {
      if (fires(*sub, e, now)) fired.push_back(&e);
    }
    if (fired.empty()) continue;
    state->last_fired = now;
    QueuedNotification q;
    q.sub = sub;
    q.message = make_notification(*sub, fired, now);
    q.queued_at = SteadyClock::now();
    batch.push_back(std::move(q));
  }
  enqueue(std::move(batch));
}

void Notifier::run_periodic(TimePoint now) {
  std::vector<std::shared_ptr<SubState>> due;
  {
    std::lock_guard lock(mu_);
    for (const auto& [tenant, subs] : subs_) {
      for (const auto& [id, s] : subs) {
        if (s->sub->time_interval_s <= 0 || !is_live(*s->sub, now)) continue;
        if (!s->next_due) s->next_due = now + seconds(s->sub->time_interval_s);
        if (*s->next_due <= now) due.push_back(s);
      }
    }
  }
  std::vector<QueuedNotification> batch;
  for (const auto& s : due) {
    std::shared_ptr<const Subscription> sub;
    {
      std::lock_guard lock(mu_);
      sub = s->sub;
      s->next_due = now + seconds(sub->time_interval_s);
    }
    auto entities = current_entities(*broker_, *sub);
    if (entities.empty()) continue;
    QueuedNotification q;
    q.sub = sub;
    q.message = make_notification(*sub, entities, now);
    q.queued_at = SteadyClock::now();
    batch.push_back(std::move(q));
  }
  enqueue(std::move(batch));
}

SteadyClock::time_point Notifier::next_periodic_due(TimePoint now) {
  auto far = SteadyClock::now() + std::chrono::hours(1);
  std::optional<TimePoint> first;
  {
    std::lock_guard lock(mu_);
    for (const auto& [tenant, subs] : subs_) {
      for (const auto& [id, s] : subs) {
        if (s->sub->time_interval_s <= 0) continue;
        TimePoint due =
            s->next_due.value_or(now + seconds(s->sub->time_interval_s));
        if (!first || due < *first) first = due;
      }
    }
  }
  if (!first) return far;
  auto wait = std::max(Micros(0), *first - now);
  return SteadyClock::now() + wait;
}

void Notifier::enqueue(std::vector<QueuedNotification> batch) {
  if (batch.empty()) return;
  std::vector<store::PendingNotification> pending;
  pending.reserve(batch.size());
  for (const auto& q : batch) {
    store::PendingNotification p;
    p.tenant = q.sub->tenant;
    p.subscription_id = q.sub->id;
    p.body = q.message.body;
    p.queued_at = options_.clock->now();
    pending.push_back(std::move(p));
  }
  if (auto s = store_->add_pending(&pending); !s) {
    // Still deliver; only the restart guarantee is lost for these.
    spdlog::warn("notifications not persisted: {}", s.error().detail);
  } else {
    for (size_t i = 0; i < batch.size(); ++i) batch[i].seq = pending[i].seq;
  }
  for (auto& q : batch) {
    ++queued_;
    queue_for(q.sub->endpoint).push(std::move(q));
  }
}

EndpointQueue& Notifier::queue_for(const Endpoint& endpoint) {
  std::string key = endpoint_key(endpoint);
  std::lock_guard lock(queues_mu_);
  auto& q = queues_[key];
  if (!q) {
    q = std::make_unique<EndpointQueue>(
        options_.sender_factory(endpoint), options_.delivery,
        [this](const DeliveryOutcome& o) { on_outcome(o); });
  }
  return *q;
}

void Notifier::on_outcome(const DeliveryOutcome& outcome) {
  const QueuedNotification& n = *outcome.notification;
  TimePoint now = options_.clock->now();
  if (outcome.delivered) {
    ++delivered_;
  } else {
    ++attempts_failed_;
    if (outcome.final) ++failed_;
    spdlog::debug("notification of '{}' failed: {}", n.sub->id, outcome.error);
  }
  std::lock_guard lock(mu_);
  if (outcome.final && n.seq != 0) finished_seqs_.push_back(n.seq);
  auto t = subs_.find(n.sub->tenant);
  if (t == subs_.end()) return;
  auto s = t->second.find(n.sub->id);
  if (s == t->second.end()) return;
  SubscriptionStatus& st = s->second->status;
  st.last_notification = now;
  if (outcome.delivered) {
    ++st.times_sent;
    st.last_success = now;
  } else {
    st.last_failure = now;
    if (outcome.final) ++st.times_failed;
  }
  s->second->dirty = true;
}

std::vector<store::SubscriptionRecord> Notifier::dirty_records() {
  std::vector<store::SubscriptionRecord> records;
  for (auto& [tenant, subs] : subs_) {
    for (auto& [id, s] : subs) {
      if (!s->dirty) continue;
      s->dirty = false;
      store::SubscriptionRecord r;
      r.tenant = tenant;
      r.id = id;
      r.times_sent = s->status.times_sent;
      r.times_failed = s->status.times_failed;
      r.last_notification = s->status.last_notification;
      r.last_success = s->status.last_success;
      r.last_failure = s->status.last_failure;
      records.push_back(std::move(r));
    }
  }
  return records;
}

void Notifier::flush(bool save_status) {
  std::vector<int64_t> seqs;
  std::vector<store::SubscriptionRecord> records;
  {
    std::lock_guard lock(mu_);
    seqs.swap(finished_seqs_);
    if (save_status) records = dirty_records();
  }
  if (auto s = store_->remove_pending(seqs); !s)
    spdlog::warn("delivered notifications not cleared: {}", s.error().detail);
  if (!records.empty()) {
    if (auto s = store_->save_status(records); !s)
      spdlog::warn("subscription status not saved: {}", s.error().detail);
  }
}

}  // namespace cocity::broker
