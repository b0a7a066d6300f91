// The users of net::HttpClient over https against a loopback TLS server: a
// notification to an https:// endpoint, an https:// @context document.
#include <gtest/gtest.h>

#include "broker/notification_sender.h"
#include "broker/subscription.h"
#include "net/tls_test_server.h"
#include "server/context_fetch.h"

namespace cocity {
namespace {

using test::TestCertificate;
using test::TestHttpServer;

TEST(HttpsNotification, IsDeliveredToATrustedEndpoint) {
  TestCertificate cert;
  if (!cert.ok()) GTEST_SKIP() << "openssl cannot make a certificate";
  TestHttpServer server(&cert);
  broker::Endpoint endpoint;
  std::string uri =
      "https://localhost:" + std::to_string(server.port()) + "/notify";
  ASSERT_TRUE(broker::parse_endpoint_uri(uri, &endpoint));
  endpoint.receiver_info = {{"X-Auth", "secret"}};
  broker::OutgoingNotification message{"kl", R"({"id": "n1"})",
                                       "application/json", ""};
  auto trusted = broker::make_http_sender(std::chrono::milliseconds(3000),
                                          cert.cert_file());
  auto s = trusted->send(endpoint, message);
  ASSERT_TRUE(s) << s.error().detail;
  ASSERT_TRUE(trusted->send(endpoint, message));
  ASSERT_EQ(server.bodies().size(), 2u);
  EXPECT_EQ(server.bodies()[0], R"({"id": "n1"})");
  EXPECT_EQ(server.connections(), 1);  // kept alive
  // Without the CA the endpoint is not trusted: nothing is delivered.
  auto untrusted = broker::make_http_sender(std::chrono::milliseconds(3000));
  auto u = untrusted->send(endpoint, message);
  ASSERT_FALSE(u);
  EXPECT_EQ(u.error().code, Code::kUnavailable);
  EXPECT_EQ(server.bodies().size(), 2u);
}

TEST(HttpsContext, IsFetchedFromATrustedServer) {
  TestCertificate cert;
  if (!cert.ok()) GTEST_SKIP() << "openssl cannot make a certificate";
  TestHttpServer server(&cert);
  std::string url =
      "https://localhost:" + std::to_string(server.port()) + "/ctx";
  auto doc = server::fetch_context_document(url, std::chrono::seconds(3),
                                            1 << 20, cert.cert_file());
  ASSERT_TRUE(doc) << doc.error().detail;
  EXPECT_NE(doc->find("https://tls.example/t"), std::string::npos);
  auto refused =
      server::fetch_context_document(url, std::chrono::seconds(3), 1 << 20);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Code::kLdContextNotAvailable);
  EXPECT_NE(refused.error().detail.find("certificate"), std::string::npos);
  auto too_big = server::fetch_context_document(
      "https://localhost:" + std::to_string(server.port()) + "/big",
      std::chrono::seconds(3), 1000, cert.cert_file());
  ASSERT_FALSE(too_big);
  EXPECT_NE(too_big.error().detail.find("contexts.max_bytes"),
            std::string::npos);
}

}  // namespace
}  // namespace cocity
