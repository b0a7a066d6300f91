#include "store/store.h"

namespace cocity::store {

namespace {

bool name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '_' || c == '-';
}

}  // namespace

bool valid_tenant_name(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  if (name.front() == '-' || name.front() == '_') return false;
  for (char c : name) {
    if (!name_char(c)) return false;
  }
  return true;
}

std::chrono::seconds history_retention_for(const StoreOptions& options,
                                           std::string_view tenant) {
  auto it = options.tenant_history_retention.find(tenant);
  return it != options.tenant_history_retention.end()
             ? it->second
             : options.history_retention;
}

}  // namespace cocity::store
