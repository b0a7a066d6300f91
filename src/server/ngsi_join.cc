#include "server/ngsi_join.h"

#include <charconv>
#include <deque>
#include <unordered_set>

namespace cocity::server {
namespace {

constexpr int kMaxJoinLevel = 8;

// The ids a rendered or stored Relationship instance points to.
std::vector<std::string> objects_of(const json::value& object) {
  std::vector<std::string> ids;
  if (object.is_string()) {
    ids.emplace_back(object.get_string());
  } else if (object.is_array()) {
    for (const auto& o : object.get_array()) {
      if (o.is_string()) ids.emplace_back(o.get_string());
    }
  }
  return ids;
}

bool is_relationship(const json::value& instances) {
  const auto& a = instances.get_array();
  return !a.empty() && a[0].get_object().at("type") == "Relationship";
}

// The options for a linked entity: the request's format and languages,
// without the projection and selection meant for the entities asked for.
ngsi::RenderOptions linked_options(const ngsi::RenderOptions& options) {
  ngsi::RenderOptions o;
  o.format = options.format;
  o.sys_attrs = options.sys_attrs;
  o.lang = options.lang;
  return o;
}

using Nested = std::map<std::string, Projection>;

const Projection* find_nested(const Nested* nested, const std::string& name) {
  if (nested == nullptr) return nullptr;
  auto it = nested->find(name);
  return it == nested->end() ? nullptr : &it->second;
}

class Joiner {
 public:
  Joiner(const ngsi::RenderOptions& options, const ngsi::Context& ctx,
         const EntityLookup& lookup)
      : options_(linked_options(options)), ctx_(ctx), lookup_(lookup) {}

  // Puts the linked entities into `rendered` (the rendering of `entity`),
  // following `levels` relationships deep; `pick` and `omit` project the
  // entities linked by each relationship name.
  void inline_links(const ngsi::Entity& entity, int levels,
                    json::object* rendered, const Nested* pick,
                    const Nested* omit) {
    if (levels <= 0) return;
    bool key_values = options_.format == ngsi::Format::kKeyValues;
    for (const auto& kv : entity.attrs) {
      if (ngsi::is_private_attr(kv.key()) || !is_relationship(kv.value())) {
        continue;
      }
      std::string name = ctx_.compact(kv.key());
      json::value* shown = rendered->if_contains(name);
      if (shown == nullptr) continue;  // projected away
      Link link{levels, find_nested(pick, name), find_nested(omit, name)};
      if (key_values) {
        // The object ids themselves are replaced by the entities.
        if (shown->is_array()) {
          for (auto& id : shown->get_array()) replace_id(&id, link);
        } else {
          replace_id(shown, link);
        }
        continue;
      }
      if (shown->is_array()) {
        for (auto& inst : shown->get_array()) add_entity(&inst, link);
      } else {
        add_entity(shown, link);
      }
    }
  }

  // Appends each entity linked from `roots`, up to `levels` deep, once.
  void flat_links(const std::vector<ngsi::Entity>& roots, int levels,
                  const Nested* pick, const Nested* omit, json::array* out) {
    struct Queued {
      ngsi::Entity entity;
      int depth;
      const Projection* pick;
      const Projection* omit;
    };
    std::unordered_set<std::string> seen;
    std::deque<Queued> queue;
    for (const auto& e : roots) seen.insert(e.id);
    auto follow = [&](const ngsi::Entity& e, int depth, const Nested* pick,
                      const Nested* omit) {
      if (depth >= levels) return;
      for (const auto& kv : e.attrs) {
        if (ngsi::is_private_attr(kv.key()) || !is_relationship(kv.value())) {
          continue;
        }
        std::string name = ctx_.compact(kv.key());
        for (const auto& inst : kv.value().get_array()) {
          const auto* object = inst.get_object().if_contains("object");
          if (object == nullptr) continue;
          for (const auto& id : objects_of(*object)) {
            if (!seen.insert(id).second) continue;
            if (auto linked = lookup_(id)) {
              queue.push_back({std::move(*linked), depth + 1,
                               find_nested(pick, name),
                               find_nested(omit, name)});
            }
          }
        }
      }
    };
    for (const auto& e : roots) follow(e, 0, pick, omit);
    while (!queue.empty()) {
      Queued q = std::move(queue.front());
      queue.pop_front();
      out->push_back(
          ngsi::render_entity(q.entity, options_for(q.pick, q.omit), ctx_));
      follow(q.entity, q.depth, q.pick ? &q.pick->nested : nullptr,
             q.omit ? &q.omit->nested : nullptr);
    }
  }

