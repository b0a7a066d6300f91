#include "broker/broker.h"

#include <algorithm>
#include <optional>
#include <unordered_set>

namespace cocity::broker {
namespace {

// What the wrapped mutation of one op captured; read in `done` after the
// commit (the writer thread runs both, in that order).
struct Captured {
  std::optional<ChangeEvent> event;
};

std::vector<std::string> sorted_keys(const json::object& attrs) {
  std::vector<std::string> keys;
  keys.reserve(attrs.size());
  for (const auto& kv : attrs) keys.emplace_back(kv.key());
  std::sort(keys.begin(), keys.end());
  return keys;
}

// Classifies the attributes of a put against the previous state.
void diff_attrs(const ngsi::Entity* before, const store::Change& change,
                ChangeEvent* event) {
  auto after_keys = sorted_keys(change.entity.attrs);
  if (!before) {
    event->attrs_created = std::move(after_keys);
    return;
  }
  auto before_keys = sorted_keys(before->attrs);
  std::set_difference(after_keys.begin(), after_keys.end(), before_keys.begin(),
                      before_keys.end(),
                      std::back_inserter(event->attrs_created));
  std::set_difference(before_keys.begin(), before_keys.end(),
                      after_keys.begin(), after_keys.end(),
                      std::back_inserter(event->attrs_deleted));
  std::unordered_set<std::string> written;
  for (const auto& h : change.history) written.insert(h.attr);
  for (const auto& key : after_keys) {
    if (written.contains(key) && before->attrs.contains(key)) {
      event->attrs_updated.push_back(key);
    }
  }
}

std::optional<ChangeEvent> describe(const ngsi::Entity* before,
                                    const store::Change& change) {
  ChangeEvent event;
  switch (change.kind) {
    case store::Change::Kind::kNone:
      return std::nullopt;
    case store::Change::Kind::kDelete:
      if (!before) return std::nullopt;
      event.kind = ChangeEvent::Kind::kDeleted;
      event.entity = std::make_shared<const ngsi::Entity>(*before);
      event.attrs_deleted = sorted_keys(before->attrs);
      return event;
    case store::Change::Kind::kPut:
      event.kind =
          before ? ChangeEvent::Kind::kUpdated : ChangeEvent::Kind::kCreated;
      event.entity = std::make_shared<const ngsi::Entity>(change.entity);
      diff_attrs(before, change, &event);
      return event;
  }
  return std::nullopt;
}

}  // namespace

Broker::Broker(store::Store* store, const Clock* clock)
    : store_(store), clock_(clock) {}

void Broker::set_change_listener(ChangeListener listener, TenantFilter wants) {
  std::shared_ptr<const Feed> feed;
  if (listener) {
    feed = std::make_shared<const Feed>(
        Feed{std::move(listener), std::move(wants)});
  }
  std::lock_guard lock(feed_mu_);
  feed_ = std::move(feed);
  has_feed_.store(feed_ != nullptr, std::memory_order_release);
}

std::shared_ptr<const Broker::Feed> Broker::feed() const {
  if (!has_feed_.load(std::memory_order_acquire)) return nullptr;
  std::lock_guard lock(feed_mu_);
  return feed_;
}

void Broker::write(const std::string& tenant, std::vector<store::WriteOp> ops,
                   store::WriteCallback done) {
  auto t = store_->tenant(tenant, /*create=*/true);
  if (!t) {
    std::vector<Status> failed(ops.size(), std::unexpected(t.error()));
    done(std::move(failed));
    return;
  }
  auto f = feed();
  if (!f || (f->wants && !f->wants(tenant))) {
    (*t)->write(std::move(ops), std::move(done));
    return;
  }
  // Wrap every mutation so that what it decided is captured, and hand the
  // successful ones to the listener after the commit.
  auto captured = std::make_shared<std::vector<Captured>>(ops.size());
  for (size_t i = 0; i < ops.size(); ++i) {
    ops[i].mutate = [inner = std::move(ops[i].mutate), captured,
                     i](ngsi::Entity* current) -> Result<store::Change> {
      // The mutation may take `current`; the event needs it as it was.
      std::optional<ngsi::Entity> before;
      if (current) before = *current;
      auto change = inner(current);
      if (change) {
        (*captured)[i].event = describe(before ? &*before : nullptr, *change);
      }
      return change;
    };
  }
  (*t)->write(
      std::move(ops), [f, captured, tenant, clock = clock_,
                       done = std::move(done)](std::vector<Status> results) {
        std::vector<ChangeEvent> events;
        TimePoint now = clock->now();
        for (size_t i = 0; i < results.size() && i < captured->size(); ++i) {
          auto& event = (*captured)[i].event;
          if (!results[i] || !event) continue;
          event->tenant = tenant;
          event->committed_at = now;
          events.push_back(std::move(*event));
        }
        if (!events.empty()) f->listener(std::move(events));
        done(std::move(results));
      });
}

Result<std::optional<ngsi::Entity>> Broker::get(const std::string& tenant,
                                                const std::string& id) {
  auto t = store_->tenant(tenant, /*create=*/false);
  if (!t) return std::unexpected(t.error());
  return (*t)->get(id);
}

std::vector<bool> Broker::stored(const std::string& tenant,
                                 const std::vector<std::string>& ids) {
  auto t = store_->tenant(tenant, /*create=*/false);
  if (!t) return std::vector<bool>(ids.size(), false);
  return (*t)->stored(ids);
}

Result<store::Page> Broker::find(const std::string& tenant,
                                 const store::EntitySelector& selector,
                                 uint64_t offset, uint64_t limit) {
  auto t = store_->tenant(tenant, /*create=*/false);
  if (!t) return std::unexpected(t.error());
  return (*t)->find(selector, offset, limit);
}

}  // namespace cocity::broker
