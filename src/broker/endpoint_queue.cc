#include "broker/endpoint_queue.h"

#include <algorithm>

namespace cocity::broker {

EndpointQueue::EndpointQueue(std::unique_ptr<NotificationSender> sender,
                             DeliveryOptions options,
                             OutcomeCallback on_outcome)
    : sender_(std::move(sender)),
      options_(options),
      on_outcome_(std::move(on_outcome)) {
  thread_ = std::thread([this] { run(); });
}

EndpointQueue::~EndpointQueue() { stop(); }

void EndpointQueue::push(QueuedNotification n) {
  std::optional<QueuedNotification> dropped;
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    if (queue_.size() >= options_.capacity && !queue_.empty()) {
      dropped = std::move(queue_.front());
      queue_.pop_front();
    }
    queue_.push_back(std::move(n));
  }
  cv_.notify_one();
  if (dropped) {
    on_outcome_(DeliveryOutcome{&*dropped, false, true,
                                "the endpoint's queue was full"});
  }
}

void EndpointQueue::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

size_t EndpointQueue::size() const {
  std::lock_guard lock(mu_);
  return queue_.size();
}

bool EndpointQueue::circuit_open() const {
  std::lock_guard lock(mu_);
  return circuit_open_;
}

bool EndpointQueue::sleep_for(std::chrono::milliseconds d) {
  std::unique_lock lock(mu_);
  cv_.wait_for(lock, d, [this] { return stopping_; });
  return !stopping_;
}

void EndpointQueue::run() {
  for (;;) {
    QueuedNotification n;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      n = std::move(queue_.front());
      queue_.pop_front();
    }
    deliver(n);
  }
}

void EndpointQueue::deliver(QueuedNotification& n) {
  auto backoff = options_.initial_backoff;
  for (;;) {
    Status s = sender_->send(n.sub->endpoint, n.message);
    if (s) {
      {
        std::lock_guard lock(mu_);
        circuit_open_ = false;
      }
      on_outcome_(DeliveryOutcome{&n, true, true, {}});
      return;
    }
    bool too_old = std::chrono::steady_clock::now() - n.queued_at + backoff >
                   options_.max_age;
    {
      std::lock_guard lock(mu_);
      circuit_open_ = true;
    }
    on_outcome_(DeliveryOutcome{&n, false, too_old, s.error().detail});
    if (too_old) return;
    if (!sleep_for(backoff)) {
      // Stopping: put it back so that stop() leaves it pending.
      std::lock_guard lock(mu_);
      queue_.push_front(std::move(n));
      return;
    }
    backoff = std::min(backoff * 2, options_.max_backoff);
  }
}

}  // namespace cocity::broker
