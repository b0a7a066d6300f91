// POST /ngsi-ld/v1/entityOperations/{create,upsert,update,delete,merge}.
//
// Every entity of a batch is one store op; all ops of a request go to the
// store together, so a batch is one transaction (or part of one). Entities
// that fail to parse or whose op fails are listed in "errors" of a 207
// BatchOperationResult; the others are applied.
#include <boost/json/monotonic_resource.hpp>

#include <algorithm>
#include <mutex>

#include "broker/entity_ops.h"
#include "ngsi/entity_parser.h"
#include "server/ngsi_handlers.h"
#include "server/ngsi_request.h"

namespace cocity::server {
namespace {

// The request's document and the entities parsed from it live in one
// arena. Its JSON values hold it by plain pointer, not shared, so they
// allocate without counting references and are dropped without freeing
// node by node. Each op's mutation holds the arena; it goes with the last.
using Arena = std::shared_ptr<json::monotonic_resource>;

// Its first block holds the document of `body_size` bytes of JSON whole.
Arena request_arena(size_t body_size) {
  return std::make_shared<json::monotonic_resource>(
      std::max<size_t>(4096, body_size * 2));
}

// An entity parsed into a request's arena. Members go in reverse order:
// the entity first, then the arena.
struct ArenaEntity {
  Arena arena;
  ngsi::Entity entity;
};

struct BatchState {
  std::vector<std::string> ids;  // per op
  std::vector<char> created;     // per op, set by the mutation (upsert)
  json::array errors;            // parse errors, then op errors
};

// Parses `item`, moving its values into the mutation. An entity that
// will likely be created (`likely_new`) is parsed onto the heap, where the
// store keeps it: the store's writer, the serial part, then takes it
// without a copy. Others go into the request's arena, from which an
// update copies only the values.
store::Mutation make_mutation(const std::string& op, const std::string& options,
                              json::value& item, const Arena& arena,
                              bool likely_new, const ngsi::Context& ctx,
                              TimePoint now, BatchState* state, size_t index,
                              Error* parse_error) {
  if (op == "delete") {
    return [now](ngsi::Entity* current) {
      return broker::delete_entity(current, now);
    };
  }
  if (op == "create" || (op == "upsert" && options != "update")) {
    auto e = ngsi::parse_entity(
        std::move(item), ctx, now,
        likely_new ? json::storage_ptr() : json::storage_ptr(arena.get()));
    if (!e) {
      *parse_error = e.error();
      return nullptr;
    }
    // The store copies what it keeps onto the heap, unless it is there
    // already (entity_ops.h).
    auto parsed =
        std::make_shared<ArenaEntity>(ArenaEntity{arena, std::move(*e)});
    if (op == "create") {
      return [parsed](ngsi::Entity* cur) {
        return broker::create_entity(cur, std::move(parsed->entity));
      };
    }
    return [parsed, state, index](ngsi::Entity* cur) {
      state->created[index] = cur == nullptr;
      return cur ? broker::replace_entity(cur, parsed->entity)
                 : broker::create_entity(cur, std::move(parsed->entity));
    };
  }
  auto f = ngsi::parse_fragment(std::move(item), ctx, now, op == "merge");
  if (!f) {
    *parse_error = f.error();
    return nullptr;
  }
  if (f->id.empty()) {
    *parse_error = Error{Code::kBadRequestData, "entity 'id' is missing", {}};
    return nullptr;
  }
  auto frag = std::make_shared<ngsi::Fragment>(std::move(*f));
  if (op == "upsert") {  // options=update
    return [frag, now, state, index](ngsi::Entity* cur) {
      state->created[index] = cur == nullptr;
      return broker::merge_entity(cur, *frag, now, false);
    };
  }
  if (op == "merge") {
    return [frag, now](ngsi::Entity* cur) {
      return broker::merge_entity(cur, *frag, now, true);
    };
  }
  bool no_overwrite = options == "noOverwrite";
  return [frag, now, no_overwrite](ngsi::Entity* cur) {
    broker::UpdateReport report;
    return broker::append_attributes(cur, *frag, now, no_overwrite, &report);
  };
}

std::string item_id(const json::value& item) {
  if (item.is_string()) return std::string(item.get_string());
  if (item.is_object()) {
    if (auto* id = item.get_object().if_contains("id"); id && id->is_string()) {
      return std::string(id->get_string());
    }
  }
  return {};
}

json::object error_entry(const std::string& id, const Error& error) {
  json::object o;
  o["entityId"] = id;
  o["error"] = problem_object(error);
  return o;
}

HttpResponse batch_result(const std::string& op, const BatchState& state,
                          const std::vector<Status>& results) {
  json::array success;
  json::array errors = state.errors;
  json::array created;
  for (size_t i = 0; i < results.size(); ++i) {
    if (results[i]) {
      success.push_back(json::value(state.ids[i]));
      if (op == "create" || state.created[i])
        created.push_back(json::value(state.ids[i]));
    } else {
      errors.push_back(error_entry(state.ids[i], results[i].error()));
    }
  }
  if (!errors.empty()) {
    json::object body;
    body["success"] = std::move(success);
    body["errors"] = std::move(errors);
    return json_response(207, to_json(body));
  }
  if ((op == "create" || op == "upsert") && !created.empty()) {
    return json_response(201, to_json(created));
  }
  return no_content();
}

}  // namespace

void NgsiHandlers::batch(const std::string& op, HttpRequest& req, Reply reply) {
  const char* allowed = op == "upsert"   ? "update,replace"
                        : op == "update" ? "noOverwrite"
                                         : "";
  std::string options;
  if (const std::string* o = req.query("options")) options = *o;
  if (!options.empty()) {
    bool ok_option = false;
    for (const auto& a : split_list(allowed))
      ok_option = ok_option || a == options;
    if (!ok_option) {
      return reply(api_error(Error{
          Code::kBadRequestData,
          "parameter 'options': '" + options + "' is not supported for " + op,
          {}}));
    }
  }
  // Declared before the document, so that it outlives it.
  Arena arena = request_arena(req.body.size());
  auto body = read_body(req, limits_, json::storage_ptr(arena.get()));
  if (!body) return reply(api_error(body.error()));
  if (!body->doc.is_array()) {
    return reply(
        api_error(Error{Code::kBadRequestData,
                        "the payload of a batch operation must be a JSON array",
                        {}}));
  }
  json::array& items = body->doc.get_array();
  if (items.size() > limits_.max_batch_entities) {
    return reply(api_error(
        Error{Code::kPayloadTooLarge,
              "the batch holds " + std::to_string(items.size()) +
                  " entities, more than the limit max_batch_entities = " +
                  std::to_string(limits_.max_batch_entities),
              {}}));
  }
  if (items.empty()) {
    return reply(
        api_error(Error{Code::kBadRequestData, "the batch is empty", {}}));
  }
  std::vector<std::string> item_ids;
  item_ids.reserve(items.size());
  for (const auto& item : items) item_ids.push_back(item_id(item));
  // Which entities will likely be created (make_mutation).
  std::vector<bool> likely_new(items.size(), op == "create");
  if (op == "upsert" && options != "update") {
    likely_new = broker_->stored(req.tenant, item_ids);
    likely_new.flip();
  }
  auto state = std::make_shared<BatchState>();
  std::vector<store::WriteOp> ops;
  TimePoint now = broker_->now();
  bool ld = body->ctx != nullptr &&
            req.header("content-type").starts_with("application/ld+json");
  for (size_t i = 0; i < items.size(); ++i) {
    json::value& item = items[i];
    const std::string& id = item_ids[i];
    std::shared_ptr<const ngsi::Context> ctx = body->ctx;
    Error parse_error;
    store::Mutation m;
    if (op == "delete") {
      if (!item.is_string() || !ngsi::is_absolute_uri(item.get_string())) {
        parse_error =
            Error{Code::kBadRequestData,
                  "a batch delete takes an array of entity ids (URIs)",
                  {}};
      }
    } else if (!item.is_object()) {
      parse_error = Error{Code::kBadRequestData,
                          "each batch item must be an entity object",
                          {}};
    } else if (ld) {
      auto* c = item.get_object().if_contains("@context");
      if (!c) {
        parse_error = Error{
            Code::kBadRequestData,
            "each entity of an application/ld+json batch needs an '@context'",
            {}};
      } else if (auto ic = inline_context(*c); !ic) {
        parse_error = ic.error();
      } else {
        ctx = *ic;
      }
    } else if (item.get_object().contains("@context")) {
      parse_error = Error{Code::kBadRequestData,
                          "an entity of an application/json batch must not "
                          "carry '@context'; send the batch as "
                          "application/ld+json or the context in a Link header",
                          {}};
    }
    if (parse_error.detail.empty()) {
      m = make_mutation(op, options, item, arena, likely_new[i], *ctx, now,
                        state.get(), ops.size(), &parse_error);
    }
    if (!m) {
      state->errors.push_back(error_entry(id, parse_error));
      continue;
    }
    state->ids.push_back(id);
    state->created.push_back(0);
    ops.push_back(store::WriteOp{id, std::move(m)});
  }
  if (ops.empty()) {
    return reply(json_response(207, [&] {
      json::object o;
      o["success"] = json::array();
      o["errors"] = state->errors;
      return to_json(o);
    }()));
  }
  broker_->write(
      req.tenant, std::move(ops),
      [op, state, reply = std::move(reply)](std::vector<Status> results) {
        reply(batch_result(op, *state, results));
      });
}

}  // namespace cocity::server
