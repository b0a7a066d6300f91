// WebSocket connections as the apps see them, free of Boost.Beast.
//
// A route registered with Router::add_websocket gets the upgrade request
// (path parameters, query, tenant filled in as for any route) and answers
// with a WebSocketUpgrade: either a listener (the server then completes the
// handshake and calls on_open) or a refusal (an HTTP error response, sent
// instead of the 101).
//
// Text frames only. The server enforces per connection: a maximum message
// size (kWebSocketMaxMessageBytes; a larger frame closes the connection with
// "message too big"), pings while idle and a timeout when the peer stops
// answering, and a bounded send queue: a peer that does not read fast
// enough (more than kWebSocketMaxQueuedMessages messages or
// kWebSocketMaxQueuedBytes bytes waiting) is disconnected rather than
// allowed to hold memory or slow anyone else. On shutdown every connection
// gets a close frame ("going away").
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "server/http.h"

namespace cocity::server {

inline constexpr size_t kWebSocketMaxMessageBytes = 4096;
inline constexpr size_t kWebSocketMaxQueuedMessages = 256;
inline constexpr size_t kWebSocketMaxQueuedBytes = 4 << 20;

// The server's side of one open connection. Thread-safe: any thread may
// send or close at any time; calls after the connection closed do nothing.
class WebSocketChannel {
 public:
  virtual ~WebSocketChannel() = default;
  // Queues one text frame. Never blocks, never calls back into the
  // listener. When the queue is over its bound the connection is dropped
  // instead (on_close follows from another handler).
  virtual void send_text(std::string text) = 0;
  // The same frame for many connections without a copy each.
  virtual void send_shared(std::shared_ptr<const std::string> text) = 0;
  // Sends a close frame (normal closure) after what is queued; on_close
  // follows.
  virtual void close() = 0;
};

// The app's side of one connection. The server calls on_open once after
// the handshake, then on_message for each complete text message, then
// on_close exactly once (also when the handshake failed after on_open was
// not called: then on_close alone). Calls for one connection never overlap;
// they come from a server thread, so they must not block for long.
// After on_close the server drops its reference to the listener; the
// listener must drop its channel there too (the channel keeps the
// connection's memory alive).
class WebSocketListener {
 public:
  virtual ~WebSocketListener() = default;
  virtual void on_open(std::shared_ptr<WebSocketChannel> channel) = 0;
  // Binary frames are answered by closing the connection; `text` is the
  // whole message, at most kWebSocketMaxMessageBytes.
  virtual void on_message(std::string_view text) = 0;
  virtual void on_close() = 0;
};

// The answer of a WebSocket route: a listener, or (listener null) the HTTP
// response that refuses the upgrade (a ProblemDetails 403/404, ...).
struct WebSocketUpgrade {
  std::shared_ptr<WebSocketListener> listener;
  HttpResponse refusal;
};

// Called on the server thread that read the request; must answer at once.
using WebSocketHandler = std::function<WebSocketUpgrade(HttpRequest&)>;

}  // namespace cocity::server
