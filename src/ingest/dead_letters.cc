#include "ingest/dead_letters.h"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace cocity::ingest {

namespace {

bool printable(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u >= 0x20 || c == '\n' || c == '\r' || c == '\t';
  });
}

std::string excerpt(std::string_view payload, bool* truncated) {
  *truncated = payload.size() > DeadLetters::kExcerptBytes;
  std::string_view head = payload.substr(0, DeadLetters::kExcerptBytes);
  if (printable(head)) return std::string(head);
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex = "hex:";
  for (unsigned char c : head) {
    hex.push_back(kDigits[c >> 4]);
    hex.push_back(kDigits[c & 15]);
  }
  return hex;
}

}  // namespace

DeadLetters::DeadLetters(size_t per_tenant, size_t max_tenants)
    : per_tenant_(std::max<size_t>(per_tenant, 1)),
      max_tenants_(std::max<size_t>(max_tenants, 1)) {}

Status DeadLetters::attach(std::unique_ptr<store::DeadLetterStore> store) {
  auto tenants = store->tenants();
  if (!tenants) return std::unexpected(tenants.error());
  std::lock_guard lock(mu_);
  tenants_.insert(tenants->begin(), tenants->end());
  store_ = std::move(store);
  return ok();
}

const std::string& DeadLetters::ring_of(const std::string& tenant) {
  static const std::string kDefaultTenant;
  if (tenants_.contains(tenant)) return tenant;
  if (tenants_.size() >= max_tenants_) return kDefaultTenant;
  tenants_.insert(tenant);
  return tenant;
}

void DeadLetters::store_failed(const Error& e) {
  spdlog::warn(
      "ingest: the dead-letter store failed ({}); keeping dead "
      "letters in memory from now on",
      e.detail);
  store_.reset();
}

void DeadLetters::add(const std::string& tenant, TimePoint at,
                      std::string source, std::string reason,
                      std::string_view payload) {
  DeadLetter d{at, std::move(source), std::move(reason), "", false};
  d.payload = excerpt(payload, &d.truncated);
  std::lock_guard lock(mu_);
  const std::string& key = ring_of(tenant);
  if (store_) {
    auto s = store_->add(
        key, {d.received_at, d.source, d.reason, d.payload, d.truncated});
    if (s) return;
    store_failed(s.error());
  }
  auto& ring = rings_[key];
  if (ring.size() == per_tenant_) ring.pop_front();
  ring.push_back(std::move(d));
}

std::vector<DeadLetter> DeadLetters::list(const std::string& tenant,
                                          size_t limit) const {
  std::lock_guard lock(mu_);
  std::vector<DeadLetter> out;
  if (store_) {
    auto rows = store_->list(tenant, std::min(limit, per_tenant_));
    if (rows) {
      for (auto& r : *rows) {
        out.push_back({r.received_at, std::move(r.source), std::move(r.reason),
                       std::move(r.payload), r.truncated});
      }
      return out;
    }
    spdlog::warn("ingest: cannot read dead letters: {}", rows.error().detail);
  }
  auto it = rings_.find(tenant);
  if (it == rings_.end()) return out;
  for (auto r = it->second.rbegin();
       r != it->second.rend() && out.size() < limit; ++r) {
    out.push_back(*r);
  }
  return out;
}

size_t DeadLetters::size(const std::string& tenant) const {
  return list(tenant, per_tenant_).size();
}

json::object dead_letter_to_json(const DeadLetter& d) {
  json::object o;
  o["receivedAt"] = format_iso_time(d.received_at);
  o["source"] = d.source;
  o["reason"] = d.reason;
  o["payload"] = d.payload;
  if (d.truncated) o["payloadTruncated"] = true;
  return o;
}

}  // namespace cocity::ingest
