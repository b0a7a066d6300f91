// Live sessions over loopback: the real server in-process with the
// co-creation routes; HTTP and WebSocket (Beast client). Each rule and each
// bad input of the contract in docs/cocreation.md ("Live sessions").
#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "e2e/cocreation_fixture.h"
#include "support/http_client.h"
#include "support/ws_client.h"

namespace cocity::test {
namespace {

const Headers kJsonHeaders = {{"content-type", "application/json"}};

class LiveApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<CocreationTestServer>();
    auto s = server_->start();
    ASSERT_TRUE(s) << s.error().detail;
    client_ = std::make_unique<HttpClient>(server_->port());

    auto r = post("/api/v1/cocreation/bootstrap",
                  R"({"email": "admin@town.de", "name": "Admin",
                      "password": "a long enough password"})");
    ASSERT_EQ(r.status, 201u) << r.body;
    login("admin@town.de", &cookie_, &csrf_);
    auto p = call("POST", "/api/v1/processes",
                  R"({"title": "Mayors' dialogue 2026"})");
    ASSERT_EQ(p.status, 201u) << p.body;
    process_ = parse_json(p.body)->at("id").as_int64();
  }

  void TearDown() override {
    client_.reset();
    server_.reset();  // stops the server, removes its data directory
  }

  Response post(std::string_view target, std::string_view body,
                Headers headers = kJsonHeaders) {
    return client_->request("POST", target, body, headers);
  }

  void login(const std::string& email, std::string* cookie, std::string* csrf) {
    auto r = post("/api/v1/auth/login",
                  R"({"email": ")" + email +
                      R"(", "password": "a long enough password"})");
    ASSERT_EQ(r.status, 200u) << r.body;
    std::string c(r.header("set-cookie"));
    *cookie = c.substr(0, c.find(';'));
    *csrf = std::string(parse_json(r.body)->at("csrf_token").as_string());
  }

  Response call(std::string_view method, std::string_view target,
                std::string_view body = {}, bool with_csrf = true) {
    Headers h = {{"content-type", "application/json"}, {"cookie", cookie_}};
    if (with_csrf) h.emplace_back("x-csrf-token", csrf_);
    return client_->request(method, target, body, h);
  }

  // A session rating two catalogue ideas; returns its state.
  json::value create_session() {
    auto r =
        call("POST",
             "/api/v1/processes/" + std::to_string(process_) + "/live-sessions",
             R"({"title": "Dialogue", "ideas":
                      ["smart-parking", "air-quality-network"],
                      "criterion": "benefit"})");
    EXPECT_EQ(r.status, 201u) << r.body;
    auto v = parse_json(r.body);
    return v ? *v : json::value();
  }

  std::string join(const std::string& code) {
    auto r = post("/api/v1/live/" + code + "/join", "{}");
    EXPECT_EQ(r.status, 201u) << r.body;
    auto v = parse_json(r.body);
    if (!v) return {};
    return std::string(v->at("participant_token").as_string());
  }

  Response vote(const std::string& code, const std::string& token,
                const std::string& body) {
    return post(
        "/api/v1/live/" + code + "/votes", body,
        {{"content-type", "application/json"}, {"x-participant-token", token}});
  }

  Response control(int64_t id, const std::string& body) {
    return call("POST",
                "/api/v1/live-sessions/" + std::to_string(id) + "/control",
                body);
  }

  std::string ws_target(const std::string& code, const std::string& query) {
    return "/api/v1/live/" + code + "/ws" + query;
  }

  static std::string code_of(const json::value& state) {
    return std::string(state.at("code").as_string());
  }
  static std::string item_of(const json::value& state) {
    return std::string(state.at("current").at("item").at("id").as_string());
  }

  std::unique_ptr<CocreationTestServer> server_;
  std::unique_ptr<HttpClient> client_;
  std::string cookie_;
  std::string csrf_;
  int64_t process_ = 0;
};

// The projector's state counts `n` votes on the current item.
auto counts(int64_t n) {
  return [n](const json::value& m) {
    if (!m.is_object() || m.at("type").as_string() != "state") return false;
    const auto& cur = m.at("session").at("current").as_object();
    return cur.contains("tally") && cur.at("tally").at("n").as_int64() == n;
  };
}

