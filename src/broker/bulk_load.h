// Loading a file of NGSI-LD entities (an array in normalized or concise
// form, core @context) into a tenant: each entity is created or replaced.
// Used by `cocity demo` to load its municipality; blocks until durable.
#pragma once

#include <string>

#include "broker/broker.h"
#include "core/error.h"

namespace cocity::broker {

// Returns the number of entities written. Every entity is validated before
// any is written: a bad one fails the whole load, naming its index and id.
Result<size_t> load_entities_file(Broker& broker, const std::string& tenant,
                                  const std::string& path);

}  // namespace cocity::broker
