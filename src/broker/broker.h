// The broker: the one door through which NGSI-LD writes and reads reach the
// store, per tenant.
//
// It resolves tenants (writes create a tenant's database on first use,
// reads of an unknown tenant are kNonexistentTenant), submits mutations
// built from broker/entity_ops.h, and is where committed changes will fan
// out to subscriptions. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/time.h"
#include "ngsi/entity.h"
#include "store/store.h"

namespace cocity::broker {

class Broker {
 public:
  // `store` and `clock` must outlive the broker.
  Broker(store::Store* store, const Clock* clock);

  TimePoint now() const { return clock_->now(); }

  // Runs `ops` in the tenant's store; `done` gets one Status per op after
  // the commit (see store::TenantStore::write). Tenant errors are reported
  // for every op.
  void write(const std::string& tenant, std::vector<store::WriteOp> ops,
             store::WriteCallback done);

  Result<std::optional<ngsi::Entity>> get(const std::string& tenant,
                                          const std::string& id);
  Result<store::Page> find(const std::string& tenant,
                           const store::EntitySelector& selector,
                           uint64_t offset, uint64_t limit);

 private:
  store::Store* store_;
  const Clock* clock_;
};

}  // namespace cocity::broker
