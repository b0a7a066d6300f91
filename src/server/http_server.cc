// Server on Boost.Beast: one io_context per thread (no scheduler lock shared
// between threads, no strands); connections are dealt to the contexts round
// robin. Each connection is a Session, reading one request at a time
// (pipelined requests wait in the read buffer), handing it to the handler and
// writing the reply when the handler calls Reply, from whatever thread.
#include <spdlog/spdlog.h>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include <array>
#include <atomic>
#include <chrono>
#include <csignal>
#include <list>
#include <mutex>
#include <optional>
#include <thread>

#include "server/api_keys.h"
#include "server/logging.h"
#include "server/request_parser.h"
#include "server/server.h"
#include "server/static_files.h"
#include "server/url.h"
#include "server/websocket_session.h"
#include "store/store.h"

namespace cocity::server {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using SteadyClock = std::chrono::steady_clock;
// The socket and timer types of a connection: bound to their io_context's
// executor, not to a type-erased one, so that no operation copies an
// any_io_executor.
using Executor = asio::io_context::executor_type;
using Socket = asio::basic_stream_socket<tcp, Executor>;
using Timer =
    asio::basic_waitable_timer<SteadyClock, asio::wait_traits<SteadyClock>,
                               Executor>;

namespace {

constexpr auto kLingerTimeout = std::chrono::seconds(2);
constexpr size_t kMaxLingerBytes = 64 << 20;
constexpr uint32_t kHeaderLimit = 32 * 1024;
// One read of a body takes at most the read buffer's free space, which is a
// few hundred bytes after the header: a 330 KB batch took ~620 reads. A
// large body gets room for reads of this size; the room goes again before
// the next request, so idle connections keep a small buffer. Bodies up to
// kSmallBodyBytes (a PATCH) are read as they come.
constexpr size_t kBodyReadBytes = 64 * 1024;
constexpr uint64_t kSmallBodyBytes = 4096;

constexpr std::array<std::string_view, 8> kMethodNames = {
    "GET", "POST", "PATCH", "PUT", "DELETE", "HEAD", "OPTIONS", "other"};
constexpr size_t kStatusSlots = 600;

size_t method_index(std::string_view method) {
  for (size_t i = 0; i + 1 < kMethodNames.size(); ++i) {
    if (kMethodNames[i] == method) return i;
  }
  return kMethodNames.size() - 1;
}

// Gauges shared with /metrics callbacks; they may outlive the server.
struct LiveStats {
  std::atomic<int64_t> connections{0};
  std::atomic<int64_t> in_flight{0};
};

std::vector<std::unique_ptr<asio::io_context>> make_contexts(size_t n) {
  std::vector<std::unique_ptr<asio::io_context>> out;
  for (size_t i = 0; i < n; ++i)
    out.push_back(std::make_unique<asio::io_context>(1));
  return out;
}

}  // namespace

class Session;

// The server proper; Server::Impl derives from it so that Session (outside
// Server) can name it.
class ServerCore {
 public:
  ServerCore(const ServerConfig& config, const Router* router,
             store::KeyStore* keys, Metrics* metrics);

  Status start();
  uint16_t port() const { return port_; }
  void handle_signals();
  void wait();
  void shutdown();

  // For sessions.
  const ServerConfig& config() const { return config_; }
  const Router& router() const { return *router_; }
  Authenticator* authenticator() { return authenticator_.get(); }
  const StaticFiles* static_files() const { return static_files_.get(); }
  bool stopping() const { return stopping_.load(std::memory_order_acquire); }
  LiveStats& stats() { return *stats_; }
  void record(std::string_view method, unsigned status,
              std::optional<size_t> route, double seconds);
  std::list<std::weak_ptr<Session>>::iterator register_session(
      const std::shared_ptr<Session>& session);
  void session_closed(std::list<std::weak_ptr<Session>>::iterator it);
  // Hands an upgraded connection to a WebSocketSession (counted as a
  // connection until it ends; closed with "going away" on shutdown).
  void start_websocket(beast::tcp_stream stream,
                       WebSocketSession::Request request,
                       std::shared_ptr<WebSocketListener> listener);

