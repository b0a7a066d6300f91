// NGSI-LD subscriptions against a real `cocity serve`: the CRUD routes and
// bad input, HTTP notifications received by a tiny HTTP listener in the
// test, MQTT notifications through a real mosquitto, a dead and a
// never-answering endpoint next to a live one, and notifications left
// pending by a killed server delivered after its restart.
#include <mosquitto.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include "e2e_util.h"

namespace cocity::test {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

constexpr std::string_view kSubs = "/ngsi-ld/v1/subscriptions";

struct Received {
  std::string target;
  Headers headers;
  std::string body;
  std::chrono::steady_clock::time_point at;
  std::string header(std::string_view name) const {
    for (const auto& [k, v] : headers) {
      if (k == name) return v;
    }
    return "";
  }
};

// A tiny HTTP/1.1 server on 127.0.0.1:port that records every request and
// answers 204; one connection at a time (the notifier keeps one per
// endpoint).
class Receiver {
 public:
  explicit Receiver(uint16_t port = 0) : acceptor_(ioc_) {
    tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), port);
    acceptor_.open(ep.protocol());
    acceptor_.set_option(asio::socket_base::reuse_address(true));
    acceptor_.bind(ep);
    acceptor_.listen();
    port_ = acceptor_.local_endpoint().port();
    thread_ = std::thread([this] { run(); });
  }
  ~Receiver() {
    stopping_ = true;
    ::shutdown(acceptor_.native_handle(), SHUT_RDWR);
    {
      std::lock_guard lock(mu_);
      if (conn_fd_ >= 0) ::shutdown(conn_fd_, SHUT_RDWR);
    }
    thread_.join();
  }
  uint16_t port() const { return port_; }
  std::string url(std::string_view path = "/notify") const {
    return "http://127.0.0.1:" + std::to_string(port_) + std::string(path);
  }
  bool wait_for(size_t n, std::chrono::milliseconds timeout = 5s) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return got_.size() >= n; });
  }
  std::vector<Received> received() {
    std::lock_guard lock(mu_);
    return got_;
  }

 private:
  void run() {
    while (!stopping_) {
      tcp::socket socket(ioc_);
      beast::error_code ec;
      acceptor_.accept(socket, ec);
      if (ec) return;
      {
        std::lock_guard lock(mu_);
        conn_fd_ = socket.native_handle();
      }
      serve(socket);
      std::lock_guard lock(mu_);
      conn_fd_ = -1;
    }
  }
  void serve(tcp::socket& socket) {
    beast::flat_buffer buffer;
    for (;;) {
      http::request<http::string_body> req;
      beast::error_code ec;
      http::read(socket, buffer, req, ec);
      if (ec) return;
      Received r;
      r.target = std::string(req.target());
      for (const auto& f : req) {
        std::string name(f.name_string());
        for (char& c : name) c = static_cast<char>(std::tolower(c));
        r.headers.emplace_back(name, std::string(f.value()));
      }
      r.body = req.body();
      r.at = std::chrono::steady_clock::now();
      {
        std::lock_guard lock(mu_);
        got_.push_back(std::move(r));
      }
      cv_.notify_all();
      http::response<http::empty_body> res{http::status::no_content, 11};
      res.keep_alive(true);
      http::write(socket, res, ec);
      if (ec) return;
    }
  }

  asio::io_context ioc_;
  tcp::acceptor acceptor_;
  uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Received> got_;
  int conn_fd_ = -1;
};

// A port that accepts connections (kernel backlog) but never answers.
class BlackHole {
 public:
  BlackHole() : acceptor_(ioc_) {
    tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), 0);
    acceptor_.open(ep.protocol());
    acceptor_.bind(ep);
    acceptor_.listen();
  }
  uint16_t port() const { return acceptor_.local_endpoint().port(); }

 private:
  asio::io_context ioc_;
  tcp::acceptor acceptor_;
};

