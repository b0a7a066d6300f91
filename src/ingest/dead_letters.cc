#include "ingest/dead_letters.h"

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

void DeadLetters::add(const std::string& tenant, TimePoint at,
                      std::string source, std::string reason,
                      std::string_view payload) {
  DeadLetter d{at, std::move(source), std::move(reason), "", false};
  d.payload = excerpt(payload, &d.truncated);
  std::lock_guard lock(mu_);
  auto it = rings_.find(tenant);
  if (it == rings_.end()) {
    const std::string& key = rings_.size() < max_tenants_ ? tenant : "";
    it = rings_.try_emplace(key).first;
  }
  if (it->second.size() == per_tenant_) it->second.pop_front();
  it->second.push_back(std::move(d));
}

std::vector<DeadLetter> DeadLetters::list(const std::string& tenant,
                                          size_t limit) const {
  std::lock_guard lock(mu_);
  std::vector<DeadLetter> out;
  auto it = rings_.find(tenant);
  if (it == rings_.end()) return out;
  for (auto r = it->second.rbegin();
       r != it->second.rend() && out.size() < limit; ++r) {
    out.push_back(*r);
  }
  return out;
}

size_t DeadLetters::size(const std::string& tenant) const {
  std::lock_guard lock(mu_);
  auto it = rings_.find(tenant);
  return it == rings_.end() ? 0 : it->second.size();
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
