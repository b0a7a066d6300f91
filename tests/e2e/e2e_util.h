// Shared helpers of the end-to-end tests: a running server and JSON bodies.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "core/json.h"
#include "support/http_client.h"

namespace cocity::test {

inline const Headers kJson = {{"content-type", "application/json"}};

// A fresh `cocity serve --open` with its own data directory.
class OpenServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<ServerProcess>();
    auto s = server_->start({"--open"});
    ASSERT_TRUE(s) << s.error().detail;
    client_ = std::make_unique<HttpClient>(server_->port());
  }

  Response post(std::string_view target, std::string_view body,
                Headers headers = kJson) {
    return client_->request("POST", target, body, headers);
  }
  Response patch(std::string_view target, std::string_view body,
                 Headers headers = kJson) {
    return client_->request("PATCH", target, body, headers);
  }
  Response put(std::string_view target, std::string_view body,
               Headers headers = kJson) {
    return client_->request("PUT", target, body, headers);
  }
  Response del(std::string_view target, Headers headers = {}) {
    return client_->request("DELETE", target, "", headers);
  }
  Response get(std::string_view target, Headers headers = {}) {
    return client_->get(target, headers);
  }
  // GET and parse; fails the test when not 200 or not JSON.
  json::value get_json(std::string_view target, Headers headers = {}) {
    auto r = get(target, headers);
    EXPECT_EQ(r.status, 200u) << target << ": " << r.body;
    auto v = parse_json(r.body);
    EXPECT_TRUE(v) << r.body;
    return v ? *v : json::value();
  }

  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<HttpClient> client_;
};

// The ProblemDetails "type" suffix of a response ("BadRequestData"), or "".
inline std::string problem_type(const Response& r) {
  auto v = parse_json(r.body);
  if (!v || !v->is_object()) return "";
  auto* t = v->get_object().if_contains("type");
  if (!t || !t->is_string()) return "";
  std::string s(t->get_string());
  auto slash = s.rfind('/');
  return slash == std::string::npos ? s : s.substr(slash + 1);
}

inline std::string problem_detail(const Response& r) {
  auto v = parse_json(r.body);
  if (!v || !v->is_object()) return "";
  auto* d = v->get_object().if_contains("detail");
  return d && d->is_string() ? std::string(d->get_string()) : "";
}

}  // namespace cocity::test
