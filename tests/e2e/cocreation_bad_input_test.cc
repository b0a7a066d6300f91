// Every bad input the co-creation API must refuse (issue 6, "Done when"):
// wrong role, reused or forged invitation, double vote, vote after close,
// malformed answers, oversize CSV, CSRF without token. Each case checks the
// status, that the ProblemDetails detail says what is wrong, and that the
// state an admin can read is byte for byte the same before and after.
// (Live-session votes are tested with the live sessions.)
#include <functional>
#include <set>
#include <thread>
#include <vector>

#include "cocreation_fixture.h"

namespace cocity::test {
namespace {

// Two surveys: "open" with every question type (a answered, b holds a
// draft, c untouched) and "closed" (d never answered).
class BadInputTest : public CocreationFixture {
 protected:
  void SetUp() override {
    CocreationFixture::SetUp();
    if (HasFatalFailure()) return;
    moderator_ = account("mod@town.de", "moderator");
    decider_ = account("dm@town.de", "decision_maker");
    ASSERT_EQ(post("/api/v1/auth/register",
                   R"({"email": "cit@town.de", "name": "C",
                       "password": "a long enough password"})")
                  .status,
              201u);
    citizen_ = login("cit@town.de");

    process_ = call_json(admin_, "POST", "/api/v1/processes",
                         R"({"title": "Dialog", "status": "active",
                             "municipalities": ["Musterstadt"]})",
                         201)
                   .at("id")
                   .as_int64();
    challenge_ = call_json(citizen_, "POST",
                           path("/processes/", process_) + "/challenges",
                           R"({"title": "Parking", "municipality":
                               "Musterstadt"})",
                           201)
                     .at("id")
                     .as_int64();
    comment_ =
        call_json(citizen_, "POST", "/api/v1/comments",
                  R"({"target": "idea:smart-parking", "text": "Yes"})", 201)
            .at("id")
            .as_int64();
    call_json(admin_, "POST", "/api/v1/contacts",
              R"({"municipality": "Musterstadt", "name": "Eva",
                  "region": "Nord", "contact": "eva@op.de"})",
              201);

    survey_ = make_survey("a@x.de;b@x.de;c@x.de");
    a_ = last_token("a@x.de");
    b_ = last_token("b@x.de");
    c_ = last_token("c@x.de");
    ASSERT_EQ(respond("POST", a_, full_answer()).status, 201u);
    ASSERT_EQ(respond("PUT", b_, R"({"answers": {"agree": 4}})").status, 200u);
    closed_ = make_survey("d@x.de");
    d_ = last_token("d@x.de");
    call_json(admin_, "PATCH", path("/surveys/", closed_),
              R"({"status": "closed"})", 200);
  }

  static std::string path(const char* prefix, int64_t id) {
    return "/api/v1" + std::string(prefix) + std::to_string(id);
  }

  int64_t make_survey(const std::string& emails) {
    auto id =
        call_json(admin_, "POST", path("/processes/", process_) + "/surveys",
                  R"({"title": "All types", "questions": [
          {"id": "agree", "type": "likert", "text": "L", "required": true},
          {"id": "rate", "type": "idea_rating", "text": "R",
           "ideas": ["smart-parking", "air-quality-network"],
           "criteria": ["benefit", "cost"]},
          {"id": "rank", "type": "ranking", "text": "K",
           "options": ["x", "y", "z"]},
          {"id": "budget", "type": "budget", "text": "B",
           "options": ["p", "q"]},
          {"id": "one", "type": "single_choice", "text": "S",
           "options": ["yes", "no"]},
          {"id": "many", "type": "multiple_choice", "text": "M",
           "options": ["r", "s", "t"], "max_choices": 2},
          {"id": "say", "type": "free_text", "text": "F",
           "max_length": 20}]})",
                  201)
            .at("id")
            .as_int64();
    std::string base = path("/surveys/", id);
    std::string csv = "email\n";
    for (size_t start = 0; start < emails.size();) {
      size_t end = emails.find(';', start);
      if (end == std::string::npos) end = emails.size();
      csv += emails.substr(start, end - start) + "\n";
      start = end + 1;
    }
    call_json(admin_, "POST", base + "/invitations", csv, 201);
    call_json(admin_, "PATCH", base, R"({"status": "open"})", 200);
    return id;
  }

  static std::string full_answer(const std::string& answers_extra = "",
                                 const std::string& attributes =
                                     R"("state": "DE-BY",
                                        "size_class": "5k_20k",
                                        "role": "mayor")") {
    return R"({"attributes": {)" + attributes + R"(},
               "answers": {"agree": 4,
                 "rate": {"smart-parking": {"benefit": 5, "cost": 2}},
                 "rank": ["y", "x", "z"], "budget": {"p": 30, "q": 70},
                 "one": "yes", "many": ["r"], "say": "Radwege")" +
           answers_extra + "}}";
  }

  // Everything an admin can read, plus what each respondent link shows.
  std::string snapshot() {
    json::object s;
    auto read = [&](const std::string& target) {
      auto r = call(admin_, "GET", target);
      s[target] = json::object{{"status", r.status}, {"body", r.body}};
    };
    read("/api/v1/accounts");
    read("/api/v1/processes");
    read(path("/processes/", process_));
    read(path("/processes/", process_) + "/challenges");
    read(path("/processes/", process_) + "/contacts");
    read(path("/processes/", process_) + "/surveys");
    read("/api/v1/comments?target=idea:smart-parking");
    read("/api/v1/ideas");
    read("/api/v1/outbox");
    for (int64_t survey : {survey_, closed_}) {
      for (const char* part : {"", "/invitations", "/results",
                               "/results?format=csv", "/free-text"}) {
        read(path("/surveys/", survey) + part);
      }
      read(path("/public/surveys/", survey) + "/results");
    }
    for (const std::string* token : {&a_, &b_, &c_, &d_}) {
      auto r = respond("GET", *token);
      s["respond:" + *token] =
          json::object{{"status", r.status}, {"body", r.body}};
    }
    return to_json(s);
  }

  // Runs `request`, which must be refused with `status` and a detail
  // containing `detail_part`, and checks that the state did not change.
  template <typename F>
  void expect_no_change(const std::string& what, unsigned status,
                        std::string_view detail_part, F request) {
    std::string before = snapshot();
    Response r = request();
    expect_refused(r, status, detail_part, what);
    EXPECT_EQ(snapshot(), before) << what << " changed the state";
  }

  Session moderator_, decider_, citizen_;
  int64_t process_ = 0, challenge_ = 0, comment_ = 0;
  int64_t survey_ = 0, closed_ = 0;
  std::string a_, b_, c_, d_;
};

