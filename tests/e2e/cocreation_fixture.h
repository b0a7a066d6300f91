// The co-creation API over loopback for tests: the real HTTP server
// in-process (open mode, its own data directory) with only the health and
// co-creation routes, plus helpers to log in, act as an account and take a
// snapshot of everything an admin can read (to check that a refused request
// changed nothing).
#pragma once

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "apps/cocreation/cocreation_routes.h"
#include "e2e_util.h"
#include "server/health.h"
#include "server/server.h"

namespace cocity::test {

class CocreationTestServer {
 public:
  // `open`: no API keys needed; otherwise `keys` checks them.
  Status start(bool open = true, store::KeyStore* keys = nullptr) {
    static std::atomic<int> counter{0};
    dir_ = std::filesystem::temp_directory_path() /
           ("cocreation_e2e_" + std::to_string(::getpid()) + "_" +
            std::to_string(counter++));
    std::filesystem::remove_all(dir_);
    const char* root = std::getenv("COCITY_SOURCE_DIR");
    apps::cocreation::RoutesOptions options;
    options.data_dir = dir_.string();
    options.catalogue_path =
        std::string(root ? root : ".") + "/data/ideas/catalogue.json";
    if (auto s = apps::cocreation::add_cocreation_routes(router_, options);
        !s) {
      return s;
    }
    server::add_health_routes(&router_, &metrics_);
    server::ServerConfig config;
    config.port = 0;
    config.threads = 2;
    config.open = open;
    config.data_dir = dir_.string();
    server_ =
        std::make_unique<server::Server>(config, &router_, keys, &metrics_);
    return server_->start();
  }
  ~CocreationTestServer() {
    if (server_) {
      server_->shutdown();
      server_->wait();
    }
    std::filesystem::remove_all(dir_);
  }
  uint16_t port() const { return server_->port(); }

 private:
  std::filesystem::path dir_;
  server::Router router_;
  server::Metrics metrics_;
  std::unique_ptr<server::Server> server_;
};

inline constexpr const char* kTestPassword = "a long enough password";

struct Session {
  std::string cookie;  // "cocity_session=..."
  std::string csrf;
};

class CocreationFixture : public ::testing::Test {
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
    admin_ = login("admin@town.de");
  }
  void TearDown() override {
    client_.reset();
    server_.reset();
  }

  Response post(std::string_view target, std::string_view body,
                const Headers& headers = kJson) {
    return client_->request("POST", target, body, headers);
  }

  Session login(const std::string& email) {
    auto r = post("/api/v1/auth/login", R"({"email": ")" + email +
                                            R"(", "password": ")" +
                                            kTestPassword + R"("})");
    EXPECT_EQ(r.status, 200u) << r.body;
    std::string cookie(r.header("set-cookie"));
    Session s;
    s.cookie = cookie.substr(0, cookie.find(';'));
    auto v = parse_json(r.body);
    if (v && v->is_object() && v->get_object().contains("csrf_token")) {
      s.csrf = std::string(v->at("csrf_token").get_string());
    }
    return s;
  }

  static Headers as(const Session& s, bool csrf = true) {
    Headers h = {{"content-type", "application/json"}, {"cookie", s.cookie}};
    if (csrf) h.emplace_back("x-csrf-token", s.csrf);
    return h;
  }

  Response call(const Session& s, std::string_view method,
                std::string_view target, std::string_view body = {}) {
    return client_->request(method, target, body, as(s));
  }

  json::value call_json(const Session& s, std::string_view method,
                        std::string_view target, std::string_view body,
                        unsigned expected) {
    auto r = call(s, method, target, body);
    EXPECT_EQ(r.status, expected) << method << " " << target << ": " << r.body;
    auto v = parse_json(r.body);
    return v ? *v : json::value();
  }

  // The token of the newest mail to `to` in the outbox.
  std::string last_token(const std::string& to) {
    auto mails = call_json(admin_, "GET", "/api/v1/outbox", "", 200);
    std::string token;
    for (const auto& m : mails.as_array()) {
      if (m.at("to").get_string() != to) continue;
      std::string body(m.at("body").get_string());
      auto pos = body.find("#token=");
      if (pos != std::string::npos) token = body.substr(pos + 7, 64);
    }
    EXPECT_EQ(token.size(), 64u) << "no mail to " << to;
    return token;
  }

  // An account with `role` (by invitation), logged in.
  Session account(const std::string& email, const std::string& role) {
    call_json(admin_, "POST", "/api/v1/auth/invitations",
              R"({"email": ")" + email + R"(", "role": ")" + role + R"("})",
              201);
    auto r = post("/api/v1/auth/accept-invitation",
                  R"({"token": ")" + last_token(email) + R"(", "name": "N",
                      "password": "a long enough password"})");
    EXPECT_EQ(r.status, 201u) << r.body;
    return login(email);
  }

  Response respond(std::string_view method, const std::string& token,
                   std::string_view body = {}) {
    std::string target =
        method == "PUT" ? "/api/v1/respond/draft" : "/api/v1/respond";
    return client_->request(
        method, target, body,
        {{"content-type", "application/json"}, {"x-invitation-token", token}});
  }

  std::unique_ptr<CocreationTestServer> server_;
  std::unique_ptr<HttpClient> client_;
  Session admin_;
};

// A refused request: the status, a ProblemDetails body whose detail
// contains `detail_part`.
inline void expect_refused(const Response& r, unsigned status,
                           std::string_view detail_part,
                           const std::string& what) {
  EXPECT_EQ(r.status, status) << what << ": " << r.body;
  std::string detail = problem_detail(r);
  EXPECT_FALSE(detail.empty()) << what << ": no ProblemDetails: " << r.body;
  EXPECT_NE(detail.find(detail_part), std::string::npos)
      << what << ": detail '" << detail << "' lacks '" << detail_part << "'";
}

}  // namespace cocity::test
