#include "net/http_client.h"

#include <openssl/ssl.h>

#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <charconv>
#include <optional>

namespace cocity::net {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using SteadyClock = std::chrono::steady_clock;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

constexpr uint32_t kMaxHeaderBytes = 64 * 1024;

std::unexpected<Error> unavailable(std::string_view url, std::string_view why) {
  return fail(Code::kUnavailable, "HTTP request to '" +
                                      std::string(url.substr(0, 200)) +
                                      "': " + std::string(why));
}

// A failed step as words: the deadline, or the cause.
std::string step_error(std::string_view step, const beast::error_code& ec) {
  if (ec == beast::error::timeout || ec == asio::error::operation_aborted) {
    return "no answer within the deadline while " + std::string(step);
  }
  return std::string(step) + " failed: " + ec.message();
}

bool iequals(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

bool has_header(const Headers& headers, std::string_view name) {
  return std::any_of(headers.begin(), headers.end(),
                     [&](const auto& h) { return iequals(h.first, name); });
}

Result<uint16_t> parse_port(std::string_view p) {
  unsigned port = 0;
  auto r = std::from_chars(p.data(), p.data() + p.size(), port);
  if (p.empty() || r.ec != std::errc() || r.ptr != p.data() + p.size() ||
      port == 0 || port > 65535) {
    return fail(Code::kBadRequestData,
                "the port '" + std::string(p.substr(0, 20)) + "' is not valid");
  }
  return static_cast<uint16_t>(port);
}

// Splits "host[:port]" or "[v6]:port" into `out`.
Status parse_authority(std::string_view authority, Url* out) {
  std::string_view host = authority;
  std::string_view port;
  if (authority.starts_with('[')) {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) {
      return fail(Code::kBadRequestData, "an IPv6 host lacks its ']'");
    }
    host = authority.substr(1, close - 1);
    std::string_view rest = authority.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') {
        return fail(Code::kBadRequestData, "junk after the IPv6 host");
      }
      port = rest.substr(1);
      if (port.empty()) port = "x";  // "host:" is refused below
    }
  } else if (size_t colon = authority.rfind(':');
             colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
    if (port.empty()) port = "x";
  }
  if (host.empty()) return fail(Code::kBadRequestData, "the URL has no host");
  out->host = std::string(host);
  if (!port.empty()) {
    auto p = parse_port(port);
    if (!p) return std::unexpected(p.error());
    out->port = *p;
  }
  return ok();
}

}  // namespace

std::string Url::authority() const {
  std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  if (port == (https ? 443 : 80)) return h;
  return h + ":" + std::to_string(port);
}

Result<Url> parse_url(std::string_view url) {
  Url out;
  std::string_view rest;
  if (url.starts_with("http://")) {
    rest = url.substr(7);
  } else if (url.starts_with("https://")) {
    rest = url.substr(8);
    out.https = true;
  } else {
    return fail(Code::kBadRequestData,
                "'" + std::string(url.substr(0, 200)) +
                    "' is not an http:// or https:// URL");
  }
  out.port = out.https ? 443 : 80;
  size_t end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, end);
  if (authority.find('@') != std::string_view::npos) {
    return fail(Code::kBadRequestData, "URLs with user info are not accepted");
  }
  if (auto s = parse_authority(authority, &out); !s) {
    return std::unexpected(s.error());
  }
  if (end != std::string_view::npos) {
    std::string_view target = rest.substr(end);
    target = target.substr(0, target.find('#'));
    out.target = std::string(target);
    if (out.target.empty() || out.target.front() != '/') {
      out.target.insert(0, "/");
    }
  }
  return out;
}

std::string Response::header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (iequals(k, name)) return v;
  }
  return "";
}

// The connection (plain or TLS) and the machinery to run one step at a
// time on a private io_context.
struct HttpClient::Impl {
  asio::io_context ioc;
  std::optional<ssl::context> tls;
  std::optional<Url> origin;  // where the open connection goes
  std::unique_ptr<beast::tcp_stream> plain;
  std::unique_ptr<TlsStream> secure;
  beast::flat_buffer buffer;

  void run() {
    ioc.restart();
    ioc.run();
  }

  beast::tcp_stream& lowest() {
    return secure ? beast::get_lowest_layer(*secure) : *plain;
  }

