#include "server/context_fetch.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace cocity::server {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

struct HttpUrl {
  std::string host;
  std::string port = "80";
  std::string target = "/";
};

std::unexpected<Error> unavailable(std::string_view url, std::string cause) {
  return fail(Code::kLdContextNotAvailable,
              "the @context '" + std::string(url.substr(0, 200)) +
                  "' cannot be fetched: " + cause);
}

Result<HttpUrl> parse_http_url(std::string_view url) {
  constexpr std::string_view kHttp = "http://";
  if (url.starts_with("https://")) {
    return unavailable(url,
                       "https is not supported for remote contexts yet; upload "
                       "it with POST /ngsi-ld/v1/jsonldContexts");
  }
  if (!url.starts_with(kHttp)) {
    return unavailable(url, "only http:// URLs can be fetched");
  }
  std::string_view rest = url.substr(kHttp.size());
  size_t slash = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, slash);
  HttpUrl out;
  if (slash != std::string_view::npos) {
    out.target = std::string(rest.substr(slash));
    if (out.target.front() != '/') out.target.insert(0, "/");
    size_t hash = out.target.find('#');
    if (hash != std::string::npos) out.target.resize(hash);
  }
  if (authority.find('@') != std::string_view::npos || authority.empty()) {
    return unavailable(url, "the URL has no usable host");
  }
  size_t colon = authority.rfind(':');
  if (colon != std::string_view::npos && authority.front() != '[') {
    out.port = std::string(authority.substr(colon + 1));
    authority = authority.substr(0, colon);
  }
  out.host = std::string(authority);
  if (out.host.empty() || out.port.empty()) {
    return unavailable(url, "the URL has no usable host or port");
  }
  return out;
}

// The fetch as one chain of asynchronous steps on a private io_context, so
// that a single deadline covers every step.
class Fetch {
 public:
  Fetch(std::string_view url, HttpUrl parsed, uint64_t max_bytes)
      : url_(url),
        parsed_(std::move(parsed)),
        resolver_(ioc_),
        stream_(ioc_),
        max_bytes_(max_bytes) {}

  Result<std::string> run(std::chrono::milliseconds timeout) {
    stream_.expires_after(timeout);
    asio::steady_timer resolve_deadline(ioc_, timeout);
    resolve_deadline.async_wait([this](beast::error_code ec) {
      if (!ec) resolver_.cancel();
    });
    resolver_.async_resolve(
        parsed_.host, parsed_.port,
        [this, &resolve_deadline](beast::error_code ec,
                                  asio::ip::tcp::resolver::results_type r) {
          resolve_deadline.cancel();
          if (ec) return finish(ec, "resolving the host");
          stream_.async_connect(
              r, [this](beast::error_code ec2, const asio::ip::tcp::endpoint&) {
                if (ec2) return finish(ec2, "connecting");
                send();
              });
        });
    ioc_.run();
    if (!error_.empty()) return unavailable(url_, error_);
    return std::move(body_);
  }

 private:
  void send() {
    request_.method(http::verb::get);
    request_.target(parsed_.target);
    request_.version(11);
    request_.set(http::field::host, parsed_.host + ":" + parsed_.port);
    request_.set(http::field::accept, "application/ld+json, application/json");
    request_.set(http::field::user_agent, "cocity");
    request_.set(http::field::connection, "close");
    http::async_write(stream_, request_, [this](beast::error_code ec, size_t) {
      if (ec) return finish(ec, "sending the request");
      receive();
    });
  }

  void receive() {
    parser_.body_limit(max_bytes_);
    parser_.header_limit(64 * 1024);
    http::async_read(stream_, buffer_, parser_,
                     [this](beast::error_code ec, size_t) {
                       if (ec == http::error::body_limit) {
                         return fail_with("the document is larger than " +
                                          std::to_string(max_bytes_) +
                                          " bytes (contexts.max_bytes)");
                       }
                       if (ec) return finish(ec, "reading the response");
                       auto& res = parser_.get();
                       if (res.result_int() != 200) {
                         return fail_with("the server answered " +
                                          std::to_string(res.result_int()));
                       }
                       body_ = std::move(res.body());
                       close();
                     });
  }

  void finish(beast::error_code ec, std::string_view step) {
    if (ec == beast::error::timeout || ec == asio::error::operation_aborted) {
      fail_with(
          "no answer within the timeout (contexts.fetch_timeout_ms) "
          "while " +
          std::string(step));
    } else {
      fail_with(std::string(step) + " failed: " + ec.message());
    }
  }

  void fail_with(std::string why) {
    error_ = std::move(why);
    close();
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    stream_.close();
  }

  std::string_view url_;
  HttpUrl parsed_;
  asio::io_context ioc_;
  asio::ip::tcp::resolver resolver_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  http::request<http::empty_body> request_;
  http::response_parser<http::string_body> parser_;
  uint64_t max_bytes_;
  std::string body_;
  std::string error_;
};

}  // namespace

Result<std::string> fetch_context_document(std::string_view url,
                                           std::chrono::milliseconds timeout,
                                           uint64_t max_bytes) {
  auto parsed = parse_http_url(url);
  if (!parsed) return std::unexpected(parsed.error());
  try {
    Fetch fetch(url, std::move(*parsed), max_bytes);
    return fetch.run(timeout);
  } catch (const std::exception& e) {
    return unavailable(url, e.what());
  }
}

}  // namespace cocity::server
