// net::HttpClient against loopback servers: plain and TLS (a self-signed
// certificate made by openssl at test time), verification, SNI, headers,
// keep-alive reuse, the size limit and the deadline.
#include "net/http_client.h"

#include <gtest/gtest.h>

#include <chrono>

#include "net/tls_test_server.h"

namespace cocity::net {
namespace {

using test::TestCertificate;
using test::TestHttpServer;

Request get(const std::string& u, Headers headers = {}) {
  return {"GET", u, std::move(headers), ""};
}

std::string url(bool https, const std::string& host, uint16_t port,
                const std::string& path) {
  return std::string(https ? "https://" : "http://") + host + ":" +
         std::to_string(port) + path;
}

TEST(ParseUrl, TakesUrlsApart) {
  auto u = parse_url("https://example.org/a/b?x=1#frag");
  ASSERT_TRUE(u);
  EXPECT_TRUE(u->https);
  EXPECT_EQ(u->host, "example.org");
  EXPECT_EQ(u->port, 443);
  EXPECT_EQ(u->target, "/a/b?x=1");
  EXPECT_EQ(u->authority(), "example.org");
  u = parse_url("http://[::1]:8080");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->host, "::1");
  EXPECT_EQ(u->port, 8080);
  EXPECT_EQ(u->target, "/");
  EXPECT_EQ(u->authority(), "[::1]:8080");
  EXPECT_EQ(parse_url("http://h?q")->target, "/?q");
  EXPECT_FALSE(parse_url("ftp://h/"));
  EXPECT_FALSE(parse_url("http://user@h/"));
  EXPECT_FALSE(parse_url("http://:80/"));
  EXPECT_FALSE(parse_url("http://h:0/"));
  EXPECT_FALSE(parse_url("http://h:/"));
  EXPECT_FALSE(parse_url("http://h:99999/"));
}

TEST(HttpClient, PlainHttpWithHeadersAndKeepAlive) {
  TestHttpServer server(nullptr);
  HttpClient client;
  for (int i = 0; i < 3; ++i) {
    auto r = client.request({"GET",
                             url(false, "127.0.0.1", server.port(), "/ok"),
                             {{"X-Echo", "v" + std::to_string(i)}},
                             ""});
    ASSERT_TRUE(r) << r.error().detail;
    EXPECT_EQ(r->status, 200u);
    EXPECT_EQ(r->body, "hello");
    EXPECT_EQ(r->header("x-echo"), "v" + std::to_string(i));
  }
  EXPECT_EQ(server.connections(), 1);  // reused
  EXPECT_EQ(server.requests(), 3);
  auto r = client.request(
      {"POST", url(false, "127.0.0.1", server.port(), "/missing"), {}, "x"});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404u);
}

TEST(HttpClient, ReconnectsWhenTheKeptConnectionIsGone) {
  HttpClient client;
  uint16_t port = 0;
  {
    TestHttpServer first(nullptr);
    port = first.port();
    ASSERT_TRUE(client.request(get(url(false, "127.0.0.1", port, "/ok"))));
  }
  // The server closed the kept connection; a new one on the same port.
  TestHttpServer second(nullptr, port);
  auto r = client.request(get(url(false, "127.0.0.1", port, "/ok")));
  ASSERT_TRUE(r) << r.error().detail;
  EXPECT_EQ(r->status, 200u);
  EXPECT_EQ(second.requests(), 1);
}

TEST(HttpClient, HttpsVerifiesAgainstTheExtraCaAndSendsSni) {
  TestCertificate cert;
  if (!cert.ok()) GTEST_SKIP() << "openssl cannot make a certificate";
  TestHttpServer server(&cert);
  ClientOptions o;
  o.extra_ca_file = cert.cert_file();
  HttpClient client(o);
  for (int i = 0; i < 2; ++i) {
    auto r = client.request({"GET",
                             url(true, "localhost", server.port(), "/ok"),
                             {{"X-Echo", "tls"}},
                             ""});
    ASSERT_TRUE(r) << r.error().detail;
    EXPECT_EQ(r->status, 200u);
    EXPECT_EQ(r->body, "hello");
    EXPECT_EQ(r->header("X-Echo"), "tls");
  }
  EXPECT_EQ(server.last_sni(), "localhost");
  EXPECT_EQ(server.connections(), 1);
}