  bool reusable_for(const Url& url) {
    return origin && origin->https == url.https && origin->host == url.host &&
           origin->port == url.port && (plain || secure) &&
           lowest().socket().is_open();
  }

  void close() {
    if (plain || secure) {
      beast::error_code ignored;
      lowest().socket().shutdown(tcp::socket::shutdown_both, ignored);
      lowest().socket().close(ignored);
    }
    plain.reset();
    secure.reset();
    origin.reset();
    buffer.clear();
  }

  Status make_tls_context(const ClientOptions& options);
  Result<tcp::resolver::results_type> resolve(const Url& url,
                                              SteadyClock::time_point until);
  Status connect(const Url& url, const ClientOptions& options,
                 SteadyClock::time_point deadline);
  Status handshake(const Url& url, SteadyClock::time_point deadline);
  template <typename Stream>
  Result<Response> exchange(Stream& stream,
                            const http::request<http::string_body>& req,
                            const ClientOptions& options,
                            SteadyClock::time_point deadline, bool* answered);
};

Status HttpClient::Impl::make_tls_context(const ClientOptions& options) {
  if (tls) return ok();
  ssl::context ctx(ssl::context::tls_client);
  beast::error_code ec;
  ctx.set_default_verify_paths(ec);
  if (ec) {
    return fail(Code::kInternal,
                "cannot load the system CA store: " + ec.message());
  }
  if (!options.extra_ca_file.empty()) {
    ctx.load_verify_file(options.extra_ca_file, ec);
    if (ec) {
      return fail(Code::kInternal, "cannot load the CA file '" +
                                       options.extra_ca_file +
                                       "': " + ec.message());
    }
  }
  ctx.set_verify_mode(ssl::verify_peer);
  tls.emplace(std::move(ctx));
  return ok();
}

Result<tcp::resolver::results_type> HttpClient::Impl::resolve(
    const Url& url, SteadyClock::time_point until) {
  tcp::resolver resolver(ioc);
  asio::steady_timer timer(ioc, until);
  beast::error_code ec;
  tcp::resolver::results_type results;
  bool timed_out = false;
  timer.async_wait([&](beast::error_code e) {
    if (!e) {
      timed_out = true;
      resolver.cancel();
    }
  });
  resolver.async_resolve(url.host, std::to_string(url.port),
                         [&](beast::error_code e, auto r) {
                           ec = e;
                           results = std::move(r);
                           timer.cancel();
                         });
  run();
  if (timed_out)
    return fail(Code::kUnavailable, "resolving the host timed out");
  if (ec) return fail(Code::kUnavailable, step_error("resolving the host", ec));
  return results;
}

Status HttpClient::Impl::connect(const Url& url, const ClientOptions& options,
                                 SteadyClock::time_point deadline) {
  close();
  auto until = std::min(deadline, SteadyClock::now() + options.connect_timeout);
  auto endpoints = resolve(url, until);
  if (!endpoints) return std::unexpected(endpoints.error());
  if (url.https) {
    if (auto s = make_tls_context(options); !s) return s;
    secure = std::make_unique<TlsStream>(ioc, *tls);
  } else {
    plain = std::make_unique<beast::tcp_stream>(ioc);
  }
  beast::error_code ec;
  lowest().expires_at(until);
  lowest().async_connect(*endpoints,
                         [&](beast::error_code e, const auto&) { ec = e; });
  run();
  if (ec) {
    close();
    return fail(Code::kUnavailable, step_error("connecting", ec));
  }
  if (url.https) {
    if (auto s = handshake(url, deadline); !s) {
      close();
      return s;
    }
  }
  origin = url;
  return ok();
}

Status HttpClient::Impl::handshake(const Url& url,
                                   SteadyClock::time_point deadline) {
  beast::error_code ec;
  asio::ip::make_address(url.host, ec);
  bool is_ip = !ec;
  // SNI only for names (RFC 6066 forbids IP literals there).
  if (!is_ip && SSL_set_tlsext_host_name(secure->native_handle(),
                                         url.host.c_str()) != 1) {
    return fail(Code::kUnavailable, "cannot set the TLS server name");
  }
  secure->set_verify_callback(ssl::host_name_verification(url.host));
  ec = {};
  lowest().expires_at(deadline);
  secure->async_handshake(ssl::stream_base::client,
                          [&](beast::error_code e) { ec = e; });
  run();
  if (ec) {
    return fail(Code::kUnavailable,
                step_error("the TLS handshake (certificate of '" + url.host +
                               "' checked against the trusted CAs)",
                           ec));
  }
  return ok();
}

