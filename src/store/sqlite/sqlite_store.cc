#include "store/sqlite/sqlite_store.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

namespace cocity::store::sqlite {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kDefaultTenantFile = "_default";
constexpr std::string_view kSystemFile = "_system.db";
constexpr std::string_view kExtension = ".db";

// The tenant a file in the data directory belongs to, or nullopt for other
// files (the system database, WAL/SHM files, anything foreign).
std::optional<std::string> tenant_of_file(const fs::path& file) {
  if (file.extension() != kExtension) return std::nullopt;
  std::string stem = file.stem().string();
  if (stem == kDefaultTenantFile) return std::string();
  if (!valid_tenant_name(stem)) return std::nullopt;
  return stem;
}

}  // namespace

Result<std::unique_ptr<SqliteStore>> SqliteStore::open(
    const StoreOptions& options) {
  if (options.data_dir.empty()) {
    return fail(Code::kInvalidRequest, "store data directory is not set");
  }
  std::error_code ec;
  fs::create_directories(options.data_dir, ec);
  if (ec) {
    return fail(Code::kInternal, "cannot create data directory " +
                                     options.data_dir + ": " + ec.message());
  }
  std::unique_ptr<SqliteStore> store(new SqliteStore(options));
  auto keys =
      SqliteKeyStore::open((fs::path(options.data_dir) / kSystemFile).string());
  if (!keys) return std::unexpected(keys.error());
  store->keys_ = std::move(*keys);
  auto names = store->tenant_names();
  if (!names) return std::unexpected(names.error());
  for (const auto& name : *names) {
    auto tenant = store->tenant(name, false);
    if (!tenant) return std::unexpected(tenant.error());
  }
  return store;
}

SqliteStore::~SqliteStore() { close(); }

std::string SqliteStore::tenant_path(std::string_view tenant) const {
  std::string file(tenant.empty() ? kDefaultTenantFile : tenant);
  file += kExtension;
  return (fs::path(options_.data_dir) / file).string();
}

Result<std::shared_ptr<TenantStore>> SqliteStore::tenant(
    std::string_view tenant, bool create) {
  if (!tenant.empty() && !valid_tenant_name(tenant)) {
    return fail(Code::kBadRequestData,
                "tenant name must be 1-64 characters of [A-Za-z0-9_-], not "
                "starting with '-' or '_'");
  }
  std::lock_guard lock(mutex_);
  if (closed_) return fail(Code::kUnavailable, "store is closed");
  auto found = tenants_.find(tenant);
  if (found != tenants_.end()) return found->second;
  auto opened = open_tenant(tenant, create);
  if (!opened) return std::unexpected(opened.error());
  tenants_.emplace(std::string(tenant), *opened);
  return std::shared_ptr<TenantStore>(*opened);
}

// REQUIRES: mutex_ held.
Result<std::shared_ptr<SqliteTenant>> SqliteStore::open_tenant(
    std::string_view tenant, bool create) {
  std::string path = tenant_path(tenant);
  if (!create && !fs::exists(path)) {
    return fail(Code::kNonexistentTenant,
                "tenant '" + std::string(tenant) + "' does not exist");
  }
  StoreOptions options = options_;  // with the tenant's own retention
  options.history_retention = history_retention_for(options_, tenant);
  return SqliteTenant::open(path, create, options);
}

Result<std::vector<std::string>> SqliteStore::tenant_names() {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(options_.data_dir, ec)) {
    if (!entry.is_regular_file()) continue;
    if (auto name = tenant_of_file(entry.path())) names.push_back(*name);
  }
  if (ec) {
    return fail(Code::kInternal, "cannot list data directory " +
                                     options_.data_dir + ": " + ec.message());
  }
  std::sort(names.begin(), names.end());
  return names;
}

KeyStore& SqliteStore::keys() { return *keys_; }

StoreStats SqliteStore::stats() {
  StoreStats stats;
  std::lock_guard lock(mutex_);
  for (const auto& [name, tenant] : tenants_) tenant->add_stats(&stats);
  return stats;
}

void SqliteStore::close() {
  std::map<std::string, std::shared_ptr<SqliteTenant>, std::less<>> tenants;
  {
    std::lock_guard lock(mutex_);
    if (closed_) return;
    closed_ = true;
    tenants.swap(tenants_);
  }
  for (auto& [name, tenant] : tenants) tenant->close();
  if (keys_) keys_->close();
}

}  // namespace cocity::store::sqlite

namespace cocity::store {

Result<std::unique_ptr<Store>> open_sqlite_store(const StoreOptions& options) {
  auto store = sqlite::SqliteStore::open(options);
  if (!store) return std::unexpected(store.error());
  return std::unique_ptr<Store>(std::move(*store));
}

}  // namespace cocity::store
