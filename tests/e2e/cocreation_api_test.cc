// The co-creation API over loopback: the real server (in-process, open
// mode, its own data directory) with the co-creation routes. Each flow and
// each bad input (wrong role, reused or forged invitation, malformed
// answers, oversize CSV, missing CSRF token), checking that a refused
// request changes nothing.
#include <string>

#include "cocreation_fixture.h"
#include "server/api_keys.h"
#include "server/fake_key_store.h"

namespace cocity::test {
namespace {

class ApiTestBase : public ::testing::Test {
 protected:
  void start(bool open, store::KeyStore* keys = nullptr) {
    server_ = std::make_unique<CocreationTestServer>();
    auto s = server_->start(open, keys);
    ASSERT_TRUE(s) << s.error().detail;
    client_ = std::make_unique<HttpClient>(server_->port());
  }
  void TearDown() override {
    client_.reset();
    server_.reset();
  }
  Response post(std::string_view target, std::string_view body,
                Headers headers = kJson) {
    return client_->request("POST", target, body, headers);
  }
  Response get(std::string_view target, Headers headers = {}) {
    return client_->get(target, headers);
  }
  json::value get_json(std::string_view target, Headers headers = {}) {
    auto r = get(target, headers);
    EXPECT_EQ(r.status, 200u) << target << ": " << r.body;
    auto v = parse_json(r.body);
    return v ? *v : json::value();
  }

  std::unique_ptr<CocreationTestServer> server_;
  std::unique_ptr<HttpClient> client_;
};

using Login = Session;

class CocreationApiTest : public CocreationFixture {
 protected:
  Response get(std::string_view target, Headers headers = {}) {
    return client_->get(target, headers);
  }
  json::value get_json(std::string_view target, Headers headers = {}) {
    auto r = get(target, headers);
    EXPECT_EQ(r.status, 200u) << target << ": " << r.body;
    auto v = parse_json(r.body);
    return v ? *v : json::value();
  }

  int64_t make_process(const char* extra = "") {
    auto v = call_json(admin_, "POST", "/api/v1/processes",
                       std::string(R"({"title": "Online survey spring 2026",
                           "status": "active",
                           "phases": [{"name": "survey",
                                       "starts_at": "2026-03-01",
                                       "ends_at": "2026-04-30"}],
                           "municipalities": ["Musterstadt", "Beispieldorf"])") +
                           extra + "}",
                       201);
    return v.at("id").as_int64();
  }

  int64_t make_survey(int64_t process, bool anonymous = false) {
    std::string body = R"({"title": "Ideas", "anonymous": )" +
                       std::string(anonymous ? "true" : "false") +
                       R"(, "questions": [
        {"id": "rate", "type": "idea_rating", "text": "Rate the ideas",
         "ideas": ["smart-parking", "air-quality-network"], "required": true},
        {"id": "agree", "type": "likert", "text": "Digital matters"},
        {"id": "budget", "type": "budget", "text": "Spend 100",
         "options": ["parking", "air"]},
        {"id": "say", "type": "free_text", "text": "Anything else?"}]})";
    auto v = call_json(
        admin_, "POST",
        "/api/v1/processes/" + std::to_string(process) + "/surveys", body, 201);
    return v.at("id").as_int64();
  }

  void open_survey(int64_t survey) {
    call_json(admin_, "PATCH", "/api/v1/surveys/" + std::to_string(survey),
              R"({"status": "open"})", 200);
  }

  Response respond(std::string_view method, std::string_view target,
                   const std::string& token, std::string_view body = {}) {
    return client_->request(
        method, target, body,
        {{"content-type", "application/json"}, {"x-invitation-token", token}});
  }

  static std::string answer(int parking, int air) {
    return R"({"attributes": {"state": "DE-BY", "size_class": "5k_20k",
                              "role": "mayor"},
               "answers": {"rate": {"smart-parking": {"benefit": )" +
           std::to_string(parking) + R"(, "cost": 3},
                                    "air-quality-network": {"benefit": )" +
           std::to_string(air) + R"(}},
                           "budget": {"parking": 40, "air": 60},
                           "say": "Mehr Radwege"}})";
  }
};