template <typename Stream>
Result<Response> HttpClient::Impl::exchange(
    Stream& stream, const http::request<http::string_body>& req,
    const ClientOptions& options, SteadyClock::time_point deadline,
    bool* answered) {
  beast::error_code ec;
  lowest().expires_at(deadline);
  http::async_write(stream, req, [&](beast::error_code e, size_t) { ec = e; });
  run();
  if (ec) return fail(Code::kUnavailable, step_error("sending", ec));
  http::response_parser<http::string_body> parser;
  parser.body_limit(options.max_response_bytes);
  parser.header_limit(kMaxHeaderBytes);
  lowest().expires_at(deadline);
  http::async_read(stream, buffer, parser,
                   [&](beast::error_code e, size_t) { ec = e; });
  run();
  *answered = parser.got_some();
  if (ec == ssl::error::stream_truncated && !parser.is_done()) {
    beast::error_code eof;
    parser.put_eof(eof);  // a TLS peer that closed without close_notify
    if (!eof && parser.is_done()) ec = {};
  }
  if (ec == http::error::body_limit) {
    return fail(Code::kUnavailable,
                "the response is larger than " +
                    std::to_string(options.max_response_bytes) + " bytes");
  }
  if (ec) return fail(Code::kUnavailable, step_error("receiving", ec));
  auto& msg = parser.get();
  Response out;
  out.status = msg.result_int();
  for (const auto& f : msg) {
    out.headers.emplace_back(std::string(f.name_string()),
                             std::string(f.value()));
  }
  out.body = std::move(msg.body());
  if (!msg.keep_alive() || !options.keep_alive) close();
  return out;
}

HttpClient::HttpClient(ClientOptions options)
    : options_(std::move(options)), impl_(std::make_unique<Impl>()) {}

HttpClient::~HttpClient() { close(); }

void HttpClient::close() { impl_->close(); }

namespace {

Result<http::request<http::string_body>> build_request(const Request& r,
                                                       const Url& url,
                                                       bool keep_alive) {
  http::verb verb = http::string_to_verb(r.method);
  if (verb == http::verb::unknown) {
    return fail(Code::kBadRequestData,
                "unknown HTTP method '" + r.method.substr(0, 20) + "'");
  }
  http::request<http::string_body> req{verb, url.target, 11};
  if (!has_header(r.headers, "host"))
    req.set(http::field::host, url.authority());
  if (!has_header(r.headers, "user-agent")) {
    req.set(http::field::user_agent, "cocity");
  }
  for (const auto& [k, v] : r.headers) req.insert(k, v);
  req.keep_alive(keep_alive);
  if (!r.body.empty() || verb == http::verb::post || verb == http::verb::put ||
      verb == http::verb::patch) {
    req.body() = r.body;
    req.prepare_payload();
  }
  return req;
}

}  // namespace

Result<Response> HttpClient::request(const Request& r) {
  auto url = parse_url(r.url);
  if (!url) return std::unexpected(url.error());
  auto req = build_request(r, *url, options_.keep_alive);
  if (!req) return std::unexpected(req.error());
  auto deadline = SteadyClock::now() + options_.total_timeout;
  try {
    bool reused = impl_->reusable_for(*url);
    for (int attempt = 0; attempt < 2; ++attempt) {
      if (!reused || attempt > 0) {
        if (auto s = impl_->connect(*url, options_, deadline); !s) {
          return unavailable(r.url, s.error().detail);
        }
      }
      bool answered = false;
      auto res = impl_->secure ? impl_->exchange(*impl_->secure, *req, options_,
                                                 deadline, &answered)
                               : impl_->exchange(*impl_->plain, *req, options_,
                                                 deadline, &answered);
      if (res) return res;
      impl_->close();
      // Only a kept-alive connection the peer closed while idle earns a
      // second try on a fresh one.
      if (!reused || answered || SteadyClock::now() >= deadline) {
        return unavailable(r.url, res.error().detail);
      }
    }
    return unavailable(r.url, "no answer");
  } catch (const std::exception& e) {
    impl_->close();
    return unavailable(r.url, e.what());
  }
}

}  // namespace cocity::net
