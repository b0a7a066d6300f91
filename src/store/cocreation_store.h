// The co-creation app's own tables: accounts, sessions, invitations,
// processes, challenges, ideas, surveys, responses, comments, contacts and
// the e-mail outbox. Personal data lives here, never in NGSI-LD entities.
//
// One CocreationStore per tenant, obtained from CocreationStores. Every
// method is one transaction: on error nothing changed. Structured parts that
// the store does not interpret (phases, questions, answers, idea details)
// are JSON text, validated by the app before they are stored.
//
// Secrets are never stored: session and invitation tokens arrive as their
// SHA-256 hashes, passwords as argon2id encodings.
//
// Errors: kNotFound for a missing id, kAlreadyExists for a taken e-mail or
// hash, kConflict for a state change that is no longer possible (an
// invitation already used), kInternal for I/O failures.
//
// Thread-safe: implementations serialise access per tenant.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/time.h"

namespace cocity::store {

struct CcAccount {
  int64_t id = 0;
  std::string email;  // lower-case, unique per tenant
  std::string name;
  std::string role;           // "admin", "moderator", "decision_maker", ...
  std::string municipality;   // optional
  std::string password_hash;  // argon2id encoded string
  TimePoint created_at;
};

struct CcSession {
  std::string token_hash;
  int64_t account_id = 0;
  TimePoint expires_at;
};

// An invitation to create an account (single use).
struct CcAccountInvitation {
  std::string token_hash;
  std::string email;
  std::string role;
  std::string municipality;
  int64_t invited_by = 0;
  TimePoint expires_at;
};

struct CcProcess {
  int64_t id = 0;
  std::string title;
  std::string description;
  std::string status;               // "draft", "active", "closed"
  std::string phases_json;          // [{"name","starts_at","ends_at"}]
  std::string municipalities_json;  // ["Musterstadt", ...]
  int64_t created_by = 0;
  TimePoint created_at;
};

struct CcChallenge {
  int64_t id = 0;
  int64_t process_id = 0;
  std::string title;
  std::string description;
  std::string municipality;
  std::string status;                // "proposed", "accepted", "rejected"
  std::string cluster;               // label given by a moderator, "" if none
  int64_t priority = 0;              // 0: unprioritised; 1 is the highest
  std::optional<int64_t> author_id;  // empty once the author is deleted
  TimePoint created_at;
};

// A tenant's own idea; the shipped catalogue is not stored.
struct CcIdea {
  int64_t id = 0;
  std::string data_json;  // same shape as a catalogue entry, without "id"
  std::optional<int64_t> author_id;
  TimePoint created_at;
};

struct CcSurvey {
  int64_t id = 0;
  int64_t process_id = 0;
  std::string title;
  std::string status;  // "draft", "open", "closed"
  bool anonymous = false;
  std::string questions_json;
  std::string published_json;  // public results snapshot, "" if none
  TimePoint created_at;
};

// A personal survey invitation (one per contact of an imported CSV).
struct CcInvitation {
  int64_t id = 0;
  int64_t survey_id = 0;
  std::string email;
  std::string name;
  std::string municipality;
  std::optional<TimePoint> used_at;  // set when the response was submitted
};

struct CcMail {
  int64_t id = 0;
  std::string to;
  std::string subject;
  std::string body;
  TimePoint created_at;
  std::optional<TimePoint> sent_at;
};

// A new invitation together with the mail that carries its link.
struct CcNewInvitation {
  CcInvitation invitation;
  std::string token_hash;
  CcMail mail;
};

struct CcResponse {
  int64_t id = 0;
  int64_t survey_id = 0;
  std::optional<int64_t> invitation_id;  // empty in anonymous mode
  std::string attributes_json;           // {"state","size_class","role"}
  std::string answers_json;              // {"<question id>": answer}
  TimePoint submitted_at;
};

struct CcDraft {
  std::string attributes_json;
  std::string answers_json;
  TimePoint updated_at;
};

struct CcComment {
  int64_t id = 0;
  std::string target;  // "challenge:12", "idea:traffic-flow-monitoring"
  std::string text;
  std::string status;  // "pending", "approved", "rejected"
  std::optional<int64_t> author_id;
  TimePoint created_at;
};

struct CcContact {
  int64_t id = 0;
  std::string municipality;
  std::string name;
  std::string region;
  std::string contact;  // e-mail or phone
};

// A live session: participants vote on its items one at a time.
// items_json: [{"id","type","text",...}] (checked by the app); state_json:
// {"current": <index>, "closed": [indices], "revealed": [indices]}.
struct CcLiveSession {
  int64_t id = 0;
  int64_t process_id = 0;
  std::string code;  // short join code, unique among active sessions
  std::string title;
  std::string status;  // "active", "ended"
  std::string items_json;
  std::string state_json;
  int64_t created_by = 0;
  TimePoint created_at;
};

// A participant of a live session; no account, only a token's hash.
struct CcLiveParticipant {
  int64_t id = 0;  // assigned by the app, unique within the session
  int64_t session_id = 0;
  std::string token_hash;
  TimePoint joined_at;
};

// One vote; at most one per (session, participant, item).
struct CcLiveVote {
  int64_t session_id = 0;
  int64_t participant_id = 0;
  std::string item;
  std::string value;  // "1".."5", "dont_know", or an option index
  TimePoint cast_at;
};

class CocreationStore {
 public:
  virtual ~CocreationStore() = default;