 private:
  // Under the sessions' lock, `erase` drops a session from its list; then
  // the count goes down, and the server finishes if it drained.
  template <typename Erase>
  void forget_session(Erase erase);
  void do_accept();
  void on_accept(beast::error_code ec, Socket socket);
  void finish_if_drained();
  void run_thread(asio::io_context& ioc);
  Counter* request_counter(size_t method, unsigned status);

  ServerConfig config_;
  const Router* router_;
  store::KeyStore* keys_;
  Metrics* metrics_;
  std::unique_ptr<Authenticator> authenticator_;
  std::unique_ptr<StaticFiles> static_files_;

  // contexts_[0] also runs the acceptor and the signal set.
  std::vector<std::unique_ptr<asio::io_context>> contexts_;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> work_;
  std::mutex work_mu_;
  size_t next_context_ = 0;  // touched only by the acceptor's thread
  tcp::acceptor acceptor_;
  asio::signal_set signals_;
  std::vector<std::thread> threads_;
  uint16_t port_ = 0;
  std::atomic<bool> started_{false};
  std::atomic<bool> stopping_{false};
  std::atomic<bool> finished_{false};

  std::mutex sessions_mu_;
  std::list<std::weak_ptr<Session>> sessions_;
  std::list<std::weak_ptr<WebSocketSession>> websockets_;
  size_t session_count_ = 0;  // both kinds; guarded by sessions_mu_

  std::shared_ptr<LiveStats> stats_ = std::make_shared<LiveStats>();
  // Request counters by method and status, resolved on first use.
  std::unique_ptr<std::array<std::array<std::atomic<Counter*>, kStatusSlots>,
                             kMethodNames.size()>>
      counters_;
  std::vector<Histogram*> route_latency_;  // by route index
  Histogram* other_latency_ = nullptr;     // unrouted: 404, static files
};

// One connection. Lives while an operation is pending or a handler holds
// its Reply.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(Socket socket, ServerCore* server)
      : registration_{server, {}},
        socket_(std::move(socket)),
        timer_(socket_.get_executor()),
        executor_(socket_.get_executor()),
        server_(server) {}

  void start(std::list<std::weak_ptr<Session>>::iterator it) {
    registration_.it = it;
    server_->stats().connections.fetch_add(1, std::memory_order_relaxed);
    asio::dispatch(executor_, [self = shared_from_this()] { self->do_read(); });
  }

  // Called on shutdown: a connection waiting for its next request is closed;
  // one with a request in progress closes after writing the reply.
  void stop_if_idle() {
    asio::post(executor_, [self = shared_from_this()] {
      if (self->reading_) self->close_now();
    });
  }

 private:
  void do_read();
  void on_header(beast::error_code ec);
  void on_body(beast::error_code ec);
  void on_read_error(beast::error_code ec);
  void handle();
  void dispatch_to_handler(const Router::Match& match);
  bool resolve_tenant(const RouteOptions& options);
  bool authenticate(const RouteOptions& options);
  WebSocketSession::Request upgrade_request() const;
  void upgrade(const WebSocketHandler& handler,
               WebSocketSession::Request request);
  void serve_unrouted(const Router::Match& match);
  void reply_from_handler(uint64_t seq, HttpResponse response);
  void write(HttpResponse response, bool force_close = false);
  void on_write(beast::error_code ec, bool close);
  void linger_close();
  void linger_read();
  void close_now();

  // Time limits. A pending read or write must finish by the deadline, or
  // the connection is closed. Setting one is a clock read: the timer is
  // armed once and, when it fires early, waits again for the current
  // deadline, so a busy connection does not touch the timer queue per
  // request. While a handler runs there is no deadline.
  // `now`: the caller's clock reading, when it has one.
  void set_deadline(SteadyClock::duration limit,
                    SteadyClock::time_point now = SteadyClock::now());
  SteadyClock::duration idle_timeout() const {
    return std::chrono::milliseconds(server_->config().limits.idle_timeout_ms);
  }
  void clear_deadline() { deadline_ = SteadyClock::time_point::max(); }
  void wait_for_deadline();
  void on_timer(beast::error_code ec);

