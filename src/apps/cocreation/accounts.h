// Accounts, sessions, account invitations and the personal-data rights
// (export, deletion) of the co-creation app.
//
// Sessions: a random 256-bit token, sent to the browser in an HttpOnly,
// Secure, SameSite=Lax cookie; only its SHA-256 is stored; a session lasts
// kSessionLifetime. CSRF: writes authenticated by the cookie must carry the
// header X-CSRF-Token with csrf_token_for(session token), a value derived
// from the session token (so nothing more is stored) that a cross-site page
// cannot read.
//
// An Accounts object is a short-lived view of one tenant's store; create one
// per request. `db` and `clock` must outlive it.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "apps/cocreation/roles.h"
#include "core/error.h"
#include "core/json.h"
#include "core/time.h"
#include "store/cocreation_store.h"

namespace cocity::apps::cocreation {

inline constexpr std::chrono::hours kSessionLifetime{12};
inline constexpr std::chrono::hours kInvitationLifetime{24 * 14};

// Who is acting: an account, or a server API key with the admin role
// (account_id 0; only for bootstrapping).
struct Caller {
  int64_t account_id = 0;
  AccountRole role = AccountRole::kCitizen;
  std::string email;
  std::string name;
  std::string municipality;
};

struct Login {
  std::string session_token;  // for the cookie; shown once
  std::string csrf_token;
  store::CcAccount account;
};

// The public view of an account (no password hash).
json::object account_json(const store::CcAccount& account);

// The CSRF token that belongs to a session token.
std::string csrf_token_for(std::string_view session_token);

class Accounts {
 public:
  Accounts(store::CocreationStore* db, const Clock* clock)
      : db_(db), clock_(clock) {}

  // Creates the tenant's first admin. kConflict once any account exists.
  Result<store::CcAccount> bootstrap_admin(const json::object& body);

  // Self-registration of a citizen: {"email", "name", "password"}.
  Result<store::CcAccount> register_citizen(const json::object& body);

  // kUnauthorized for an unknown e-mail or a wrong password (the same
  // message for both, and the same argon2 work).
  Result<Login> login(const json::object& body);

  // The caller of a session token; kUnauthorized when unknown or expired.
  Result<Caller> authenticate(std::string_view session_token);
  Status logout(std::string_view session_token);

  // An invitation to create an account: {"email", "role", "municipality"}.
  // Admins invite any role; moderators decision makers and citizens;
  // others kForbidden. Returns the token (for the link; stored hashed) and
  // queues the invitation mail in the outbox.
  Result<std::string> invite(const Caller& caller, const json::object& body,
                             std::string_view link_base);

  // {"token", "name", "password"}: creates the invited account.
  // kForbidden for an unknown, used or expired token.
  Result<store::CcAccount> accept_invitation(const json::object& body);

  Result<json::array> list(const Caller& caller);

  // GDPR: everything stored about the caller's account.
  Result<json::object> export_data(const Caller& caller);
  // GDPR: deletes the account and its sessions; what the person wrote
  // stays without author, survey answers were never linked to accounts.
  Status delete_account(const Caller& caller);

 private:
  Result<store::CcAccount> create(const json::object& body, std::string role);

  store::CocreationStore* db_;
  const Clock* clock_;
};

}  // namespace cocity::apps::cocreation
