// An in-memory KeyStore for server tests, counting lookups.
#pragma once

#include <atomic>
#include <mutex>
#include <vector>

#include "store/store.h"

namespace cocity::server {

class FakeKeyStore : public store::KeyStore {
 public:
  Status add(const store::ApiKey& key) override {
    std::lock_guard lock(mu_);
    keys_.push_back(key);
    return ok();
  }
  Result<std::optional<store::ApiKey>> find_by_hash(
      std::string_view hash) override {
    lookups.fetch_add(1);
    std::lock_guard lock(mu_);
    if (fail_lookups) return fail(Code::kUnavailable, "store down");
    for (const auto& k : keys_) {
      if (k.secret_hash == hash) return k;
    }
    return std::optional<store::ApiKey>();
  }
  Result<std::vector<store::ApiKey>> list() override {
    std::lock_guard lock(mu_);
    return keys_;
  }
  Status revoke(std::string_view key_id) override {
    std::lock_guard lock(mu_);
    for (auto& k : keys_) {
      if (k.key_id == key_id) {
        k.revoked = true;
        return ok();
      }
    }
    return fail(Code::kNotFound, "no key " + std::string(key_id));
  }

  std::atomic<int> lookups{0};
  bool fail_lookups = false;  // set before use

 private:
  std::mutex mu_;
  std::vector<store::ApiKey> keys_;
};

// A clock tests move by hand.
class FakeClock : public Clock {
 public:
  TimePoint now() const override { return now_.load(); }
  void advance(std::chrono::milliseconds d) {
    now_.store(now_.load() + std::chrono::duration_cast<Micros>(d));
  }

 private:
  std::atomic<TimePoint> now_{from_micros(1'700'000'000'000'000)};
};

}  // namespace cocity::server