  // Tells the server the connection is gone. The first member, so it is
  // destroyed last: after socket_ and timer_. A reply callback on another
  // thread may hold the last reference, and once told, the server may
  // destroy the io_context.
  struct Registration {
    ServerCore* server;
    std::list<std::weak_ptr<Session>>::iterator it;
    ~Registration() {
      server->stats().connections.fetch_sub(1, std::memory_order_relaxed);
      server->session_closed(it);
    }
  } registration_;
  Socket socket_;
  Timer timer_;
  Executor executor_;
  ServerCore* server_;
  SteadyClock::time_point deadline_ = SteadyClock::time_point::max();
  bool timer_waiting_ = false;
  bool closed_ = false;

  beast::flat_buffer buffer_;
  std::optional<RequestParser> parser_;
  // The reply being written: its header block and its body.
  std::string head_;
  std::string body_;

  // State of the current request (only touched by the session's thread).
  HttpRequest request_;
  bool reading_ = false;
  bool keep_alive_ = true;
  std::optional<size_t> route_;
  SteadyClock::time_point started_at_;
  uint64_t next_seq_ = 0;
  // The request whose reply is awaited; 0 when none. Reply may come from
  // any thread, so it is atomic: the first call wins.
  std::atomic<uint64_t> awaiting_{0};
  std::array<char, 4096> discard_{};
  size_t discarded_ = 0;
};

// Appends `text` to an HTTP header block; CR and LF, which would end the
// field, become spaces.
void append_field_text(std::string* out, std::string_view text) {
  size_t start = out->size();
  out->append(text);
  for (size_t i = start; i < out->size(); ++i) {
    if ((*out)[i] == '\r' || (*out)[i] == '\n') (*out)[i] = ' ';
  }
}

// --- Session ----------------------------------------------------------------

void Session::set_deadline(SteadyClock::duration limit,
                           SteadyClock::time_point now) {
  deadline_ = now + limit;
  if (!timer_waiting_) wait_for_deadline();
}

void Session::wait_for_deadline() {
  timer_waiting_ = true;
  timer_.expires_at(deadline_);
  // A weak reference: a pending wait does not keep a finished connection
  // alive; the timer goes with the session.
  timer_.async_wait([weak = weak_from_this()](beast::error_code ec) {
    if (auto self = weak.lock()) self->on_timer(ec);
  });
}

void Session::on_timer(beast::error_code ec) {
  timer_waiting_ = false;
  if (ec || closed_) return;
  if (deadline_ == SteadyClock::time_point::max()) return;  // a handler runs
  if (SteadyClock::now() < deadline_) return wait_for_deadline();
  close_now();  // the pending read or write ends with operation_aborted
}

void Session::do_read() {
  if (server_->stopping()) {
    close_now();
    return;
  }
  if (buffer_.size() == 0 && buffer_.capacity() > kBodyReadBytes / 2) {
    buffer_.shrink_to_fit();
  }
  parser_.emplace(&request_);
  parser_->header_limit(kHeaderLimit);
  parser_->body_limit(server_->config().limits.max_body_bytes);
  reading_ = true;
  set_deadline(idle_timeout());
  http::async_read_header(
      socket_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code ec, size_t) {
        self->on_header(ec);
      });
}

void Session::on_header(beast::error_code ec) {
  if (ec) return on_read_error(ec);
  reading_ = false;
  started_at_ = SteadyClock::now();
  if (parser_->is_done()) return handle();
  if (beast::iequals(request_.header("expect"), "100-continue")) {
    static constexpr std::string_view kContinue =
        "HTTP/1.1 100 Continue\r\n\r\n";
    beast::error_code wec;
    // A tiny synchronous write; only this thread touches the socket.
    asio::write(socket_, asio::buffer(kContinue.data(), kContinue.size()), wec);
    if (wec) return close_now();
  }
  if (auto length = parser_->content_length();
      length && *length > kSmallBodyBytes) {
    buffer_.reserve(buffer_.size() + static_cast<size_t>(std::min<uint64_t>(
                                         *length, kBodyReadBytes)));
  }
  http::async_read(socket_, buffer_, *parser_,
                   [self = shared_from_this()](beast::error_code ec, size_t) {
                     self->on_body(ec);
                   });
}