TEST_F(CocreationApiTest, LoginSessionCookieAndLogout) {
  auto again = post("/api/v1/cocreation/bootstrap",
                    R"({"email": "b@town.de", "name": "B",
                        "password": "a long enough password"})");
  EXPECT_EQ(again.status, 409u) << again.body;

  auto wrong = post("/api/v1/auth/login",
                    R"({"email": "admin@town.de", "password": "wrong one!!"})");
  EXPECT_EQ(wrong.status, 401u);
  auto unknown = post("/api/v1/auth/login",
                      R"({"email": "x@town.de", "password": "wrong one!!"})");
  EXPECT_EQ(unknown.status, 401u);
  EXPECT_EQ(problem_detail(wrong), problem_detail(unknown));

  auto r = post("/api/v1/auth/login",
                R"({"email": "Admin@Town.de",
                    "password": "a long enough password"})");
  ASSERT_EQ(r.status, 200u);
  std::string cookie(r.header("set-cookie"));
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("Secure"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Lax"), std::string::npos);

  auto me = call_json(admin_, "GET", "/api/v1/auth/me", "", 200);
  EXPECT_EQ(me.at("account").at("role"), "admin");
  EXPECT_EQ(me.at("csrf_token").as_string(), admin_.csrf);

  EXPECT_EQ(get("/api/v1/processes").status, 401u);
  auto logout = call(admin_, "POST", "/api/v1/auth/logout");
  EXPECT_EQ(logout.status, 204u);
  EXPECT_EQ(call(admin_, "GET", "/api/v1/auth/me").status, 401u);
}

TEST_F(CocreationApiTest, CsrfTokenRequiredForCookieWrites) {
  auto r = client_->request("POST", "/api/v1/processes",
                            R"({"title": "Sneaky"})", as(admin_, false));
  EXPECT_EQ(r.status, 403u);
  EXPECT_NE(problem_detail(r).find("CSRF"), std::string::npos);
  Headers forged = as(admin_, false);
  forged.emplace_back("x-csrf-token", std::string(64, 'a'));
  EXPECT_EQ(client_
                ->request("POST", "/api/v1/processes", R"({"title": "Sneaky"})",
                          forged)
                .status,
            403u);
  auto list = call_json(admin_, "GET", "/api/v1/processes", "", 200);
  EXPECT_TRUE(list.as_array().empty());  // nothing was created
}

TEST_F(CocreationApiTest, AccountInvitationsAndRoles) {
  Login mod = account("mod@town.de", "moderator");
  auto me = call_json(mod, "GET", "/api/v1/auth/me", "", 200);
  EXPECT_EQ(me.at("account").at("role"), "moderator");

  // The invitation was single-use.
  auto reuse = post("/api/v1/auth/accept-invitation",
                    R"({"token": ")" + last_token("mod@town.de") +
                        R"(", "name": "X", "password": "another long one"})");
  EXPECT_EQ(reuse.status, 403u) << reuse.body;
  auto forged = post("/api/v1/auth/accept-invitation",
                     R"({"token": "0000", "name": "X",
                         "password": "another long one"})");
  EXPECT_EQ(forged.status, 403u);

  // A moderator may not invite an admin; a citizen may not create processes.
  auto r = call(mod, "POST", "/api/v1/auth/invitations",
                R"({"email": "evil@town.de", "role": "admin"})");
  EXPECT_EQ(r.status, 403u);
  auto reg = post("/api/v1/auth/register",
                  R"({"email": "c@town.de", "name": "C",
                      "password": "a long enough password"})");
  ASSERT_EQ(reg.status, 201u) << reg.body;
  Login citizen = login("c@town.de");
  r = call(citizen, "POST", "/api/v1/processes", R"({"title": "Mine"})");
  EXPECT_EQ(r.status, 403u);
  EXPECT_NE(problem_detail(r).find("citizen"), std::string::npos);
  EXPECT_EQ(call(citizen, "GET", "/api/v1/accounts").status, 403u);
  auto accounts = call_json(admin_, "GET", "/api/v1/accounts", "", 200);
  EXPECT_EQ(accounts.as_array().size(), 3u);
  EXPECT_EQ(
      call_json(admin_, "GET", "/api/v1/processes", "", 200).as_array().size(),
      0u);
}