  // Accounts. add_account sets `id`; kAlreadyExists for a taken e-mail.
  virtual Result<int64_t> add_account(const CcAccount& account) = 0;
  virtual Result<std::optional<CcAccount>> find_account(
      std::string_view email) = 0;
  virtual Result<CcAccount> get_account(int64_t id) = 0;
  virtual Result<std::vector<CcAccount>> list_accounts() = 0;
  virtual Result<int64_t> count_accounts() = 0;
  // Deletes the account and its sessions; its challenges, ideas and
  // comments stay with no author.
  virtual Status delete_account(int64_t id) = 0;

  // Sessions.
  virtual Status add_session(const CcSession& session) = 0;
  virtual Result<std::optional<CcSession>> find_session(
      std::string_view token_hash) = 0;
  virtual Status delete_session(std::string_view token_hash) = 0;

  // Account invitations. accept_account_invitation consumes the invitation
  // and creates `account` (role, e-mail and municipality taken from the
  // invitation) at once; kNotFound for an unknown or used hash.
  virtual Status add_account_invitation(const CcAccountInvitation& inv) = 0;
  virtual Result<CcAccount> accept_account_invitation(
      std::string_view token_hash, CcAccount account, TimePoint now) = 0;

  // Processes and challenges.
  virtual Result<int64_t> add_process(const CcProcess& process) = 0;
  virtual Result<CcProcess> get_process(int64_t id) = 0;
  virtual Result<std::vector<CcProcess>> list_processes() = 0;
  virtual Status update_process(const CcProcess& process) = 0;
  virtual Result<int64_t> add_challenge(const CcChallenge& challenge) = 0;
  virtual Result<CcChallenge> get_challenge(int64_t id) = 0;
  virtual Result<std::vector<CcChallenge>> list_challenges(
      int64_t process_id) = 0;
  virtual Status update_challenge(const CcChallenge& challenge) = 0;

  // The tenant's own ideas.
  virtual Result<int64_t> add_idea(const CcIdea& idea) = 0;
  virtual Result<std::vector<CcIdea>> list_ideas() = 0;

  // Surveys.
  virtual Result<int64_t> add_survey(const CcSurvey& survey) = 0;
  virtual Result<CcSurvey> get_survey(int64_t id) = 0;
  virtual Result<std::vector<CcSurvey>> list_surveys(int64_t process_id) = 0;
  virtual Status update_survey(const CcSurvey& survey) = 0;

