// @context handling over loopback: Link header, inline, hosted uploads,
// shipped contexts, remote fetching (served, hanging, closed, switched off)
// and the /jsonldContexts API.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <thread>

#include "e2e_util.h"

namespace cocity::test {
namespace {

constexpr std::string_view kRel =
    "; rel=\"http://www.w3.org/ns/json-ld#context\"; "
    "type=\"application/ld+json\"";

Headers link(std::string_view url, bool with_json_body = false) {
  Headers h{{"link", "<" + std::string(url) + ">" + std::string(kRel)}};
  if (with_json_body) h.emplace_back("content-type", "application/json");
  return h;
}

// A loopback listening socket. With serve(), a thread answers every request
// with `body` (counting them); without it, connections are accepted by the
// kernel and never answered.
class LoopbackServer {
 public:
  LoopbackServer() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::listen(fd_, 16);
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
  }
  ~LoopbackServer() {
    stop_ = true;
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    if (thread_.joinable()) thread_.join();
  }

  void serve(std::string body) {
    thread_ = std::thread([this, body = std::move(body)] {
      while (!stop_) {
        int c = ::accept(fd_, nullptr, nullptr);
        if (c < 0) return;
        std::string req;
        char buf[4096];
        while (req.find("\r\n\r\n") == std::string::npos) {
          ssize_t n = ::read(c, buf, sizeof buf);
          if (n <= 0) break;
          req.append(buf, static_cast<size_t>(n));
        }
        ++requests_;
        std::string res =
            "HTTP/1.1 200 OK\r\nContent-Type: "
            "application/ld+json\r\nContent-Length: " +
            std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" +
            body;
        (void)::write(c, res.data(), res.size());
        ::close(c);
      }
    });
  }

  std::string url(std::string_view path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + std::string(path);
  }
  int requests() const { return requests_; }

 private:
  int fd_ = -1;
  uint16_t port_ = 0;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<int> requests_{0};
};

class ContextTest : public OpenServerTest {
 protected:
  // Creates urn:ngsi-ld:T:1 with a "temp" Property in context `h`.
  void create_with(const Headers& h, std::string_view body) {
    auto r = post("/ngsi-ld/v1/entities", body, h);
    ASSERT_EQ(r.status, 201u) << r.body;
  }
  json::object entity(std::string_view id, const Headers& h = {}) {
    auto v = get_json("/ngsi-ld/v1/entities/" + std::string(id), h);
    return v.is_object() ? v.get_object() : json::object();
  }
  std::string upload(std::string_view body) {
    auto r = post("/ngsi-ld/v1/jsonldContexts", body);
    EXPECT_EQ(r.status, 201u) << r.body;
    return std::string(r.header("location"));
  }
};

constexpr std::string_view kTempEntity =
    R"({"id": "urn:ngsi-ld:T:1", "type": "Sensor",
        "temp": {"type": "Property", "value": 21}})";

TEST_F(ContextTest, UploadedContextWorksInLinkHeadersWithoutNetwork) {
  std::string url = upload(R"({"@context": {
      "Sensor": "https://example.org/Sensor",
      "temp": "https://example.org/temperature"}})");
  ASSERT_NE(url.find("/ngsi-ld/v1/jsonldContexts/"), std::string::npos);
  create_with(link(url, true), kTempEntity);
  // Under the core context the full IRIs show.
  auto core = entity("urn:ngsi-ld:T:1");
  EXPECT_TRUE(core.contains("https://example.org/temperature"));
  EXPECT_EQ(core["type"], "https://example.org/Sensor");
  // With the uploaded context, the terms, and the same Link back.
  auto r = get("/ngsi-ld/v1/entities/urn:ngsi-ld:T:1", link(url));
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_NE(r.header("link").find(url), std::string::npos);
  auto v = *parse_json(r.body);
  EXPECT_TRUE(v.get_object().contains("temp"));
  EXPECT_EQ(v.get_object()["type"], "Sensor");
  // Served as a document, listed as Hosted.
  auto doc = get(url.substr(url.find("/ngsi-ld/")));
  EXPECT_EQ(doc.status, 200u);
  EXPECT_EQ(doc.header("content-type"), "application/ld+json");
  EXPECT_NE(doc.body.find("https://example.org/temperature"),
            std::string::npos);
  auto list = get_json("/ngsi-ld/v1/jsonldContexts?kind=Hosted&details=true");
  ASSERT_EQ(list.as_array().size(), 1u);
  EXPECT_EQ(list.as_array()[0].as_object().at("kind"), "Hosted");
  EXPECT_GE(
      list.as_array()[0].as_object().at("numberOfHits").to_number<uint64_t>(),
      2u);
  EXPECT_TRUE(list.as_array()[0].as_object().contains("lastUsage"));
}