// A private mosquitto on a free loopback port.
class Mosquitto {
 public:
  static constexpr const char* kBinary = "/usr/sbin/mosquitto";
  Mosquitto() {
    std::string base =
        std::filesystem::temp_directory_path() / "cocity-mosq-XXXXXX";
    dir_ = mkdtemp(base.data());
    port_ = pick_free_port();
    std::ofstream(dir_ + "/m.conf")
        << "listener " << port_ << " 127.0.0.1\nallow_anonymous true\n"
        << "persistence false\n";
    pid_ = fork();
    if (pid_ == 0) {
      execl(kBinary, kBinary, "-c", (dir_ + "/m.conf").c_str(), nullptr);
      _exit(127);
    }
  }
  ~Mosquitto() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
    }
    std::filesystem::remove_all(dir_);
  }
  uint16_t port() const { return port_; }

 private:
  std::string dir_;
  uint16_t port_ = 0;
  pid_t pid_ = -1;
};

// A subscriber on one topic, collecting message payloads.
class MqttSubscriber {
 public:
  MqttSubscriber(uint16_t port, const std::string& topic) {
    mosquitto_lib_init();
    mosq_ = mosquitto_new(nullptr, true, this);
    mosquitto_message_callback_set(
        mosq_, [](mosquitto*, void* self, const mosquitto_message* m) {
          auto* s = static_cast<MqttSubscriber*>(self);
          std::lock_guard lock(s->mu_);
          s->messages_.emplace_back(static_cast<const char*>(m->payload),
                                    m->payloadlen);
          s->cv_.notify_all();
        });
    mosquitto_connect_callback_set(mosq_, [](mosquitto*, void* self, int) {
      auto* s = static_cast<MqttSubscriber*>(self);
      mosquitto_subscribe(s->mosq_, nullptr, s->topic_.c_str(), 1);
    });
    topic_ = topic;
    for (int i = 0; i < 50; ++i) {
      if (mosquitto_connect(mosq_, "127.0.0.1", port, 30) == MOSQ_ERR_SUCCESS)
        break;
      std::this_thread::sleep_for(100ms);
    }
    mosquitto_loop_start(mosq_);
    std::this_thread::sleep_for(200ms);  // let the SUBSCRIBE through
  }
  ~MqttSubscriber() {
    mosquitto_disconnect(mosq_);
    mosquitto_loop_stop(mosq_, true);
    mosquitto_destroy(mosq_);
  }
  bool wait_for(size_t n, std::chrono::milliseconds timeout = 5s) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return messages_.size() >= n; });
  }
  std::vector<std::string> messages() {
    std::lock_guard lock(mu_);
    return messages_;
  }

 private:
  mosquitto* mosq_ = nullptr;
  std::string topic_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::string> messages_;
};

std::string subscription(std::string_view uri, std::string_view extra = "") {
  return std::string(R"({"type": "Subscription",
      "entities": [{"type": "WasteContainer"}], )") +
         std::string(extra) + R"( "notification": {"endpoint": {"uri": ")" +
         std::string(uri) + R"("}}})";
}

constexpr std::string_view kBin = R"({
  "id": "urn:ngsi-ld:WasteContainer:KL-7", "type": "WasteContainer",
  "fillingLevel": {"type": "Property", "value": 0.4},
  "location": {"type": "GeoProperty",
               "value": {"type": "Point", "coordinates": [7.76, 49.44]}}})";
const std::string kBinUrl =
    "/ngsi-ld/v1/entities/urn:ngsi-ld:WasteContainer:KL-7/attrs";

class SubscriptionTest : public OpenServerTest {
 protected:
  std::string create(std::string_view body, Headers headers = kJson) {
    auto r = post(kSubs, body, headers);
    EXPECT_EQ(r.status, 201u) << r.body;
    std::string loc(r.header("location"));
    EXPECT_TRUE(loc.starts_with("/ngsi-ld/v1/subscriptions/")) << loc;
    return loc;
  }
};