  // Survey invitations. add_invitations stores them and their mails in one
  // transaction; kAlreadyExists when an e-mail is already invited to the
  // survey (nothing is stored then).
  virtual Status add_invitations(std::vector<CcNewInvitation> batch) = 0;
  virtual Result<std::optional<CcInvitation>> find_invitation(
      std::string_view token_hash) = 0;
  virtual Result<std::vector<CcInvitation>> list_invitations(
      int64_t survey_id) = 0;
  // A further valid token for an invitation (a reminder), and its mail.
  virtual Status add_reminder(int64_t invitation_id,
                              std::string_view token_hash,
                              const CcMail& mail) = 0;

  // Responses. submit_response marks the invitation used, stores the
  // response (without the invitation id when `anonymous`) and drops the
  // draft; kConflict when the invitation was used already.
  virtual Status save_draft(int64_t invitation_id, const CcDraft& draft) = 0;
  virtual Result<std::optional<CcDraft>> get_draft(int64_t invitation_id) = 0;
  virtual Result<int64_t> submit_response(const CcResponse& response,
                                          int64_t invitation_id, bool anonymous,
                                          TimePoint now) = 0;
  virtual Result<std::vector<CcResponse>> list_responses(int64_t survey_id) = 0;
  // Responses gathered without invitations (typed-in paper forms, the
  // demo's generated ones), in one transaction; stored like anonymous ones.
  virtual Status import_responses(const std::vector<CcResponse>& responses) = 0;

  // Comments and regional contacts.
  virtual Result<int64_t> add_comment(const CcComment& comment) = 0;
  virtual Result<CcComment> get_comment(int64_t id) = 0;
  virtual Result<std::vector<CcComment>> list_comments(
      std::string_view target) = 0;
  virtual Result<std::vector<CcComment>> list_comments_by(
      int64_t author_id) = 0;
  virtual Status set_comment_status(int64_t id, std::string_view status) = 0;
  virtual Result<int64_t> add_contact(const CcContact& contact) = 0;
  virtual Result<std::vector<CcContact>> list_contacts() = 0;

  // The outbox: mails not sent yet first, oldest first; a sender marks
  // each sent.
  virtual Status add_mail(const CcMail& mail) = 0;
  virtual Result<std::vector<CcMail>> list_outbox(size_t limit) = 0;
  virtual Status mark_sent(int64_t mail_id, TimePoint now) = 0;

  // Live sessions. add_live_session sets the id; update_live_session
  // writes status and state_json. add_live_records stores participants and
  // votes of many requests in one transaction (group commit); a vote whose
  // (session, participant, item) is stored already is ignored; a taken
  // (session, participant id) or token hash fails the whole batch.
  virtual Result<int64_t> add_live_session(const CcLiveSession& session) = 0;
  virtual Status update_live_session(const CcLiveSession& session) = 0;
  virtual Result<std::vector<CcLiveSession>> list_live_sessions() = 0;
  virtual Status add_live_records(
      const std::vector<CcLiveParticipant>& participants,
      const std::vector<CcLiveVote>& votes) = 0;
  virtual Result<std::vector<CcLiveParticipant>> list_live_participants(
      int64_t session_id) = 0;
  virtual Result<std::vector<CcLiveVote>> list_live_votes(
      int64_t session_id) = 0;
};

// Opens one CocreationStore per tenant, on first use.
class CocreationStores {
 public:
  virtual ~CocreationStores() = default;
  // `tenant` must be valid (valid_tenant_name) or "" (default tenant).
  // With create=false a tenant without a database is kNonexistentTenant
  // (so that anonymous requests cannot create files).
  virtual Result<std::shared_ptr<CocreationStore>> tenant(
      std::string_view tenant, bool create) = 0;
  // The tenants that have a database ("" for the default tenant), sorted;
  // for background work over all of them (the outbox's mail sender).
  virtual Result<std::vector<std::string>> list_tenants() = 0;
};

// SQLite: one database per tenant at <data_dir>/cocreation/<tenant>.db
// ("_default.db" for the default tenant), created on first use.
Result<std::unique_ptr<CocreationStores>> open_sqlite_cocreation_stores(
    const std::string& data_dir);

}  // namespace cocity::store