void Session::on_body(beast::error_code ec) {
  if (ec) return on_read_error(ec);
  handle();
}

void Session::on_read_error(beast::error_code ec) {
  reading_ = false;
  if (ec == http::error::body_limit) {
    started_at_ = SteadyClock::now();
    route_.reset();
    write(problem_response(Error{
              Code::kPayloadTooLarge,
              "request body exceeds max_body_bytes (" +
                  std::to_string(server_->config().limits.max_body_bytes) +
                  " bytes)",
              {}}),
          true);
    return;
  }
  if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
      ec == asio::error::operation_aborted ||
      ec == asio::error::connection_reset || ec == asio::error::eof) {
    return close_now();
  }
  if (ec.category() ==
          http::make_error_code(http::error::bad_target).category() ||
      ec == http::error::header_limit) {
    // Malformed HTTP: answer once, then close.
    started_at_ = SteadyClock::now();
    request_.method = "other";
    route_.reset();
    write(problem_response(Error{Code::kInvalidRequest,
                                 "malformed HTTP request: " + ec.message(),
                                 {}}),
          true);
    return;
  }
  close_now();
}

void Session::handle() {
  clear_deadline();
  keep_alive_ = parser_->keep_alive();
  request_.path_params.clear();
  request_.tenant.clear();
  request_.principal = Principal{};
  route_.reset();

  if (auto st =
          parse_target(request_.target, &request_.path, &request_.query_params);
      !st) {
    return write(problem_response(st.error()));
  }
  Router::Match match =
      server_->router().find(request_.method, raw_path(request_.target));
  if (match.handler == nullptr) return serve_unrouted(match);
  route_ = match.route_index;
  if (!resolve_tenant(match.options) || !authenticate(match.options)) return;
  request_.path_params = std::move(match.params);
  if (match.websocket != nullptr && parser_->upgrade()) {
    WebSocketSession::Request request = upgrade_request();
    if (beast::websocket::is_upgrade(request)) {
      return upgrade(*match.websocket, std::move(request));
    }
  }
  dispatch_to_handler(match);
}

// The request as Beast's message, for the WebSocket handshake.
WebSocketSession::Request Session::upgrade_request() const {
  WebSocketSession::Request request;
  request.method_string(request_.method);
  request.target(request_.target);
  request.version(parser_->version());
  for (const auto& [name, value] : request_.headers) {
    request.insert(name, value);
  }
  return request;
}

// The route's handler accepts (a listener) or refuses (an HTTP response);
// an accepted connection leaves this Session for a WebSocketSession.
void Session::upgrade(const WebSocketHandler& handler,
                      WebSocketSession::Request request) {
  WebSocketUpgrade answer;
  try {
    answer = handler(request_);
  } catch (const std::exception& e) {
    log_event(spdlog::level::err, "websocket handler threw",
              {{"path", request_.path}, {"what", e.what()}});
    answer.listener.reset();
    answer.refusal =
        problem_response(Error{Code::kInternal, "internal error", {}});
  }
  if (!answer.listener) {
    if (answer.refusal.status < 400) {
      answer.refusal =
          problem_response(Error{Code::kInternal, "upgrade refused", {}});
    }
    return write(std::move(answer.refusal));
  }
  double seconds =
      std::chrono::duration<double>(SteadyClock::now() - started_at_).count();
  server_->record(request_.method, 101, route_, seconds);
  closed_ = true;  // the socket is the WebSocketSession's now
  timer_.cancel();
  server_->start_websocket(beast::tcp_stream(std::move(socket_)),
                           std::move(request), std::move(answer.listener));
}

void Session::serve_unrouted(const Router::Match& match) {
  if (!match.allowed_methods.empty()) {
    std::string allow;
    for (const auto& m : match.allowed_methods) {
      if (!allow.empty()) allow += ", ";
      allow += m;
    }
    HttpResponse r = problem_response(
        Error{Code::kOperationNotSupported,
              "method " + request_.method + " is not allowed on " +
                  request_.path + " (allowed: " + allow + ")",
              "MethodNotAllowed"});
    r.status = 405;
    // Keep the body's "status" member consistent with the HTTP status.
    auto pos = r.body.find("\"status\":422");
    if (pos != std::string::npos) r.body.replace(pos, 12, "\"status\":405");
    r.headers.emplace_back("Allow", allow);
    return write(std::move(r));
  }
  if (server_->static_files() != nullptr && request_.method == "GET") {
    if (auto file = server_->static_files()->serve(request_.path)) {
      return write(std::move(*file));
    }
  }
  write(problem_response(
      Error{Code::kNotFound, "no resource at " + request_.path, {}}));
}

