// Bad messages kept for inspection: a bounded ring per tenant, durable
// when a store is attached.
//
// Every message ingestion rejects (wrong topic, unknown device, malformed
// JSON or bytes, out-of-range values, a failed store write) is added here
// with the reason and an excerpt of its payload, and is readable over
// GET /api/v1/deadletters. Each tenant keeps its newest `per_tenant`
// letters; the oldest is dropped when full. At most `max_tenants` rings
// exist: letters for further tenants (the tenant level of a topic is
// chosen by whoever publishes) go to the default tenant's ring, as do
// letters whose tenant is unknown (an unregistered DevEUI).
//
// With a store attached (store/dead_letter_store.h; `cocity serve` keeps
// <data-dir>/deadletters.db) the letters survive restarts and add() is
// durable when it returns; without one they live in memory. A store that
// fails is logged and memory takes over. Thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "core/time.h"
#include "store/dead_letter_store.h"

namespace cocity::ingest {

struct DeadLetter {
  TimePoint received_at{};
  std::string source;   // "mqtt:<topic>", "http:tts", "http:chirpstack", ...
  std::string reason;   // the error detail
  std::string payload;  // first kExcerptBytes; binary as hex
  bool truncated = false;
};

class DeadLetters {
 public:
  static constexpr size_t kExcerptBytes = 512;

  explicit DeadLetters(size_t per_tenant = 1000, size_t max_tenants = 256);

  // Keeps the letters in `store` from now on (its tenants count against
  // max_tenants). kInternal when the store cannot be read.
  Status attach(std::unique_ptr<store::DeadLetterStore> store);

  void add(const std::string& tenant, TimePoint at, std::string source,
           std::string reason, std::string_view payload);

  // Newest first, at most `limit`.
  std::vector<DeadLetter> list(const std::string& tenant, size_t limit) const;
  size_t size(const std::string& tenant) const;

 private:
  const std::string& ring_of(const std::string& tenant);  // REQUIRES: mu_
  void store_failed(const Error& e);                      // REQUIRES: mu_

  size_t per_tenant_;
  size_t max_tenants_;
  mutable std::mutex mu_;
  std::unique_ptr<store::DeadLetterStore> store_;  // null: memory only
  std::set<std::string> tenants_;                  // with letters
  std::map<std::string, std::deque<DeadLetter>> rings_;
};

json::object dead_letter_to_json(const DeadLetter& letter);

}  // namespace cocity::ingest
