// Surveys: creation from questions, distribution by personal invitation
// links (a CSV of recipients, one random single-use token each, mails in
// the outbox, reminders), answering (drafts, one submission per
// invitation, anonymous mode), results, CSV/JSON export and the public
// results page.
//
// Life cycle: draft (questions may change) -> open (answers accepted) ->
// closed. Invitations can be imported in draft and open.
//
// Anonymous mode: the submitted response is stored without the invitation
// id and with its time rounded to the day; the invitation only records that
// it was used. Drafts are kept per invitation until submission (that link
// exists only while the draft does).
//
// Tokens: 64 hex characters; only SHA-256 is stored. Links carry the token
// after '#', so it does not reach server logs or Referer headers. A reminder
// issues a further token for the same invitation; both stay valid until the
// response is submitted.
//
// Permissions: moderators and admins manage surveys, read free text and
// publish; decision makers may read results; everyone may read a published
// results page. Respondents act through their token only.
//
// A Surveys object is a short-lived view of one tenant's store; `ideas`
// must outlive it.
#pragma once

#include <string>
#include <string_view>

#include "apps/cocreation/accounts.h"
#include "apps/cocreation/ideas.h"
#include "core/error.h"
#include "core/json.h"
#include "store/cocreation_store.h"

namespace cocity::apps::cocreation {

class Surveys {
 public:
  Surveys(store::CocreationStore* db, Ideas* ideas, const Clock* clock)
      : db_(db), ideas_(ideas), clock_(clock) {}

  // {"title", "anonymous", "questions": [...]} (survey.h). Idea ids of
  // idea_rating questions must exist for the tenant.
  Result<json::object> create(const Caller& caller, int64_t process_id,
                              const json::object& body);
  Result<json::object> get(const Caller& caller, int64_t id);
  Result<json::array> list(const Caller& caller, int64_t process_id);
  // {"status": "draft"|"open"|"closed", "questions", "title", "anonymous"};
  // questions and anonymity change only while in draft (kConflict).
  Result<json::object> update(const Caller& caller, int64_t id,
                              const json::object& body);

  // Imports recipients (recipients_csv.h) and queues one mail each.
  // kAlreadyExists when a recipient was invited before (nothing imported).
  Result<json::object> import_invitations(const Caller& caller, int64_t id,
                                          std::string_view csv,
                                          std::string_view link_base);
  Result<json::array> list_invitations(const Caller& caller, int64_t id);
  // A reminder with a fresh link to every invitation not yet answered.
  Result<json::object> send_reminders(const Caller& caller, int64_t id,
                                      std::string_view link_base);

  // Respondent side. An unknown or malformed token is kForbidden ("forged"),
  // a used one kConflict.
  Result<json::object> open_invitation(std::string_view token);
  // {"attributes": {...}, "answers": {...}}, validated as a draft.
  Result<json::object> save_draft(std::string_view token,
                                  const json::object& body);
  // Validated as a submission; the survey must be open (kConflict).
  Result<json::object> submit(std::string_view token, const json::object& body);

  // Results (results.h); ?segments.
  Result<json::object> results(const Caller& caller, int64_t id);
  Result<std::string> results_csv(const Caller& caller, int64_t id);
  // Free-text answers for moderation: [{"response", "question", "text"}].
  Result<json::array> free_text(const Caller& caller, int64_t id);
  // Stores a snapshot of the results as the public page.
  Result<json::object> publish(const Caller& caller, int64_t id);
  // The published page; kNotFound when not published. No caller needed.
  Result<json::value> published(int64_t id);

  // The outbox (admins and moderators): mails, unsent first.
  Result<json::array> outbox(const Caller& caller, size_t limit);
  Status mark_sent(const Caller& caller, int64_t mail_id);

 private:
  struct Invited {
    store::CcInvitation invitation;
    store::CcSurvey survey;
  };
  Result<Invited> invitation(std::string_view token);
  Result<json::object> computed_results(int64_t id);
  Status check_ideas(const json::value& questions);

  store::CocreationStore* db_;
  Ideas* ideas_;
  const Clock* clock_;
};

}  // namespace cocity::apps::cocreation
