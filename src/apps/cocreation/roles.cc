#include "apps/cocreation/roles.h"

namespace cocity::apps::cocreation {

std::optional<AccountRole> parse_account_role(std::string_view name) {
  if (name == "admin") return AccountRole::kAdmin;
  if (name == "moderator") return AccountRole::kModerator;
  if (name == "decision_maker") return AccountRole::kDecisionMaker;
  if (name == "citizen") return AccountRole::kCitizen;
  return std::nullopt;
}

std::string_view account_role_name(AccountRole role) {
  switch (role) {
    case AccountRole::kAdmin:
      return "admin";
    case AccountRole::kModerator:
      return "moderator";
    case AccountRole::kDecisionMaker:
      return "decision_maker";
    case AccountRole::kCitizen:
      return "citizen";
  }
  return "citizen";
}

}  // namespace cocity::apps::cocreation
