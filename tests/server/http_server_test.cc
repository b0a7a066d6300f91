// The Server in-process on a loopback port, driven by the test client.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <thread>

#include "core/json.h"
#include "server/api_keys.h"
#include "server/fake_key_store.h"
#include "server/health.h"
#include "server/server.h"
#include "support/http_client.h"

namespace cocity::server {
namespace {

using test::HttpClient;
using test::Response;
using namespace std::chrono_literals;

// Replies from a separate thread after `delay`, like a store commit would.
void reply_later(Reply reply, HttpResponse r, std::chrono::milliseconds delay) {
  std::thread([reply = std::move(reply), r = std::move(r), delay]() mutable {
    std::this_thread::sleep_for(delay);
    reply(std::move(r));
  }).detach();
}

HttpResponse text(std::string body) {
  HttpResponse r;
  r.content_type = "text/plain";
  r.body = std::move(body);
  return r;
}

std::string problem_type(const Response& r) {
  auto v = parse_json(r.body);
  if (!v || !v->is_object()) return "not json: " + r.body;
  const auto* t = v->as_object().if_contains("type");
  return t && t->is_string() ? std::string(t->as_string()) : "no type";
}

void add_test_routes(Router* router, Metrics* metrics) {
  RouteOptions open;
  open.role = Role::kNone;
  open.tenant_scoped = false;
  router->add(
      "GET", "/ping", [](HttpRequest&, Reply reply) { reply(text("pong")); },
      open);
  router->add("GET", "/t/echo", [](HttpRequest& req, Reply reply) {
    reply(text("tenant=" + req.tenant +
               " role=" + std::to_string(static_cast<int>(req.principal.role)) +
               " key=" + req.principal.key_id));
  });
  RouteOptions write;
  write.role = Role::kWrite;
  router->add(
      "POST", "/t/write",
      [](HttpRequest& req, Reply reply) {
        reply(text("wrote " + std::to_string(req.body.size())));
      },
      write);
  RouteOptions admin;
  admin.role = Role::kAdmin;
  router->add(
      "GET", "/t/admin",
      [](HttpRequest&, Reply reply) { reply(text("admin")); }, admin);
  router->add(
      "GET", "/items/{id}",
      [](HttpRequest& req, Reply reply) {
        std::string q = req.query("q") ? *req.query("q") : "-";
        reply(text(std::string(req.path_param("id")) + " q=" + q));
      },
      open);
  router->add(
      "DELETE", "/items/{id}",
      [](HttpRequest&, Reply reply) {
        HttpResponse r;
        r.status = 204;
        reply(std::move(r));
      },
      open);
  router->add(
      "GET", "/async",
      [](HttpRequest&, Reply reply) {
        reply_later(std::move(reply), text("later"), 30ms);
      },
      open);
  router->add(
      "GET", "/slow",
      [](HttpRequest&, Reply reply) {
        reply_later(std::move(reply), text("slow done"), 400ms);
      },
      open);
  router->add(
      "GET", "/throw",
      [](HttpRequest&, Reply) -> void { throw std::runtime_error("boom"); },
      open);
  router->add(
      "GET", "/twice",
      [](HttpRequest&, Reply reply) {
        reply(text("first"));
        reply(text("second"));
      },
      open);
  router->add(
      "POST", "/echo",
      [](HttpRequest& req, Reply reply) { reply(text(req.body)); }, open);
  router->add(
      "POST", "/headers",
      [](HttpRequest& req, Reply reply) {
        std::string names;
        for (const auto& [name, value] : req.headers) names += name + ";";
        reply(text(names + " x-city=" + std::string(req.header("x-city")) +
                   " body=" + req.body));
      },
      open);
  router->add(
      "GET", "/header-with-line-break",
      [](HttpRequest&, Reply reply) {
        HttpResponse r = text("ok");
        r.headers.emplace_back("X-Note", "a\r\nSet-Cookie: session=1");
        r.headers.emplace_back("Content-Length", "999");  // not the handler's
        r.headers.emplace_back("Connection", "close");
        reply(std::move(r));
      },
      open);
  add_health_routes(router, metrics);
}

class ServerTest : public ::testing::Test {
 protected:
  void start(ServerConfig config) {
    config.port = 0;
    config.threads = 2;
    add_test_routes(&router_, &metrics_);
    server_ = std::make_unique<Server>(config, &router_, &keys_, &metrics_);
    auto st = server_->start();
    ASSERT_TRUE(st) << st.error().detail;
    client_ = std::make_unique<HttpClient>(server_->port());
  }
  void TearDown() override {
    client_.reset();
    if (server_) {
      server_->shutdown();
      server_->wait();
    }
  }
  std::string add_key(const std::string& tenant, const std::string& role) {
    auto k = make_api_key(tenant, role);
    EXPECT_TRUE(k);
    EXPECT_TRUE(keys_.add(k->record));
    return k->key;
  }
  static test::Headers bearer(const std::string& key,
                              const std::string& tenant = "") {
    test::Headers h = {{"Authorization", "Bearer " + key}};
    if (!tenant.empty()) h.emplace_back("NGSILD-Tenant", tenant);
    return h;
  }

