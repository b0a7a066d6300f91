#include "store/sqlite/key_store.h"

#include <openssl/evp.h>
#include <sqlite3.h>

namespace cocity::store {

std::string sha256_hex(std::string_view secret) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(secret.data(), secret.size(), digest, &size, EVP_sha256(),
             nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (unsigned int i = 0; i < size; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 0xf]);
  }
  return out;
}

}  // namespace cocity::store

namespace cocity::store::sqlite {

namespace {

constexpr std::string_view kColumns =
    "key_id, secret_hash, tenant, role, created_at, revoked";

bool valid_hash(std::string_view hash) {
  if (hash.size() != 64) return false;
  for (char c : hash) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

Status check_key(const ApiKey& key) {
  if (key.key_id.empty() || key.key_id.size() > 64) {
    return fail(Code::kBadRequestData, "key_id must be 1-64 characters");
  }
  if (!valid_hash(key.secret_hash)) {
    return fail(Code::kBadRequestData,
                "secret_hash must be 64 lower-case hex digits (SHA-256)");
  }
  if (key.role != "read" && key.role != "write" && key.role != "admin") {
    return fail(Code::kBadRequestData,
                "role must be 'read', 'write' or 'admin'");
  }
  if (key.tenant != "*" && !key.tenant.empty() &&
      !valid_tenant_name(key.tenant)) {
    return fail(Code::kBadRequestData,
                "tenant '" + key.tenant + "' is not a valid tenant name");
  }
  return ok();
}

ApiKey read_key(const Statement& stmt) {
  ApiKey key;
  key.key_id = std::string(stmt.column_text(0));
  key.secret_hash = std::string(stmt.column_text(1));
  key.tenant = std::string(stmt.column_text(2));
  key.role = std::string(stmt.column_text(3));
  key.created_at = from_micros(stmt.column_int(4));
  key.revoked = stmt.column_int(5) != 0;
  return key;
}

Result<std::vector<ApiKey>> read_keys(Statement* stmt) {
  std::vector<ApiKey> keys;
  Result<bool> row;
  while ((row = stmt->step()) && *row) keys.push_back(read_key(*stmt));
  stmt->reset();
  if (!row) return std::unexpected(row.error());
  return keys;
}

}  // namespace

Result<std::unique_ptr<SqliteKeyStore>> SqliteKeyStore::open(
    const std::string& path) {
  auto db = Database::open(path, Database::Mode::kCreate);
  if (!db) return std::unexpected(db.error());
  std::unique_ptr<SqliteKeyStore> keys(new SqliteKeyStore());
  keys->db_ = std::move(*db);
  for (std::string_view sql :
       {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL",
        "CREATE TABLE IF NOT EXISTS api_keys(key_id TEXT PRIMARY KEY, "
        "secret_hash TEXT NOT NULL UNIQUE, tenant TEXT NOT NULL, "
        "role TEXT NOT NULL, created_at INTEGER NOT NULL, "
        "revoked INTEGER NOT NULL)"}) {
    if (auto s = keys->db_.exec(sql); !s) return std::unexpected(s.error());
  }
  return keys;
}

Status SqliteKeyStore::add(const ApiKey& key) {
  if (auto s = check_key(key); !s) return s;
  std::lock_guard lock(mutex_);
  if (db_.handle() == nullptr)
    return fail(Code::kUnavailable, "store is closed");
  auto stmt = db_.prepare("INSERT INTO api_keys(" + std::string(kColumns) +
                          ") VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  if (!stmt) return std::unexpected(stmt.error());
  stmt->bind_text(1, key.key_id);
  stmt->bind_text(2, key.secret_hash);
  stmt->bind_text(3, key.tenant);
  stmt->bind_text(4, key.role);
  stmt->bind_int(5, to_micros(key.created_at));
  stmt->bind_int(6, key.revoked ? 1 : 0);
  auto row = stmt->step();
  if (!row) {
    int code = sqlite3_extended_errcode(db_.handle());
    if (code == SQLITE_CONSTRAINT_PRIMARYKEY ||
        code == SQLITE_CONSTRAINT_UNIQUE) {
      return fail(Code::kAlreadyExists, "an API key with id '" + key.key_id +
                                            "' or that secret exists");
    }
    return std::unexpected(row.error());
  }
  return ok();
}

Result<std::optional<ApiKey>> SqliteKeyStore::find_by_hash(
    std::string_view hash) {
  std::lock_guard lock(mutex_);
  if (db_.handle() == nullptr)
    return fail(Code::kUnavailable, "store is closed");
  auto stmt = db_.prepare("SELECT " + std::string(kColumns) +
                          " FROM api_keys WHERE secret_hash = ?1");
  if (!stmt) return std::unexpected(stmt.error());
  std::string owned(hash);
  stmt->bind_text(1, owned);
  auto keys = read_keys(&*stmt);
  if (!keys) return std::unexpected(keys.error());
  if (keys->empty()) return std::optional<ApiKey>();
  return std::optional<ApiKey>(std::move(keys->front()));
}

Result<std::vector<ApiKey>> SqliteKeyStore::list() {
  std::lock_guard lock(mutex_);
  if (db_.handle() == nullptr)
    return fail(Code::kUnavailable, "store is closed");
  auto stmt = db_.prepare("SELECT " + std::string(kColumns) +
                          " FROM api_keys ORDER BY key_id");
  if (!stmt) return std::unexpected(stmt.error());
  return read_keys(&*stmt);
}

Status SqliteKeyStore::revoke(std::string_view key_id) {
  std::lock_guard lock(mutex_);
  if (db_.handle() == nullptr)
    return fail(Code::kUnavailable, "store is closed");
  auto stmt = db_.prepare("UPDATE api_keys SET revoked = 1 WHERE key_id = ?1");
  if (!stmt) return std::unexpected(stmt.error());
  std::string owned(key_id);
  stmt->bind_text(1, owned);
  if (auto s = stmt->run(); !s) return s;
  if (sqlite3_changes(db_.handle()) == 0) {
    return fail(Code::kNotFound, "no API key with id '" + owned + "'");
  }
  return ok();
}

void SqliteKeyStore::close() {
  std::lock_guard lock(mutex_);
  db_.close();
}

}  // namespace cocity::store::sqlite