TEST_F(SubscriptionTest, CreateRetrieveListPatchDelete) {
  std::string loc = create(subscription(
      "http://127.0.0.1:9/n",
      R"("id": "urn:ngsi-ld:Subscription:bins", "q": "fillingLevel>0.8",
         "watchedAttributes": ["fillingLevel"], "throttling": 5,)"));
  EXPECT_EQ(loc, "/ngsi-ld/v1/subscriptions/urn:ngsi-ld:Subscription:bins");
  auto v = get_json(loc);
  EXPECT_EQ(v.at("id"), "urn:ngsi-ld:Subscription:bins");
  EXPECT_EQ(v.at("type"), "Subscription");
  EXPECT_EQ(v.at("status"), "active");
  EXPECT_EQ(v.at("q"), "fillingLevel>0.8");
  EXPECT_EQ(v.at("notification").at("timesSent").to_number<uint64_t>(), 0u);

  create(subscription("http://127.0.0.1:9/m"));
  auto list = get(std::string(kSubs) + "?count=true&limit=1");
  EXPECT_EQ(list.status, 200u);
  EXPECT_EQ(list.header("ngsild-results-count"), "2");
  EXPECT_EQ(parse_json(list.body)->as_array().size(), 1u);
  // Another tenant sees none.
  auto other = get(std::string(kSubs), {{"ngsild-tenant", "other"}});
  EXPECT_EQ(parse_json(other.body)->as_array().size(), 0u);

  EXPECT_EQ(patch(loc, R"({"isActive": false, "throttling": 10})").status,
            204u);
  v = get_json(loc);
  EXPECT_EQ(v.at("status"), "paused");
  EXPECT_EQ(v.at("throttling").as_int64(), 10);

  EXPECT_EQ(del(loc).status, 204u);
  EXPECT_EQ(get(loc).status, 404u);
  EXPECT_EQ(del(loc).status, 404u);
  EXPECT_EQ(patch(loc, R"({"isActive": true})").status, 404u);
}

// A subscription is shown in the reader's terms, not its creator's.
TEST_F(SubscriptionTest, NamesAreCompactedWithTheReadersContext) {
  auto r = post(kSubs, R"({"type": "Subscription",
      "@context": [{"Bin": "https://example.org/Bin",
                    "level": "https://example.org/level"},
                   "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.8.jsonld"],
      "id": "urn:ngsi-ld:Subscription:terms",
      "entities": [{"type": "Bin"}], "watchedAttributes": ["level"],
      "notification": {"attributes": ["level"],
                       "endpoint": {"uri": "http://127.0.0.1:9/n"}}})",
                {{"content-type", "application/ld+json"}});
  ASSERT_EQ(r.status, 201u) << r.body;
  std::string loc = std::string(kSubs) + "/urn:ngsi-ld:Subscription:terms";
  auto v = get_json(loc);  // the core context: full IRIs
  EXPECT_EQ(v.at("entities").at(0).at("type"), "https://example.org/Bin");
  EXPECT_EQ(v.at("watchedAttributes").at(0), "https://example.org/level");
  EXPECT_EQ(v.at("notification").at("attributes").at(0),
            "https://example.org/level");
  auto ld = get(loc, {{"accept", "application/ld+json"}});
  auto doc = parse_json(ld.body);
  ASSERT_TRUE(doc) << ld.body;
  EXPECT_NE(to_json(doc->at("@context")).find("ngsi-ld-core-context"),
            std::string::npos);
  auto list = get_json(std::string(kSubs));
  EXPECT_EQ(list.at(0).at("entities").at(0).at("type"),
            "https://example.org/Bin");
}

