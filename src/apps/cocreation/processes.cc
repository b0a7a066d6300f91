#include "apps/cocreation/processes.h"

#include <algorithm>

#include "apps/cocreation/json_fields.h"

namespace cocity::apps::cocreation {

namespace {

constexpr size_t kMaxMunicipalities = 2000;

bool one_of(std::string_view s, std::initializer_list<std::string_view> list) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

Result<TimePoint> time_field(const json::object& o, std::string_view key,
                             const std::string& where) {
  auto text = string_field(o, key, true, 64);
  if (!text) {
    return fail(Code::kBadRequestData,
                where + "." + std::string(key) + ": required (ISO 8601 date)");
  }
  auto t = text->size() == 10 ? parse_iso_date(*text) : parse_iso_time(*text);
  if (!t) {
    return fail(Code::kBadRequestData, where + "." + std::string(key) +
                                           ": not an ISO 8601 date or time");
  }
  return t;
}

// Checks "phases" and returns it in canonical form.
Result<json::array> parse_phases(const json::value& v) {
  if (!v.is_array() || v.get_array().size() > 50) {
    return fail(Code::kBadRequestData, "phases: must be an array (max 50)");
  }
  json::array out;
  for (size_t i = 0; i < v.get_array().size(); ++i) {
    std::string where = "phases[" + std::to_string(i) + "]";
    const json::value& p = v.get_array()[i];
    if (!p.is_object()) {
      return fail(Code::kBadRequestData, where + ": must be an object");
    }
    auto name = string_field(p.get_object(), "name", true, 200);
    if (!name) {
      return fail(Code::kBadRequestData, where + "." + name.error().detail);
    }
    auto start = time_field(p.get_object(), "starts_at", where);
    if (!start) return std::unexpected(start.error());
    auto end = time_field(p.get_object(), "ends_at", where);
    if (!end) return std::unexpected(end.error());
    if (*end < *start) {
      return fail(Code::kBadRequestData,
                  where + ": ends_at is before starts_at");
    }
    out.emplace_back(json::object{{"name", *name},
                                  {"starts_at", format_iso_time(*start)},
                                  {"ends_at", format_iso_time(*end)}});
  }
  return out;
}

Result<json::array> parse_municipalities(const json::value& v) {
  if (!v.is_array() || v.get_array().size() > kMaxMunicipalities) {
    return fail(Code::kBadRequestData,
                "municipalities: must be an array of names (max 2000)");
  }
  for (const auto& m : v.get_array()) {
    if (!m.is_string() || m.get_string().empty() ||
        m.get_string().size() > 200) {
      return fail(Code::kBadRequestData,
                  "municipalities: every entry must be a non-empty name");
    }
  }
  return v.get_array();
}

Result<json::value> stored_json(const std::string& text) {
  auto v = parse_json(text.empty() ? std::string("[]") : text);
  if (!v) return fail(Code::kInternal, "stored JSON is corrupt");
  return v;
}

Result<json::object> process_json(const store::CcProcess& p) {
  auto phases = stored_json(p.phases_json);
  if (!phases) return std::unexpected(phases.error());
  auto members = stored_json(p.municipalities_json);
  if (!members) return std::unexpected(members.error());
  return json::object{{"id", p.id},
                      {"title", p.title},
                      {"description", p.description},
                      {"status", p.status},
                      {"phases", std::move(*phases)},
                      {"municipalities", std::move(*members)},
                      {"created_at", format_iso_time(p.created_at)}};
}

json::object challenge_json(const store::CcChallenge& c) {
  return json::object{{"id", c.id},
                      {"process_id", c.process_id},
                      {"title", c.title},
                      {"description", c.description},
                      {"municipality", c.municipality},
                      {"status", c.status},
                      {"cluster", c.cluster},
                      {"priority", c.priority},
                      {"created_at", format_iso_time(c.created_at)}};
}

json::object comment_json(const store::CcComment& c) {
  return json::object{{"id", c.id},
                      {"target", c.target},
                      {"text", c.text},
                      {"status", c.status},
                      {"created_at", format_iso_time(c.created_at)}};
}

// Applies the process members present in `body` to `p`.
Status apply_process(const json::object& body, bool creating,
                     store::CcProcess* p) {
  auto title = string_field(body, "title", creating, 200, p->title);
  if (!title) return std::unexpected(title.error());
  auto description =
      string_field(body, "description", false, 10000, p->description);
  if (!description) return std::unexpected(description.error());
  auto status = string_field(body, "status", false, 16, p->status);
  if (!status) return std::unexpected(status.error());
  if (!one_of(*status, {"draft", "active", "closed"})) {
    return fail(Code::kBadRequestData,
                "status: must be draft, active or closed");
  }
  if (const json::value* v = body.if_contains("phases")) {
    auto phases = parse_phases(*v);
    if (!phases) return std::unexpected(phases.error());
    p->phases_json = to_json(*phases);
  }
  if (const json::value* v = body.if_contains("municipalities")) {
    auto m = parse_municipalities(*v);
    if (!m) return std::unexpected(m.error());
    p->municipalities_json = to_json(*m);
  }
  p->title = *title;
  p->description = *description;
  p->status = *status;
  return ok();
}

}  // namespace

Status require_moderator(const Caller& caller, std::string_view action) {
  if (can_moderate(caller.role)) return ok();
  return fail(Code::kForbidden,
              std::string(action) +
                  " needs the moderator or admin role; "
                  "this account is " +
                  std::string(account_role_name(caller.role)));
}

Result<json::object> Processes::create(const Caller& caller,
                                       const json::object& body) {
  if (auto s = require_moderator(caller, "creating a process"); !s) {
    return std::unexpected(s.error());
  }
  store::CcProcess p;
  p.status = "draft";
  p.phases_json = "[]";
  p.municipalities_json = "[]";
  if (auto s = apply_process(body, true, &p); !s) {
    return std::unexpected(s.error());
  }
  p.created_by = caller.account_id;
  p.created_at = clock_->now();
  auto id = db_->add_process(p);
  if (!id) return std::unexpected(id.error());
  p.id = *id;
  return process_json(p);
}

Result<json::object> Processes::update(const Caller& caller, int64_t id,
                                       const json::object& body) {
  if (auto s = require_moderator(caller, "changing a process"); !s) {
    return std::unexpected(s.error());
  }
  auto p = db_->get_process(id);
  if (!p) return std::unexpected(p.error());
  if (auto s = apply_process(body, false, &*p); !s) {
    return std::unexpected(s.error());
  }
  if (auto s = db_->update_process(*p); !s) return std::unexpected(s.error());
  return process_json(*p);
}

Result<json::object> Processes::get(const Caller& /*caller*/, int64_t id) {
  auto p = db_->get_process(id);
  if (!p) return std::unexpected(p.error());
  return process_json(*p);
}

Result<json::array> Processes::list(const Caller& caller) {
  auto all = db_->list_processes();
  if (!all) return std::unexpected(all.error());
  json::array out;
  for (const auto& p : *all) {
    if (p.status == "draft" && !can_moderate(caller.role)) continue;
    auto o = process_json(p);
    if (!o) return std::unexpected(o.error());
    out.emplace_back(std::move(*o));
  }
  return out;
}

Result<json::object> Processes::propose_challenge(const Caller& caller,
                                                  int64_t process_id,
                                                  const json::object& body) {
  auto p = db_->get_process(process_id);
  if (!p) return std::unexpected(p.error());
  if (p->status == "closed") {
    return fail(Code::kConflict, "the process is closed");
  }
  auto title = string_field(body, "title", true, 200);
  if (!title) return std::unexpected(title.error());
  auto description = string_field(body, "description", false, 10000);
  if (!description) return std::unexpected(description.error());
  auto municipality =
      string_field(body, "municipality", false, 200, caller.municipality);
  if (!municipality) return std::unexpected(municipality.error());
  auto members = stored_json(p->municipalities_json);
  if (!members) return std::unexpected(members.error());
  const json::array& list = members->get_array();
  if (!list.empty() && std::find(list.begin(), list.end(),
                                 json::value(*municipality)) == list.end()) {
    return fail(Code::kBadRequestData,
                "municipality: '" + *municipality +
                    "' does not take part in this process");
  }
  store::CcChallenge c{
      0,          process_id, *title, *description, *municipality,
      "proposed", "",         0,      std::nullopt, clock_->now()};
  if (caller.account_id != 0) c.author_id = caller.account_id;
  auto id = db_->add_challenge(c);
  if (!id) return std::unexpected(id.error());
  c.id = *id;
  return challenge_json(c);
}

Result<json::array> Processes::list_challenges(const Caller& /*caller*/,
                                               int64_t process_id) {
  if (auto p = db_->get_process(process_id); !p) {
    return std::unexpected(p.error());
  }
  auto all = db_->list_challenges(process_id);
  if (!all) return std::unexpected(all.error());
  json::array out;
  for (const auto& c : *all) out.emplace_back(challenge_json(c));
  return out;
}

Result<json::object> Processes::update_challenge(const Caller& caller,
                                                 int64_t id,
                                                 const json::object& body) {
  if (auto s = require_moderator(caller, "moderating a challenge"); !s) {
    return std::unexpected(s.error());
  }
  auto c = db_->get_challenge(id);
  if (!c) return std::unexpected(c.error());
  auto status = string_field(body, "status", false, 16, c->status);
  if (!status) return std::unexpected(status.error());
  if (!one_of(*status, {"proposed", "accepted", "rejected"})) {
    return fail(Code::kBadRequestData,
                "status: must be proposed, accepted or rejected");
  }
  auto cluster = string_field(body, "cluster", false, 200, c->cluster);
  if (!cluster) return std::unexpected(cluster.error());
  auto priority = int_field(body, "priority", c->priority, 0, 1000);
  if (!priority) return std::unexpected(priority.error());
  auto title = string_field(body, "title", false, 200, c->title);
  if (!title) return std::unexpected(title.error());
  auto description =
      string_field(body, "description", false, 10000, c->description);
  if (!description) return std::unexpected(description.error());
  c->status = *status;
  c->cluster = *cluster;
  c->priority = *priority;
  c->title = *title;
  c->description = *description;
  if (auto s = db_->update_challenge(*c); !s) {
    return std::unexpected(s.error());
  }
  return challenge_json(*c);
}

Status Processes::check_target(std::string_view target) {
  if (target.starts_with("challenge:")) {
    auto id = parse_id(target.substr(10), "challenge");
    if (!id) return fail(Code::kBadRequestData, "target: no such challenge");
    if (auto c = db_->get_challenge(*id); !c) {
      return fail(Code::kBadRequestData, "target: no such challenge");
    }
    return ok();
  }
  if (target.starts_with("idea:") && target.size() > 5 && target.size() <= 80) {
    return ok();
  }
  return fail(Code::kBadRequestData,
              "target: must be \"challenge:<id>\" or \"idea:<id>\"");
}

Result<json::object> Processes::add_comment(const Caller& caller,
                                            const json::object& body) {
  auto target = string_field(body, "target", true, 100);
  if (!target) return std::unexpected(target.error());
  if (auto s = check_target(*target); !s) return std::unexpected(s.error());
  auto text = string_field(body, "text", true, 5000);
  if (!text) return std::unexpected(text.error());
  store::CcComment c{0,
                     *target,
                     *text,
                     can_moderate(caller.role) ? "approved" : "pending",
                     std::nullopt,
                     clock_->now()};
  if (caller.account_id != 0) c.author_id = caller.account_id;
  auto id = db_->add_comment(c);
  if (!id) return std::unexpected(id.error());
  c.id = *id;
  return comment_json(c);
}

Result<json::array> Processes::list_comments(const Caller& caller,
                                             std::string_view target) {
  auto all = db_->list_comments(target);
  if (!all) return std::unexpected(all.error());
  json::array out;
  for (const auto& c : *all) {
    bool visible = can_moderate(caller.role) || c.status == "approved" ||
                   (caller.account_id != 0 && c.author_id == caller.account_id);
    if (visible) out.emplace_back(comment_json(c));
  }
  return out;
}

Result<json::object> Processes::moderate_comment(const Caller& caller,
                                                 int64_t id,
                                                 const json::object& body) {
  if (auto s = require_moderator(caller, "moderating a comment"); !s) {
    return std::unexpected(s.error());
  }
  auto status = string_field(body, "status", true, 16);
  if (!status) return std::unexpected(status.error());
  if (!one_of(*status, {"approved", "rejected", "pending"})) {
    return fail(Code::kBadRequestData,
                "status: must be approved, rejected or pending");
  }
  if (auto s = db_->set_comment_status(id, *status); !s) {
    return std::unexpected(s.error());
  }
  auto c = db_->get_comment(id);
  if (!c) return std::unexpected(c.error());
  return comment_json(*c);
}

Result<json::object> Processes::add_contact(const Caller& caller,
                                            const json::object& body) {
  if (auto s = require_moderator(caller, "adding a contact"); !s) {
    return std::unexpected(s.error());
  }
  store::CcContact c;
  for (auto [key, field] :
       {std::pair{"municipality", &c.municipality}, std::pair{"name", &c.name},
        std::pair{"region", &c.region}, std::pair{"contact", &c.contact}}) {
    auto v = string_field(body, key, true, 200);
    if (!v) return std::unexpected(v.error());
    *field = std::move(*v);
  }
  auto id = db_->add_contact(c);
  if (!id) return std::unexpected(id.error());
  return json::object{{"id", *id},
                      {"municipality", c.municipality},
                      {"name", c.name},
                      {"region", c.region},
                      {"contact", c.contact}};
}

Result<json::array> Processes::process_contacts(const Caller& /*caller*/,
                                                int64_t process_id) {
  auto p = db_->get_process(process_id);
  if (!p) return std::unexpected(p.error());
  auto members = stored_json(p->municipalities_json);
  if (!members) return std::unexpected(members.error());
  auto all = db_->list_contacts();
  if (!all) return std::unexpected(all.error());
  const json::array& list = members->get_array();
  json::array out;
  for (const auto& c : *all) {
    if (!list.empty() && std::find(list.begin(), list.end(),
                                   json::value(c.municipality)) == list.end()) {
      continue;
    }
    out.emplace_back(json::object{{"id", c.id},
                                  {"municipality", c.municipality},
                                  {"name", c.name},
                                  {"region", c.region},
                                  {"contact", c.contact}});
  }
  return out;
}

}  // namespace cocity::apps::cocreation
