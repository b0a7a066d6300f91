// Test support: a small blocking WebSocket client (Boost.Beast) with
// timeouts, for the live session tests. Not thread-safe.
#pragma once

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "core/json.h"

namespace cocity::test {

class WsClient {
 public:
  // Connects and upgrades; returns the HTTP status of the handshake
  // response (101 on success, else the refusal's) or 0 on a transport
  // error. `body` receives a refusal's body.
  unsigned connect(uint16_t port, const std::string& target,
                   std::string* body = nullptr, int rcvbuf = 0) {
    namespace beast = boost::beast;
    namespace websocket = beast::websocket;
    boost::asio::ip::tcp::endpoint ep(
        boost::asio::ip::make_address("127.0.0.1"), port);
    beast::error_code ec;
    auto& sock = beast::get_lowest_layer(ws_).socket();
    sock.open(ep.protocol(), ec);
    if (rcvbuf > 0) {
      sock.set_option(boost::asio::socket_base::receive_buffer_size(rcvbuf),
                      ec);
    }
    sock.connect(ep, ec);
    if (ec) return 0;
    websocket::response_type res;
    ws_.read_message_max(1 << 20);
    ws_.handshake(res, "127.0.0.1:" + std::to_string(port), target, ec);
    if (body != nullptr) *body = res.body();
    if (ec && res.result_int() == 101) return 0;
    return res.result_int();
  }

  bool send(const std::string& text, bool binary = false) {
    boost::beast::error_code ec;
    ws_.binary(binary);
    ws_.write(boost::asio::buffer(text), ec);
    return !ec;
  }

  // The next text message, or nullopt on timeout, close or error.
  std::optional<std::string> read(
      std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    boost::beast::flat_buffer buffer;
    bool done = false;
    boost::beast::error_code result;
    ws_.async_read(buffer, [&](boost::beast::error_code ec, size_t) {
      done = true;
      result = ec;
    });
    ioc_.restart();
    ioc_.run_for(timeout);
    if (!done) {
      boost::beast::get_lowest_layer(ws_).cancel();
      ioc_.restart();
      ioc_.run();
      return std::nullopt;
    }
    if (result) return std::nullopt;
    return boost::beast::buffers_to_string(buffer.data());
  }

  // Reads JSON messages until `pred` holds for one; returns it, or a null
  // value when `timeout` passes first.
  json::value read_until(
      const std::function<bool(const json::value&)>& pred,
      std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    auto end = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < end) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          end - std::chrono::steady_clock::now());
      auto text = read(left);
      if (!text) return nullptr;
      auto v = parse_json(*text);
      if (v && pred(*v)) return *v;
    }
    return nullptr;
  }

 private:
  boost::asio::io_context ioc_;
  boost::beast::websocket::stream<boost::beast::tcp_stream> ws_{ioc_};
};

}  // namespace cocity::test