TEST_F(CocreationApiTest, IdeaCatalogueAndOwnIdeas) {
  auto ideas = get_json("/api/v1/ideas");
  ASSERT_EQ(ideas.as_array().size(), 22u);
  auto parking = get_json("/api/v1/ideas/smart-parking");
  EXPECT_EQ(parking.at("source"), "catalogue");
  EXPECT_EQ(get("/api/v1/ideas/unknown").status, 404u);

  auto bad = call(admin_, "POST", "/api/v1/ideas",
                  R"({"domain": "mobility", "title": {"de": "Rufbus"}})");
  EXPECT_EQ(bad.status, 400u);
  EXPECT_NE(problem_detail(bad).find("idea.description"), std::string::npos);
  auto own = call_json(admin_, "POST", "/api/v1/ideas",
                       R"({"domain": "mobility", "title": {"de": "Rufbus"},
                           "description": {"de": "Ein Bus auf Abruf"}})",
                       201);
  EXPECT_EQ(own.at("id"), "own-1");
  EXPECT_EQ(get_json("/api/v1/ideas").as_array().size(), 23u);
  EXPECT_EQ(get_json("/api/v1/ideas/own-1").at("source"), "tenant");
  // Tenants do not share their own ideas.
  auto other = get_json("/api/v1/ideas", {{"ngsild-tenant", "other"}});
  EXPECT_EQ(other.as_array().size(), 22u);
}