// The snapshot is not blind: accepted requests of the kinds refused below
// do show up in it.
TEST_F(BadInputTest, SnapshotSeesEveryKindOfChange) {
  std::string s = path("/surveys/", survey_);
  std::vector<std::function<Response()>> changes = {
      [&] { return respond("PUT", b_, R"({"answers": {"agree": 1}})"); },
      [&] { return respond("POST", c_, full_answer()); },
      [&] {
        return call(admin_, "PATCH", path("/comments/", comment_),
                    R"({"status": "approved"})");
      },
      [&] {
        return call(admin_, "POST", s + "/invitations", "email\nn@x.de\n");
      },
      [&] { return call(admin_, "POST", s + "/publish"); },
      [&] { return call(admin_, "POST", "/api/v1/outbox/1/sent"); },
      [&] {
        return call(admin_, "PATCH", path("/processes/", process_),
                    R"({"title": "Renamed"})");
      },
  };
  for (size_t i = 0; i < changes.size(); ++i) {
    std::string before = snapshot();
    Response r = changes[i]();
    EXPECT_LT(r.status, 300u) << i << ": " << r.body;
    EXPECT_NE(snapshot(), before) << "change " << i << " not seen";
  }
}

struct Call {
  const char* method;
  std::string target;
  std::string body;
};

