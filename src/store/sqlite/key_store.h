// KeyStore in the data directory's system database (_system.db), and the
// hash that is stored instead of a key's secret.
//
// Table: api_keys(key_id TEXT PRIMARY KEY, secret_hash TEXT UNIQUE, tenant,
// role, created_at INTEGER microseconds, revoked INTEGER). Secrets are never
// stored; callers hash them with sha256_hex() first.
//
// Thread-safe (one connection behind a mutex; key operations are rare and
// find_by_hash is a primary-key lookup).
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "store/sqlite/sqlite_db.h"
#include "store/store.h"

namespace cocity::store {

// Lower-case hex SHA-256 of `secret` (64 characters).
std::string sha256_hex(std::string_view secret);

}  // namespace cocity::store

namespace cocity::store::sqlite {

class SqliteKeyStore final : public KeyStore {
 public:
  // Opens or creates the system database at `path`.
  static Result<std::unique_ptr<SqliteKeyStore>> open(const std::string& path);

  // kBadRequestData for a malformed key (hash not 64 hex digits, unknown
  // role, empty id, tenant neither "*", "" nor a valid name);
  // kAlreadyExists when the key id or the hash is taken.
  Status add(const ApiKey& key) override;
  Result<std::optional<ApiKey>> find_by_hash(std::string_view hash) override;
  Result<std::vector<ApiKey>> list() override;
  Status revoke(std::string_view key_id) override;

  void close();

 private:
  SqliteKeyStore() = default;

  std::mutex mutex_;
  Database db_;  // guarded by mutex_
};

}  // namespace cocity::store::sqlite