TEST_F(ContextTest, HostedContextsSurviveARestart) {
  std::string url =
      upload(R"({"@context": {"temp": "https://example.org/t"}})");
  std::string path = url.substr(url.find("/ngsi-ld/"));
  server_->kill(SIGTERM);
  ASSERT_EQ(server_->wait_exit(), 0);
  ASSERT_TRUE(server_->start({"--open"}));
  client_ = std::make_unique<HttpClient>(server_->port());
  auto doc = get(path);
  ASSERT_EQ(doc.status, 200u) << doc.body;
  EXPECT_NE(doc.body.find("https://example.org/t"), std::string::npos);
  auto r = post("/ngsi-ld/v1/entities", kTempEntity,
                link("http://elsewhere.example" + path, true));
  EXPECT_EQ(r.status, 201u) << r.body;
  EXPECT_TRUE(entity("urn:ngsi-ld:T:1").contains("https://example.org/t"));
}

TEST_F(ContextTest, InlineContextsAreImplicitlyCreatedAndNamedInResponses) {
  Headers ld{{"content-type", "application/ld+json"}};
  auto r = post("/ngsi-ld/v1/entities",
                R"({"id": "urn:ngsi-ld:T:1", "type": "Sensor",
                    "temp": {"type": "Property", "value": 21},
                    "@context": [{"temp": "https://example.org/t"},
                      "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.8.jsonld"]})",
                ld);
  ASSERT_EQ(r.status, 201u) << r.body;
  EXPECT_TRUE(entity("urn:ngsi-ld:T:1").contains("https://example.org/t"));
  auto list = get_json(
      "/ngsi-ld/v1/jsonldContexts?kind=ImplicitlyCreated&details=true");
  ASSERT_EQ(list.as_array().size(), 1u);
  std::string url(list.as_array()[0].as_object().at("URL").as_string());
  auto e = get("/ngsi-ld/v1/entities/urn:ngsi-ld:T:1", link(url));
  ASSERT_EQ(e.status, 200u) << e.body;
  EXPECT_TRUE(parse_json(e.body)->get_object().contains("temp"));
}

TEST_F(ContextTest, ShippedContextsAreServedAndUsableOffline) {
  auto urls = get_json("/ngsi-ld/v1/jsonldContexts?kind=Cached");
  std::string all = to_json(urls);
  EXPECT_NE(all.find("ngsi-ld-core-context-v1.8.jsonld"), std::string::npos);
  EXPECT_NE(all.find("https://smartdatamodels.org/context.jsonld"),
            std::string::npos);
  auto core = get("/ngsi-ld/v1/jsonldContexts/ngsi-ld-core-v1.8");
  EXPECT_EQ(core.status, 200u);
  EXPECT_NE(core.body.find("\"@context\""), std::string::npos);
  Headers sdm = link("https://smartdatamodels.org/context.jsonld", true);
  create_with(sdm, R"({"id": "urn:ngsi-ld:AirQualityObserved:1",
      "type": "AirQualityObserved", "no2": {"type": "Property", "value": 41}})");
  auto full = entity("urn:ngsi-ld:AirQualityObserved:1");
  EXPECT_EQ(full["type"],
            "https://smartdatamodels.org/dataModel.Environment/"
            "AirQualityObserved");
  EXPECT_TRUE(
      full.contains("https://smartdatamodels.org/dataModel.Environment/no2"));
  auto compact = entity("urn:ngsi-ld:AirQualityObserved:1", sdm);
  EXPECT_TRUE(compact.contains("no2"));
  // Shipped ones cannot be deleted.
  auto d = del("/ngsi-ld/v1/jsonldContexts/ngsi-ld-core-v1.8");
  EXPECT_EQ(d.status, 400u);
  EXPECT_EQ(problem_type(d), "BadRequestData");
}