TEST_F(BadInputTest, WrongRoleIsRefusedAndChangesNothing) {
  std::string s = path("/surveys/", survey_);
  std::string p = path("/processes/", process_);
  std::string mail_id = "1";
  // Moderator work, refused to citizens and decision makers alike.
  std::vector<Call> moderation = {
      {"POST", "/api/v1/processes", R"({"title": "Mine"})"},
      {"PATCH", p, R"({"title": "Renamed"})"},
      {"PATCH", path("/challenges/", challenge_), R"({"status": "accepted"})"},
      {"PATCH", path("/comments/", comment_), R"({"status": "approved"})"},
      {"POST", "/api/v1/contacts",
       R"({"municipality": "Musterstadt", "name": "X", "region": "S",
           "contact": "x@op.de"})"},
      {"POST", "/api/v1/ideas",
       R"({"domain": "mobility", "title": {"de": "Rufbus"},
           "description": {"de": "Bus"}})"},
      {"POST", p + "/surveys",
       R"({"title": "T", "questions": [{"id": "q", "type": "likert",
           "text": "Q"}]})"},
      {"PATCH", s, R"({"status": "closed"})"},
      {"POST", s + "/invitations", "email\nnew@x.de\n"},
      {"GET", s + "/invitations", ""},
      {"POST", s + "/reminders", ""},
      {"GET", s + "/free-text", ""},
      {"POST", s + "/publish", ""},
      {"GET", "/api/v1/outbox", ""},
      {"POST", "/api/v1/outbox/" + mail_id + "/sent", ""},
      {"GET", "/api/v1/accounts", ""},
      {"POST", "/api/v1/auth/invitations",
       R"({"email": "new@town.de", "role": "citizen"})"},
  };
  for (const Session* who : {&citizen_, &decider_}) {
    for (const Call& c : moderation) {
      std::string what = std::string(who == &citizen_ ? "citizen " : "dm ") +
                         c.method + " " + c.target;
      expect_no_change(what, 403, "",
                       [&] { return call(*who, c.method, c.target, c.body); });
    }
  }
  // Unpublished results: decision makers yes, citizens no.
  expect_no_change("citizen GET results", 403, "decision makers",
                   [&] { return call(citizen_, "GET", s + "/results"); });
  EXPECT_EQ(call(decider_, "GET", s + "/results").status, 200u);
  // Moderators invite only decision makers and citizens, list no accounts.
  for (const char* role : {"admin", "moderator"}) {
    expect_no_change(std::string("moderator invites ") + role, 403, "", [&] {
      return call(moderator_, "POST", "/api/v1/auth/invitations",
                  R"({"email": "new@town.de", "role": ")" + std::string(role) +
                      R"("})");
    });
  }
  expect_no_change("moderator GET accounts", 403, "",
                   [&] { return call(moderator_, "GET", "/api/v1/accounts"); });
  // Not logged in at all.
  expect_no_change("anonymous POST process", 401, "not logged in", [&] {
    return post("/api/v1/processes", R"({"title": "Anon"})");
  });
}

TEST_F(BadInputTest, CsrfWithoutTokenIsRefusedAndChangesNothing) {
  std::string s = path("/surveys/", survey_);
  std::string p = path("/processes/", process_);
  std::vector<Call> writes = {
      {"POST", "/api/v1/processes", R"({"title": "Sneaky"})"},
      {"PATCH", p, R"({"title": "Sneaky"})"},
      {"POST", p + "/challenges",
       R"({"title": "Sneaky", "municipality": "Musterstadt"})"},
      {"PATCH", path("/challenges/", challenge_), R"({"status": "rejected"})"},
      {"POST", "/api/v1/comments",
       R"({"target": "idea:smart-parking", "text": "Sneaky"})"},
      {"PATCH", path("/comments/", comment_), R"({"status": "rejected"})"},
      {"POST", "/api/v1/contacts",
       R"({"municipality": "Musterstadt", "name": "X", "region": "S",
           "contact": "x@op.de"})"},
      {"POST", "/api/v1/ideas",
       R"({"domain": "mobility", "title": {"de": "Sneaky"},
           "description": {"de": "Sneaky"}})"},
      {"POST", p + "/surveys",
       R"({"title": "T", "questions": [{"id": "q", "type": "likert",
           "text": "Q"}]})"},
      {"PATCH", s, R"({"status": "closed"})"},
      {"POST", s + "/invitations", "email\nsneaky@x.de\n"},
      {"POST", s + "/reminders", ""},
      {"POST", s + "/publish", ""},
      {"POST", "/api/v1/outbox/1/sent", ""},
      {"POST", "/api/v1/auth/invitations",
       R"({"email": "sneaky@town.de", "role": "admin"})"},
      {"POST", "/api/v1/auth/logout", ""},
      {"DELETE", "/api/v1/me", ""},
  };
  // Missing, wrong, and another session's token.
  std::vector<std::pair<std::string, std::string>> tokens = {
      {"no token", ""},
      {"forged token", std::string(64, 'a')},
      {"the moderator's token", moderator_.csrf}};
  for (const Call& c : writes) {
    for (const auto& [label, token] : tokens) {
      Headers h = as(admin_, false);
      if (!token.empty()) h.emplace_back("x-csrf-token", token);
      expect_no_change(
          label + ": " + c.method + " " + c.target, 403, "CSRF",
          [&] { return client_->request(c.method, c.target, c.body, h); });
    }
  }
  // The session survived the refused logout and account deletion.
  EXPECT_EQ(call(admin_, "GET", "/api/v1/auth/me").status, 200u);
}

