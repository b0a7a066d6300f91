// Durable NGSI-LD subscriptions, their status fields and the notifications
// waiting for delivery, behind one narrow interface (store/ is the only
// place that speaks SQL).
//
// The notifier (broker/notifier.h) keeps subscriptions in memory and writes
// through this store: definitions on create/update/delete, status fields
// now and then, and each notification before it is queued for delivery
// ("pending"), removing it once delivered or given up. After a restart the
// pending ones are read back and sent again: delivery is at-least-once for
// every notification that reached this store.
//
// Thread-safe: every method may be called from any thread (one internal
// lock; calls are short).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/time.h"

namespace cocity::store {

struct SubscriptionRecord {
  std::string tenant;
  std::string id;
  // The definition as the notifier serialises it (opaque JSON text here).
  std::string definition;
  uint64_t times_sent = 0;
  uint64_t times_failed = 0;
  std::optional<TimePoint> last_notification;
  std::optional<TimePoint> last_success;
  std::optional<TimePoint> last_failure;
};

struct PendingNotification {
  int64_t seq = 0;  // assigned by add_pending, increasing
  std::string tenant;
  std::string subscription_id;
  std::string body;  // the notification, JSON text
  TimePoint queued_at{};
};

class SubscriptionStore {
 public:
  virtual ~SubscriptionStore() = default;

  // Inserts or replaces the record (definition and status) of
  // (tenant, id).
  virtual Status put(const SubscriptionRecord& record) = 0;
  // Removes the subscription and its pending notifications; kNotFound when
  // it does not exist.
  virtual Status remove(const std::string& tenant, const std::string& id) = 0;
  // Every subscription, ordered by tenant, then id.
  virtual Result<std::vector<SubscriptionRecord>> list() = 0;
  // Updates only the status fields of the records that still exist.
  virtual Status save_status(
      const std::vector<SubscriptionRecord>& records) = 0;

  // Appends notifications in one transaction and sets their seq.
  virtual Status add_pending(std::vector<PendingNotification>* items) = 0;
  // Removes delivered (or abandoned) notifications; unknown seqs are
  // ignored.
  virtual Status remove_pending(const std::vector<int64_t>& seqs) = 0;
  // Every pending notification in seq order.
  virtual Result<std::vector<PendingNotification>> pending() = 0;
};

// Opens (creating if needed) the SQLite file at `path` (WAL,
// synchronous=NORMAL: survives a killed process; a power loss may lose the
// last transactions).
Result<std::unique_ptr<SubscriptionStore>> open_sqlite_subscription_store(
    const std::string& path);

}  // namespace cocity::store
