// The broker: the one door through which NGSI-LD writes and reads reach the
// store, per tenant.
//
// It resolves tenants (writes create a tenant's database on first use,
// reads of an unknown tenant are kNonexistentTenant), submits mutations
// built from broker/entity_ops.h, and is where committed changes fan out:
// a change listener (the notifier) receives, after each successful commit,
// one ChangeEvent per op that changed an entity. Thread-safe.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/time.h"
#include "ngsi/entity.h"
#include "store/store.h"

namespace cocity::broker {

// One committed change of one entity, as change listeners see it.
struct ChangeEvent {
  enum class Kind { kCreated, kUpdated, kDeleted };
  Kind kind = Kind::kUpdated;
  std::string tenant;
  // The new state (kCreated, kUpdated), or the state before the deletion
  // (kDeleted). Shared: many subscriptions may render it.
  std::shared_ptr<const ngsi::Entity> entity;
  // Expanded attribute names: added, written again (some instance
  // replaced or deleted while the attribute remains), removed. On
  // kCreated every attribute is "created"; on kDeleted every one "deleted".
  std::vector<std::string> attrs_created;
  std::vector<std::string> attrs_updated;
  std::vector<std::string> attrs_deleted;
  TimePoint committed_at{};  // when the broker saw the commit succeed
};

// Receives the committed changes of one write() call, on the store's
// thread that runs write callbacks (store.h): it must be quick (queue the
// events, do the work elsewhere) and must not call back into the broker's
// write().
using ChangeListener = std::function<void(std::vector<ChangeEvent>)>;
// Whether the listener wants the changes of a tenant; asked once per
// write() call, before the ops run. Capturing changes costs a copy of
// every changed entity, so a tenant without subscriptions says no.
using TenantFilter = std::function<bool(const std::string& tenant)>;

class Broker {
 public:
  // `store` and `clock` must outlive the broker.
  Broker(store::Store* store, const Clock* clock);

  TimePoint now() const { return clock_->now(); }

  // Runs `ops` in the tenant's store; `done` gets one Status per op after
  // the commit (see store::TenantStore::write). Tenant errors are reported
  // for every op. When a change listener is set and wants the tenant, the
  // committed changes go to it before `done` runs.
  void write(const std::string& tenant, std::vector<store::WriteOp> ops,
             store::WriteCallback done);

  Result<std::optional<ngsi::Entity>> get(const std::string& tenant,
                                          const std::string& id);
  // store::TenantStore::stored; all false for a tenant not created yet.
  std::vector<bool> stored(const std::string& tenant,
                           const std::vector<std::string>& ids);
  Result<store::Page> find(const std::string& tenant,
                           const store::EntitySelector& selector,
                           uint64_t offset, uint64_t limit);

  // Sets (or, with empty functions, clears) the one change listener.
  // Writes already submitted may still report to the previous listener;
  // the caller keeps an old listener's state alive until the store closed.
  void set_change_listener(ChangeListener listener, TenantFilter wants);

 private:
  struct Feed {
    ChangeListener listener;
    TenantFilter wants;
  };
  std::shared_ptr<const Feed> feed() const;

  store::Store* store_;
  const Clock* clock_;
  mutable std::mutex feed_mu_;
  std::shared_ptr<const Feed> feed_;  // null: no listener
  std::atomic<bool> has_feed_{false};
};

}  // namespace cocity::broker
