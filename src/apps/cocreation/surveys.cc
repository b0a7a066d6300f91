#include "apps/cocreation/surveys.h"

#include <algorithm>
#include <set>

#include "apps/cocreation/answer_validation.h"
#include "apps/cocreation/json_fields.h"
#include "apps/cocreation/processes.h"
#include "apps/cocreation/recipients_csv.h"
#include "apps/cocreation/results.h"
#include "apps/cocreation/secrets.h"

namespace cocity::apps::cocreation {

namespace {

bool well_formed_token(std::string_view token) {
  return token.size() == 64 &&
         std::all_of(token.begin(), token.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

Result<json::value> stored(const std::string& text) {
  auto v = parse_json(text, JsonLimits{64});
  if (!v) return fail(Code::kInternal, "stored JSON is corrupt");
  return v;
}

Result<std::vector<Question>> stored_questions(const store::CcSurvey& s) {
  auto v = stored(s.questions_json);
  if (!v) return std::unexpected(v.error());
  return parse_questions(*v);
}

Result<json::object> survey_json(const store::CcSurvey& s) {
  auto q = stored(s.questions_json);
  if (!q) return std::unexpected(q.error());
  return json::object{{"id", s.id},
                      {"process_id", s.process_id},
                      {"title", s.title},
                      {"status", s.status},
                      {"anonymous", s.anonymous},
                      {"questions", std::move(*q)},
                      {"published", !s.published_json.empty()},
                      {"created_at", format_iso_time(s.created_at)}};
}

store::CcMail invitation_mail(const std::string& to, const std::string& title,
                              const std::string& link, bool reminder,
                              TimePoint now) {
  store::CcMail m;
  m.to = to;
  m.subject = std::string(reminder ? "Erinnerung / Reminder: "
                                   : "Umfrage / "
                                     "Survey: ") +
              title;
  m.body =
      "Ihr persönlicher Link zur Umfrage (bitte nicht weitergeben):\n"
      "Your personal link to the survey (please do not forward it):\n" +
      link + "\n";
  m.created_at = now;
  return m;
}

// Parses {"attributes", "answers"} and validates both.
Status check_response_body(const std::vector<Question>& questions,
                           const json::object& body, Strictness strictness) {
  static const json::value kEmpty = json::object();
  const json::value* attributes = body.if_contains("attributes");
  const json::value* answers = body.if_contains("answers");
  if (auto s =
          validate_attributes(attributes ? *attributes : kEmpty, strictness);
      !s) {
    return s;
  }
  return validate_answers(questions, answers ? *answers : kEmpty, strictness);
}

std::string member_json(const json::object& body, std::string_view key) {
  const json::value* v = body.if_contains(key);
  return v ? to_json(*v) : std::string("{}");
}

}  // namespace

Status Surveys::check_ideas(const json::value& questions) {
  auto parsed = parse_questions(questions);
  if (!parsed) return std::unexpected(parsed.error());
  for (size_t i = 0; i < parsed->size(); ++i) {
    for (const auto& idea : (*parsed)[i].ideas) {
      auto found = ideas_->exists(idea);
      if (!found) return std::unexpected(found.error());
      if (!*found) {
        return fail(Code::kBadRequestData, "questions[" + std::to_string(i) +
                                               "].ideas: no idea '" + idea +
                                               "'");
      }
    }
  }
  return ok();
}

Result<json::object> Surveys::create(const Caller& caller, int64_t process_id,
                                     const json::object& body) {
  if (auto s = require_moderator(caller, "creating a survey"); !s) {
    return std::unexpected(s.error());
  }
  if (auto p = db_->get_process(process_id); !p) {
    return std::unexpected(p.error());
  }
  auto title = string_field(body, "title", true, 200);
  if (!title) return std::unexpected(title.error());
  auto anonymous = bool_field(body, "anonymous", false);
  if (!anonymous) return std::unexpected(anonymous.error());
  const json::value* questions = body.if_contains("questions");
  if (questions == nullptr) {
    return fail(Code::kBadRequestData, "questions: required");
  }
  if (auto s = check_ideas(*questions); !s) return std::unexpected(s.error());
  auto parsed = parse_questions(*questions);
  store::CcSurvey s{0,       process_id,   *title,
                    "draft", *anonymous,   to_json(questions_to_json(*parsed)),
                    "",      clock_->now()};
  auto id = db_->add_survey(s);
  if (!id) return std::unexpected(id.error());
  s.id = *id;
  return survey_json(s);
}

Result<json::object> Surveys::get(const Caller& caller, int64_t id) {
  auto s = db_->get_survey(id);
  if (!s) return std::unexpected(s.error());
  if (s->status == "draft" && !can_moderate(caller.role)) {
    return fail(Code::kNotFound, "survey " + std::to_string(id) + " not found");
  }
  return survey_json(*s);
}

Result<json::array> Surveys::list(const Caller& caller, int64_t process_id) {
  auto all = db_->list_surveys(process_id);
  if (!all) return std::unexpected(all.error());
  json::array out;
  for (const auto& s : *all) {
    if (s.status == "draft" && !can_moderate(caller.role)) continue;
    auto o = survey_json(s);
    if (!o) return std::unexpected(o.error());
    out.emplace_back(std::move(*o));
  }
  return out;
}

Result<json::object> Surveys::update(const Caller& caller, int64_t id,
                                     const json::object& body) {
  if (auto s = require_moderator(caller, "changing a survey"); !s) {
    return std::unexpected(s.error());
  }
  auto s = db_->get_survey(id);
  if (!s) return std::unexpected(s.error());
  auto status = string_field(body, "status", false, 16, s->status);
  if (!status) return std::unexpected(status.error());
  if (*status != "draft" && *status != "open" && *status != "closed") {
    return fail(Code::kBadRequestData, "status: must be draft, open or closed");
  }
  if (*status == "draft" && s->status != "draft") {
    return fail(Code::kConflict,
                "a survey that was opened cannot go back "
                "to draft");
  }
  bool structural = body.if_contains("questions") != nullptr ||
                    body.if_contains("anonymous") != nullptr;
  if (structural && s->status != "draft") {
    return fail(Code::kConflict,
                "questions and anonymity change only while the survey is a "
                "draft");
  }
  auto title = string_field(body, "title", false, 200, s->title);
  if (!title) return std::unexpected(title.error());
  auto anonymous = bool_field(body, "anonymous", s->anonymous);
  if (!anonymous) return std::unexpected(anonymous.error());
  if (const json::value* q = body.if_contains("questions")) {
    if (auto st = check_ideas(*q); !st) return std::unexpected(st.error());
    s->questions_json = to_json(questions_to_json(*parse_questions(*q)));
  }
  s->status = *status;
  s->title = *title;
  s->anonymous = *anonymous;
  if (auto st = db_->update_survey(*s); !st) {
    return std::unexpected(st.error());
  }
  return survey_json(*s);
}

Result<json::object> Surveys::import_invitations(const Caller& caller,
                                                 int64_t id,
                                                 std::string_view csv,
                                                 std::string_view link_base) {
  if (auto s = require_moderator(caller, "inviting respondents"); !s) {
    return std::unexpected(s.error());
  }
  auto survey = db_->get_survey(id);
  if (!survey) return std::unexpected(survey.error());
  if (survey->status == "closed") {
    return fail(Code::kConflict, "the survey is closed");
  }
  auto recipients = parse_recipients_csv(csv);
  if (!recipients) return std::unexpected(recipients.error());
  std::vector<store::CcNewInvitation> batch;
  batch.reserve(recipients->size());
  TimePoint now = clock_->now();
  for (auto& r : *recipients) {
    auto token = random_token();
    if (!token) return std::unexpected(token.error());
    store::CcNewInvitation item;
    item.invitation = {0, id, r.email, r.name, r.municipality, std::nullopt};
    item.token_hash = hash_token(*token);
    item.mail = invitation_mail(r.email, survey->title,
                                std::string(link_base) + *token, false, now);
    batch.push_back(std::move(item));
  }
  size_t n = batch.size();
  if (auto s = db_->add_invitations(std::move(batch)); !s) {
    return std::unexpected(s.error());
  }
  return json::object{{"invited", n}};
}

Result<json::array> Surveys::list_invitations(const Caller& caller,
                                              int64_t id) {
  if (auto s = require_moderator(caller, "listing invitations"); !s) {
    return std::unexpected(s.error());
  }
  if (auto s = db_->get_survey(id); !s) return std::unexpected(s.error());
  auto all = db_->list_invitations(id);
  if (!all) return std::unexpected(all.error());
  json::array out;
  for (const auto& inv : *all) {
    out.emplace_back(json::object{{"id", inv.id},
                                  {"email", inv.email},
                                  {"name", inv.name},
                                  {"municipality", inv.municipality},
                                  {"responded", inv.used_at.has_value()}});
  }
  return out;
}

Result<json::object> Surveys::send_reminders(const Caller& caller, int64_t id,
                                             std::string_view link_base) {
  if (auto s = require_moderator(caller, "sending reminders"); !s) {
    return std::unexpected(s.error());
  }
  auto survey = db_->get_survey(id);
  if (!survey) return std::unexpected(survey.error());
  if (survey->status != "open") {
    return fail(Code::kConflict, "reminders go out only for an open survey");
  }
  auto all = db_->list_invitations(id);
  if (!all) return std::unexpected(all.error());
  size_t n = 0;
  for (const auto& inv : *all) {
    if (inv.used_at) continue;
    auto token = random_token();
    if (!token) return std::unexpected(token.error());
    auto mail =
        invitation_mail(inv.email, survey->title,
                        std::string(link_base) + *token, true, clock_->now());
    if (auto s = db_->add_reminder(inv.id, hash_token(*token), mail); !s) {
      return std::unexpected(s.error());
    }
    ++n;
  }
  return json::object{{"reminded", n}};
}

Result<Surveys::Invited> Surveys::invitation(std::string_view token) {
  if (!well_formed_token(token)) {
    return fail(Code::kForbidden, "the invitation token is not valid");
  }
  auto inv = db_->find_invitation(hash_token(token));
  if (!inv) return std::unexpected(inv.error());
  if (!*inv) return fail(Code::kForbidden, "the invitation token is not valid");
  if ((*inv)->used_at) {
    return fail(Code::kConflict,
                "this invitation was used already: one response per "
                "invitation");
  }
  auto survey = db_->get_survey((*inv)->survey_id);
  if (!survey) return std::unexpected(survey.error());
  return Invited{std::move(**inv), std::move(*survey)};
}

Result<json::object> Surveys::open_invitation(std::string_view token) {
  auto inv = invitation(token);
  if (!inv) return std::unexpected(inv.error());
  auto survey = survey_json(inv->survey);
  if (!survey) return std::unexpected(survey.error());
  json::object ideas;
  auto questions = stored_questions(inv->survey);
  if (!questions) return std::unexpected(questions.error());
  for (const auto& q : *questions) {
    for (const auto& id : q.ideas) {
      auto idea = ideas_->get(id);
      if (idea) ideas[id] = json::object{{"title", idea->at("title")}};
    }
  }
  json::object out{{"survey", std::move(*survey)},
                   {"ideas", std::move(ideas)},
                   {"respondent", json::object{{"name", inv->invitation.name},
                                               {"municipality",
                                                inv->invitation.municipality}}},
                   {"draft", nullptr}};
  auto draft = db_->get_draft(inv->invitation.id);
  if (!draft) return std::unexpected(draft.error());
  if (*draft) {
    auto attributes = stored((*draft)->attributes_json);
    auto answers = stored((*draft)->answers_json);
    if (!attributes || !answers) return fail(Code::kInternal, "corrupt draft");
    out["draft"] =
        json::object{{"attributes", std::move(*attributes)},
                     {"answers", std::move(*answers)},
                     {"updated_at", format_iso_time((*draft)->updated_at)}};
  }
  return out;
}

Result<json::object> Surveys::save_draft(std::string_view token,
                                         const json::object& body) {
  auto inv = invitation(token);
  if (!inv) return std::unexpected(inv.error());
  if (inv->survey.status != "open") {
    return fail(Code::kConflict, "the survey is not open for answers");
  }
  auto questions = stored_questions(inv->survey);
  if (!questions) return std::unexpected(questions.error());
  if (auto s = check_response_body(*questions, body, Strictness::kDraft); !s) {
    return std::unexpected(s.error());
  }
  store::CcDraft d{member_json(body, "attributes"),
                   member_json(body, "answers"), clock_->now()};
  if (auto s = db_->save_draft(inv->invitation.id, d); !s) {
    return std::unexpected(s.error());
  }
  return json::object{{"saved", true},
                      {"updated_at", format_iso_time(d.updated_at)}};
}

Result<json::object> Surveys::submit(std::string_view token,
                                     const json::object& body) {
  auto inv = invitation(token);
  if (!inv) return std::unexpected(inv.error());
  if (inv->survey.status != "open") {
    return fail(Code::kConflict, "the survey is not open for answers");
  }
  auto questions = stored_questions(inv->survey);
  if (!questions) return std::unexpected(questions.error());
  if (auto s = check_response_body(*questions, body, Strictness::kSubmission);
      !s) {
    return std::unexpected(s.error());
  }
  TimePoint now = clock_->now();
  store::CcResponse r{0,
                      inv->survey.id,
                      std::nullopt,
                      member_json(body, "attributes"),
                      member_json(body, "answers"),
                      now};
  auto id =
      db_->submit_response(r, inv->invitation.id, inv->survey.anonymous, now);
  if (!id) return std::unexpected(id.error());
  return json::object{{"submitted", true},
                      {"anonymous", inv->survey.anonymous}};
}

Result<json::object> Surveys::computed_results(int64_t id) {
  auto survey = db_->get_survey(id);
  if (!survey) return std::unexpected(survey.error());
  auto questions = stored_questions(*survey);
  if (!questions) return std::unexpected(questions.error());
  auto rows = db_->list_responses(id);
  if (!rows) return std::unexpected(rows.error());
  std::vector<ParsedResponse> responses;
  responses.reserve(rows->size());
  for (const auto& row : *rows) {
    auto attributes = stored(row.attributes_json);
    auto answers = stored(row.answers_json);
    if (!attributes || !answers || !attributes->is_object() ||
        !answers->is_object()) {
      return fail(Code::kInternal,
                  "response " + std::to_string(row.id) + " is corrupt");
    }
    responses.push_back({std::move(attributes->get_object()),
                         std::move(answers->get_object())});
  }
  json::object out = compute_results(*questions, responses);
  out["survey"] = id;
  out["title"] = survey->title;
  return out;
}

Result<json::object> Surveys::results(const Caller& caller, int64_t id) {
  if (!can_moderate(caller.role) &&
      caller.role != AccountRole::kDecisionMaker) {
    return fail(Code::kForbidden,
                "results before publication are for moderators and decision "
                "makers");
  }
  return computed_results(id);
}

Result<std::string> Surveys::results_csv(const Caller& caller, int64_t id) {
  auto r = results(caller, id);
  if (!r) return std::unexpected(r.error());
  return results_to_csv(*r);
}

Result<json::array> Surveys::free_text(const Caller& caller, int64_t id) {
  if (auto s = require_moderator(caller, "reading free-text answers"); !s) {
    return std::unexpected(s.error());
  }
  auto survey = db_->get_survey(id);
  if (!survey) return std::unexpected(survey.error());
  auto questions = stored_questions(*survey);
  if (!questions) return std::unexpected(questions.error());
  auto rows = db_->list_responses(id);
  if (!rows) return std::unexpected(rows.error());
  json::array out;
  for (const auto& row : *rows) {
    auto answers = stored(row.answers_json);
    if (!answers || !answers->is_object()) continue;
    for (const auto& q : *questions) {
      if (q.type != QuestionType::kFreeText) continue;
      const json::value* a = answers->get_object().if_contains(q.id);
      if (a == nullptr || !a->is_string() || a->get_string().empty()) continue;
      out.emplace_back(
          json::object{{"response", row.id}, {"question", q.id}, {"text", *a}});
    }
  }
  return out;
}

Result<json::object> Surveys::publish(const Caller& caller, int64_t id) {
  if (auto s = require_moderator(caller, "publishing results"); !s) {
    return std::unexpected(s.error());
  }
  auto r = computed_results(id);
  if (!r) return std::unexpected(r.error());
  (*r)["published_at"] = format_iso_time(clock_->now());
  auto survey = db_->get_survey(id);
  if (!survey) return std::unexpected(survey.error());
  survey->published_json = to_json(*r);
  if (auto s = db_->update_survey(*survey); !s) {
    return std::unexpected(s.error());
  }
  return std::move(*r);
}

Result<json::value> Surveys::published(int64_t id) {
  auto survey = db_->get_survey(id);
  if (!survey) return std::unexpected(survey.error());
  if (survey->published_json.empty()) {
    return fail(Code::kNotFound, "the results of survey " + std::to_string(id) +
                                     " are not published");
  }
  return stored(survey->published_json);
}

Result<json::array> Surveys::outbox(const Caller& caller, size_t limit) {
  if (auto s = require_moderator(caller, "reading the outbox"); !s) {
    return std::unexpected(s.error());
  }
  auto mails = db_->list_outbox(limit);
  if (!mails) return std::unexpected(mails.error());
  json::array out;
  for (const auto& m : *mails) {
    out.emplace_back(json::object{
        {"id", m.id},
        {"to", m.to},
        {"subject", m.subject},
        {"body", m.body},
        {"created_at", format_iso_time(m.created_at)},
        {"sent_at", m.sent_at ? json::value(format_iso_time(*m.sent_at))
                              : json::value(nullptr)}});
  }
  return out;
}

Status Surveys::mark_sent(const Caller& caller, int64_t mail_id) {
  if (auto s = require_moderator(caller, "draining the outbox"); !s) return s;
  return db_->mark_sent(mail_id, clock_->now());
}

}  // namespace cocity::apps::cocreation
