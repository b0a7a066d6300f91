// API keys: creation, hashing, and resolving a Bearer key to a principal.
//
// Key format: "ck_<key id>_<secret>": 12 lower-case hex characters of key id
// and 64 lower-case hex characters (32 bytes from OpenSSL RAND_bytes) of
// secret. Only SHA-256 (lower-case hex) of the whole key string is stored
// (store::ApiKey::secret_hash); the key itself is shown once, at creation.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "core/error.h"
#include "core/time.h"
#include "server/http.h"
#include "store/store.h"

namespace cocity::server {

struct NewKey {
  std::string key;       // the full key, to show the user once
  store::ApiKey record;  // what to store: id, hash, tenant, role, created_at
};

// Makes a key for `tenant` ("*": every tenant; "" the default tenant) and
// `role` ("read", "write" or "admin"). kBadRequestData for an unknown role
// or an invalid tenant name; kInternal if the random generator fails.
Result<NewKey> make_api_key(std::string_view tenant, std::string_view role,
                            const Clock* clock = Clock::system());

// Lower-case hex SHA-256 of `key`.
std::string hash_api_key(std::string_view key);

// Whether `key` has the shape of a cocity key (checked before any lookup).
bool well_formed_api_key(std::string_view key);

// "read" -> kRead, ...; kNone for anything else.
Role parse_role(std::string_view role);
std::string_view role_name(Role role);

// What a valid key grants.
struct Grant {
  std::string key_id;
  std::string tenant;  // "*" for every tenant
  Role role = Role::kNone;
};

// Whether `grant` lets its holder act on `tenant` with at least `needed`.
// kForbidden naming the tenant or the role otherwise.
Status authorize(const Grant& grant, std::string_view tenant, Role needed);

// Resolves keys through a KeyStore, caching what it found for `ttl` so that
// the request path rarely touches the store, and a revocation takes effect
// within `ttl`. Unknown keys are not cached (a key created a moment ago
// works at once).
//
// Thread-safe. `keys` and `clock` must outlive the authenticator.
class Authenticator {
 public:
  Authenticator(store::KeyStore* keys, const Clock* clock = Clock::system(),
                std::chrono::milliseconds ttl = std::chrono::seconds(2));
  ~Authenticator();
  Authenticator(const Authenticator&) = delete;
  Authenticator& operator=(const Authenticator&) = delete;

  // kUnauthorized for a malformed, unknown or revoked key; kUnavailable or
  // kInternal when the store fails.
  Result<Grant> authenticate(std::string_view key);

  // Drops every cached entry (after `cocity key revoke` in-process).
  void clear();

 private:
  class Cache;
  store::KeyStore* keys_;
  const Clock* clock_;
  std::chrono::milliseconds ttl_;
  std::unique_ptr<Cache> cache_;
};

}  // namespace cocity::server
