// The device registry: Device entities in the store (device.h), with an
// in-memory cache for lookups by tenant and id and by DevEUI.
//
// Writes go through the broker; `done` runs after the commit is durable
// (or failed), on the store's callback thread: it must be quick. The cache
// reserves an id and DevEUI when a create starts and releases them if the
// commit fails, so two concurrent creates cannot both win. DevEUIs are
// unique across all tenants (they are global IEEE EUI-64s).
//
// Thread-safe. Lookups return shared snapshots that stay valid after the
// device is replaced or removed.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "broker/broker.h"
#include "core/error.h"
#include "ingest/device.h"

namespace cocity::ingest {

class DeviceRegistry {
 public:
  using Done = std::function<void(Status)>;

  // `broker` must outlive the registry.
  explicit DeviceRegistry(broker::Broker* broker);

  // Reads every Device entity of `tenants` into the cache (at start-up).
  Status load(const std::vector<std::string>& tenants);

  // kAlreadyExists when the id exists in the tenant or the DevEUI anywhere.
  void create(Device device, Done done);
  // Replaces a device (same tenant and id); the key hash is kept.
  // kNotFound when absent.
  void replace(Device device, Done done);
  void remove(const std::string& tenant, const std::string& id, Done done);

  std::shared_ptr<const Device> find(const std::string& tenant,
                                     const std::string& id) const;
  std::shared_ptr<const Device> find_by_eui(const std::string& dev_eui) const;
  // Sorted by id.
  std::vector<std::shared_ptr<const Device>> list(
      const std::string& tenant) const;

 private:
  using Key = std::pair<std::string, std::string>;  // tenant, id

  void persist(const Device& device, bool create, Done done);
  void insert_locked(std::shared_ptr<const Device> d);
  void erase_locked(const Device& d);

  broker::Broker* broker_;
  mutable std::mutex mu_;
  std::map<Key, std::shared_ptr<const Device>> by_id_;
  std::unordered_map<std::string, std::shared_ptr<const Device>> by_eui_;
};

}  // namespace cocity::ingest
