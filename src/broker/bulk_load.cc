#include "broker/bulk_load.h"

#include <fstream>
#include <future>
#include <sstream>

#include "broker/entity_ops.h"
#include "ngsi/entity_parser.h"

namespace cocity::broker {

Result<size_t> load_entities_file(Broker& broker, const std::string& tenant,
                                  const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(Code::kNotFound, "cannot read '" + path + "'");
  std::stringstream text;
  text << in.rdbuf();
  auto doc = parse_json(text.str(), JsonLimits{.max_depth = 64});
  if (!doc) return fail(doc.error().code, path + ": " + doc.error().detail);
  if (!doc->is_array())
    return fail(Code::kBadRequestData,
                path + ": expected a JSON array of entities");
  auto ctx = ngsi::Context::core();
  std::vector<store::WriteOp> ops;
  size_t index = 0;
  for (auto& item : doc->get_array()) {
    auto e = ngsi::parse_entity(std::move(item), *ctx, broker.now());
    if (!e) {
      return fail(
          Code::kBadRequestData,
          path + ": entity " + std::to_string(index) + ": " + e.error().detail);
    }
    auto entity = std::make_shared<ngsi::Entity>(std::move(*e));
    ops.push_back({entity->id, [entity](ngsi::Entity* cur) {
                     return cur ? replace_entity(cur, *entity)
                                : create_entity(cur, std::move(*entity));
                   }});
    ++index;
  }
  std::promise<std::vector<Status>> done;
  auto results = done.get_future();
  broker.write(tenant, std::move(ops), [&done](std::vector<Status> r) {
    done.set_value(std::move(r));
  });
  for (const auto& r : results.get()) {
    if (!r) return std::unexpected(r.error());
  }
  return index;
}

}  // namespace cocity::broker
