// Group commit for ingestion: many entity updates -> few broker writes.
//
// push() queues an Update (an NGSI-LD fragment upserted into one entity);
// one thread drains the queue, groups what it took by tenant and by entity
// and issues one broker.write per tenant holding one WriteOp per entity,
// whose mutation merges that entity's fragments in arrival order (one row
// upsert, one history entry per attribute instance of every fragment). It
// does not wait for the commit before taking the next batch: the store
// pipelines and group-commits concurrent writes itself.
//
// Backpressure: at most `max_pending` updates are queued or not yet
// durable. push(block=true) waits for room (the MQTT thread then stops
// reading, and TCP flow control pushes back on the broker); with
// block=false it fails with kUnavailable instead (webhooks answer 503).
//
// Each update's `done` runs once, after its commit is durable or with the
// error (a fragment the merge refused, a failed commit), on the store's
// callback thread (store.h); it must be quick. Thread-safe. The destructor
// waits until every pushed update is durable or failed.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "broker/broker.h"
#include "core/error.h"
#include "core/time.h"
#include "ingest/ingest_stats.h"
#include "ngsi/entity_parser.h"

namespace cocity::ingest {

struct Update {
  std::string tenant;
  ngsi::Fragment fragment;           // id and types set (an upsert may create)
  TimePoint now{};                   // system time of the fragment's parse
  std::function<void(Status)> done;  // optional
};

struct BatcherOptions {
  size_t max_batch = 10000;    // updates taken per round
  size_t max_pending = 50000;  // queued + waiting for their commit
  // When fewer than max_batch / 4 updates are queued, wait this long for
  // more before submitting (adds at most this much latency).
  std::chrono::microseconds linger{2000};
};

class WriteBatcher {
 public:
  // `broker` and `stats` must outlive the batcher.
  WriteBatcher(broker::Broker* broker, IngestStats* stats,
               BatcherOptions options = {});
  ~WriteBatcher();
  WriteBatcher(const WriteBatcher&) = delete;
  WriteBatcher& operator=(const WriteBatcher&) = delete;

  // kUnavailable when full and !block, or after shutdown began.
  Status push(Update update, bool block);

  // Blocks until every update pushed so far is durable or failed.
  void drain();

  // Submits what is queued now instead of lingering for more (the MQTT
  // client calls it before it waits for the commits it acknowledges).
  void flush();

 private:
  void run();
  void submit(std::deque<Update> batch);
  void finished(size_t n);

  broker::Broker* broker_;
  IngestStats* stats_;
  BatcherOptions options_;

  std::mutex mu_;
  std::condition_variable work_;  // queue non-empty or stopping
  std::condition_variable room_;  // pending dropped
  std::deque<Update> queue_;
  size_t pending_ = 0;  // queued + in flight
  bool stopping_ = false;
  bool flush_ = false;  // cut the current linger short
  std::thread thread_;
};

}  // namespace cocity::ingest