TEST_F(ContextTest, RemoteContextsAreFetchedOnceThenCached) {
  LoopbackServer remote;
  remote.serve(R"({"@context": {"temp": "https://remote.example/t"}})");
  std::string url = remote.url("/ctx.jsonld");
  create_with(link(url, true), kTempEntity);
  EXPECT_TRUE(entity("urn:ngsi-ld:T:1").contains("https://remote.example/t"));
  EXPECT_TRUE(entity("urn:ngsi-ld:T:1", link(url)).contains("temp"));
  EXPECT_EQ(remote.requests(), 1);
  auto info = get_json("/ngsi-ld/v1/jsonldContexts?kind=Cached&details=true");
  bool found = false;
  std::string id;
  for (const auto& e : info.as_array()) {
    if (e.as_object().at("URL").as_string() == url) {
      found = true;
      id = e.as_object().at("localId").as_string();
    }
  }
  ASSERT_TRUE(found) << to_json(info);
  // reload=true fetches it again; a plain delete drops it.
  EXPECT_EQ(del("/ngsi-ld/v1/jsonldContexts/" + id + "?reload=true").status,
            204u);
  EXPECT_EQ(remote.requests(), 2);
  auto hosted_reload = del("/ngsi-ld/v1/jsonldContexts/nope?reload=true");
  EXPECT_EQ(hosted_reload.status, 404u);
  EXPECT_EQ(problem_type(hosted_reload), "ResourceNotFound");
}

// 5.13.5.4: a reload that fails leaves the cached copy in place.
TEST_F(ContextTest, AFailedReloadKeepsTheCachedContext) {
  std::string url;
  {
    LoopbackServer remote;
    remote.serve(R"({"@context": {"temp": "https://remote.example/t"}})");
    url = remote.url("/ctx.jsonld");
    create_with(link(url, true), kTempEntity);
  }  // the context server is gone
  std::string escaped;
  for (char c : url) {
    if (c == ':' || c == '/') {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      escaped += buf;
    } else {
      escaped += c;
    }
  }
  auto reload = del("/ngsi-ld/v1/jsonldContexts/" + escaped + "?reload=true");
  EXPECT_EQ(reload.status, 503u) << reload.body;
  EXPECT_EQ(problem_type(reload), "LdContextNotAvailable");
  EXPECT_EQ(
      get("/ngsi-ld/v1/jsonldContexts/" + escaped + "?details=true").status,
      200u);
  EXPECT_TRUE(entity("urn:ngsi-ld:T:1", link(url)).contains("temp"));
}

TEST_F(ContextTest, BadInputGetsProblemDetails) {
  auto bad_inline = post("/ngsi-ld/v1/entities",
                         R"({"id": "urn:ngsi-ld:T:1", "type": "T",
                             "@context": {"temp": 42}})",
                         {{"content-type", "application/ld+json"}});
  EXPECT_EQ(bad_inline.status, 400u);
  EXPECT_EQ(problem_type(bad_inline), "BadRequestData");
  EXPECT_NE(problem_detail(bad_inline).find("temp"), std::string::npos);
  auto no_context = post("/ngsi-ld/v1/jsonldContexts", R"({"temp": "x"})");
  EXPECT_EQ(no_context.status, 400u);
  EXPECT_EQ(problem_type(no_context), "BadRequestData");
  auto not_json = post("/ngsi-ld/v1/jsonldContexts", "{");
  EXPECT_EQ(not_json.status, 400u);
  auto unknown = get("/ngsi-ld/v1/jsonldContexts/unknown-id");
  EXPECT_EQ(unknown.status, 404u);
  EXPECT_EQ(problem_type(unknown), "ResourceNotFound");
  EXPECT_EQ(get("/ngsi-ld/v1/jsonldContexts?kind=Other").status, 400u);
  // A Link to a context hosted here under an unknown id: not fetched.
  auto self = get("/ngsi-ld/v1/entities/urn:ngsi-ld:T:1",
                  link("http://127.0.0.1:" + std::to_string(server_->port()) +
                       "/ngsi-ld/v1/jsonldContexts/none"));
  EXPECT_EQ(self.status, 503u);
  EXPECT_EQ(problem_type(self), "LdContextNotAvailable");
  // A context in the body and one in a Link header: which one is meant?
  auto both = post("/ngsi-ld/v1/entities",
                   R"({"id": "urn:ngsi-ld:T:2", "type": "T",
                       "@context": "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.8.jsonld"})",
                   [] {
                     Headers h = link(
                         "https://uri.etsi.org/ngsi-ld/v1/"
                         "ngsi-ld-core-context-v1.8.jsonld");
                     h.emplace_back("content-type", "application/ld+json");
                     return h;
                   }());
  EXPECT_EQ(both.status, 400u) << both.body;
  EXPECT_EQ(problem_type(both), "BadRequestData");
  EXPECT_NE(problem_detail(both).find("Link"), std::string::npos);
  EXPECT_EQ(get("/ngsi-ld/v1/entities/urn:ngsi-ld:T:2").status, 404u);
  // In an application/json batch, an entity's own @context is refused, not
  // silently read with another one.
  auto batch = post("/ngsi-ld/v1/entityOperations/create",
                    R"([{"id": "urn:ngsi-ld:T:3", "type": "T",
                         "@context": {"T": "https://example.org/T"}}])");
  EXPECT_EQ(batch.status, 207u) << batch.body;
  EXPECT_NE(batch.body.find("must not carry '@context'"), std::string::npos);
  EXPECT_EQ(get("/ngsi-ld/v1/entities/urn:ngsi-ld:T:3").status, 404u);
}

