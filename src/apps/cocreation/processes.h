// Co-creation processes and what happens inside them: challenges (proposed,
// commented, clustered, prioritised), comments with moderation, and the
// operator's regional contacts per municipality.
//
// A process lists its participating municipalities: a network tenant (an
// association of municipalities) runs one process across its members;
// challenges then name one of them.
//
// Permissions: moderators and admins create and change processes, moderate
// challenges and comments and add contacts; every account reads, proposes
// challenges and comments. Violations are kForbidden naming the role.
//
// A Processes object is a short-lived view of one tenant's store.
#pragma once

#include "apps/cocreation/accounts.h"
#include "core/error.h"
#include "core/json.h"
#include "core/time.h"
#include "store/cocreation_store.h"

namespace cocity::apps::cocreation {

class Processes {
 public:
  Processes(store::CocreationStore* db, const Clock* clock)
      : db_(db), clock_(clock) {}

  // {"title", "description", "status", "phases": [{"name", "starts_at",
  // "ends_at"}], "municipalities": [names]}.
  Result<json::object> create(const Caller& caller, const json::object& body);
  // Changes the members present in `body`.
  Result<json::object> update(const Caller& caller, int64_t id,
                              const json::object& body);
  Result<json::object> get(const Caller& caller, int64_t id);
  Result<json::array> list(const Caller& caller);

  // {"title", "description", "municipality"}.
  Result<json::object> propose_challenge(const Caller& caller,
                                         int64_t process_id,
                                         const json::object& body);
  Result<json::array> list_challenges(const Caller& caller, int64_t process_id);
  // Moderation: {"status", "cluster", "priority", "title", "description"}.
  Result<json::object> update_challenge(const Caller& caller, int64_t id,
                                        const json::object& body);

  // {"target": "challenge:<id>" | "idea:<id>", "text"}. Comments of
  // moderators are approved at once, others wait for moderation.
  Result<json::object> add_comment(const Caller& caller,
                                   const json::object& body);
  // Moderators see every comment, others the approved ones and their own.
  Result<json::array> list_comments(const Caller& caller,
                                    std::string_view target);
  // {"status": "approved" | "rejected" | "pending"}.
  Result<json::object> moderate_comment(const Caller& caller, int64_t id,
                                        const json::object& body);

  // {"municipality", "name", "region", "contact"}.
  Result<json::object> add_contact(const Caller& caller,
                                   const json::object& body);
  // The contacts of the process's municipalities (all when it lists none).
  Result<json::array> process_contacts(const Caller& caller,
                                       int64_t process_id);

 private:
  Status check_target(std::string_view target);

  store::CocreationStore* db_;
  const Clock* clock_;
};

// kForbidden unless the caller may moderate.
Status require_moderator(const Caller& caller, std::string_view action);

}  // namespace cocity::apps::cocreation