TEST_F(LiveApiTest, JoinVoteOverHttpAndProjectorSeesTally) {
  json::value s = create_session();
  std::string code = code_of(s);
  EXPECT_EQ(code.size(), 6u);
  EXPECT_EQ(s.at("item_count").as_int64(), 2);
  EXPECT_EQ(item_of(s), "smart-parking");

  WsClient projector;
  ASSERT_EQ(
      projector.connect(server_->port(), ws_target(code, "?view=projector")),
      101u);
  auto first = projector.read_until(counts(0));
  ASSERT_FALSE(first.is_null());

  std::string a = join(code);
  std::string b = join(code);
  EXPECT_EQ(vote(code, a, R"({"item": "smart-parking", "value": 4})").status,
            201u);
  EXPECT_EQ(vote(code, b, R"({"item": "smart-parking", "value": 2})").status,
            201u);
  auto seen = projector.read_until(counts(2));
  ASSERT_FALSE(seen.is_null());
  const auto& tally = seen.at("session").at("current").at("tally");
  EXPECT_EQ(tally.at("counts").at("4").as_int64(), 1);
  EXPECT_EQ(tally.at("counts").at("2").as_int64(), 1);
  EXPECT_DOUBLE_EQ(tally.at("mean").as_double(), 3.0);
  EXPECT_EQ(seen.at("session").at("participants").as_int64(), 2);

  // Participants see the count but not the tally until it is revealed.
  auto pub = client_->get("/api/v1/live/" + code);
  ASSERT_EQ(pub.status, 200u);
  auto pv = parse_json(pub.body);
  EXPECT_EQ(pv->at("current").at("votes").as_int64(), 2);
  EXPECT_FALSE(pv->at("current").as_object().contains("tally"));

  // The moderator state always has the tally.
  auto mod = call(
      "GET", "/api/v1/live-sessions/" + std::to_string(s.at("id").as_int64()));
  ASSERT_EQ(mod.status, 200u);
  EXPECT_EQ(parse_json(mod.body)->at("current").at("tally").at("n").as_int64(),
            2);
}

TEST_F(LiveApiTest, VoteOverWebSocketAndDoubleVote) {
  json::value s = create_session();
  std::string code = code_of(s);
  std::string token = join(code);
  WsClient phone;
  ASSERT_EQ(phone.connect(server_->port(), ws_target(code, "?token=" + token)),
            101u);
  auto first = phone.read_until(
      [](const json::value& m) { return m.at("type").as_string() == "state"; });
  ASSERT_FALSE(first.is_null());
  // Participants see no tally before it is revealed.
  EXPECT_FALSE(first.at("session").at("current").as_object().contains("tally"));
  phone.send(R"({"type": "vote", "item": "smart-parking", "value": 5})");
  auto ack = phone.read_until(
      [](const json::value& m) { return m.at("type").as_string() != "state"; });
  ASSERT_FALSE(ack.is_null());
  EXPECT_EQ(ack.at("type").as_string(), "vote_ack");
  EXPECT_EQ(ack.at("item").as_string(), "smart-parking");

  phone.send(R"({"type": "vote", "item": "smart-parking", "value": 3})");
  auto err = phone.read_until(
      [](const json::value& m) { return m.at("type").as_string() != "state"; });
  ASSERT_FALSE(err.is_null());
  EXPECT_EQ(err.at("type").as_string(), "error");
  EXPECT_EQ(err.at("status").as_int64(), 409);

  EXPECT_EQ(
      vote(code, token, R"({"item": "smart-parking", "value": 1})").status,
      409u);
  auto pub = parse_json(client_->get("/api/v1/live/" + code).body);
  EXPECT_EQ(pub->at("current").at("votes").as_int64(), 1);
}

TEST_F(LiveApiTest, CloseReopenRevealNextEnd) {
  json::value s = create_session();
  std::string code = code_of(s);
  int64_t id = s.at("id").as_int64();
  std::string token = join(code);
  std::string other = join(code);

  auto closed = control(id, R"({"action": "close"})");
  ASSERT_EQ(closed.status, 200u) << closed.body;
  EXPECT_FALSE(parse_json(closed.body)->at("current").at("open").as_bool());
  EXPECT_EQ(
      vote(code, token, R"({"item": "smart-parking", "value": 4})").status,
      409u);
  EXPECT_EQ(control(id, R"({"action": "reopen"})").status, 200u);
  EXPECT_EQ(
      vote(code, token, R"({"item": "smart-parking", "value": 4})").status,
      201u);

  WsClient phone;
  ASSERT_EQ(phone.connect(server_->port(), ws_target(code, "?token=" + other)),
            101u);
  EXPECT_EQ(control(id, R"({"action": "reveal"})").status, 200u);
  auto revealed = phone.read_until(counts(1));
  ASSERT_FALSE(revealed.is_null());
  EXPECT_TRUE(revealed.at("session").at("current").at("revealed").as_bool());

  // A vote on an item that is not the current one.
  auto next = control(id, R"({"action": "next"})");
  ASSERT_EQ(next.status, 200u);
  EXPECT_EQ(
      vote(code, token, R"({"item": "smart-parking", "value": 4})").status,
      409u);
  EXPECT_EQ(vote(code, token, R"({"item": "air-quality-network", "value": 4})")
                .status,
            201u);
  EXPECT_EQ(control(id, R"({"action": "next"})").status, 400u);
  EXPECT_EQ(control(id, R"({"action": "goto", "index": 7})").status, 400u);
  EXPECT_EQ(control(id, R"({"action": "dance"})").status, 400u);
  EXPECT_EQ(control(id, R"({"action": "goto", "index": 0})").status, 200u);
  EXPECT_EQ(control(id, R"({"action": "end"})").status, 200u);
  EXPECT_EQ(control(id, R"({"action": "reopen"})").status, 409u);
  EXPECT_EQ(
      vote(code, other, R"({"item": "smart-parking", "value": 2})").status,
      409u);
  EXPECT_EQ(post("/api/v1/live/" + code + "/join", "{}").status, 409u);
}