TEST_F(ContextTest, DeletedHostedContextsAreGone) {
  std::string url =
      upload(R"({"@context": {"temp": "https://example.org/t"}})");
  std::string path = url.substr(url.find("/ngsi-ld/"));
  EXPECT_EQ(del(path).status, 204u);
  EXPECT_EQ(get(path).status, 404u);
  EXPECT_EQ(del(path).status, 404u);
}

// Servers with a short fetch timeout for the unreachable cases.
class UnreachableContextTest : public ::testing::Test {
 protected:
  void start(std::vector<std::string> env) {
    server_ = std::make_unique<ServerProcess>();
    auto s = server_->start({"--open"}, env);
    ASSERT_TRUE(s) << s.error().detail;
    client_ = std::make_unique<HttpClient>(server_->port());
  }
  Response get_with(std::string_view url) {
    return client_->get("/ngsi-ld/v1/entities?type=T", link(url));
  }
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<HttpClient> client_;
};

TEST_F(UnreachableContextTest, HangingServerIs503AfterTheTimeout) {
  start({"COCITY_CONTEXT_FETCH_TIMEOUT_MS=300"});
  LoopbackServer hanging;  // accepts (in the kernel), never answers
  auto t0 = std::chrono::steady_clock::now();
  auto r = get_with(hanging.url("/ctx.jsonld"));
  auto took = std::chrono::steady_clock::now() - t0;
  EXPECT_EQ(r.status, 503u) << r.body;
  EXPECT_EQ(problem_type(r), "LdContextNotAvailable");
  EXPECT_LT(took, std::chrono::seconds(3));
  // The failure is remembered: the next request does not wait again.
  t0 = std::chrono::steady_clock::now();
  EXPECT_EQ(get_with(hanging.url("/ctx.jsonld")).status, 503u);
  EXPECT_LT(std::chrono::steady_clock::now() - t0,
            std::chrono::milliseconds(250));
}

TEST_F(UnreachableContextTest, ClosedPortIs503Quickly) {
  start({});
  uint16_t closed = pick_free_port();
  auto t0 = std::chrono::steady_clock::now();
  auto r = get_with("http://127.0.0.1:" + std::to_string(closed) + "/c.jsonld");
  EXPECT_EQ(r.status, 503u) << r.body;
  EXPECT_EQ(problem_type(r), "LdContextNotAvailable");
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(2));
}

TEST_F(UnreachableContextTest, RemoteFetchingOffNamesTheSetting) {
  start({"COCITY_REMOTE_CONTEXTS=0"});
  LoopbackServer remote;
  remote.serve(R"({"@context": {"temp": "https://remote.example/t"}})");
  auto r = get_with(remote.url("/ctx.jsonld"));
  EXPECT_EQ(r.status, 503u);
  EXPECT_NE(problem_detail(r).find("contexts.remote_fetch"), std::string::npos);
  EXPECT_EQ(remote.requests(), 0);
  // Shipped contexts still work.
  EXPECT_EQ(get_with("https://smartdatamodels.org/context.jsonld").status,
            200u);
}

}  // namespace
}  // namespace cocity::test
