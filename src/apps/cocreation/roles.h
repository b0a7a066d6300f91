// The roles of a co-creation account and what each may do.
//
// Roles are per tenant. admin: everything, including accounts; moderator:
// runs processes, surveys, moderation and results; decision_maker and
// citizen: propose and comment, read published results. A server API key
// with the admin role acts as admin (used to create the first account).
#pragma once

#include <optional>
#include <string_view>

namespace cocity::apps::cocreation {

enum class AccountRole { kCitizen, kDecisionMaker, kModerator, kAdmin };

// "admin", "moderator", "decision_maker", "citizen"; nullopt otherwise.
std::optional<AccountRole> parse_account_role(std::string_view name);
std::string_view account_role_name(AccountRole role);

// Whether `role` may moderate (processes, surveys, comments, results).
inline bool can_moderate(AccountRole role) {
  return role == AccountRole::kModerator || role == AccountRole::kAdmin;
}

}  // namespace cocity::apps::cocreation