bool Session::resolve_tenant(const RouteOptions& options) {
  if (!options.tenant_scoped) return true;
  std::string_view tenant = request_.header("ngsild-tenant");
  if (tenant.empty()) return true;
  if (!store::valid_tenant_name(tenant)) {
    write(problem_response(
        Error{Code::kBadRequestData,
              "NGSILD-Tenant header: '" + std::string(tenant) +
                  "' is not a valid tenant name (1-64 characters of A-Z, a-z, "
                  "0-9, '_', '-', not starting with '_' or '-')",
              "NGSILD-Tenant"}));
    return false;
  }
  request_.tenant.assign(tenant);
  return true;
}

bool Session::authenticate(const RouteOptions& options) {
  if (options.role == Role::kNone) return true;
  if (server_->config().open) {
    request_.principal.role = Role::kAdmin;
    return true;
  }
  std::string_view auth = request_.header("authorization");
  constexpr std::string_view kBearer = "bearer ";
  bool bearer = auth.size() > kBearer.size();
  for (size_t i = 0; bearer && i < kBearer.size(); ++i) {
    bearer = (auth[i] | 0x20) == kBearer[i];
  }
  if (!bearer) {
    write(problem_response(
        Error{Code::kUnauthorized,
              "missing API key: send 'Authorization: Bearer <key>'",
              {}}));
    return false;
  }
  auto grant =
      server_->authenticator()->authenticate(auth.substr(kBearer.size()));
  if (!grant) {
    write(problem_response(grant.error()));
    return false;
  }
  if (auto st = authorize(*grant, request_.tenant, options.role); !st) {
    write(problem_response(st.error()));
    return false;
  }
  request_.principal.key_id = std::move(grant->key_id);
  request_.principal.role = grant->role;
  return true;
}

void Session::dispatch_to_handler(const Router::Match& match) {
  uint64_t seq = ++next_seq_;
  awaiting_.store(seq, std::memory_order_release);
  server_->stats().in_flight.fetch_add(1, std::memory_order_relaxed);
  Reply reply = [self = shared_from_this(), seq](HttpResponse response) {
    self->reply_from_handler(seq, std::move(response));
  };
  try {
    (*match.handler)(request_, std::move(reply));
  } catch (const std::exception& e) {
    log_event(spdlog::level::err, "handler threw",
              {{"path", request_.path}, {"what", e.what()}});
    reply_from_handler(
        seq, problem_response(Error{Code::kInternal, "internal error", {}}));
  } catch (...) {
    log_event(spdlog::level::err, "handler threw", {{"path", request_.path}});
    reply_from_handler(
        seq, problem_response(Error{Code::kInternal, "internal error", {}}));
  }
}

void Session::reply_from_handler(uint64_t seq, HttpResponse response) {
  uint64_t expected = seq;
  if (!awaiting_.compare_exchange_strong(expected, 0,
                                         std::memory_order_acq_rel)) {
    return;  // replied before
  }
  server_->stats().in_flight.fetch_sub(1, std::memory_order_relaxed);
  asio::dispatch(executor_, [self = shared_from_this(),
                             r = std::move(response)]() mutable {
    self->write(std::move(r));
  });
}

