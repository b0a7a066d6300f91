#include "broker/notifier.h"

#include <spdlog/spdlog.h>

#include "broker/notification.h"
#include "broker/subscription_matcher.h"

namespace cocity::broker {

namespace {

std::string definition_text(const Subscription& sub) {
  json::object d;
  d["source"] = sub.source;
  d["context"] = sub.context_json;
  return to_json(d);
}

store::SubscriptionRecord record_of(const Subscription& sub,
                                    const SubscriptionStatus& status) {
  store::SubscriptionRecord r;
  r.tenant = sub.tenant;
  r.id = sub.id;
  r.times_sent = status.times_sent;
  r.times_failed = status.times_failed;
  r.last_notification = status.last_notification;
  r.last_success = status.last_success;
  r.last_failure = status.last_failure;
  return r;
}

std::unexpected<Error> not_found(const std::string& id) {
  return fail(Code::kNotFound, "subscription '" + id + "' not found");
}

}  // namespace

Notifier::Notifier(Broker* broker,
                   std::unique_ptr<store::SubscriptionStore> store,
                   NotifierOptions options)
    : broker_(broker),
      gate_(std::make_shared<Gate>()),
      store_(std::move(store)),
      options_(std::move(options)) {
  if (!options_.sender_factory)
    options_.sender_factory = default_sender_factory(options_.delivery.timeout,
                                                     options_.extra_ca_file);
  if (!options_.clock) options_.clock = Clock::system();
}

Result<std::unique_ptr<Notifier>> Notifier::open(
    Broker* broker, std::unique_ptr<store::SubscriptionStore> store,
    NotifierOptions options) {
  std::unique_ptr<Notifier> n(
      new Notifier(broker, std::move(store), std::move(options)));
  if (auto s = n->load(); !s) return std::unexpected(s.error());
  Notifier* self = n.get();
  n->dispatcher_ = std::thread([self] { self->dispatch_loop(); });
  n->gate_->target = self;
  broker->set_change_listener(
      [gate = n->gate_](std::vector<ChangeEvent> events) {
        std::lock_guard lock(gate->mu);
        if (gate->target) gate->target->on_changes(std::move(events));
      },
      [gate = n->gate_](const std::string& tenant) {
        std::lock_guard lock(gate->mu);
        return gate->target && gate->target->wants(tenant);
      });
  return n;
}

Notifier::~Notifier() { close(); }

void Notifier::close() {
  {
    std::lock_guard lock(events_mu_);
    if (closed_) return;
    closed_ = true;
    stopping_ = true;
  }
  broker_->set_change_listener({}, {});
  {
    std::lock_guard lock(gate_->mu);
    gate_->target = nullptr;
  }
  events_cv_.notify_all();
  if (dispatcher_.joinable()) dispatcher_.join();
  std::map<std::string, std::unique_ptr<EndpointQueue>> queues;
  {
    std::lock_guard lock(queues_mu_);
    queues.swap(queues_);
  }
  for (auto& [key, q] : queues) q->stop();
  flush(true);
}

Result<std::shared_ptr<const Subscription>> Notifier::rebuild(
    const store::SubscriptionRecord& record) const {
  auto doc = parse_json(record.definition);
  if (!doc || !doc->is_object() || !doc->get_object().contains("source") ||
      !doc->at("source").is_object()) {
    return fail(Code::kInternal,
                "stored subscription '" + record.id + "' is not readable");
  }
  json::value context_json = doc->get_object().contains("context")
                                 ? doc->at("context")
                                 : json::value();
  std::shared_ptr<const ngsi::Context> ctx = ngsi::Context::core();
  if (!context_json.is_null() && options_.resolve_context) {
    auto c = options_.resolve_context(context_json);
    if (!c) return std::unexpected(c.error());
    ctx = *c;
  }
  auto sub = parse_subscription(doc->at("source").get_object(),
                                std::move(context_json), std::move(ctx),
                                record.tenant, options_.clock->now());
  if (!sub) return std::unexpected(sub.error());
  return std::make_shared<const Subscription>(std::move(*sub));
}

Status Notifier::load() {
  auto records = store_->list();
  if (!records) return std::unexpected(records.error());
  for (const auto& r : *records) {
    auto sub = rebuild(r);
    if (!sub) {
      spdlog::warn("subscription '{}' of tenant '{}' skipped: {}", r.id,
                   r.tenant, sub.error().detail);
      continue;
    }
    auto state = std::make_shared<SubState>();
    state->sub = *sub;
    state->status =
        SubscriptionStatus{r.times_sent, r.times_failed, r.last_notification,
                           r.last_success, r.last_failure};
    subs_[r.tenant][r.id] = std::move(state);
    ++feed_users_;
  }
  auto pending = store_->pending();
  if (!pending) return std::unexpected(pending.error());
  std::vector<QueuedNotification> batch;
  std::vector<int64_t> orphans;
  for (auto& p : *pending) {
    auto t = subs_.find(p.tenant);
    auto s = t == subs_.end() ? nullptr
             : t->second.contains(p.subscription_id)
                 ? t->second[p.subscription_id]
                 : nullptr;
    if (!s) {
      orphans.push_back(p.seq);
      continue;
    }
    QueuedNotification q;
    q.seq = p.seq;
    q.sub = s->sub;
    q.message = message_for_body(*s->sub, std::move(p.body));
    q.queued_at = std::chrono::steady_clock::now();
    batch.push_back(std::move(q));
  }
  if (auto s = store_->remove_pending(orphans); !s) return s;
  if (!batch.empty()) {
    spdlog::info("{} pending notification(s) from before the restart queued",
                 batch.size());
  }
  for (auto& q : batch) {
    ++queued_;
    queue_for(q.sub->endpoint).push(std::move(q));
  }
  return ok();
}

Status Notifier::persist(const Subscription& sub,
                         const SubscriptionStatus& status) {
  auto r = record_of(sub, status);
  r.definition = definition_text(sub);
  return store_->put(r);
}

namespace {

// A subscription written with an expiresAt in the past would never notify
// (5.8.1.4): that is an error of the request, not a subscription.
Status check_not_expired(const Subscription& sub, TimePoint now) {
  if (sub.expires_at && *sub.expires_at <= now) {
    return fail(Code::kBadRequestData, "'expiresAt' " +
                                           format_iso_time(*sub.expires_at) +
                                           " is not in the future");
  }
  return ok();
}

}  // namespace

Result<std::string> Notifier::create(const std::string& tenant,
                                     json::object body,
                                     json::value context_json,
                                     std::shared_ptr<const ngsi::Context> ctx) {
  TimePoint now = options_.clock->now();
  auto sub = parse_subscription(std::move(body), std::move(context_json),
                                std::move(ctx), tenant, now);
  if (!sub) return std::unexpected(sub.error());
  if (auto s = check_not_expired(*sub, now); !s)
    return std::unexpected(s.error());
  auto state = std::make_shared<SubState>();
  state->sub = std::make_shared<const Subscription>(std::move(*sub));
  std::lock_guard lock(mu_);
  auto& tenant_subs = subs_[tenant];
  if (tenant_subs.contains(state->sub->id)) {
    return fail(Code::kAlreadyExists,
                "subscription '" + state->sub->id + "' already exists");
  }
  if (auto s = persist(*state->sub, state->status); !s)
    return std::unexpected(s.error());
  std::string id = state->sub->id;
  tenant_subs[id] = std::move(state);
  ++feed_users_;
  return id;
}

Result<json::object> Notifier::get(const std::string& tenant,
                                   const std::string& id,
                                   const ngsi::Context* names) const {
  std::lock_guard lock(mu_);
  auto t = subs_.find(tenant);
  if (t == subs_.end() || !t->second.contains(id)) return not_found(id);
  const auto& state = *t->second.at(id);
  return render_subscription(*state.sub, state.status, options_.clock->now(),
                             names);
}

Notifier::ListPage Notifier::list(const std::string& tenant, uint64_t offset,
                                  uint64_t limit,
                                  const ngsi::Context* names) const {
  ListPage page;
  TimePoint now = options_.clock->now();
  std::lock_guard lock(mu_);
  auto t = subs_.find(tenant);
  if (t == subs_.end()) return page;
  page.total = t->second.size();
  uint64_t i = 0;
  for (const auto& [id, state] : t->second) {
    if (i++ < offset) continue;
    if (page.items.size() >= limit) break;
    page.items.push_back(
        render_subscription(*state->sub, state->status, now, names));
  }
  return page;
}

Status Notifier::update(const std::string& tenant, const std::string& id,
                        const json::object& patch) {
  std::lock_guard lock(mu_);
  auto t = subs_.find(tenant);
  if (t == subs_.end() || !t->second.contains(id)) return not_found(id);
  auto& state = *t->second.at(id);
  auto source = patch_source(state.sub->source, patch);
  if (!source) return std::unexpected(source.error());
  TimePoint now = options_.clock->now();
  auto sub = parse_subscription(std::move(*source), state.sub->context_json,
                                state.sub->ctx, tenant, now);
  if (!sub) return std::unexpected(sub.error());
  if (patch.contains("expiresAt")) {
    if (auto s = check_not_expired(*sub, now); !s) return s;
  }
  if (auto s = persist(*sub, state.status); !s) return s;
  state.sub = std::make_shared<const Subscription>(std::move(*sub));
  return ok();
}

Status Notifier::remove(const std::string& tenant, const std::string& id) {
  std::lock_guard lock(mu_);
  auto t = subs_.find(tenant);
  if (t == subs_.end() || !t->second.contains(id)) return not_found(id);
  if (auto s = store_->remove(tenant, id);
      !s && s.error().code != Code::kNotFound)
    return s;
  t->second.erase(id);
  if (t->second.empty()) subs_.erase(t);
  --feed_users_;
  return ok();
}

uint64_t Notifier::add_listener(const std::string& tenant,
                                ListenerFilter filter, Listener listener) {
  auto entry = std::make_shared<ListenerEntry>();
  entry->tenant = tenant;
  entry->filter.tenant = tenant;
  for (auto& type : filter.types)
    entry->filter.entities.push_back(EntitySelectorItem{{}, nullptr, type});
  entry->filter.watched_attrs = std::move(filter.watched_attrs);
  entry->filter.triggers = filter.triggers;
  entry->filter.q = std::move(filter.q);
  entry->listener = std::move(listener);
  std::lock_guard lock(mu_);
  entry->id = next_listener_id_++;
  listeners_.push_back(entry);
  ++feed_users_;
  return entry->id;
}

void Notifier::remove_listener(uint64_t id) {
  std::lock_guard lock(mu_);
  auto it = std::find_if(listeners_.begin(), listeners_.end(),
                         [id](const auto& l) { return l->id == id; });
  if (it == listeners_.end()) return;
  listeners_.erase(it);
  --feed_users_;
}

NotifierStats Notifier::stats() const {
  NotifierStats s;
  {
    std::lock_guard lock(mu_);
    for (const auto& [tenant, subs] : subs_) s.subscriptions += subs.size();
  }
  s.notifications_queued = queued_;
  s.notifications_delivered = delivered_;
  s.notifications_failed = failed_;
  s.attempts_failed = attempts_failed_;
  s.changes_dropped = dropped_;
  std::lock_guard lock(queues_mu_);
  for (const auto& [key, q] : queues_) s.waiting += q->size();
  return s;
}

bool Notifier::wants(const std::string& tenant) {
  if (feed_users_.load(std::memory_order_relaxed) == 0) return false;
  std::lock_guard lock(mu_);
  if (subs_.contains(tenant)) return true;
  return std::any_of(listeners_.begin(), listeners_.end(),
                     [&](const auto& l) { return l->tenant == tenant; });
}

void Notifier::on_changes(std::vector<ChangeEvent> events) {
  {
    std::lock_guard lock(events_mu_);
    if (stopping_) return;
    if (waiting_changes_ + events.size() > options_.max_waiting_changes) {
      dropped_ += events.size();
      return;
    }
    waiting_changes_ += events.size();
    events_.push_back(std::move(events));
  }
  events_cv_.notify_one();
}

}  // namespace cocity::broker
