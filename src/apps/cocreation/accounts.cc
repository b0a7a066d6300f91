#include "apps/cocreation/accounts.h"

#include "apps/cocreation/json_fields.h"
#include "apps/cocreation/recipients_csv.h"
#include "apps/cocreation/secrets.h"
#include "core/text.h"

namespace cocity::apps::cocreation {

namespace {

// A valid argon2id hash of a random password: verified against when the
// e-mail is unknown, so that a failed login costs the same either way.
const std::string& dummy_hash() {
  static const std::string hash = [] {
    auto token = random_token();
    auto h = hash_password(token.value_or("unused-password"));
    return h.value_or(std::string());
  }();
  return hash;
}

std::string lower(std::string s) {
  lower_ascii(&s);
  return s;
}

Result<std::string> email_field(const json::object& body) {
  auto email = string_field(body, "email", true, 254);
  if (!email) return email;
  *email = lower(*email);
  if (!plausible_email(*email)) {
    return fail(Code::kBadRequestData, "email: not an e-mail address");
  }
  return email;
}

}  // namespace

json::object account_json(const store::CcAccount& a) {
  json::object o;
  o["id"] = a.id;
  o["email"] = a.email;
  o["name"] = a.name;
  o["role"] = a.role;
  o["municipality"] = a.municipality;
  o["created_at"] = format_iso_time(a.created_at);
  return o;
}

std::string csrf_token_for(std::string_view session_token) {
  return hash_token(std::string("csrf:") + std::string(session_token));
}

Result<store::CcAccount> Accounts::create(const json::object& body,
                                          std::string role) {
  auto email = email_field(body);
  if (!email) return std::unexpected(email.error());
  auto name = string_field(body, "name", true, 200);
  if (!name) return std::unexpected(name.error());
  auto municipality = string_field(body, "municipality", false, 200);
  if (!municipality) return std::unexpected(municipality.error());
  auto password = string_field(body, "password", true, 256);
  if (!password) return std::unexpected(password.error());
  auto hash = hash_password(*password);
  if (!hash) return std::unexpected(hash.error());
  store::CcAccount a{0,
                     *email,
                     *name,
                     std::move(role),
                     *municipality,
                     std::move(*hash),
                     clock_->now()};
  auto id = db_->add_account(a);
  if (!id) return std::unexpected(id.error());
  a.id = *id;
  return a;
}

Result<store::CcAccount> Accounts::bootstrap_admin(const json::object& body) {
  auto n = db_->count_accounts();
  if (!n) return std::unexpected(n.error());
  if (*n > 0) {
    return fail(Code::kConflict,
                "this tenant has accounts already; an admin invites new ones");
  }
  return create(body, "admin");
}

Result<store::CcAccount> Accounts::register_citizen(const json::object& body) {
  return create(body, "citizen");
}

Result<Login> Accounts::login(const json::object& body) {
  auto email = string_field(body, "email", true, 254);
  if (!email) return std::unexpected(email.error());
  auto password = string_field(body, "password", true, 256);
  if (!password) return std::unexpected(password.error());
  auto found = db_->find_account(lower(*email));
  if (!found) return std::unexpected(found.error());
  bool match = *found ? verify_password(*password, (*found)->password_hash)
                      : verify_password(*password, dummy_hash());
  if (!*found || !match) {
    return fail(Code::kUnauthorized, "wrong e-mail address or password");
  }
  auto token = random_token();
  if (!token) return std::unexpected(token.error());
  store::CcSession s{hash_token(*token), (*found)->id,
                     clock_->now() + kSessionLifetime};
  if (auto st = db_->add_session(s); !st) return std::unexpected(st.error());
  return Login{*token, csrf_token_for(*token), std::move(**found)};
}

Result<Caller> Accounts::authenticate(std::string_view session_token) {
  auto session = db_->find_session(hash_token(session_token));
  if (!session) return std::unexpected(session.error());
  if (!*session || (*session)->expires_at < clock_->now()) {
    return fail(Code::kUnauthorized, "not logged in or the session expired");
  }
  auto account = db_->get_account((*session)->account_id);
  if (!account) {
    return fail(Code::kUnauthorized, "the session's account no longer exists");
  }
  auto role = parse_account_role(account->role);
  return Caller{account->id, role.value_or(AccountRole::kCitizen),
                account->email, account->name, account->municipality};
}

Status Accounts::logout(std::string_view session_token) {
  return db_->delete_session(hash_token(session_token));
}

Result<std::string> Accounts::invite(const Caller& caller,
                                     const json::object& body,
                                     std::string_view link_base) {
  auto email = email_field(body);
  if (!email) return std::unexpected(email.error());
  auto role_name = string_field(body, "role", true, 32);
  if (!role_name) return std::unexpected(role_name.error());
  auto role = parse_account_role(*role_name);
  if (!role) {
    return fail(Code::kBadRequestData,
                "role: must be admin, moderator, decision_maker or citizen");
  }
  bool allowed = caller.role == AccountRole::kAdmin ||
                 (caller.role == AccountRole::kModerator &&
                  *role <= AccountRole::kDecisionMaker);
  if (!allowed) {
    return fail(Code::kForbidden,
                "role " + std::string(account_role_name(caller.role)) +
                    " may not invite a " + *role_name);
  }
  auto municipality = string_field(body, "municipality", false, 200);
  if (!municipality) return std::unexpected(municipality.error());
  auto token = random_token();
  if (!token) return std::unexpected(token.error());
  TimePoint now = clock_->now();
  store::CcAccountInvitation inv{hash_token(*token), *email,
                                 *role_name,         *municipality,
                                 caller.account_id,  now + kInvitationLifetime};
  if (auto s = db_->add_account_invitation(inv); !s) {
    return std::unexpected(s.error());
  }
  store::CcMail mail;
  mail.to = *email;
  mail.subject = "Einladung / Invitation: cocity";
  mail.body = "Sie wurden eingeladen (" + *role_name +
              "). You have been invited (" + *role_name + "):\n" +
              std::string(link_base) + *token + "\n";
  mail.created_at = now;
  if (auto s = db_->add_mail(mail); !s) return std::unexpected(s.error());
  return *token;
}

Result<store::CcAccount> Accounts::accept_invitation(const json::object& body) {
  auto token = string_field(body, "token", true, 128);
  if (!token) return std::unexpected(token.error());
  auto name = string_field(body, "name", true, 200);
  if (!name) return std::unexpected(name.error());
  auto password = string_field(body, "password", true, 256);
  if (!password) return std::unexpected(password.error());
  auto hash = hash_password(*password);
  if (!hash) return std::unexpected(hash.error());
  store::CcAccount a;
  a.name = *name;
  a.password_hash = std::move(*hash);
  a.created_at = clock_->now();
  auto r = db_->accept_account_invitation(hash_token(*token), a, a.created_at);
  if (!r && r.error().code == Code::kNotFound) {
    return fail(Code::kForbidden,
                "the invitation token is unknown, used or expired");
  }
  return r;
}

Result<json::array> Accounts::list(const Caller& caller) {
  if (caller.role != AccountRole::kAdmin) {
    return fail(Code::kForbidden, "only an admin lists accounts");
  }
  auto all = db_->list_accounts();
  if (!all) return std::unexpected(all.error());
  json::array out;
  for (const auto& a : *all) out.emplace_back(account_json(a));
  return out;
}

Result<json::object> Accounts::export_data(const Caller& caller) {
  if (caller.account_id == 0) {
    return fail(Code::kBadRequestData, "an API key has no personal data");
  }
  auto account = db_->get_account(caller.account_id);
  if (!account) return std::unexpected(account.error());
  auto comments = db_->list_comments_by(caller.account_id);
  if (!comments) return std::unexpected(comments.error());
  json::object out;
  out["account"] = account_json(*account);
  json::array cs;
  for (const auto& c : *comments) {
    cs.emplace_back(
        json::object{{"id", c.id},
                     {"target", c.target},
                     {"text", c.text},
                     {"status", c.status},
                     {"created_at", format_iso_time(c.created_at)}});
  }
  out["comments"] = std::move(cs);
  auto processes = db_->list_processes();
  if (!processes) return std::unexpected(processes.error());
  json::array challenges;
  for (const auto& p : *processes) {
    auto list = db_->list_challenges(p.id);
    if (!list) return std::unexpected(list.error());
    for (const auto& c : *list) {
      if (c.author_id != caller.account_id) continue;
      challenges.emplace_back(json::object{{"id", c.id},
                                           {"process_id", c.process_id},
                                           {"title", c.title},
                                           {"description", c.description}});
    }
  }
  out["challenges"] = std::move(challenges);
  out["note"] =
      "Survey answers are linked to invitations, not to accounts; "
      "anonymous answers cannot be traced to anyone.";
  return out;
}

Status Accounts::delete_account(const Caller& caller) {
  if (caller.account_id == 0) {
    return fail(Code::kBadRequestData, "an API key has no account to delete");
  }
  return db_->delete_account(caller.account_id);
}

}  // namespace cocity::apps::cocreation