// Writes the reply as one header block and the body, in one gather write.
// Always HTTP/1.1; "Connection: close" when the connection ends after it.
void Session::write(HttpResponse response, bool force_close) {
  bool close = force_close || !keep_alive_ || server_->stopping();
  unsigned status = response.status;
  // No body, and no Content-Length, in a 1xx, 204 or 304 reply (RFC 9110).
  bool bodiless = status < 200 || status == 204 || status == 304;
  head_.assign("HTTP/1.1 ");
  head_.append(std::to_string(status));
  head_.push_back(' ');
  head_.append(http::obsolete_reason(static_cast<http::status>(status)));
  head_.append("\r\n");
  if (!response.content_type.empty()) {
    head_.append("Content-Type: ");
    append_field_text(&head_, response.content_type);
    head_.append("\r\n");
  }
  for (const auto& [name, value] : response.headers) {
    // The framing is the server's to write.
    if (beast::iequals(name, "content-length") ||
        beast::iequals(name, "transfer-encoding") ||
        beast::iequals(name, "connection")) {
      continue;
    }
    append_field_text(&head_, name);
    head_.append(": ");
    append_field_text(&head_, value);
    head_.append("\r\n");
  }
  if (bodiless) {
    response.body.clear();
  } else {
    head_.append("Content-Length: ");
    head_.append(std::to_string(response.body.size()));
    head_.append("\r\n");
  }
  if (close) head_.append("Connection: close\r\n");
  head_.append("\r\n");
  body_ = std::move(response.body);

  SteadyClock::time_point now = SteadyClock::now();
  server_->record(request_.method, status, route_,
                  std::chrono::duration<double>(now - started_at_).count());
  set_deadline(idle_timeout(), now);
  std::array<asio::const_buffer, 2> buffers = {asio::buffer(head_),
                                               asio::buffer(body_)};
  asio::async_write(
      socket_, buffers,
      [self = shared_from_this(), close](beast::error_code ec, size_t) {
        self->on_write(ec, close);
      });
}

void Session::on_write(beast::error_code ec, bool close) {
  body_ = std::string();  // a large reply is not kept while the line is idle
  if (ec) return close_now();
  if (close) return linger_close();
  do_read();
}

// After a final reply, stop sending and read what the client still sends
// (a rejected large body) so that closing does not reset the connection
// before the client has read the reply.
void Session::linger_close() {
  beast::error_code ec;
  socket_.shutdown(tcp::socket::shutdown_send, ec);
  if (ec) return close_now();
  set_deadline(std::min<SteadyClock::duration>(kLingerTimeout, idle_timeout()));
  linger_read();
}

void Session::linger_read() {
  socket_.async_read_some(
      asio::buffer(discard_),
      [self = shared_from_this()](beast::error_code ec, size_t n) {
        self->discarded_ += n;
        if (ec || self->discarded_ > kMaxLingerBytes) return self->close_now();
        self->linger_read();
      });
}

void Session::close_now() {
  reading_ = false;
  if (closed_) return;
  closed_ = true;
  timer_.cancel();
  beast::error_code ec;
  socket_.shutdown(tcp::socket::shutdown_both, ec);
  socket_.close(ec);
}

// --- Server::Impl -----------------------------------------------------------

ServerCore::ServerCore(const ServerConfig& config, const Router* router,
                       store::KeyStore* keys, Metrics* metrics)
    : config_(config),
      router_(router),
      keys_(keys),
      metrics_(metrics),
      contexts_(make_contexts(effective_threads(config))),
      acceptor_(*contexts_[0]),
      signals_(*contexts_[0]) {
  counters_ = std::make_unique<std::array<
      std::array<std::atomic<Counter*>, kStatusSlots>, kMethodNames.size()>>();
  if (!config_.open) authenticator_ = std::make_unique<Authenticator>(keys_);
  if (!config_.web_dir.empty()) {
    static_files_ = std::make_unique<StaticFiles>(config_.web_dir);
  }
}

