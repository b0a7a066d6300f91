// Linked-entity retrieval (ETSI GS CIM 009 4.5.23): `join=inline` puts the
// entity a Relationship points to into the relationship ("entity", or in
// place of the object id in keyValues); `join=flat` lists the linked
// entities after the ones asked for, each once. `joinLevel` (default 1)
// says how many relationships deep to follow.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/json.h"
#include "ngsi/context.h"
#include "ngsi/entity.h"
#include "ngsi/entity_writer.h"
#include "server/http.h"

namespace cocity::server {

// A projection (pick or omit, 4.21): names, and for a Relationship's name
// the projection of the entities it links to ("locatedAt{name}").
struct Projection {
  std::vector<std::string> names;  // as the client wrote them
  std::map<std::string, Projection> nested;
};

// Sets what `pick` and `omit` (either may be null) show of an entity in
// `*options`: with pick, only its names (id and type as picked); with
// omit, all but its names. In omit, a name with a nested list stays: the
// list is for the entities it links to. Names are expanded with `ctx`.
void apply_projection(const Projection* pick, const Projection* omit,
                      const ngsi::Context& ctx, ngsi::RenderOptions* options);

struct JoinSpec {
  enum class Mode { kNone, kInline, kFlat };
  Mode mode = Mode::kNone;
  int level = 1;
  // The nested parts of pick and omit, by relationship name: how linked
  // entities are projected. A linked entity without one is shown whole.
  std::map<std::string, Projection> pick;
  std::map<std::string, Projection> omit;
};

// Reads `join` and `joinLevel`; a bad value is 400 naming the parameter.
Result<JoinSpec> join_spec(const HttpRequest& req);

// The entity of an id, or nullopt when there is none (or it cannot be
// read).
using EntityLookup =
    std::function<std::optional<ngsi::Entity>(const std::string& id)>;

// Joins the entities linked from `entities` (as rendered in `rendered`,
// one object each, same order) with `options` and `ctx`. kInline changes
// `rendered` in place; kFlat appends the linked entities, rendered, to it.
// Linked entities are rendered with the request's format, projected by the
// nested parts of pick and omit (JoinSpec), else whole.
void join_linked(const std::vector<ngsi::Entity>& entities,
                 const JoinSpec& join, const ngsi::RenderOptions& options,
                 const ngsi::Context& ctx, const EntityLookup& lookup,
                 json::array* rendered);

}  // namespace cocity::server
