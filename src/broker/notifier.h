// The notifier: NGSI-LD subscriptions of every tenant and the delivery of
// their notifications (ETSI GS CIM 009 v1.8, 5.8 and 5.11).
//
// It listens to the broker's change feed (broker.h). The feed hands over
// committed changes on the store's callback thread; the notifier only queues
// them there. Its dispatcher thread matches them against the tenant's
// subscriptions (subscription_matcher.h), applies throttling, renders one
// notification per subscription and write (notification.h), writes the
// notifications to the subscription store as pending and queues each on its
// endpoint's EndpointQueue (one thread per endpoint address: a slow or dead
// receiver never delays another). Periodic subscriptions (timeInterval) are
// served by the dispatcher too, from the broker's current state.
//
// Durability: subscriptions are written to the SubscriptionStore before an
// API call returns. A notification is pending in the store from before its
// first attempt until it was delivered or given up (removal is batched),
// so after a restart (clean or kill -9) every pending notification is sent
// again: at-least-once. Lost in a crash: changes committed in the last
// moments whose notifications were not yet written as pending (the
// dispatcher writes them within milliseconds), and status fields changed
// since the last flush (every `status_flush`).
//
// In-process listeners (for the apps) get matching ChangeEvents on the
// dispatcher thread; they must be quick (hand work to their own thread).
//
// Thread-safe. close() (or the destructor) detaches from the broker.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "broker/broker.h"
#include "broker/endpoint_queue.h"
#include "broker/notification_sender.h"
#include "broker/subscription.h"
#include "core/error.h"
#include "core/json.h"
#include "ngsi/context.h"
#include "store/subscription_store.h"

namespace cocity::broker {

// Rebuilds a subscription's @context from its stored JSON (the server's
// inline-context resolver). null stands for the core context.
using ContextResolver =
    std::function<Result<std::shared_ptr<const ngsi::Context>>(
        const json::value& context_json)>;

struct NotifierOptions {
  DeliveryOptions delivery;
  // Empty: default_sender_factory(delivery.timeout, extra_ca_file).
  SenderFactory sender_factory;
  // PEM certificates trusted for https endpoints besides the system's.
  std::string extra_ca_file;
  // Empty: only the core context (null context_json) can be rebuilt; other
  // stored contexts fall back to the core context.
  ContextResolver resolve_context;
  const Clock* clock = Clock::system();
  std::chrono::milliseconds status_flush{1000};
  // Changes waiting for the dispatcher; beyond this, changes are dropped
  // (and counted) rather than slowing the store's writer.
  size_t max_waiting_changes = 200000;
};

struct NotifierStats {
  uint64_t subscriptions = 0;
  uint64_t notifications_queued = 0;     // since start
  uint64_t notifications_delivered = 0;  // since start
  uint64_t notifications_failed = 0;     // given up since start
  uint64_t attempts_failed = 0;          // failed attempts since start
  uint64_t changes_dropped = 0;          // dispatcher overloaded
  uint64_t waiting = 0;                  // in endpoint queues now
};

// What an in-process listener wants. Empty lists mean any.
struct ListenerFilter {
  std::vector<std::string> types;          // expanded IRIs
  std::vector<std::string> watched_attrs;  // expanded IRIs
  unsigned triggers = kEntityCreated | kEntityUpdated | kEntityDeleted;
  std::shared_ptr<const ngsi::Query> q;  // null: no q
};
using Listener = std::function<void(const ChangeEvent&)>;

class Notifier {
 public:
  // Loads subscriptions and pending notifications from `store` (which must
  // outlive the notifier), starts delivering the pending ones and attaches
  // to `broker`'s change feed. `broker` must outlive the notifier.
  static Result<std::unique_ptr<Notifier>> open(
      Broker* broker, std::unique_ptr<store::SubscriptionStore> store,
      NotifierOptions options);
  ~Notifier();
  Notifier(const Notifier&) = delete;
  Notifier& operator=(const Notifier&) = delete;

