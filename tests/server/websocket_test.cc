// The server's WebSocket seam (Router::add_websocket, WebSocketChannel)
// over loopback with a Beast client: refusal, 426, echo, a peer that never
// reads is dropped (its listener closed) while others go on, and shutdown
// sends a close frame.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include "server/server.h"
#include "server/websocket.h"
#include "support/http_client.h"
#include "support/ws_client.h"

namespace cocity::server {
namespace {

using namespace std::chrono_literals;

// Echoes text; with `flood` sends 8 MiB at once on open.
class Echo final : public WebSocketListener {
 public:
  Echo(bool flood, std::atomic<int>* closed) : flood_(flood), closed_(closed) {}
  void on_open(std::shared_ptr<WebSocketChannel> channel) override {
    channel_ = std::move(channel);
    if (!flood_) return;
    auto big = std::make_shared<const std::string>(4000, 'x');
    for (int i = 0; i < 2100 && channel_; ++i) channel_->send_shared(big);
  }
  void on_message(std::string_view text) override {
    channel_->send_text("echo:" + std::string(text));
  }
  void on_close() override {
    closed_->fetch_add(1);
    channel_.reset();
  }

 private:
  bool flood_;
  std::atomic<int>* closed_;
  std::shared_ptr<WebSocketChannel> channel_;
};

class WebSocketTest : public ::testing::Test {
 protected:
  void SetUp() override {
    RouteOptions options;
    options.role = Role::kNone;
    router_.add_websocket(
        "/ws/{name}",
        [this](HttpRequest& req) -> WebSocketUpgrade {
          if (req.path_param("name") == "no") {
            return {nullptr,
                    problem_response(Error{Code::kForbidden, "refused", {}})};
          }
          return {std::make_shared<Echo>(req.path_param("name") == "flood",
                                         &closed_),
                  {}};
        },
        options);
    ServerConfig config;
    config.port = 0;
    config.threads = 2;
    config.open = true;
    server_ = std::make_unique<Server>(config, &router_, nullptr, &metrics_);
    ASSERT_TRUE(server_->start());
  }
  void TearDown() override {
    server_->shutdown();
    server_->wait();
  }

  Router router_;
  Metrics metrics_;
  std::unique_ptr<Server> server_;
  std::atomic<int> closed_{0};
};

TEST_F(WebSocketTest, RefusesAndRequiresUpgrade) {
  test::WsClient ws;
  std::string body;
  EXPECT_EQ(ws.connect(server_->port(), "/ws/no", &body), 403u);
  EXPECT_NE(body.find("refused"), std::string::npos);
  test::HttpClient http(server_->port());
  EXPECT_EQ(http.get("/ws/yes").status, 426u);
}

TEST_F(WebSocketTest, EchoesText) {
  test::WsClient ws;
  ASSERT_EQ(ws.connect(server_->port(), "/ws/yes"), 101u);
  ASSERT_TRUE(ws.send("hello"));
  auto reply = ws.read();
  ASSERT_TRUE(reply);
  EXPECT_EQ(*reply, "echo:hello");
}

TEST_F(WebSocketTest, PeerThatNeverReadsIsDropped) {
  test::WsClient slow;
  ASSERT_EQ(slow.connect(server_->port(), "/ws/flood", nullptr, 4096), 101u);
  test::WsClient other;
  ASSERT_EQ(other.connect(server_->port(), "/ws/yes"), 101u);
  // The flood exceeds the send queue's bound: the connection is dropped
  // and its listener closed, without waiting for the peer.
  auto deadline = std::chrono::steady_clock::now() + 10s;
  while (closed_.load() == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_EQ(closed_.load(), 1);
  ASSERT_TRUE(other.send("still here"));
  auto reply = other.read();
  ASSERT_TRUE(reply);
  EXPECT_EQ(*reply, "echo:still here");
}

TEST_F(WebSocketTest, ShutdownSendsCloseFrame) {
  test::WsClient ws;
  ASSERT_EQ(ws.connect(server_->port(), "/ws/yes"), 101u);
  std::thread stopper([this] { server_->shutdown(); });
  // The client's read ends with the server's close frame (not a timeout).
  auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(ws.read(5s));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 4s);
  stopper.join();
  server_->wait();  // returns once the connection has ended
  EXPECT_EQ(closed_.load(), 1);
}

}  // namespace
}  // namespace cocity::server