Status ServerCore::start() {
  if (started_.exchange(true)) return fail(Code::kConflict, "already started");
  if (!config_.open && keys_ == nullptr) {
    return fail(Code::kInternal, "no key store and not in open mode");
  }
  beast::error_code ec;
  auto address = asio::ip::make_address(config_.bind, ec);
  if (ec) {
    return fail(Code::kInvalidRequest,
                "bind: '" + config_.bind + "' is not an IP address");
  }
  tcp::endpoint endpoint(address, config_.port);
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return fail(Code::kUnavailable, "cannot listen on " + config_.bind + ":" +
                                        std::to_string(config_.port) + ": " +
                                        ec.message());
  }
  port_ = acceptor_.local_endpoint().port();

  std::shared_ptr<LiveStats> stats = stats_;
  metrics_->add_callback(
      "cocity_http_connections", "Open HTTP connections.", "gauge",
      [stats] { return static_cast<double>(stats->connections.load()); });
  metrics_->add_callback(
      "cocity_http_requests_in_flight",
      "Requests handed to a handler and not yet answered.", "gauge",
      [stats] { return static_cast<double>(stats->in_flight.load()); });
  for (size_t i = 0; i < router_->route_count(); ++i) {
    route_latency_.push_back(metrics_->histogram(
        "cocity_http_request_duration_seconds",
        "Time from request header to reply, by route.",
        {{"route",
          router_->route_method(i) + " " + router_->route_pattern(i)}}));
  }
  other_latency_ = metrics_->histogram(
      "cocity_http_request_duration_seconds",
      "Time from request header to reply, by route.", {{"route", "other"}});

  for (auto& ctx : contexts_) work_.push_back(asio::make_work_guard(*ctx));
  asio::dispatch(*contexts_[0], [this] { do_accept(); });
  size_t threads = contexts_.size();
  for (size_t i = 0; i < threads; ++i) {
    threads_.emplace_back([this, i] { run_thread(*contexts_[i]); });
  }
  log_event(spdlog::level::info, "listening",
            {{"bind", config_.bind},
             {"port", std::to_string(port_)},
             {"threads", std::to_string(threads)},
             {"open", config_.open ? "true" : "false"}});
  return ok();
}

void ServerCore::run_thread(asio::io_context& ioc) {
  while (true) {
    try {
      ioc.run();
      return;
    } catch (const std::exception& e) {
      log_event(spdlog::level::err, "io thread caught", {{"what", e.what()}});
    } catch (...) {
      log_event(spdlog::level::err, "io thread caught unknown exception");
    }
  }
}

void ServerCore::do_accept() {
  acceptor_.async_accept(*contexts_[next_context_++ % contexts_.size()],
                         [this](beast::error_code ec, Socket socket) {
                           on_accept(ec, std::move(socket));
                         });
}

void ServerCore::on_accept(beast::error_code ec, Socket socket) {
  if (stopping() || !acceptor_.is_open()) return;
  if (!ec) {
    beast::error_code opt_ec;
    socket.set_option(tcp::no_delay(true), opt_ec);
    auto session = std::make_shared<Session>(std::move(socket), this);
    session->start(register_session(session));
  } else if (ec != asio::error::operation_aborted) {
    log_event(spdlog::level::warn, "accept failed", {{"error", ec.message()}});
  }
  do_accept();
}

std::list<std::weak_ptr<Session>>::iterator ServerCore::register_session(
    const std::shared_ptr<Session>& session) {
  std::lock_guard lock(sessions_mu_);
  ++session_count_;
  return sessions_.insert(sessions_.end(), session);
}

void ServerCore::session_closed(
    std::list<std::weak_ptr<Session>>::iterator it) {
  forget_session([&] { sessions_.erase(it); });
}

template <typename Erase>
void ServerCore::forget_session(Erase erase) {
  bool drained = false;
  {
    std::lock_guard lock(sessions_mu_);
    erase();
    drained = --session_count_ == 0 && stopping();
  }
  // Only the thread that drained the server may touch it past the lock: the
  // session may end on another thread (a reply or live-session callback),
  // and once drained, the io threads end and the server may be destroyed.
  if (drained) finish_if_drained();
}

void ServerCore::start_websocket(beast::tcp_stream stream,
                                 WebSocketSession::Request request,
                                 std::shared_ptr<WebSocketListener> listener) {
  std::shared_ptr<LiveStats> stats = stats_;
  auto session = std::make_shared<WebSocketSession>(
      std::move(stream), std::move(listener), std::function<void()>());
  std::list<std::weak_ptr<WebSocketSession>>::iterator it;
  {
    std::lock_guard lock(sessions_mu_);
    ++session_count_;
    it = websockets_.insert(websockets_.end(), session);
  }
  stats->connections.fetch_add(1, std::memory_order_relaxed);
  session->set_on_destroyed([this, stats, it] {
    stats->connections.fetch_sub(1, std::memory_order_relaxed);
    forget_session([&] { websockets_.erase(it); });
  });
  if (stopping()) session->stop();
  session->start(std::move(request));
}

