// CocreationStore on SQLite: one database per tenant under
// <data_dir>/cocreation/, opened on first use (WAL, synchronous=FULL).
//
// Each tenant's database is one connection behind a mutex; every public
// method runs as one transaction (BEGIN IMMEDIATE ... COMMIT) or a single
// statement. Co-creation traffic is small (a survey answer per request), so
// one connection per tenant is enough.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "store/cocreation_store.h"

namespace cocity::store::sqlite {

class SqliteCocreationStores final : public CocreationStores {
 public:
  explicit SqliteCocreationStores(std::string data_dir);

  Result<std::shared_ptr<CocreationStore>> tenant(std::string_view tenant,
                                                  bool create) override;
  Result<std::vector<std::string>> list_tenants() override;

 private:
  std::string dir_;
  std::mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<CocreationStore>> tenants_;
};

// Opens (creating if needed) one tenant's database at `path`.
Result<std::shared_ptr<CocreationStore>> open_cocreation_db(
    const std::string& path);

}  // namespace cocity::store::sqlite
