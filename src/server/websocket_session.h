// One server-side WebSocket connection on Boost.Beast: the implementation
// of WebSocketChannel (server/websocket.h).
//
// Internal to src/server: only http_server.cc and websocket_session.cc
// include this header (it carries Beast); apps see server/websocket.h.
//
// Threading: every member is touched on the connection's executor only (one
// io_context run by one thread); send_text/send_shared/close post there.
// Writes go out one at a time from a bounded queue (Beast allows one
// outstanding async_write); over the bound the TCP connection is closed
// at once. Lifetime: shared; alive while an operation is pending or the
// listener holds it as its channel.
#pragma once

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <string>

#include "server/websocket.h"

namespace cocity::server {

class WebSocketSession final
    : public WebSocketChannel,
      public std::enable_shared_from_this<WebSocketSession> {
 public:
  using Request = boost::beast::http::request<boost::beast::http::string_body>;

  // `on_destroyed` runs in the destructor (the server's registry).
  WebSocketSession(boost::beast::tcp_stream stream,
                   std::shared_ptr<WebSocketListener> listener,
                   std::function<void()> on_destroyed);
  ~WebSocketSession() override;
  // REQUIRES: before start().
  void set_on_destroyed(std::function<void()> fn) {
    on_destroyed_.fn = std::move(fn);
  }

  // Answers the upgrade `request` with 101, calls on_open, reads messages.
  void start(Request request);
  // Server shutdown: a close frame "going away" (thread-safe).
  void stop();

  void send_text(std::string text) override;
  void send_shared(std::shared_ptr<const std::string> text) override;
  void close() override;

 private:
  void on_accept(boost::beast::error_code ec);
  void do_read();
  void on_read(boost::beast::error_code ec);
  void enqueue(std::shared_ptr<const std::string> text);
  void do_write();
  void on_write(boost::beast::error_code ec);
  void begin_close(boost::beast::websocket::close_code code);
  void do_close();
  void drop();
  void finish();

  // Runs the callback when destroyed. Declared before ws_, so it runs after
  // ws_ and its timers are gone: once told, the server may destroy the
  // io_context, while the last owner (another thread's) is still here.
  struct OnDestroyed {
    std::function<void()> fn;
    ~OnDestroyed() {
      if (fn) fn();
    }
  } on_destroyed_;
  boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
  Request request_;  // kept for the handshake
  boost::beast::flat_buffer buffer_;
  std::shared_ptr<WebSocketListener> listener_;  // reset by finish()

  std::deque<std::shared_ptr<const std::string>> queue_;
  size_t queued_bytes_ = 0;
  bool open_ = false;     // handshake done, not finished
  bool writing_ = false;  // an async_write is pending
  bool closing_ = false;  // a close frame is due or sent
  bool close_sent_ = false;
  bool finished_ = false;
  boost::beast::websocket::close_code close_code_ =
      boost::beast::websocket::close_code::normal;
};

}  // namespace cocity::server
