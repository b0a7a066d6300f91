#include "ingest/device_registry.h"

#include "broker/entity_ops.h"
#include "ngsi/context.h"
#include "ngsi/entity_parser.h"

namespace cocity::ingest {

namespace {

constexpr uint64_t kLoadPage = 1000;

Status first_status(const std::vector<Status>& statuses) {
  if (statuses.empty()) return fail(Code::kInternal, "no write status");
  return statuses.front();
}

}  // namespace

DeviceRegistry::DeviceRegistry(broker::Broker* broker) : broker_(broker) {}

Status DeviceRegistry::load(const std::vector<std::string>& tenants) {
  store::EntitySelector sel;
  sel.types.push_back(ngsi::Context::core()->expand(kDeviceType));
  for (const auto& tenant : tenants) {
    for (uint64_t offset = 0;; offset += kLoadPage) {
      auto page = broker_->find(tenant, sel, offset, kLoadPage);
      if (!page) return std::unexpected(page.error());
      for (const auto& e : page->entities) {
        auto d = device_from_entity(e, tenant);
        if (!d) continue;  // a Device entity that is not ours
        std::lock_guard lock(mu_);
        insert_locked(std::make_shared<const Device>(std::move(*d)));
      }
      if (page->entities.size() < kLoadPage) break;
    }
  }
  return ok();
}

void DeviceRegistry::insert_locked(std::shared_ptr<const Device> d) {
  if (!d->dev_eui.empty()) by_eui_[d->dev_eui] = d;
  by_id_[{d->tenant, d->id}] = std::move(d);
}

void DeviceRegistry::erase_locked(const Device& d) {
  auto it = by_id_.find({d.tenant, d.id});
  if (it == by_id_.end()) return;
  if (!it->second->dev_eui.empty()) {
    auto e = by_eui_.find(it->second->dev_eui);
    if (e != by_eui_.end() && e->second == it->second) by_eui_.erase(e);
  }
  by_id_.erase(it);
}

void DeviceRegistry::create(Device device, Done done) {
  auto d = std::make_shared<const Device>(std::move(device));
  {
    std::lock_guard lock(mu_);
    if (by_id_.contains({d->tenant, d->id})) {
      return done(fail(Code::kAlreadyExists, "device " + d->id + " exists"));
    }
    if (!d->dev_eui.empty() && by_eui_.contains(d->dev_eui)) {
      return done(fail(Code::kAlreadyExists,
                       "DevEUI " + d->dev_eui + " is registered already"));
    }
    insert_locked(d);  // reserved until the commit says otherwise
  }
  persist(*d, true, [this, d, done](Status s) {
    if (!s) {
      std::lock_guard lock(mu_);
      erase_locked(*d);
    }
    done(std::move(s));
  });
}

void DeviceRegistry::replace(Device device, Done done) {
  std::shared_ptr<const Device> old;
  {
    std::lock_guard lock(mu_);
    auto it = by_id_.find({device.tenant, device.id});
    if (it == by_id_.end()) {
      return done(fail(Code::kNotFound, "device " + device.id + " not found"));
    }
    old = it->second;
    if (!device.dev_eui.empty()) {
      auto e = by_eui_.find(device.dev_eui);
      if (e != by_eui_.end() && e->second != old) {
        return done(fail(Code::kAlreadyExists, "DevEUI " + device.dev_eui +
                                                   " is registered already"));
      }
    }
  }
  device.key_hash = old->key_hash;
  auto d = std::make_shared<const Device>(std::move(device));
  persist(*d, false, [this, d, old, done](Status s) {
    if (s) {
      std::lock_guard lock(mu_);
      erase_locked(*old);
      insert_locked(d);
    }
    done(std::move(s));
  });
}

void DeviceRegistry::remove(const std::string& tenant, const std::string& id,
                            Done done) {
  if (!find(tenant, id)) {
    return done(fail(Code::kNotFound, "device " + id + " not found"));
  }
  std::vector<store::WriteOp> ops;
  ops.push_back({device_entity_id(id), [this](ngsi::Entity* cur) {
                   return broker::delete_entity(cur, broker_->now());
                 }});
  broker_->write(tenant, std::move(ops),
                 [this, tenant, id, done](std::vector<Status> st) {
                   Status s = first_status(st);
                   if (s) {
                     std::lock_guard lock(mu_);
                     Device key;
                     key.tenant = tenant;
                     key.id = id;
                     erase_locked(key);
                   }
                   done(std::move(s));
                 });
}

void DeviceRegistry::persist(const Device& device, bool create, Done done) {
  auto entity = device_to_entity(device, broker_->now());
  if (!entity) return done(std::unexpected(entity.error()));
  auto shared = std::make_shared<ngsi::Entity>(std::move(*entity));
  std::vector<store::WriteOp> ops;
  ops.push_back({shared->id, [shared, create](ngsi::Entity* cur) {
                   if (create) return broker::create_entity(cur, *shared);
                   return broker::replace_entity(cur, *shared);
                 }});
  broker_->write(device.tenant, std::move(ops),
                 [done](std::vector<Status> st) { done(first_status(st)); });
}

std::shared_ptr<const Device> DeviceRegistry::find(
    const std::string& tenant, const std::string& id) const {
  std::lock_guard lock(mu_);
  auto it = by_id_.find({tenant, id});
  return it == by_id_.end() ? nullptr : it->second;
}

std::shared_ptr<const Device> DeviceRegistry::find_by_eui(
    const std::string& dev_eui) const {
  std::lock_guard lock(mu_);
  auto it = by_eui_.find(dev_eui);
  return it == by_eui_.end() ? nullptr : it->second;
}

std::vector<std::shared_ptr<const Device>> DeviceRegistry::list(
    const std::string& tenant) const {
  std::lock_guard lock(mu_);
  std::vector<std::shared_ptr<const Device>> out;
  for (auto it = by_id_.lower_bound({tenant, ""});
       it != by_id_.end() && it->first.first == tenant; ++it) {
    out.push_back(it->second);
  }
  return out;
}

}  // namespace cocity::ingest