TEST_F(LiveApiTest, BadInputsAndForgedTokens) {
  json::value s = create_session();
  std::string code = code_of(s);
  std::string token = join(code);
  EXPECT_EQ(
      vote(code, token, R"({"item": "smart-parking", "value": 6})").status,
      400u);
  EXPECT_EQ(
      vote(code, token, R"({"item": "smart-parking", "value": "x"})").status,
      400u);
  EXPECT_EQ(vote(code, token, R"({"item": "smart-parking"})").status, 400u);
  EXPECT_EQ(vote(code, token, "not json").status, 400u);
  std::string forged(64, 'a');
  EXPECT_EQ(
      vote(code, forged, R"({"item": "smart-parking", "value": 3})").status,
      403u);
  EXPECT_EQ(vote(code, "", R"({"item": "smart-parking", "value": 3})").status,
            403u);
  EXPECT_EQ(
      vote("ZZZZZZ", token, R"({"item": "smart-parking", "value": 3})").status,
      404u);

  WsClient ws;
  std::string body;
  EXPECT_EQ(
      ws.connect(server_->port(), ws_target(code, "?token=" + forged), &body),
      403u);
  WsClient nowhere;
  EXPECT_EQ(nowhere.connect(server_->port(), ws_target("ZZZZZZ", "")), 404u);
  // A plain GET on the WebSocket route.
  EXPECT_EQ(client_->get(ws_target(code, "")).status, 426u);

  // Bad session bodies.
  std::string base =
      "/api/v1/processes/" + std::to_string(process_) + "/live-sessions";
  EXPECT_EQ(
      call("POST", base, R"({"title": "x", "ideas": ["no-such"]})").status,
      400u);
  EXPECT_EQ(call("POST", base, R"({"title": "x", "items": []})").status, 400u);
  EXPECT_EQ(call("POST", base,
                 R"({"title": "x", "items": [{"type": "single_choice",
                     "text": "Which?", "options": ["only one"]}]})")
                .status,
            400u);
  EXPECT_EQ(call("POST", "/api/v1/processes/999/live-sessions",
                 R"({"title": "x", "ideas": ["smart-parking"]})")
                .status,
            404u);
}

TEST_F(LiveApiTest, ModeratorRoutesNeedRoleAndCsrf) {
  std::string base =
      "/api/v1/processes/" + std::to_string(process_) + "/live-sessions";
  std::string body = R"({"title": "x", "ideas": ["smart-parking"]})";
  EXPECT_EQ(call("POST", base, body, false).status, 403u);
  EXPECT_EQ(post(base, body).status, 401u);
  auto r = post("/api/v1/auth/register",
                R"({"email": "citizen@town.de", "name": "C",
                    "password": "a long enough password"})");
  ASSERT_EQ(r.status, 201u) << r.body;
  std::string admin_cookie = cookie_;
  std::string admin_csrf = csrf_;
  login("citizen@town.de", &cookie_, &csrf_);
  EXPECT_EQ(call("POST", base, body).status, 403u);
  EXPECT_EQ(call("GET", base).status, 403u);
  cookie_ = admin_cookie;
  csrf_ = admin_csrf;
  auto list = call("GET", base);
  ASSERT_EQ(list.status, 200u);
  EXPECT_TRUE(parse_json(list.body)->as_array().empty());
}

