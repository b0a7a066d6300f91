#include "server/api_keys.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>
#include <functional>
#include <mutex>
#include <unordered_map>

namespace cocity::server {

namespace {

constexpr std::string_view kPrefix = "ck_";
constexpr size_t kKeyIdHexChars = 12;
constexpr size_t kSecretBytes = 32;
constexpr size_t kKeyChars = 3 + kKeyIdHexChars + 1 + 2 * kSecretBytes;
// Bound on cached keys: a flood of distinct valid keys cannot grow memory.
constexpr size_t kMaxCachedPerShard = 4096;
constexpr size_t kCacheShards = 8;

std::string to_hex(const unsigned char* data, size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(2 * n, '0');
  for (size_t i = 0; i < n; ++i) {
    out[2 * i] = kDigits[data[i] >> 4];
    out[2 * i + 1] = kDigits[data[i] & 0xf];
  }
  return out;
}

bool is_hex(std::string_view s) {
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

Result<std::string> random_hex(size_t bytes) {
  std::array<unsigned char, 64> buf{};
  if (bytes > buf.size() ||
      RAND_bytes(buf.data(), static_cast<int>(bytes)) != 1) {
    return fail(Code::kInternal, "random generator failed");
  }
  return to_hex(buf.data(), bytes);
}

}  // namespace

Role parse_role(std::string_view role) {
  if (role == "read") return Role::kRead;
  if (role == "write") return Role::kWrite;
  if (role == "admin") return Role::kAdmin;
  return Role::kNone;
}

std::string_view role_name(Role role) {
  switch (role) {
    case Role::kRead:
      return "read";
    case Role::kWrite:
      return "write";
    case Role::kAdmin:
      return "admin";
    case Role::kNone:
      return "none";
  }
  return "none";
}

std::string hash_api_key(std::string_view key) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(key.data(), key.size(), digest, &len, EVP_sha256(), nullptr);
  return to_hex(digest, len);
}

bool well_formed_api_key(std::string_view key) {
  if (key.size() != kKeyChars || !key.starts_with(kPrefix)) return false;
  if (key[kPrefix.size() + kKeyIdHexChars] != '_') return false;
  return is_hex(key.substr(kPrefix.size(), kKeyIdHexChars)) &&
         is_hex(key.substr(kPrefix.size() + kKeyIdHexChars + 1));
}

Result<NewKey> make_api_key(std::string_view tenant, std::string_view role,
                            const Clock* clock) {
  if (parse_role(role) == Role::kNone) {
    return fail(
        Code::kBadRequestData,
        "role '" + std::string(role) + "' is not one of read, write, admin");
  }
  if (tenant != "*" && !tenant.empty() && !store::valid_tenant_name(tenant)) {
    return fail(Code::kBadRequestData,
                "tenant '" + std::string(tenant) + "' is not a valid name");
  }
  auto id = random_hex(kKeyIdHexChars / 2);
  if (!id) return std::unexpected(id.error());
  auto secret = random_hex(kSecretBytes);
  if (!secret) return std::unexpected(secret.error());
  NewKey out;
  out.key = std::string(kPrefix) + *id + "_" + *secret;
  out.record.key_id = *id;
  out.record.secret_hash = hash_api_key(out.key);
  out.record.tenant = std::string(tenant);
  out.record.role = std::string(role);
  out.record.created_at = clock->now();
  return out;
}

Status authorize(const Grant& grant, std::string_view tenant, Role needed) {
  if (grant.tenant != "*" && grant.tenant != tenant) {
    std::string shown = tenant.empty() ? "the default tenant"
                                       : "tenant '" + std::string(tenant) + "'";
    return fail(Code::kForbidden, "API key is not valid for " + shown);
  }
  if (static_cast<int>(grant.role) < static_cast<int>(needed)) {
    return fail(Code::kForbidden, "API key role '" +
                                      std::string(role_name(grant.role)) +
                                      "' is below the required role '" +
                                      std::string(role_name(needed)) + "'");
  }
  return ok();
}

// Sharded map from the full key to its grant and expiry.
class Authenticator::Cache {
 public:
  struct Entry {
    Grant grant;
    TimePoint expires;
  };

  bool get(std::string_view key, TimePoint now, Grant* out) {
    Shard& s = shard(key);
    std::lock_guard lock(s.mu);
    auto it = s.map.find(key);
    if (it == s.map.end()) return false;
    if (it->second.expires <= now) {
      s.map.erase(it);
      return false;
    }
    *out = it->second.grant;
    return true;
  }

  void put(std::string_view key, const Grant& grant, TimePoint expires) {
    Shard& s = shard(key);
    std::lock_guard lock(s.mu);
    if (s.map.size() >= kMaxCachedPerShard) s.map.clear();
    s.map.insert_or_assign(std::string(key), Entry{grant, expires});
  }

  void clear() {
    for (Shard& s : shards_) {
      std::lock_guard lock(s.mu);
      s.map.clear();
    }
  }

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const {
      return std::hash<std::string_view>()(s);
    }
  };
  struct Shard {
    std::mutex mu;
    std::unordered_map<std::string, Entry, Hash, std::equal_to<>> map;
  };
  Shard& shard(std::string_view key) {
    return shards_[std::hash<std::string_view>()(key) % kCacheShards];
  }
  std::array<Shard, kCacheShards> shards_;
};

Authenticator::Authenticator(store::KeyStore* keys, const Clock* clock,
                             std::chrono::milliseconds ttl)
    : keys_(keys),
      clock_(clock),
      ttl_(ttl),
      cache_(std::make_unique<Cache>()) {}

Authenticator::~Authenticator() = default;

void Authenticator::clear() { cache_->clear(); }

Result<Grant> Authenticator::authenticate(std::string_view key) {
  if (!well_formed_api_key(key)) {
    return fail(Code::kUnauthorized, "malformed API key");
  }
  TimePoint now = clock_->now();
  Grant grant;
  if (cache_->get(key, now, &grant)) return grant;
  if (keys_ == nullptr) return fail(Code::kUnauthorized, "unknown API key");
  auto found = keys_->find_by_hash(hash_api_key(key));
  if (!found) return std::unexpected(found.error());
  const auto& record = *found;
  if (!record || record->revoked) {
    return fail(Code::kUnauthorized, "unknown or revoked API key");
  }
  grant.key_id = record->key_id;
  grant.tenant = record->tenant;
  grant.role = parse_role(record->role);
  if (grant.role == Role::kNone) {
    return fail(Code::kUnauthorized, "API key has no valid role");
  }
  cache_->put(key, grant, now + std::chrono::duration_cast<Micros>(ttl_));
  return grant;
}

}  // namespace cocity::server