  Router router_;
  Metrics metrics_;
  FakeKeyStore keys_;
  std::unique_ptr<Server> server_;
  std::unique_ptr<HttpClient> client_;
};

ServerConfig open_config() {
  ServerConfig c;
  c.open = true;
  return c;
}

TEST_F(ServerTest, KeepAliveReusesOneConnection) {
  start(open_config());
  for (int i = 0; i < 20; ++i) {
    Response r = client_->get("/ping");
    ASSERT_EQ(r.status, 200u) << r.error;
    EXPECT_EQ(r.body, "pong");
    EXPECT_EQ(r.header("content-type"), "text/plain");
  }
  EXPECT_EQ(client_->connections_opened(), 1);
  EXPECT_TRUE(client_->connected());
}

TEST_F(ServerTest, PipelinedRequestsAnswerInOrder) {
  start(open_config());
  auto rs = client_->pipeline({{"GET", "/items/1", "", {}},
                               {"GET", "/async", "", {}},
                               {"POST", "/echo", "hello", {}},
                               {"GET", "/items/2", "", {}}});
  ASSERT_EQ(rs.size(), 4u);
  EXPECT_EQ(rs[0].body, "1 q=-");
  EXPECT_EQ(rs[1].body, "later");
  EXPECT_EQ(rs[2].body, "hello");
  EXPECT_EQ(rs[3].body, "2 q=-");
  EXPECT_EQ(client_->connections_opened(), 1);
}

// Large bodies are read in large pieces into a buffer that grows for them
// and shrinks after: the bytes of each request, large or small, stay its
// own, also when they arrive together on one connection.
TEST_F(ServerTest, LargeBodiesBetweenSmallRequestsArriveWhole) {
  start(open_config());
  std::string large(300 * 1000, ' ');
  for (size_t i = 0; i < large.size(); ++i) {
    large[i] = static_cast<char>('a' + (i * 7919) % 26);
  }
  std::string larger = large + large;
  auto rs = client_->pipeline({{"POST", "/echo", large, {}},
                               {"GET", "/items/1", "", {}},
                               {"POST", "/echo", "small", {}},
                               {"POST", "/echo", larger, {}},
                               {"POST", "/echo", "x", {}}});
  ASSERT_EQ(rs.size(), 5u);
  EXPECT_TRUE(rs[0].body == large) << rs[0].body.size();
  EXPECT_EQ(rs[1].body, "1 q=-");
  EXPECT_EQ(rs[2].body, "small");
  EXPECT_TRUE(rs[3].body == larger) << rs[3].body.size();
  EXPECT_EQ(rs[4].body, "x");
  Response again = client_->request("POST", "/echo", large);
  EXPECT_TRUE(again.body == large) << again.body.size();
  EXPECT_EQ(client_->connections_opened(), 1);
}

TEST_F(ServerTest, CapturesAndQueryAreDecoded) {
  start(open_config());
  Response r = client_->get("/items/urn%3Aa%2Fb?q=speed%3E5");
  ASSERT_EQ(r.status, 200u);
  EXPECT_EQ(r.body, "urn:a/b q=speed>5");
  r = client_->get("/items/x%zz");
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(problem_type(r),
            "https://uri.etsi.org/ngsi-ld/errors/InvalidRequest");
}

TEST_F(ServerTest, AsyncReplyFromAnotherThread) {
  start(open_config());
  Response r = client_->get("/async");
  ASSERT_EQ(r.status, 200u) << r.error;
  EXPECT_EQ(r.body, "later");
  r = client_->get("/ping");  // the connection continues
  EXPECT_EQ(r.status, 200u);
  EXPECT_EQ(client_->connections_opened(), 1);
}

TEST_F(ServerTest, NoContentReply) {
  start(open_config());
  Response r = client_->request("DELETE", "/items/1");
  EXPECT_EQ(r.status, 204u);
  EXPECT_EQ(client_->get("/ping").status, 200u);
}

TEST_F(ServerTest, SecondReplyIsIgnored) {
  start(open_config());
  Response r = client_->get("/twice");
  EXPECT_EQ(r.body, "first");
  EXPECT_EQ(client_->get("/ping").body, "pong");
}

TEST_F(ServerTest, UnknownPathIs404Problem) {
  start(open_config());
  Response r = client_->get("/nothing/here");
  EXPECT_EQ(r.status, 404u);
  EXPECT_EQ(r.header("content-type"), "application/json");
  EXPECT_EQ(problem_type(r),
            "https://uri.etsi.org/ngsi-ld/errors/ResourceNotFound");
}

TEST_F(ServerTest, WrongMethodIs405WithAllow) {
  start(open_config());
  Response r = client_->request("PUT", "/items/1", "x");
  EXPECT_EQ(r.status, 405u);
  EXPECT_EQ(r.header("allow"), "DELETE, GET");
  auto v = parse_json(r.body);
  ASSERT_TRUE(v);
  EXPECT_EQ(v->as_object().at("status").to_number<int>(), 405);
}

TEST_F(ServerTest, HandlerThatThrowsGives500) {
  start(open_config());
  Response r = client_->get("/throw");
  EXPECT_EQ(r.status, 500u);
  EXPECT_EQ(problem_type(r),
            "https://uri.etsi.org/ngsi-ld/errors/InternalError");
  EXPECT_EQ(r.body.find("boom"), std::string::npos);
  EXPECT_EQ(client_->get("/ping").status, 200u);
}

TEST_F(ServerTest, BodyOverLimitIs413) {
  ServerConfig c = open_config();
  c.limits.max_body_bytes = 1024;
  start(c);
  Response r = client_->request("POST", "/echo", std::string(1024, 'a'));
  ASSERT_EQ(r.status, 200u);
  EXPECT_EQ(r.body.size(), 1024u);
  r = client_->request("POST", "/echo", std::string(200000, 'a'));
  EXPECT_EQ(r.status, 413u) << r.error;
  EXPECT_NE(r.body.find("max_body_bytes"), std::string::npos);
  EXPECT_EQ(problem_type(r),
            "https://uri.etsi.org/ngsi-ld/errors/PayloadTooLarge");
  EXPECT_EQ(client_->get("/ping").status, 200u);  // a fresh connection
}

TEST_F(ServerTest, ChunkedBodyOverLimitIs413) {
  ServerConfig c = open_config();
  c.limits.max_body_bytes = 100;
  start(c);
  std::string chunk(150, 'b');
  std::string raw =
      "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
      "96\r\n" +
      chunk + "\r\n0\r\n\r\n";
  Response r = client_->raw(raw);
  EXPECT_EQ(r.status, 413u) << r.error;
}

TEST_F(ServerTest, MalformedRequestIs400) {
  start(open_config());
  Response r = client_->raw("GARBAGE\r\n\r\n");
  EXPECT_EQ(r.status, 400u) << r.error;
}

TEST_F(ServerTest, ExpectContinue) {
  start(open_config());
  test::HttpClient c(server_->port());
  Response r = c.raw(
      "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n"
      "Expect: 100-continue\r\n\r\nabc");
  // The client reads the interim 100 as a response of its own.
  EXPECT_TRUE(r.status == 100u || r.status == 200u) << r.status;
}

// Handlers see header names in lower case, and a chunked body as one.
TEST_F(ServerTest, HeadersAndChunkedBodiesReachTheHandler) {
  start(open_config());
  Response r = client_->raw(
      "POST /headers HTTP/1.1\r\nHost: x\r\nX-City: Kaiserslautern\r\n"
      "Transfer-Encoding: chunked\r\n\r\n"
      "3\r\nabc\r\n4\r\ndefg\r\n0\r\n\r\n");
  ASSERT_EQ(r.status, 200u) << r.error;
  EXPECT_EQ(r.body,
            "host;x-city;transfer-encoding; x-city=Kaiserslautern "
            "body=abcdefg");
  // The next request on the connection has only its own headers.
  r = client_->request("POST", "/headers", "z");
  ASSERT_EQ(r.status, 200u) << r.error;
  EXPECT_EQ(r.body, "host;content-length; x-city= body=z");
  EXPECT_EQ(client_->connections_opened(), 1);
}

// A line break in a header value cannot end the field: it would let a
// value chosen by a client (an id in a Location) add headers of its own.
// The message's framing (length, connection) is the server's.
TEST_F(ServerTest, HandlerHeadersCannotSplitOrReframeTheReply) {
  start(open_config());
  Response r = client_->get("/header-with-line-break");
  ASSERT_EQ(r.status, 200u) << r.error;
  EXPECT_EQ(r.header("set-cookie"), "");
  EXPECT_EQ(r.header("x-note"), "a  Set-Cookie: session=1");
  EXPECT_EQ(r.body, "ok");
  EXPECT_EQ(r.header("connection"), "");
  EXPECT_EQ(client_->get("/ping").body, "pong");
  EXPECT_EQ(client_->connections_opened(), 1);
}

TEST_F(ServerTest, IdleConnectionIsClosedAfterTheTimeout) {
  ServerConfig c = open_config();
  c.limits.idle_timeout_ms = 300;
  start(c);
  ASSERT_EQ(client_->get("/ping").status, 200u);
  std::this_thread::sleep_for(800ms);
  // The client finds its connection closed and opens another.
  ASSERT_EQ(client_->get("/ping").status, 200u);
  EXPECT_EQ(client_->connections_opened(), 2);
}

TEST_F(ServerTest, HalfSentRequestIsClosedAfterTheTimeout) {
  ServerConfig c = open_config();
  c.limits.idle_timeout_ms = 300;
  start(c);
  auto t0 = std::chrono::steady_clock::now();
  Response r = client_->raw("GET /ping HTTP/1.1\r\nHost: x\r\n");
  EXPECT_EQ(r.status, 0u);  // closed without a reply
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 5s);
}

// The timeout counts from the connection's last request, and not while a
// handler works.
TEST_F(ServerTest, BusyConnectionOutlivesTheTimeout) {
  ServerConfig c = open_config();
  c.limits.idle_timeout_ms = 300;
  start(c);
  for (int i = 0; i < 8; ++i) {
    ASSERT_EQ(client_->get("/ping").status, 200u);
    std::this_thread::sleep_for(100ms);
  }
  Response r = client_->get("/slow");  // 400 ms in the handler
  EXPECT_EQ(r.body, "slow done");
  EXPECT_EQ(client_->connections_opened(), 1);
}

TEST_F(ServerTest, TenantHeaderIsValidated) {
  start(open_config());
  for (const char* bad : {"..", "a/b", "-x", "a.b", "ä"}) {
    Response r = client_->get("/t/echo", {{"NGSILD-Tenant", bad}});
    EXPECT_EQ(r.status, 400u) << bad;
    EXPECT_EQ(problem_type(r),
              "https://uri.etsi.org/ngsi-ld/errors/BadRequestData");
    EXPECT_NE(r.body.find("NGSILD-Tenant"), std::string::npos);
  }
  Response r = client_->get("/t/echo", {{"NGSILD-Tenant", "kaiserslautern"}});
  ASSERT_EQ(r.status, 200u);
  EXPECT_EQ(r.body, "tenant=kaiserslautern role=3 key=");
  r = client_->get("/t/echo");
  EXPECT_EQ(r.body, "tenant= role=3 key=");
  // Public routes ignore the header.
  EXPECT_EQ(client_->get("/ping", {{"NGSILD-Tenant", ".."}}).status, 200u);
}

TEST_F(ServerTest, MissingOrUnknownKeyIs401) {
  start(ServerConfig{});
  Response r = client_->get("/t/echo");
  EXPECT_EQ(r.status, 401u);
  EXPECT_EQ(r.header("www-authenticate"), "Bearer");
  EXPECT_EQ(problem_type(r),
            "https://uri.etsi.org/ngsi-ld/errors/Unauthorized");
  r = client_->get("/t/echo",
                   bearer("ck_0123456789ab_" + std::string(64, '0')));
  EXPECT_EQ(r.status, 401u);
  r = client_->get("/t/echo", {{"Authorization", "Basic abc"}});
  EXPECT_EQ(r.status, 401u);
  EXPECT_EQ(client_->get("/ping").status, 200u);  // public
  EXPECT_EQ(client_->get("/health").status, 200u);
}

TEST_F(ServerTest, KeyRolesAndTenants) {
  start(ServerConfig{});
  std::string reader = add_key("berlin", "read");
  std::string writer = add_key("berlin", "write");
  std::string any = add_key("*", "admin");
  std::string def = add_key("", "read");

  Response r = client_->get("/t/echo", bearer(reader, "berlin"));
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.body, "tenant=berlin role=1 key=" + reader.substr(3, 12));
  EXPECT_EQ(client_->request("POST", "/t/write", "x", bearer(reader, "berlin"))
                .status,
            403u);
  EXPECT_EQ(client_->request("POST", "/t/write", "x", bearer(writer, "berlin"))
                .status,
            200u);
  r = client_->get("/t/echo", bearer(reader, "hamburg"));
  EXPECT_EQ(r.status, 403u);
  EXPECT_EQ(problem_type(r), "https://uri.etsi.org/ngsi-ld/errors/Forbidden");
  EXPECT_EQ(client_->get("/t/echo", bearer(reader)).status, 403u);
  EXPECT_EQ(client_->get("/t/admin", bearer(writer, "berlin")).status, 403u);
  EXPECT_EQ(client_->get("/t/admin", bearer(any, "hamburg")).status, 200u);
  EXPECT_EQ(client_->get("/t/echo", bearer(any)).status, 200u);
  EXPECT_EQ(client_->get("/t/echo", bearer(def)).status, 200u);
  EXPECT_EQ(client_->get("/t/echo", bearer(def, "berlin")).status, 403u);
}

