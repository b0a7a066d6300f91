// One endpoint's delivery queue: bounded, served by its own thread, with
// retries, exponential backoff and a circuit breaker.
//
// The notifier keeps one EndpointQueue per endpoint address (scheme, host,
// port), so a slow or dead receiver only ever holds up its own queue.
// Notifications to one endpoint are sent in order, one at a time.
//
// Retries: a failed send is retried after a backoff that starts at
// `initial_backoff` and doubles up to `max_backoff`, for as long as the
// notification is younger than `max_age`; then it is given up (reported
// as failed). While the endpoint fails (the circuit is open) new
// notifications wait behind the one being retried instead of each paying a
// timeout. When the queue is full the oldest waiting notification is given
// up to make room.
//
// Thread-safe. Outcomes are reported through the callback given at
// construction, on the queue's thread (or on the pushing thread for a
// notification dropped by push()); it must be quick and must not call
// stop().
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "broker/notification_sender.h"
#include "broker/subscription.h"

namespace cocity::broker {

struct DeliveryOptions {
  size_t capacity = 10000;  // notifications waiting per endpoint
  std::chrono::milliseconds timeout{5000};                    // per send
  std::chrono::milliseconds initial_backoff{200};             // first retry
  std::chrono::milliseconds max_backoff{30000};               // retry cap
  std::chrono::milliseconds max_age{std::chrono::hours(24)};  // then give up
};

struct QueuedNotification {
  int64_t seq = 0;  // in the subscription store's pending table (0: none)
  std::shared_ptr<const Subscription> sub;
  OutgoingNotification message;
  std::chrono::steady_clock::time_point queued_at{};
};

struct DeliveryOutcome {
  const QueuedNotification* notification = nullptr;
  bool delivered = false;  // false: this attempt failed
  bool final = false;      // delivered, or given up (no more attempts)
  std::string error;       // why the attempt failed
};

class EndpointQueue {
 public:
  using OutcomeCallback = std::function<void(const DeliveryOutcome&)>;

  EndpointQueue(std::unique_ptr<NotificationSender> sender,
                DeliveryOptions options, OutcomeCallback on_outcome);
  ~EndpointQueue();  // stop()
  EndpointQueue(const EndpointQueue&) = delete;
  EndpointQueue& operator=(const EndpointQueue&) = delete;

  // Queues `n`; when the queue is full, the oldest waiting notification is
  // given up (reported as final and failed).
  void push(QueuedNotification n);

  // Stops the thread after the current attempt; notifications still queued
  // are neither sent nor reported (they stay pending in the store).
  void stop();

  size_t size() const;
  bool circuit_open() const;

 private:
  void run();
  void deliver(QueuedNotification& n);
  // Sleeps up to `d`; false when stopped meanwhile.
  bool sleep_for(std::chrono::milliseconds d);

  std::unique_ptr<NotificationSender> sender_;
  DeliveryOptions options_;
  OutcomeCallback on_outcome_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<QueuedNotification> queue_;
  bool stopping_ = false;
  bool circuit_open_ = false;
  std::thread thread_;
};

}  // namespace cocity::broker