TEST_F(SubscriptionTest, BadInputIs400NamingTheMember) {
  struct Case {
    std::string body;
    std::string mentions;
  };
  for (const auto& c : std::vector<Case>{
           {R"({"type": "Subscription", "entities": [{"type": "T"}]})",
            "notification"},
           {subscription("ftp://x/y"), "endpoint.uri"},
           {subscription("http://h/x", R"("q": "a>>",)"), "q"},
           {subscription("http://h/x", R"("notificationTrigger": ["x"],)"),
            "notificationTrigger"},
           {subscription("http://h/x", R"("expiresAt": 3,)"), "expiresAt"},
           {subscription("http://h/x", R"("entities": [{"id": "nope"}],)"),
            "entities"},
           {subscription("http://h/x", R"("geoQ": {"georel": "near",
               "geometry": "Point", "coordinates": [7, 49]},)"),
            "geoQ"},
           {R"([1, 2])", "object"},
       }) {
    auto r = post(kSubs, c.body);
    EXPECT_EQ(r.status, 400u) << c.body << " -> " << r.body;
    EXPECT_NE(problem_detail(r).find(c.mentions), std::string::npos)
        << problem_detail(r);
  }
  EXPECT_EQ(post(kSubs, "{not json").status, 400u);
  std::string loc = create(
      subscription("http://h/x", R"("id": "urn:ngsi-ld:Subscription:dup",)"));
  auto dup = post(
      kSubs,
      subscription("http://h/x", R"("id": "urn:ngsi-ld:Subscription:dup",)"));
  EXPECT_EQ(dup.status, 409u);
  EXPECT_EQ(problem_type(dup), "AlreadyExists");
  EXPECT_EQ(get(std::string(kSubs) + "/urn:ngsi-ld:Subscription:none").status,
            404u);
  EXPECT_EQ(get(std::string(kSubs) + "/not-a-uri").status, 400u);
  EXPECT_EQ(patch(loc, R"({"id": "urn:other"})").status, 400u);
  EXPECT_EQ(patch(loc, R"({"throttling": "fast"})").status, 400u);
}

TEST_F(SubscriptionTest, HttpNotificationCarriesHeadersTenantAndFormat) {
  Receiver receiver;
  Headers tenant = {{"content-type", "application/json"},
                    {"ngsild-tenant", "kaiserslautern"}};
  create(subscription(receiver.url(),
                      R"("notificationTrigger": ["entityCreated",
                           "attributeUpdated"],
                         "geoQ": {"georel": "near;maxDistance==5000",
                           "geometry": "Point", "coordinates": [7.77, 49.44]},)"),
         tenant);
  // keyValues and receiverInfo, by PATCH.
  auto list = get(std::string(kSubs), {{"ngsild-tenant", "kaiserslautern"}});
  auto id = parse_json(list.body)->at(0).at("id").as_string();
  auto r = patch(std::string(kSubs) + "/" + std::string(id),
                 R"({"notification": {"format": "keyValues",
                     "endpoint": {"uri": ")" +
                     receiver.url() + R"(", "receiverInfo": [
                       {"key": "X-Auth-Token", "value": "s3cret"}]}}})",
                 tenant);
  ASSERT_EQ(r.status, 204u) << r.body;
  ASSERT_EQ(post("/ngsi-ld/v1/entities", kBin, tenant).status, 201u);
  ASSERT_TRUE(receiver.wait_for(1));
  ASSERT_EQ(patch(kBinUrl, R"({"fillingLevel": 0.9})", tenant).status, 204u);
  ASSERT_TRUE(receiver.wait_for(2));
  auto got = receiver.received();
  EXPECT_EQ(got[0].target, "/notify");
  EXPECT_EQ(got[0].header("ngsild-tenant"), "kaiserslautern");
  EXPECT_EQ(got[0].header("x-auth-token"), "s3cret");
  EXPECT_EQ(got[0].header("content-type"), "application/json");
  auto first = parse_json(got[0].body);
  ASSERT_TRUE(first) << got[0].body;
  EXPECT_EQ(first->at("type"), "Notification");
  EXPECT_EQ(first->at("subscriptionId").as_string(), id);
  EXPECT_EQ(first->at("data").at(0).at("fillingLevel").as_double(), 0.4);
  auto second = parse_json(got[1].body);
  EXPECT_EQ(second->at("data").at(0).at("fillingLevel").as_double(), 0.9);
  // The default tenant's write does not notify.
  ASSERT_EQ(post("/ngsi-ld/v1/entities", kBin).status, 201u);
  EXPECT_FALSE(receiver.wait_for(3, 300ms));
  // Status fields count the deliveries.
  auto sub = get_json(std::string(kSubs) + "/" + std::string(id),
                      {{"ngsild-tenant", "kaiserslautern"}});
  EXPECT_EQ(sub.at("notification").at("timesSent").to_number<uint64_t>(), 2u);
}