TEST(HttpClient, HttpsRefusesAnUntrustedCertificate) {
  TestCertificate cert;
  if (!cert.ok()) GTEST_SKIP() << "openssl cannot make a certificate";
  TestHttpServer server(&cert);
  HttpClient client;  // system CAs only
  auto r = client.request(get(url(true, "localhost", server.port(), "/ok")));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Code::kUnavailable);
  EXPECT_NE(r.error().detail.find("certificate verify failed"),
            std::string::npos)
      << r.error().detail;
  EXPECT_EQ(server.requests(), 0);
}

TEST(HttpClient, HttpsRefusesAHostTheCertificateDoesNotName) {
  TestCertificate cert(/*with_ip=*/false);  // names "localhost" only
  if (!cert.ok()) GTEST_SKIP() << "openssl cannot make a certificate";
  TestHttpServer server(&cert);
  ClientOptions o;
  o.extra_ca_file = cert.cert_file();
  HttpClient client(o);
  auto r = client.request(get(url(true, "127.0.0.1", server.port(), "/ok")));
  ASSERT_FALSE(r);
  EXPECT_EQ(server.requests(), 0);
  // The same certificate with the address in it is accepted.
  TestCertificate with_ip(/*with_ip=*/true);
  ASSERT_TRUE(with_ip.ok());
  TestHttpServer server2(&with_ip);
  ClientOptions o2;
  o2.extra_ca_file = with_ip.cert_file();
  HttpClient client2(o2);
  auto r2 = client2.request(get(url(true, "127.0.0.1", server2.port(), "/ok")));
  ASSERT_TRUE(r2) << r2.error().detail;
  EXPECT_EQ(r2->status, 200u);
}

TEST(HttpClient, AMissingCaFileIsAnError) {
  TestCertificate cert;
  if (!cert.ok()) GTEST_SKIP() << "openssl cannot make a certificate";
  TestHttpServer server(&cert);
  ClientOptions o;
  o.extra_ca_file = "/nonexistent/ca.pem";
  HttpClient client(o);
  auto r = client.request(get(url(true, "localhost", server.port(), "/ok")));
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().detail.find("/nonexistent/ca.pem"), std::string::npos);
}

TEST(HttpClient, ResponseSizeLimit) {
  TestHttpServer server(nullptr);
  ClientOptions o;
  o.max_response_bytes = 1000;
  HttpClient client(o);
  auto r = client.request(get(url(false, "127.0.0.1", server.port(), "/big")));
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().detail.find("larger than 1000 bytes"), std::string::npos);
  o.max_response_bytes = 4 << 20;
  HttpClient big(o);
  auto ok = big.request(get(url(false, "127.0.0.1", server.port(), "/big")));
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->body.size(), size_t{2} << 20);
}

TEST(HttpClient, TotalTimeoutAndRefusedConnections) {
  TestHttpServer server(nullptr);
  ClientOptions o;
  o.total_timeout = std::chrono::milliseconds(300);
  HttpClient client(o);
  auto t0 = std::chrono::steady_clock::now();
  auto r = client.request(get(url(false, "127.0.0.1", server.port(), "/slow")));
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().detail.find("deadline"), std::string::npos);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(2));
  // Nothing listens on the port of a server that is gone.
  uint16_t closed = 0;
  {
    TestHttpServer gone(nullptr);
    closed = gone.port();
  }
  auto refused = client.request(get(url(false, "127.0.0.1", closed, "/")));
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().detail.find("connecting"), std::string::npos);
}

}  // namespace
}  // namespace cocity::net