TEST_F(BadInputTest, ForgedAndReusedInvitationsChangeNothing) {
  std::string body = full_answer();
  struct Token {
    std::string label;
    std::string token;
    unsigned status;
  };
  std::vector<Token> tokens = {
      {"no token", "", 403},
      {"not hex", "nonsense", 403},
      {"random 64 hex", std::string(64, 'f'), 403},
      {"one character short", c_.substr(0, 63), 403},
      {"reused (already answered)", a_, 409},
  };
  for (const auto& t : tokens) {
    for (const char* method : {"GET", "PUT", "POST"}) {
      std::string what = t.label + ": " + method;
      expect_no_change(what, t.status, "", [&] {
        return respond(method, t.token, method[0] == 'G' ? "" : body);
      });
    }
  }
  // Account invitations: forged, then reused.
  call_json(admin_, "POST", "/api/v1/auth/invitations",
            R"({"email": "new@town.de", "role": "citizen"})", 201);
  std::string token = last_token("new@town.de");
  ASSERT_EQ(post("/api/v1/auth/accept-invitation",
                 R"({"token": ")" + token + R"(", "name": "New",
                     "password": "a long enough password"})")
                .status,
            201u);
  for (const std::string& t : {std::string(64, '0'), token}) {
    expect_no_change("accept invitation " + t.substr(0, 4), 403, "", [&] {
      return post("/api/v1/auth/accept-invitation",
                  R"({"token": ")" + t + R"(", "name": "Evil",
                      "password": "another long password"})");
    });
  }
}

