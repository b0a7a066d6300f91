// The SQLite-backed Store: a data directory holding one database per tenant
// ("<tenant>.db", the default tenant "" in "_default.db") and the system
// database "_system.db" (API keys). Names starting with '_' cannot be tenant
// names, so the fixed files never collide with a tenant's.
//
// Tenants found at open are opened (and their indexes rebuilt) right away;
// a new tenant's database is created on its first write (create=true).
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "store/sqlite/key_store.h"
#include "store/sqlite/sqlite_tenant.h"
#include "store/store.h"

namespace cocity::store::sqlite {

class SqliteStore final : public Store {
 public:
  static Result<std::unique_ptr<SqliteStore>> open(const StoreOptions& options);
  ~SqliteStore() override;

  Result<std::shared_ptr<TenantStore>> tenant(std::string_view tenant,
                                              bool create) override;
  // Names of the tenants with a database, sorted; "" for the default tenant.
  Result<std::vector<std::string>> tenant_names() override;
  KeyStore& keys() override;
  StoreStats stats() override;
  void close() override;

  // The file that holds `tenant` (which must be valid or "").
  std::string tenant_path(std::string_view tenant) const;

 private:
  explicit SqliteStore(const StoreOptions& options) : options_(options) {}
  Result<std::shared_ptr<SqliteTenant>> open_tenant(std::string_view tenant,
                                                    bool create);

  StoreOptions options_;
  std::unique_ptr<SqliteKeyStore> keys_;
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<SqliteTenant>, std::less<>>
      tenants_;          // guarded by mutex_
  bool closed_ = false;  // guarded by mutex_
};

}  // namespace cocity::store::sqlite