TEST_F(ServerTest, MetricsCountRequests) {
  start(open_config());
  for (int i = 0; i < 3; ++i) client_->get("/ping");
  client_->get("/nothing");
  Response r = client_->get("/metrics");
  ASSERT_EQ(r.status, 200u);
  EXPECT_TRUE(
      r.header("content-type").starts_with("text/plain; version=0.0.4"));
  EXPECT_NE(r.body.find(
                "cocity_http_requests_total{method=\"GET\",status=\"200\"} 3"),
            std::string::npos)
      << r.body;
  EXPECT_NE(r.body.find(
                "cocity_http_requests_total{method=\"GET\",status=\"404\"} 1"),
            std::string::npos);
  EXPECT_NE(
      r.body.find(
          "cocity_http_request_duration_seconds_count{route=\"GET /ping\"} 3"),
      std::string::npos);
  EXPECT_NE(r.body.find("cocity_http_connections 1"), std::string::npos);
}

TEST_F(ServerTest, ShutdownFinishesInFlightRequest) {
  start(open_config());
  auto slow = std::async(std::launch::async, [port = server_->port()] {
    HttpClient c(port);
    return c.get("/slow");
  });
  // An idle keep-alive connection must not hold up the shutdown.
  ASSERT_EQ(client_->get("/ping").status, 200u);
  std::this_thread::sleep_for(100ms);
  auto t0 = std::chrono::steady_clock::now();
  server_->shutdown();
  server_->wait();
  auto waited = std::chrono::steady_clock::now() - t0;
  Response r = slow.get();
  EXPECT_EQ(r.status, 200u) << r.error;
  EXPECT_EQ(r.body, "slow done");
  EXPECT_EQ(r.header("connection"), "close");
  EXPECT_LT(waited, 5s);
  HttpClient late(server_->port(), 1s);
  EXPECT_EQ(late.get("/ping").status, 0u);  // no longer accepting
}

class StaticServerTest : public ServerTest {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("cocity-web-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    std::ofstream(dir_ / "index.html") << "<html>home</html>";
    std::ofstream(dir_ / "app.css") << "body{}";
  }
  void TearDown() override {
    ServerTest::TearDown();
    std::filesystem::remove_all(dir_);
  }
  std::filesystem::path dir_;
};

TEST_F(StaticServerTest, ServesFilesForUnroutedGets) {
  ServerConfig c = open_config();
  c.web_dir = dir_.string();
  start(c);
  Response r = client_->get("/");
  ASSERT_EQ(r.status, 200u);
  EXPECT_EQ(r.body, "<html>home</html>");
  EXPECT_EQ(r.header("content-type"), "text/html; charset=utf-8");
  r = client_->get("/app.css");
  EXPECT_EQ(r.header("content-type"), "text/css; charset=utf-8");
  EXPECT_EQ(client_->get("/%2e%2e/etc/passwd").status, 404u);
  EXPECT_EQ(client_->get("/../etc/passwd").status, 404u);
  EXPECT_EQ(client_->get("/ping").body, "pong");  // routes first
}

}  // namespace
}  // namespace cocity::server