TEST_F(SubscriptionTest, GeoQOutsideTheAreaDoesNotNotify) {
  Receiver receiver;
  create(subscription(receiver.url(),
                      R"("geoQ": {"georel": "near;maxDistance==1000",
      "geometry": "Point", "coordinates": [13.4, 52.5]},)"));
  ASSERT_EQ(post("/ngsi-ld/v1/entities", kBin).status, 201u);
  EXPECT_FALSE(receiver.wait_for(1, 500ms));
}

TEST_F(SubscriptionTest, MqttNotificationThroughARealBroker) {
  if (access(Mosquitto::kBinary, X_OK) != 0) GTEST_SKIP() << "no mosquitto";
  Mosquitto broker;
  MqttSubscriber sub(broker.port(), "cocity/bins");
  create(subscription("mqtt://127.0.0.1:" + std::to_string(broker.port()) +
                      "/cocity/bins"));
  ASSERT_EQ(post("/ngsi-ld/v1/entities", kBin).status, 201u);
  ASSERT_TRUE(sub.wait_for(1));
  auto msg = parse_json(sub.messages()[0]);
  ASSERT_TRUE(msg) << sub.messages()[0];
  EXPECT_EQ(msg->at("metadata").at("Content-Type"), "application/json");
  EXPECT_EQ(msg->at("body").at("type"), "Notification");
  EXPECT_EQ(msg->at("body").at("data").at(0).at("id"),
            "urn:ngsi-ld:WasteContainer:KL-7");
}

TEST_F(SubscriptionTest, DeadAndSilentEndpointsDoNotDelayALiveOne) {
  BlackHole silent;
  uint16_t closed = pick_free_port();
  Receiver live;
  create(
      subscription("http://127.0.0.1:" + std::to_string(silent.port()) + "/n"));
  create(subscription("http://127.0.0.1:" + std::to_string(closed) + "/n"));
  create(subscription(live.url()));
  for (int i = 0; i < 5; ++i) {
    auto start = std::chrono::steady_clock::now();
    auto r = i == 0 ? post("/ngsi-ld/v1/entities", kBin)
                    : patch(kBinUrl,
                            R"({"fillingLevel": 0.)" + std::to_string(i) + "}");
    ASSERT_TRUE(r.status == 201u || r.status == 204u) << r.body;
    ASSERT_TRUE(live.wait_for(i + 1, 2s)) << "notification " << i;
    auto latency = live.received()[i].at - start;
    EXPECT_LT(latency, 500ms) << "notification " << i;
  }
}

TEST(SubscriptionRestartTest, PendingNotificationsAreSentAfterAKill) {
  ServerProcess server;
  ASSERT_TRUE(server.start({"--open"}));
  HttpClient client(server.port());
  uint16_t port = pick_free_port();  // nobody listens yet
  auto r = client.request(
      "POST", std::string(kSubs),
      subscription("http://127.0.0.1:" + std::to_string(port) + "/later"),
      kJson);
  ASSERT_EQ(r.status, 201u) << r.body;
  ASSERT_EQ(client.request("POST", "/ngsi-ld/v1/entities", kBin, kJson).status,
            201u);
  ASSERT_EQ(client.request("PATCH", kBinUrl, R"({"fillingLevel": 0.7})", kJson)
                .status,
            204u);
  std::this_thread::sleep_for(300ms);  // the notifier writes them pending
  server.kill(SIGKILL);
  server.wait_exit();
  Receiver receiver(port);
  ASSERT_TRUE(server.start({"--open"}));
  ASSERT_TRUE(receiver.wait_for(2, 10s)) << server.log_text();
  auto got = receiver.received();
  EXPECT_EQ(got[0].target, "/later");
  auto a = parse_json(got[0].body);
  auto b = parse_json(got[1].body);
  EXPECT_EQ(a->at("data").at(0).at("fillingLevel").at("value").as_double(),
            0.4);
  EXPECT_EQ(b->at("data").at(0).at("fillingLevel").at("value").as_double(),
            0.7);
}

}  // namespace
}  // namespace cocity::test