  // Creates a subscription from its JSON (already stripped of nothing:
  // "@context" is ignored here; `context_json` and `ctx` are the request's
  // context). Returns the id. kBadRequestData naming the member;
  // kAlreadyExists for a taken id.
  Result<std::string> create(const std::string& tenant, json::object body,
                             json::value context_json,
                             std::shared_ptr<const ngsi::Context> ctx);
  // The subscription as JSON with its status, its names compacted with
  // `names` (null: as written); kNotFound.
  Result<json::object> get(const std::string& tenant, const std::string& id,
                           const ngsi::Context* names = nullptr) const;
  struct ListPage {
    std::vector<json::object> items;  // ordered by id
    uint64_t total = 0;
  };
  ListPage list(const std::string& tenant, uint64_t offset, uint64_t limit,
                const ngsi::Context* names = nullptr) const;
  // Merges `patch` into the subscription (see patch_source); kNotFound,
  // kBadRequestData.
  Status update(const std::string& tenant, const std::string& id,
                const json::object& patch);
  // Deletes the subscription and its pending notifications; kNotFound.
  Status remove(const std::string& tenant, const std::string& id);

  // In-process listeners; the id is for remove_listener.
  uint64_t add_listener(const std::string& tenant, ListenerFilter filter,
                        Listener listener);
  void remove_listener(uint64_t id);

  NotifierStats stats() const;

  // Detaches from the broker, stops the dispatcher and the endpoint
  // queues, flushes status fields. Notifications not yet delivered stay
  // pending. Idempotent.
  void close();

 private:
  struct SubState {
    std::shared_ptr<const Subscription> sub;  // replaced on update
    SubscriptionStatus status;
    bool dirty = false;  // status changed since the last flush
    // Used by the dispatcher thread only.
    std::optional<TimePoint> last_fired;
    std::optional<TimePoint> next_due;  // periodic subscriptions
  };
  struct ListenerEntry {
    uint64_t id = 0;
    std::string tenant;
    Subscription filter;
    Listener listener;
  };
  using SubMap = std::map<std::string, std::shared_ptr<SubState>>;

  Notifier(Broker* broker, std::unique_ptr<store::SubscriptionStore> store,
           NotifierOptions options);
  Status load();
  Result<std::shared_ptr<const Subscription>> rebuild(
      const store::SubscriptionRecord& record) const;
  Status persist(const Subscription& sub, const SubscriptionStatus& status);

  // Change feed side (the store's callback thread).
  bool wants(const std::string& tenant);
  void on_changes(std::vector<ChangeEvent> events);

  // Dispatcher thread (notifier_dispatch.cc).
  void dispatch_loop();
  void dispatch(const std::vector<ChangeEvent>& events);
  void run_periodic(TimePoint now);
  std::chrono::steady_clock::time_point next_periodic_due(TimePoint now);
  void enqueue(std::vector<QueuedNotification> batch);
  // Removes finished pending rows; with save_status, writes dirty status
  // fields too.
  void flush(bool save_status);
  // The status of subscriptions changed since the last call. REQUIRES: mu_.
  std::vector<store::SubscriptionRecord> dirty_records();
  EndpointQueue& queue_for(const Endpoint& endpoint);
  void on_outcome(const DeliveryOutcome& outcome);

  // What the broker's change listener calls through: close() clears
  // `target`, so a write still in flight after close() reaches nobody.
  struct Gate {
    std::mutex mu;
    Notifier* target = nullptr;
  };

  Broker* broker_;
  std::shared_ptr<Gate> gate_;
  std::unique_ptr<store::SubscriptionStore> store_;
  NotifierOptions options_;

  mutable std::mutex mu_;  // guards the members below, up to events_
  std::map<std::string, SubMap> subs_;  // tenant -> id -> state
  std::vector<std::shared_ptr<ListenerEntry>> listeners_;
  uint64_t next_listener_id_ = 1;
  std::vector<int64_t> finished_seqs_;  // pending rows to remove
  std::atomic<size_t> feed_users_{0};   // subscriptions + listeners

  std::mutex events_mu_;
  std::condition_variable events_cv_;
  std::deque<std::vector<ChangeEvent>> events_;
  size_t waiting_changes_ = 0;
  bool stopping_ = false;
  bool closed_ = false;

  mutable std::mutex queues_mu_;
  std::map<std::string, std::unique_ptr<EndpointQueue>> queues_;

  std::atomic<uint64_t> queued_{0}, delivered_{0}, failed_{0},
      attempts_failed_{0}, dropped_{0};
  std::thread dispatcher_;
};

}  // namespace cocity::broker
