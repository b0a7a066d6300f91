#include "apps/cocreation/ideas.h"

#include "apps/cocreation/processes.h"

namespace cocity::apps::cocreation {

namespace {

Result<json::object> own_idea_json(const store::CcIdea& idea) {
  auto v = parse_json(idea.data_json);
  if (!v || !v->is_object()) return fail(Code::kInternal, "corrupt idea");
  json::object o;
  o["id"] = "own-" + std::to_string(idea.id);
  o["source"] = "tenant";
  for (auto& [k, val] : v->get_object()) o[k] = std::move(val);
  return o;
}

json::object shipped_json(const json::value& idea) {
  json::object o = idea.get_object();
  o["source"] = "catalogue";
  return o;
}

}  // namespace

Result<json::array> Ideas::list() {
  json::array out;
  for (const auto& idea : catalogue_->ideas()) {
    out.emplace_back(shipped_json(idea));
  }
  if (db_ == nullptr) return out;  // a tenant without co-creation data
  auto own = db_->list_ideas();
  if (!own) return std::unexpected(own.error());
  for (const auto& idea : *own) {
    auto o = own_idea_json(idea);
    if (!o) return std::unexpected(o.error());
    out.emplace_back(std::move(*o));
  }
  return out;
}

Result<json::object> Ideas::get(std::string_view id) {
  if (const json::object* idea = catalogue_->find(id)) {
    return shipped_json(*idea);
  }
  auto all = list();
  if (!all) return std::unexpected(all.error());
  for (auto& idea : *all) {
    if (idea.get_object().at("id").get_string() == id) {
      return std::move(idea.get_object());
    }
  }
  return fail(Code::kNotFound, "idea '" + std::string(id) + "' not found");
}

Result<json::object> Ideas::add(const Caller& caller, const json::value& body) {
  if (auto s = require_moderator(caller, "adding an idea"); !s) {
    return std::unexpected(s.error());
  }
  if (db_ == nullptr) return fail(Code::kNonexistentTenant, "no tenant data");
  if (auto s = validate_idea(body, false); !s) {
    return std::unexpected(s.error());
  }
  store::CcIdea idea{0, to_json(body), std::nullopt, clock_->now()};
  if (caller.account_id != 0) idea.author_id = caller.account_id;
  auto id = db_->add_idea(idea);
  if (!id) return std::unexpected(id.error());
  idea.id = *id;
  return own_idea_json(idea);
}

Result<bool> Ideas::exists(std::string_view id) {
  if (catalogue_->find(id) != nullptr) return true;
  if (!id.starts_with("own-")) return false;
  auto r = get(id);
  if (r) return true;
  if (r.error().code == Code::kNotFound) return false;
  return std::unexpected(r.error());
}

}  // namespace cocity::apps::cocreation