 private:
  // How the entities behind one relationship are shown.
  struct Link {
    int levels;  // including this one
    const Projection* pick;
    const Projection* omit;
  };

  // The options for a linked entity projected by `pick` and `omit`.
  ngsi::RenderOptions options_for(const Projection* pick,
                                  const Projection* omit) const {
    ngsi::RenderOptions o = options_;
    apply_projection(pick, omit, ctx_, &o);
    return o;
  }

  // The rendering of entity `id` with its own links joined below it, or
  // nullopt when it does not exist.
  std::optional<json::object> render_linked(const std::string& id,
                                            const Link& link) {
    auto linked = lookup_(id);
    if (!linked) return std::nullopt;
    json::object out =
        ngsi::render_entity(*linked, options_for(link.pick, link.omit), ctx_);
    inline_links(*linked, link.levels - 1, &out,
                 link.pick ? &link.pick->nested : nullptr,
                 link.omit ? &link.omit->nested : nullptr);
    return out;
  }

  void add_entity(json::value* instance, const Link& link) {
    auto* inst = instance->if_object();
    if (inst == nullptr) return;
    const auto* object = inst->if_contains("object");
    if (object == nullptr) return;
    if (object->is_string()) {
      if (auto e = render_linked(std::string(object->get_string()), link)) {
        (*inst)["entity"] = std::move(*e);
      }
      return;
    }
    json::array entities;
    for (const auto& id : objects_of(*object)) {
      if (auto e = render_linked(id, link)) entities.push_back(std::move(*e));
    }
    if (!entities.empty()) (*inst)["entity"] = std::move(entities);
  }

  void replace_id(json::value* id, const Link& link) {
    if (!id->is_string()) return;
    if (auto e = render_linked(std::string(id->get_string()), link)) {
      *id = std::move(*e);
    }
  }

  ngsi::RenderOptions options_;
  const ngsi::Context& ctx_;
  const EntityLookup& lookup_;
};

}  // namespace

void apply_projection(const Projection* pick, const Projection* omit,
                      const ngsi::Context& ctx, ngsi::RenderOptions* o) {
  if (pick != nullptr) {
    std::unordered_set<std::string> only;
    o->with_id = o->with_type = false;
    for (const auto& n : pick->names) {
      if (n == "id") {
        o->with_id = true;
      } else if (n == "type") {
        o->with_type = true;
      } else {
        only.insert(ctx.expand(n));
      }
    }
    o->only = std::move(only);
  }
  if (omit != nullptr) {
    for (const auto& n : omit->names) {
      if (omit->nested.contains(n)) continue;  // kept, projected below
      if (n == "id") {
        o->with_id = false;
      } else if (n == "type") {
        o->with_type = false;
      } else {
        o->omit.insert(ctx.expand(n));
      }
    }
  }
}

Result<JoinSpec> join_spec(const HttpRequest& req) {
  JoinSpec spec;
  if (const std::string* join = req.query("join")) {
    if (*join == "inline") {
      spec.mode = JoinSpec::Mode::kInline;
    } else if (*join == "flat") {
      spec.mode = JoinSpec::Mode::kFlat;
    } else if (*join != "@none") {
      return fail(Code::kBadRequestData, "parameter 'join': '" + *join +
                                             "' is not one of flat, inline, "
                                             "@none");
    }
  }
  if (const std::string* level = req.query("joinLevel")) {
    int n = 0;
    auto [end, ec] =
        std::from_chars(level->data(), level->data() + level->size(), n);
    if (ec != std::errc() || end != level->data() + level->size() || n < 1 ||
        n > kMaxJoinLevel) {
      return fail(Code::kBadRequestData,
                  "parameter 'joinLevel': '" + *level +
                      "' is not a whole number from 1 to " +
                      std::to_string(kMaxJoinLevel));
    }
    spec.level = n;
  }
  return spec;
}

void join_linked(const std::vector<ngsi::Entity>& entities,
                 const JoinSpec& join, const ngsi::RenderOptions& options,
                 const ngsi::Context& ctx, const EntityLookup& lookup,
                 json::array* rendered) {
  if (join.mode == JoinSpec::Mode::kNone) return;
  Joiner joiner(options, ctx, lookup);
  if (join.mode == JoinSpec::Mode::kFlat) {
    joiner.flat_links(entities, join.level, &join.pick, &join.omit, rendered);
    return;
  }
  for (size_t i = 0; i < entities.size() && i < rendered->size(); ++i) {
    if (auto* o = (*rendered)[i].if_object()) {
      joiner.inline_links(entities[i], join.level, o, &join.pick, &join.omit);
    }
  }
}

}  // namespace cocity::server