TEST_F(BadInputTest, DoubleVoteChangesNothing) {
  expect_no_change("second submission", 409, "", [&] {
    return respond("POST", a_, full_answer("", R"("state": "DE-HE",
        "size_class": "over_500k", "role": "it")"));
  });
  // Two submissions racing on one link: exactly one counts.
  std::string body = full_answer();
  Response first, second;
  std::thread t1([&] {
    HttpClient own(server_->port());
    first = own.request(
        "POST", "/api/v1/respond", body,
        {{"content-type", "application/json"}, {"x-invitation-token", c_}});
  });
  std::thread t2([&] {
    HttpClient own(server_->port());
    second = own.request(
        "POST", "/api/v1/respond", body,
        {{"content-type", "application/json"}, {"x-invitation-token", c_}});
  });
  t1.join();
  t2.join();
  std::multiset<unsigned> statuses = {first.status, second.status};
  EXPECT_EQ(statuses, (std::multiset<unsigned>{201u, 409u}))
      << first.body << " / " << second.body;
  auto results = call_json(admin_, "GET",
                           path("/surveys/", survey_) + "/results", "", 200);
  EXPECT_EQ(results.at("respondents").as_int64(), 2);  // a and c
}

TEST_F(BadInputTest, VoteAfterCloseChangesNothing) {
  expect_no_change("submit after close", 409, "not open",
                   [&] { return respond("POST", d_, full_answer()); });
  expect_no_change("draft after close", 409, "not open", [&] {
    return respond("PUT", d_, R"({"answers": {"agree": 2}})");
  });
  // Closing the open survey stops b (with a draft) and c as well.
  call_json(admin_, "PATCH", path("/surveys/", survey_),
            R"({"status": "closed"})", 200);
  for (const std::string* token : {&b_, &c_}) {
    expect_no_change("submit after close", 409, "not open",
                     [&] { return respond("POST", *token, full_answer()); });
  }
}

TEST_F(BadInputTest, MalformedAnswersAreNamedAndChangeNothing) {
  struct Case {
    std::string body;
    std::string detail;  // part of the ProblemDetails detail
  };
  std::string nested = std::string(40, '[') + std::string(40, ']');
  auto with = [](const std::string& answers) {
    return R"({"attributes": {"state": "DE-BY", "size_class": "5k_20k",
                              "role": "mayor"}, "answers": )" +
           answers + "}";
  };
  std::vector<Case> cases = {
      {"{", ""},
      {"[]", "JSON object"},
      {R"({"attributes": {}, "answers": {"agree": 4}})",
       "attributes.state: required"},
      {R"({"attributes": [], "answers": {"agree": 4}})",
       "attributes: must be an object"},
      {with("[]"), "answers: must be an object"},
      {full_answer(R"(, "nope": 1)"), "answers.nope: no such question"},
      {full_answer("", R"("state": "DE-XX", "size_class": "5k_20k",
                          "role": "mayor")"),
       "attributes.state"},
      {full_answer("", R"("state": "DE-BY", "size_class": "5k_20k",
                          "role": "mayor", "age": "40")"),
       "attributes.age"},
      {full_answer("", R"("state": "DE-BY", "size_class": "5k_20k")"),
       "attributes.role: required"},
      {with(R"({"say": "x"})"), "answers.agree: an answer is required"},
      {with(R"({"agree": 6})"), "answers.agree"},
      {with(R"({"agree": 2.5})"), "answers.agree"},
      {with(R"({"agree": "maybe"})"), "answers.agree"},
      {with(R"({"rate": {"unknown-idea": {"benefit": 3}}})"), "answers.rate"},
      {with(R"({"rate": {"smart-parking": {"urgency": 3}}})"), "answers.rate"},
      {with(R"({"rate": {"smart-parking": {"benefit": 0}}})"), "answers.rate"},
      {with(R"({"rank": ["x", "x", "y"]})"), "answers.rank"},
      {with(R"({"rank": ["x", "w"]})"), "answers.rank"},
      {with(R"({"budget": {"p": -5, "q": 105}})"), "answers.budget"},
      {with(R"({"budget": {"p": 30, "r": 70}})"), "answers.budget"},
      {with(R"({"one": "maybe"})"), "answers.one"},
      {with(R"({"many": ["r", "s", "t"]})"), "answers.many"},
      {with(R"({"say": 42})"), "answers.say"},
      {with(R"({"say": "this text is longer than twenty"})"), "answers.say"},
      {with(nested), ""},
  };
  for (const auto& c : cases) {
    for (const char* method : {"PUT", "POST"}) {
      // Drafts may be incomplete; they must still be well-formed.
      bool completeness = c.detail.find("required") != std::string::npos;
      if (completeness && method[1] == 'U') continue;
      std::string what =
          std::string(method) + " " + c.body.substr(0, 60) + "...";
      expect_no_change(what, 400, c.detail,
                       [&] { return respond(method, b_, c.body); });
    }
  }
  // Submissions must be complete: a full ranking, the budget spent.
  expect_no_change("incomplete ranking", 400, "answers.rank", [&] {
    std::string body = full_answer();
    body.replace(body.find(R"(["y", "x", "z"])"), 15, R"(["y", "x"])");
    return respond("POST", b_, body);
  });
  expect_no_change("budget not spent", 400, "answers.budget", [&] {
    std::string body = full_answer();
    body.replace(body.find(R"("q": 70)"), 7, R"("q": 60)");
    return respond("POST", b_, body);
  });
}

TEST_F(BadInputTest, OversizeAndBrokenCsvImportsChangeNothing) {
  std::string target = path("/surveys/", survey_) + "/invitations";
  std::string big = "email\n";
  while (big.size() <= 4 * 1024 * 1024) big += "someone@example.org\n";
  expect_no_change("CSV over 4 MiB", 413, "limit",
                   [&] { return call(admin_, "POST", target, big); });
  std::string many = "email\n";
  for (int i = 0; i <= 50000; ++i) many += "p" + std::to_string(i) + "@x.de\n";
  ASSERT_LT(many.size(), 4u * 1024 * 1024);
  expect_no_change("CSV over 50,000 rows", 413, "50000",
                   [&] { return call(admin_, "POST", target, many); });
  expect_no_change("no email column", 400, "email",
                   [&] { return call(admin_, "POST", target, "name\nA\n"); });
  expect_no_change("bad address", 400, "line 3", [&] {
    return call(admin_, "POST", target, "email\nok@x.de\nbroken@\n");
  });
  expect_no_change("duplicate in the file", 400, "line 3", [&] {
    return call(admin_, "POST", target, "email\ndup@x.de\ndup@x.de\n");
  });
  expect_no_change("already invited", 409, "", [&] {
    return call(admin_, "POST", target, "email\nfresh@x.de\na@x.de\n");
  });
}

}  // namespace
}  // namespace cocity::test
