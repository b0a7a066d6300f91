// HTTP notifications with Boost.Beast: a keep-alive connection per endpoint
// queue, every step bounded by a deadline (asynchronous operations on the
// sender's own io_context, run until they finish).
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "broker/notification_sender.h"

namespace cocity::broker {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

class HttpSender final : public NotificationSender {
 public:
  explicit HttpSender(std::chrono::milliseconds timeout) : timeout_(timeout) {}

  Status send(const Endpoint& endpoint,
              const OutgoingNotification& message) override {
    if (endpoint.scheme == Endpoint::Scheme::kHttps) {
      return fail(Code::kOperationNotSupported,
                  "https notification endpoints are not supported yet");
    }
    bool fresh = !stream_ || !stream_->socket().is_open();
    Result<unsigned> status = attempt(endpoint, message, fresh);
    if (!status && !fresh) {
      // The receiver may have closed an idle keep-alive connection: one
      // more try on a fresh one (no answer was read, so as far as we can
      // tell nothing was delivered).
      status = attempt(endpoint, message, true);
    }
    if (!status) {
      close();
      return std::unexpected(status.error());
    }
    if (*status < 200 || *status >= 300) {
      return fail(Code::kUnavailable, "notification to '" + endpoint.uri +
                                          "' answered " +
                                          std::to_string(*status));
    }
    return ok();
  }

 private:
  Result<unsigned> attempt(const Endpoint& endpoint,
                           const OutgoingNotification& message,
                           bool connect_first) {
    if (connect_first) {
      if (auto s = connect(endpoint); !s) return std::unexpected(s.error());
    }
    return exchange(endpoint, message);
  }

  Status connect(const Endpoint& endpoint) {
    close();
    stream_ = std::make_unique<beast::tcp_stream>(ioc_);
    beast::error_code ec;
    tcp::resolver resolver(ioc_);
    auto results =
        resolver.resolve(endpoint.host, std::to_string(endpoint.port), ec);
    if (ec) return unavailable(endpoint, "cannot resolve host", ec);
    stream_->expires_after(timeout_);
    stream_->async_connect(results,
                           [&ec](beast::error_code e, const auto&) { ec = e; });
    run();
    if (ec) return unavailable(endpoint, "cannot connect", ec);
    return ok();
  }

  // The status code of the answer, or a transport error.
  Result<unsigned> exchange(const Endpoint& endpoint,
                            const OutgoingNotification& message) {
    http::request<http::string_body> req{http::verb::post, endpoint.target, 11};
    req.set(http::field::host,
            endpoint.host + ":" + std::to_string(endpoint.port));
    req.set(http::field::content_type, message.content_type);
    req.set(http::field::user_agent, "cocity");
    if (!message.link.empty()) req.set(http::field::link, message.link);
    if (!message.tenant.empty()) req.set("NGSILD-Tenant", message.tenant);
    for (const auto& [k, v] : endpoint.receiver_info) req.set(k, v);
    req.keep_alive(true);
    req.body() = message.body;
    req.prepare_payload();
    beast::error_code ec;
    stream_->expires_after(timeout_);
    http::async_write(*stream_, req,
                      [&ec](beast::error_code e, size_t) { ec = e; });
    run();
    if (ec) return unavailable(endpoint, "cannot send", ec);
    http::response<http::string_body> res;
    buffer_.clear();
    stream_->expires_after(timeout_);
    http::async_read(*stream_, buffer_, res,
                     [&ec](beast::error_code e, size_t) { ec = e; });
    run();
    if (ec) return unavailable(endpoint, "no answer", ec);
    if (!res.keep_alive()) close();
    return res.result_int();
  }

  void run() {
    ioc_.restart();
    ioc_.run();
  }

  void close() {
    if (!stream_) return;
    beast::error_code ec;
    stream_->socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_->socket().close(ec);
    stream_.reset();
  }

  static std::unexpected<Error> unavailable(const Endpoint& endpoint,
                                            std::string_view what,
                                            const beast::error_code& ec) {
    return fail(Code::kUnavailable, "notification to '" + endpoint.uri +
                                        "': " + std::string(what) + ": " +
                                        ec.message());
  }

  std::chrono::milliseconds timeout_;
  asio::io_context ioc_;
  std::unique_ptr<beast::tcp_stream> stream_;
  beast::flat_buffer buffer_;
};

}  // namespace

std::unique_ptr<NotificationSender> make_http_sender(
    std::chrono::milliseconds timeout) {
  return std::make_unique<HttpSender>(timeout);
}

SenderFactory default_sender_factory(std::chrono::milliseconds timeout) {
  return [timeout](const Endpoint& endpoint) {
    if (endpoint.scheme == Endpoint::Scheme::kMqtt)
      return make_mqtt_sender(timeout);
    return make_http_sender(timeout);
  };
}

}  // namespace cocity::broker