TEST_F(CocreationApiTest, SurveyFlowFromInvitationToPublishedResults) {
  int64_t survey = make_survey(make_process());
  std::string base = "/api/v1/surveys/" + std::to_string(survey);
  auto imported = call_json(
      admin_, "POST", base + "/invitations",
      "email;name;municipality\na@x.de;A;Musterstadt\nb@x.de;B;Musterstadt\n"
      "c@x.de;C;Beispieldorf\n",
      201);
  EXPECT_EQ(imported.at("invited").as_int64(), 3);
  std::string a = last_token("a@x.de"), b = last_token("b@x.de");

  // Not open yet.
  EXPECT_EQ(respond("POST", "/api/v1/respond", a, answer(5, 4)).status, 409u);
  open_survey(survey);

  auto opened = respond("GET", "/api/v1/respond", a);
  ASSERT_EQ(opened.status, 200u) << opened.body;
  auto doc = parse_json(opened.body);
  EXPECT_TRUE(doc->at("draft").is_null());
  EXPECT_TRUE(doc->at("ideas").as_object().contains("smart-parking"));

  auto draft = respond("PUT", "/api/v1/respond/draft", a,
                       R"({"answers": {"budget": {"parking": 10}}})");
  EXPECT_EQ(draft.status, 200u) << draft.body;
  doc = parse_json(respond("GET", "/api/v1/respond", a).body);
  EXPECT_EQ(doc->at("draft").at("answers").at("budget").at("parking"), 10);

  // Malformed answers: 400 naming the question, nothing stored.
  auto bad = respond("POST", "/api/v1/respond", a,
                     R"({"attributes": {"state": "DE-BY",
                         "size_class": "5k_20k", "role": "mayor"},
                         "answers": {"rate": {"smart-parking":
                                              {"benefit": 9}}}})");
  EXPECT_EQ(bad.status, 400u);
  EXPECT_NE(problem_detail(bad).find("answers.rate"), std::string::npos)
      << bad.body;
  auto budget = respond("POST", "/api/v1/respond", a,
                        R"({"attributes": {"state": "DE-BY",
                            "size_class": "5k_20k", "role": "mayor"},
                            "answers": {"rate": {"smart-parking":
                                                 {"benefit": 3}},
                                        "budget": {"parking": 50}}})");
  EXPECT_EQ(budget.status, 400u);
  EXPECT_NE(problem_detail(budget).find("answers.budget"), std::string::npos);
  auto results = call_json(admin_, "GET", base + "/results", "", 200);
  EXPECT_EQ(results.at("respondents").as_int64(), 0);

  EXPECT_EQ(respond("POST", "/api/v1/respond", a, answer(5, 4)).status, 201u);
  EXPECT_EQ(respond("POST", "/api/v1/respond", b, answer(4, 2)).status, 201u);
  // Reused and forged invitations.
  auto reused = respond("POST", "/api/v1/respond", a, answer(1, 1));
  EXPECT_EQ(reused.status, 409u);
  EXPECT_EQ(respond("GET", "/api/v1/respond", a).status, 409u);
  EXPECT_EQ(
      respond("POST", "/api/v1/respond", std::string(64, 'f'), answer(1, 1))
          .status,
      403u);
  EXPECT_EQ(respond("GET", "/api/v1/respond", "nonsense").status, 403u);

  results = call_json(admin_, "GET", base + "/results", "", 200);
  EXPECT_EQ(results.at("respondents").as_int64(), 2);
  const auto& benefit = results.at("questions")
                            .at("rate")
                            .at("results")
                            .at("ideas")
                            .at("smart-parking")
                            .at("benefit");
  EXPECT_EQ(benefit.at("n").as_int64(), 2);
  EXPECT_DOUBLE_EQ(benefit.at("mean").as_double(), 4.5);
  // Two respondents from one state: below the minimum group size of 5.
  EXPECT_EQ(results.at("segments").at("state").at("suppressed").as_int64(), 1);

  auto csv = call(admin_, "GET", base + "/results?format=csv");
  EXPECT_EQ(csv.status, 200u);
  EXPECT_TRUE(csv.header("content-type").starts_with("text/csv"));
  EXPECT_NE(csv.body.find("rate,smart-parking,benefit,all,,2,0,4.5,4.5,"),
            std::string::npos)
      << csv.body;

  auto texts = call_json(admin_, "GET", base + "/free-text", "", 200);
  ASSERT_EQ(texts.as_array().size(), 2u);
  EXPECT_EQ(texts.as_array()[0].at("text"), "Mehr Radwege");

  // Reminders go to the one invitation not yet answered, with a new link.
  auto reminded = call_json(admin_, "POST", base + "/reminders", "", 200);
  EXPECT_EQ(reminded.at("reminded").as_int64(), 1);
  EXPECT_EQ(respond("GET", "/api/v1/respond", last_token("c@x.de")).status,
            200u);
  auto invitations = call_json(admin_, "GET", base + "/invitations", "", 200);
  EXPECT_EQ(invitations.as_array().size(), 3u);

  // Results are not public until published.
  std::string public_url =
      "/api/v1/public/surveys/" + std::to_string(survey) + "/results";
  EXPECT_EQ(get(public_url).status, 404u);
  call_json(admin_, "POST", base + "/publish", "", 200);
  auto published = get_json(public_url);
  EXPECT_EQ(published.at("respondents").as_int64(), 2);
  EXPECT_EQ(published.as_object().if_contains("free_text"), nullptr);

  // Closed: no more answers.
  call_json(admin_, "PATCH", base, R"({"status": "closed"})", 200);
  EXPECT_EQ(
      respond("POST", "/api/v1/respond", last_token("c@x.de"), answer(3, 3))
          .status,
      409u);
}

