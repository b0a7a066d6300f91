#include "server/websocket_session.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>

#include <chrono>
#include <utility>

namespace cocity::server {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;

WebSocketSession::WebSocketSession(beast::tcp_stream stream,
                                   std::shared_ptr<WebSocketListener> listener,
                                   std::function<void()> on_destroyed)
    : on_destroyed_{std::move(on_destroyed)},
      ws_(std::move(stream)),
      listener_(std::move(listener)) {}

// on_destroyed_ runs after the members (see its declaration).
WebSocketSession::~WebSocketSession() = default;

void WebSocketSession::start(Request request) {
  request_ = std::move(request);
  // The websocket stream runs its own timers; the TCP stream's must be off.
  beast::get_lowest_layer(ws_).expires_never();
  websocket::stream_base::timeout timeout;
  timeout.handshake_timeout = std::chrono::seconds(10);
  timeout.idle_timeout = std::chrono::seconds(30);
  timeout.keep_alive_pings = true;  // a ping after 15 s of silence
  ws_.set_option(timeout);
  ws_.read_message_max(kWebSocketMaxMessageBytes);
  ws_.auto_fragment(false);
  ws_.async_accept(request_, [self = shared_from_this()](beast::error_code ec) {
    self->on_accept(ec);
  });
}

void WebSocketSession::on_accept(beast::error_code ec) {
  request_ = {};
  if (ec) return finish();
  open_ = true;
  if (listener_) listener_->on_open(shared_from_this());
  if (!finished_) do_read();
}

void WebSocketSession::do_read() {
  ws_.async_read(buffer_,
                 [self = shared_from_this()](beast::error_code ec, size_t) {
                   self->on_read(ec);
                 });
}

void WebSocketSession::on_read(beast::error_code ec) {
  if (ec) return finish();
  if (!ws_.got_text()) {
    buffer_.consume(buffer_.size());
    begin_close(websocket::close_code::bad_payload);
    return do_read();  // until the peer's close frame arrives
  }
  std::string text = beast::buffers_to_string(buffer_.data());
  buffer_.consume(buffer_.size());
  if (listener_ && !closing_) listener_->on_message(text);
  if (!finished_) do_read();
}

void WebSocketSession::send_text(std::string text) {
  send_shared(std::make_shared<const std::string>(std::move(text)));
}

void WebSocketSession::send_shared(std::shared_ptr<const std::string> text) {
  asio::dispatch(ws_.get_executor(),
                 [self = shared_from_this(), text = std::move(text)]() mutable {
                   self->enqueue(std::move(text));
                 });
}

void WebSocketSession::close() {
  asio::post(ws_.get_executor(), [self = shared_from_this()] {
    self->begin_close(websocket::close_code::normal);
  });
}

void WebSocketSession::stop() {
  asio::post(ws_.get_executor(), [self = shared_from_this()] {
    self->begin_close(websocket::close_code::going_away);
  });
}

void WebSocketSession::enqueue(std::shared_ptr<const std::string> text) {
  if (!open_ || closing_ || finished_) return;
  if (queue_.size() >= kWebSocketMaxQueuedMessages ||
      queued_bytes_ + text->size() > kWebSocketMaxQueuedBytes) {
    // A peer that does not read must not hold memory. Dropped from a fresh
    // handler: the sender may be inside a listener callback (no re-entry).
    closing_ = true;
    asio::post(ws_.get_executor(),
               [self = shared_from_this()] { self->drop(); });
    return;
  }
  queued_bytes_ += text->size();
  queue_.push_back(std::move(text));
  if (!writing_) do_write();
}

void WebSocketSession::do_write() {
  if (queue_.empty()) {
    if (closing_) do_close();
    return;
  }
  writing_ = true;
  ws_.text(true);
  // The handler holds the message: drop() may clear the queue meanwhile.
  std::shared_ptr<const std::string> message = queue_.front();
  ws_.async_write(asio::buffer(*message),
                  [self = shared_from_this(), message](
                      beast::error_code ec, size_t) { self->on_write(ec); });
}

void WebSocketSession::on_write(beast::error_code ec) {
  writing_ = false;
  if (ec) return drop();
  if (!queue_.empty()) {
    queued_bytes_ -= queue_.front()->size();
    queue_.pop_front();
  }
  do_write();
}

// Queued frames go out first, then the close frame.
void WebSocketSession::begin_close(websocket::close_code code) {
  if (closing_ || finished_) return;
  closing_ = true;
  close_code_ = code;
  if (!open_) return drop();
  if (!writing_) do_write();
}

void WebSocketSession::do_close() {
  if (close_sent_ || finished_) return;
  close_sent_ = true;
  ws_.async_close(close_code_,
                  [self = shared_from_this()](beast::error_code ec) {
                    if (ec) self->drop();
                    // Otherwise the pending read ends with `closed`.
                  });
}

void WebSocketSession::drop() {
  beast::error_code ec;
  beast::get_lowest_layer(ws_).socket().shutdown(
      asio::ip::tcp::socket::shutdown_both, ec);
  beast::get_lowest_layer(ws_).close();
  finish();
}

void WebSocketSession::finish() {
  if (finished_) return;
  finished_ = true;
  open_ = false;
  queue_.clear();
  queued_bytes_ = 0;
  if (auto listener = std::move(listener_)) listener->on_close();
}

}  // namespace cocity::server