TEST_F(LiveApiTest, SingleChoiceLikertAndQr) {
  auto r =
      call("POST",
           "/api/v1/processes/" + std::to_string(process_) + "/live-sessions",
           R"({"title": "Q", "items": [
                    {"id": "q1", "type": "single_choice", "text": "Which?",
                     "options": ["A", "B", "C"]},
                    {"id": "q2", "type": "likert", "text": "Agree?"}]})");
  ASSERT_EQ(r.status, 201u) << r.body;
  auto s = parse_json(r.body);
  std::string code = code_of(*s);
  std::string token = join(code);
  EXPECT_EQ(vote(code, token, R"({"item": "q1", "value": 3})").status, 400u);
  EXPECT_EQ(vote(code, token, R"({"item": "q1", "value": 2})").status, 201u);
  EXPECT_EQ(control(s->at("id").as_int64(), R"({"action": "next"})").status,
            200u);
  EXPECT_EQ(vote(code, token, R"({"item": "q2", "value": "dont_know"})").status,
            201u);
  auto qr = client_->get("/api/v1/live/" + code + "/qr.svg");
  ASSERT_EQ(qr.status, 200u);
  EXPECT_EQ(qr.header("content-type"), "image/svg+xml");
  EXPECT_NE(qr.body.find("<svg"), std::string::npos);
  // Codes are case-insensitive.
  std::string lower = code;
  for (char& c : lower) c = static_cast<char>(std::tolower(c));
  EXPECT_EQ(client_->get("/api/v1/live/" + lower).status, 200u);
}

TEST_F(LiveApiTest, GarbageFramesDoNotHurt) {
  json::value s = create_session();
  std::string code = code_of(s);
  std::string token = join(code);
  WsClient phone;
  ASSERT_EQ(phone.connect(server_->port(), ws_target(code, "?token=" + token)),
            101u);
  phone.send("{{{ not json");
  auto err = phone.read_until(
      [](const json::value& m) { return m.at("type").as_string() == "error"; });
  ASSERT_FALSE(err.is_null());
  EXPECT_EQ(err.at("status").as_int64(), 400);
  phone.send(R"({"type": "dance"})");
  ASSERT_FALSE(phone
                   .read_until([](const json::value& m) {
                     return m.at("type").as_string() == "error";
                   })
                   .is_null());
  // A projector may not vote.
  WsClient projector;
  ASSERT_EQ(
      projector.connect(server_->port(), ws_target(code, "?view=projector")),
      101u);
  projector.send(R"({"type": "vote", "item": "smart-parking", "value": 3})");
  auto refused = projector.read_until(
      [](const json::value& m) { return m.at("type").as_string() == "error"; });
  ASSERT_FALSE(refused.is_null());
  EXPECT_EQ(refused.at("status").as_int64(), 403);

  // Oversize and binary messages close the connection; the server lives on.
  WsClient big;
  ASSERT_EQ(big.connect(server_->port(), ws_target(code, "?token=" + token)),
            101u);
  big.send(std::string(64 * 1024, 'x'));
  EXPECT_TRUE(big.read_until([](const json::value&) { return false; },
                             std::chrono::seconds(3))
                  .is_null());
  WsClient binary;
  ASSERT_EQ(binary.connect(server_->port(), ws_target(code, "?token=" + token)),
            101u);
  binary.send("\x01\x02\x03", true);
  EXPECT_TRUE(binary
                  .read_until([](const json::value&) { return false; },
                              std::chrono::seconds(3))
                  .is_null());
  // Raw garbage instead of a frame.
  HttpClient raw(server_->port(), std::chrono::seconds(2));
  raw.raw("GET /api/v1/live/" + code +
          "/ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: "
          "Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: "
          "dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n\xff\xff\xff\xff garbage");
  EXPECT_EQ(
      vote(code, token, R"({"item": "smart-parking", "value": 3})").status,
      201u);
  phone.send(R"({"type": "vote", "item": "smart-parking", "value": 3})");
  auto dup = phone.read_until(
      [](const json::value& m) { return m.at("type").as_string() == "error"; });
  ASSERT_FALSE(dup.is_null());
  EXPECT_EQ(dup.at("status").as_int64(), 409);
}

TEST_F(LiveApiTest, PhoneThatNeverReadsDoesNotBlockOthers) {
  json::value s = create_session();
  std::string code = code_of(s);
  // The slow phone connects with a tiny receive buffer and never reads.
  WsClient slow;
  ASSERT_EQ(slow.connect(server_->port(), ws_target(code, "?view=projector"),
                         nullptr, 2048),
            101u);
  WsClient projector;
  ASSERT_EQ(
      projector.connect(server_->port(), ws_target(code, "?view=projector")),
      101u);
  constexpr int kVoters = 60;
  std::vector<std::string> tokens;
  for (int i = 0; i < kVoters; ++i) tokens.push_back(join(code));
  int id = static_cast<int>(s.at("id").as_int64());
  for (int i = 0; i < kVoters; ++i) {
    ASSERT_EQ(vote(code, tokens[i],
                   R"({"item": "smart-parking", "value": )" +
                       std::to_string(1 + i % 5) + "}")
                  .status,
              201u);
    // Moderator actions make more states for the slow phone to miss.
    control(id, i % 2 ? R"({"action": "hide"})" : R"({"action": "reveal"})");
  }
  auto seen = projector.read_until(counts(kVoters), std::chrono::seconds(10));
  ASSERT_FALSE(seen.is_null());
}

}  // namespace
}  // namespace cocity::test