TEST_F(CocreationApiTest, BadImportsChangeNothing) {
  int64_t survey = make_survey(make_process());
  std::string base = "/api/v1/surveys/" + std::to_string(survey);
  std::string big = "email\n";
  while (big.size() <= 4 * 1024 * 1024) big += "someone@example.org\n";
  auto r = call(admin_, "POST", base + "/invitations", big);
  EXPECT_EQ(r.status, 413u) << r.body.substr(0, 200);
  r = call(admin_, "POST", base + "/invitations", "email\na@x.de\nbroken\n");
  EXPECT_EQ(r.status, 400u);
  EXPECT_NE(problem_detail(r).find("line 3"), std::string::npos);
  call_json(admin_, "POST", base + "/invitations", "email\na@x.de\n", 201);
  r = call(admin_, "POST", base + "/invitations", "email\nnew@x.de\na@x.de\n");
  EXPECT_EQ(r.status, 409u);
  auto invitations = call_json(admin_, "GET", base + "/invitations", "", 200);
  EXPECT_EQ(invitations.as_array().size(), 1u);
  auto mails = call_json(admin_, "GET", "/api/v1/outbox", "", 200);
  EXPECT_EQ(mails.as_array().size(), 1u);
  Login citizen = (post("/api/v1/auth/register",
                        R"({"email": "c@town.de", "name": "C",
                            "password": "a long enough password"})"),
                   login("c@town.de"));
  EXPECT_EQ(
      call(citizen, "POST", base + "/invitations", "email\nz@x.de\n").status,
      403u);
  EXPECT_EQ(call(citizen, "GET", base + "/results").status, 403u);
}

TEST_F(CocreationApiTest, ChallengesCommentsAndContacts) {
  int64_t process = make_process();
  std::string base = "/api/v1/processes/" + std::to_string(process);
  post("/api/v1/auth/register", R"({"email": "c@town.de", "name": "C",
       "password": "a long enough password"})");
  Login citizen = login("c@town.de");
  auto wrong = call(citizen, "POST", base + "/challenges",
                    R"({"title": "Potholes", "municipality": "Elsewhere"})");
  EXPECT_EQ(wrong.status, 400u);
  auto c = call_json(citizen, "POST", base + "/challenges",
                     R"({"title": "Parking chaos",
                         "municipality": "Musterstadt"})",
                     201);
  std::string challenge =
      "/api/v1/challenges/" + std::to_string(c.at("id").as_int64());
  EXPECT_EQ(
      call(citizen, "PATCH", challenge, R"({"cluster": "mobility"})").status,
      403u);
  auto clustered = call_json(admin_, "PATCH", challenge,
                             R"({"cluster": "mobility", "priority": 1,
                                 "status": "accepted"})",
                             200);
  EXPECT_EQ(clustered.at("cluster"), "mobility");

  std::string target = "challenge:" + std::to_string(c.at("id").as_int64());
  auto comment =
      call_json(citizen, "POST", "/api/v1/comments",
                R"({"target": ")" + target + R"(", "text": "Agreed!"})", 201);
  EXPECT_EQ(comment.at("status"), "pending");
  post("/api/v1/auth/register", R"({"email": "d@town.de", "name": "D",
       "password": "a long enough password"})");
  Login other = login("d@town.de");
  EXPECT_TRUE(
      call_json(other, "GET", "/api/v1/comments?target=" + target, "", 200)
          .as_array()
          .empty());
  call_json(admin_, "PATCH",
            "/api/v1/comments/" + std::to_string(comment.at("id").as_int64()),
            R"({"status": "approved"})", 200);
  EXPECT_EQ(
      call_json(other, "GET", "/api/v1/comments?target=" + target, "", 200)
          .as_array()
          .size(),
      1u);

  call_json(admin_, "POST", "/api/v1/contacts",
            R"({"municipality": "Musterstadt", "name": "Eva Muster",
                "region": "Nord", "contact": "eva@operator.de"})",
            201);
  call_json(admin_, "POST", "/api/v1/contacts",
            R"({"municipality": "Anderswo", "name": "X", "region": "Süd",
                "contact": "x@operator.de"})",
            201);
  auto contacts = call_json(citizen, "GET", base + "/contacts", "", 200);
  ASSERT_EQ(contacts.as_array().size(), 1u);
  EXPECT_EQ(contacts.as_array()[0].at("name"), "Eva Muster");
}