void ServerCore::finish_if_drained() {
  if (!stopping()) return;
  {
    std::lock_guard lock(sessions_mu_);
    if (session_count_ > 0) return;
  }
  if (finished_.exchange(true)) return;
  // Once the last guard goes, the io threads end and the server may be
  // destroyed at once, even while the releasing thread is still inside
  // reset(). So the guards are released on io thread 0, which the server
  // outlives, and never on the thread that drained it: that may be any
  // thread holding a session's last reference (a live-session vote being
  // committed, say), and posting is the last thing it does here.
  asio::post(*contexts_[0], [this] {
    std::lock_guard lock(work_mu_);
    for (auto& w : work_) w.reset();
  });
}

void ServerCore::handle_signals() {
  signals_.add(SIGTERM);
  signals_.add(SIGINT);
  signals_.async_wait([this](beast::error_code ec, int signal) {
    if (ec) return;
    log_event(spdlog::level::info, "signal received, shutting down",
              {{"signal", std::to_string(signal)}});
    shutdown();
  });
}

void ServerCore::shutdown() {
  if (stopping_.exchange(true, std::memory_order_acq_rel)) return;
  if (!started_.load()) return;
  asio::post(*contexts_[0], [this] {
    beast::error_code ec;
    acceptor_.close(ec);
  });
  asio::post(*contexts_[0], [this] {
    beast::error_code ec;
    signals_.cancel(ec);
  });
  std::vector<std::shared_ptr<Session>> live;
  std::vector<std::shared_ptr<WebSocketSession>> sockets;
  {
    std::lock_guard lock(sessions_mu_);
    for (auto& weak : sessions_) {
      if (auto s = weak.lock()) live.push_back(std::move(s));
    }
    for (auto& weak : websockets_) {
      if (auto s = weak.lock()) sockets.push_back(std::move(s));
    }
  }
  for (auto& s : live) s->stop_if_idle();
  for (auto& s : sockets) s->stop();
  live.clear();  // a Session destroyed here calls session_closed
  sockets.clear();
  finish_if_drained();
}

void ServerCore::wait() {
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
}

Counter* ServerCore::request_counter(size_t method, unsigned status) {
  if (status >= kStatusSlots) status = 0;
  std::atomic<Counter*>& slot = (*counters_)[method][status];
  Counter* c = slot.load(std::memory_order_acquire);
  if (c != nullptr) return c;
  c = metrics_->counter("cocity_http_requests_total",
                        "HTTP requests answered, by method and status.",
                        {{"method", std::string(kMethodNames[method])},
                         {"status", std::to_string(status)}});
  slot.store(c, std::memory_order_release);
  return c;
}

void ServerCore::record(std::string_view method, unsigned status,
                        std::optional<size_t> route, double seconds) {
  request_counter(method_index(method), status)->add(1);
  Histogram* h = route && *route < route_latency_.size()
                     ? route_latency_[*route]
                     : other_latency_;
  if (h != nullptr) h->observe(seconds);
  auto level = status >= 500 ? spdlog::level::warn : spdlog::level::debug;
  if (!spdlog::default_logger_raw()->should_log(level)) return;
  std::string route_text =
      route ? router_->route_pattern(*route) : std::string("-");
  log_event(level, "request",
            {{"method", method},
             {"route", route_text},
             {"status", std::to_string(status)},
             {"ms", fmt::format("{:.3f}", seconds * 1000)}});
}

// --- Server
// -------------------------------------------------------------------

class Server::Impl : public ServerCore {
 public:
  using ServerCore::ServerCore;
};

Server::Server(const ServerConfig& config, const Router* router,
               store::KeyStore* keys, Metrics* metrics)
    : impl_(std::make_unique<Impl>(config, router, keys, metrics)) {}

Server::~Server() {
  impl_->shutdown();
  impl_->wait();
}

Status Server::start() { return impl_->start(); }
uint16_t Server::port() const { return impl_->port(); }
void Server::handle_signals() { impl_->handle_signals(); }
void Server::wait() { impl_->wait(); }
void Server::shutdown() { impl_->shutdown(); }

}  // namespace cocity::server
