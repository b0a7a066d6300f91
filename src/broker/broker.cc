#include "broker/broker.h"

namespace cocity::broker {

Broker::Broker(store::Store* store, const Clock* clock)
    : store_(store), clock_(clock) {}

void Broker::write(const std::string& tenant, std::vector<store::WriteOp> ops,
                   store::WriteCallback done) {
  auto t = store_->tenant(tenant, /*create=*/true);
  if (!t) {
    std::vector<Status> failed(ops.size(), std::unexpected(t.error()));
    done(std::move(failed));
    return;
  }
  (*t)->write(std::move(ops), std::move(done));
}

Result<std::optional<ngsi::Entity>> Broker::get(const std::string& tenant,
                                                const std::string& id) {
  auto t = store_->tenant(tenant, /*create=*/false);
  if (!t) return std::unexpected(t.error());
  return (*t)->get(id);
}

Result<store::Page> Broker::find(const std::string& tenant,
                                 const store::EntitySelector& selector,
                                 uint64_t offset, uint64_t limit) {
  auto t = store_->tenant(tenant, /*create=*/false);
  if (!t) return std::unexpected(t.error());
  return (*t)->find(selector, offset, limit);
}

}  // namespace cocity::broker