TEST_F(CocreationApiTest, GdprExportAndDelete) {
  post("/api/v1/auth/register", R"({"email": "c@town.de", "name": "C",
       "password": "a long enough password"})");
  Login citizen = login("c@town.de");
  call_json(citizen, "POST", "/api/v1/comments",
            R"({"target": "idea:smart-parking", "text": "Yes please"})", 201);
  auto data = call_json(citizen, "GET", "/api/v1/me/data", "", 200);
  EXPECT_EQ(data.at("account").at("email"), "c@town.de");
  EXPECT_EQ(data.at("comments").as_array().size(), 1u);

  EXPECT_EQ(
      client_->request("DELETE", "/api/v1/me", "", as(citizen, false)).status,
      403u);  // CSRF
  EXPECT_EQ(call(citizen, "DELETE", "/api/v1/me").status, 204u);
  EXPECT_EQ(call(citizen, "GET", "/api/v1/auth/me").status, 401u);
  auto relogin = post("/api/v1/auth/login",
                      R"({"email": "c@town.de",
                          "password": "a long enough password"})");
  EXPECT_EQ(relogin.status, 401u);
  // The comment stays, without its author.
  auto comments = call_json(
      admin_, "GET", "/api/v1/comments?target=idea:smart-parking", "", 200);
  ASSERT_EQ(comments.as_array().size(), 1u);
  EXPECT_EQ(comments.as_array()[0].at("text"), "Yes please");
}

TEST_F(CocreationApiTest, AnonymousSurveyStillOneResponsePerInvitation) {
  int64_t survey = make_survey(make_process(), true);
  std::string base = "/api/v1/surveys/" + std::to_string(survey);
  call_json(admin_, "POST", base + "/invitations", "email\na@x.de\n", 201);
  open_survey(survey);
  std::string a = last_token("a@x.de");
  auto r = respond("POST", "/api/v1/respond", a, answer(5, 5));
  ASSERT_EQ(r.status, 201u) << r.body;
  EXPECT_EQ(parse_json(r.body)->at("anonymous"), true);
  EXPECT_EQ(respond("POST", "/api/v1/respond", a, answer(1, 1)).status, 409u);
  auto results = call_json(admin_, "GET", base + "/results", "", 200);
  EXPECT_EQ(results.at("respondents").as_int64(), 1);
  // Questions are frozen once the survey is open.
  auto frozen = call(admin_, "PATCH", base, R"({"anonymous": false})");
  EXPECT_EQ(frozen.status, 409u);
}

// Not in open mode: only an admin API key may create the first admin.
class CocreationBootstrapTest : public ApiTestBase {
 protected:
  std::string key(const std::string& tenant, const std::string& role) {
    auto k = server::make_api_key(tenant, role);
    EXPECT_TRUE(k);
    EXPECT_TRUE(keys_.add(k->record));
    return k->key;
  }
  server::FakeKeyStore keys_;
};

TEST_F(CocreationBootstrapTest, NeedsAnAdminKeyForTheTenant) {
  start(false, &keys_);
  const std::string body = R"({"email": "cdo@town.de", "name": "CDO",
                               "password": "a long enough password"})";
  Headers headers = {{"content-type", "application/json"},
                     {"ngsild-tenant", "town"}};
  EXPECT_EQ(post("/api/v1/cocreation/bootstrap", body, headers).status, 401u);
  Headers reader = headers;
  reader.emplace_back("authorization", "Bearer " + key("town", "read"));
  EXPECT_EQ(post("/api/v1/cocreation/bootstrap", body, reader).status, 403u);
  // Before the bootstrap the tenant has no co-creation data: login is 404,
  // the catalogue is still served.
  EXPECT_EQ(post("/api/v1/auth/login",
                 R"({"email": "cdo@town.de",
                     "password": "a long enough password"})",
                 headers)
                .status,
            404u);
  EXPECT_EQ(
      get_json("/api/v1/ideas", {{"ngsild-tenant", "town"}}).as_array().size(),
      22u);
  Headers admin = headers;
  admin.emplace_back("authorization", "Bearer " + key("town", "admin"));
  auto r = post("/api/v1/cocreation/bootstrap", body, admin);
  EXPECT_EQ(r.status, 201u) << r.body;
  auto login = post("/api/v1/auth/login",
                    R"({"email": "cdo@town.de",
                        "password": "a long enough password"})",
                    headers);
  EXPECT_EQ(login.status, 200u) << login.body;
  EXPECT_TRUE(std::string(login.header("set-cookie"))
                  .starts_with("cocity_session_town="));
}

}  // namespace
}  // namespace cocity::test
