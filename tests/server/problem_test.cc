#include <gtest/gtest.h>

#include "core/json.h"
#include "server/http.h"

namespace cocity::server {
namespace {

TEST(ProblemTest, StatusPerCode) {
  EXPECT_EQ(http_status_for(Code::kInvalidRequest), 400u);
  EXPECT_EQ(http_status_for(Code::kBadRequestData), 400u);
  EXPECT_EQ(http_status_for(Code::kNotFound), 404u);
  EXPECT_EQ(http_status_for(Code::kAlreadyExists), 409u);
  EXPECT_EQ(http_status_for(Code::kOperationNotSupported), 422u);
  EXPECT_EQ(http_status_for(Code::kTooComplexQuery), 403u);
  EXPECT_EQ(http_status_for(Code::kTooManyResults), 403u);
  EXPECT_EQ(http_status_for(Code::kLdContextNotAvailable), 503u);
  EXPECT_EQ(http_status_for(Code::kNonexistentTenant), 404u);
  EXPECT_EQ(http_status_for(Code::kUnauthorized), 401u);
  EXPECT_EQ(http_status_for(Code::kForbidden), 403u);
  EXPECT_EQ(http_status_for(Code::kPayloadTooLarge), 413u);
  EXPECT_EQ(http_status_for(Code::kConflict), 409u);
  EXPECT_EQ(http_status_for(Code::kUnavailable), 503u);
  EXPECT_EQ(http_status_for(Code::kInternal), 500u);
}

TEST(ProblemTest, BodyIsProblemDetails) {
  HttpResponse r = problem_response(Error{
      Code::kBadRequestData, "attribute 'speed': \"value\" is missing", {}});
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(r.content_type, "application/json");
  auto v = parse_json(r.body);
  ASSERT_TRUE(v) << r.body;
  const auto& o = v->as_object();
  EXPECT_EQ(o.at("type").as_string(),
            "https://uri.etsi.org/ngsi-ld/errors/BadRequestData");
  EXPECT_EQ(o.at("title").as_string(), "BadRequestData");
  EXPECT_EQ(o.at("status").to_number<int>(), 400);
  EXPECT_EQ(o.at("detail").as_string(),
            "attribute 'speed': \"value\" is missing");
}

TEST(ProblemTest, TitleFromErrorAndNotFoundName) {
  HttpResponse r =
      problem_response(Error{Code::kNotFound, "no entity", "Entity"});
  auto v = parse_json(r.body);
  ASSERT_TRUE(v);
  EXPECT_EQ(v->as_object().at("type").as_string(),
            "https://uri.etsi.org/ngsi-ld/errors/ResourceNotFound");
  EXPECT_EQ(v->as_object().at("title").as_string(), "Entity");
}

TEST(ProblemTest, UnauthorizedAsksForBearer) {
  HttpResponse r = problem_response(Error{Code::kUnauthorized, "no key", {}});
  EXPECT_EQ(r.status, 401u);
  ASSERT_EQ(r.headers.size(), 1u);
  EXPECT_EQ(r.headers[0].first, "WWW-Authenticate");
  EXPECT_EQ(r.headers[0].second, "Bearer");
}

TEST(HttpRequestTest, Accessors) {
  HttpRequest req;
  req.headers = {{"content-type", "application/json"}, {"link", "<x>"}};
  req.query_params = {{"type", "A"}, {"type", "B"}};
  req.path_params = {{"id", "urn:x"}};
  EXPECT_EQ(req.header("link"), "<x>");
  EXPECT_EQ(req.header("accept"), "");
  EXPECT_TRUE(req.has_header("content-type"));
  ASSERT_NE(req.query("type"), nullptr);
  EXPECT_EQ(*req.query("type"), "A");
  EXPECT_EQ(req.query("q"), nullptr);
  EXPECT_EQ(req.path_param("id"), "urn:x");
  EXPECT_EQ(req.path_param("attr"), "");
}

}  // namespace
}  // namespace cocity::server
