// cocity_load: an HTTP load driver for the NGSI-LD API of a cocity server on
// this machine (loopback only; it refuses any other address).
//
// N keep-alive connections, each with one request outstanding, until either
// the request count or the duration is reached. Modes:
//   patch   PATCH /ngsi-ld/v1/entities/{id}/attrs, a small body, over --ids ids
//   upsert  POST /ngsi-ld/v1/entityOperations/upsert, --batch
//           AirQualityObserved entities a request (NO2, PM10, PM2.5 with
//           observedAt); the requests take the --ids ids in turn, --batch
//           at a time
//   get     GET /ngsi-ld/v1/entities/{id}, over --ids ids in a scattered
//           order (request i reads id i x 1,000,003 mod ids), so that
//           neighbouring requests do not read neighbouring rows
// patch and get first create the ids with upserts (--no-setup skips that).
// Prints requests/s, entity updates/s, latency percentiles and errors.
//
//   cocity_load --port 8080 --mode patch --connections 32 --duration 10
#include <CLI/CLI.hpp>
#include <algorithm>
#include <array>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace cocity::load {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using SteadyClock = std::chrono::steady_clock;

struct Options {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;
  std::string mode = "patch";
  int connections = 32;
  int64_t requests = 1'000'000;  // upper bound on requests sent
  double duration_s = 10;        // upper bound on run time
  int ids = 1000;
  int batch = 1000;  // entities per upsert request
  int threads = 1;
  std::string key;
  std::string tenant;
  std::string id_prefix = "urn:ngsi-ld:AirQualityObserved:load-";
  std::string pm25_attr = "PM2.5";
  bool setup = true;
};

std::string iso_now() {
  auto now = std::chrono::system_clock::now();
  std::time_t t = std::chrono::system_clock::to_time_t(now);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                now.time_since_epoch())
                .count() %
            1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
                tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  return buf;
}

std::string property(double value, const std::string& observed_at) {
  char buf[128];
  std::snprintf(buf, sizeof(buf),
                R"({"type":"Property","value":%.1f,"observedAt":"%s"})", value,
                observed_at.c_str());
  return buf;
}

// An upsert body: `count` entities from id number `first` on, wrapping
// around at `ids`.
std::string upsert_body(const Options& o, int first, int count, int round,
                        int ids) {
  std::string t = iso_now();
  std::string body = "[";
  for (int i = 0; i < count; ++i) {
    if (i > 0) body += ',';
    int n = (first + i) % ids;
    body += R"({"id":")" + o.id_prefix + std::to_string(n) +
            R"(","type":"AirQualityObserved","NO2":)" +
            property(20 + (n + round) % 40, t) + R"(,"PM10":)" +
            property(10 + (n + round) % 30, t) + ",\"" + o.pm25_attr +
            "\":" + property(5 + (n + round) % 20, t) + "}";
  }
  body += ']';
  return body;
}

// One request as it goes on the wire: the head (request line and header
// fields) and the body, which for upserts is one of the Workload's
// prepared bodies and is not copied.
struct Request {
  std::string head;
  std::string_view body;
  int entities = 0;  // entity updates the request carries
};

// Makes the i-th request of a run.
class Workload {
 public:
  explicit Workload(const Options& o) : o_(o) {
    if (o.mode == "upsert") {
      // Pre-built bodies, at least four so that values change; rebuilding
      // 1,000 entities per request would measure the driver, not the
      // server. Body k starts at id k * batch (mod ids).
      int64_t bodies = std::max<int64_t>(4, (o.ids + o.batch - 1) / o.batch);
      for (int64_t k = 0; k < bodies; ++k) {
        int first = static_cast<int>(k * o.batch % o.ids);
        upserts_.push_back(
            upsert_body(o, first, o.batch, static_cast<int>(k), o.ids));
      }
    }
    fields_ = "Host: " + o.host + "\r\n";
    if (!o.key.empty()) fields_ += "Authorization: Bearer " + o.key + "\r\n";
    if (!o.tenant.empty()) fields_ += "NGSILD-Tenant: " + o.tenant + "\r\n";
  }

  // Fills `r`, reusing its head's capacity; a PATCH body goes to `scratch`,
  // which must live as long as the request is being sent.
  void make(int64_t i, Request* r, std::string* scratch) const {
    int id = static_cast<int>(i % o_.ids);
    r->head.clear();
    if (o_.mode == "upsert") {
      r->body = upserts_[i % upserts_.size()];
      r->entities = o_.batch;
      r->head += "POST /ngsi-ld/v1/entityOperations/upsert";
    } else if (o_.mode == "get") {
      r->body = {};
      r->entities = 0;
      r->head += "GET /ngsi-ld/v1/entities/";
      r->head += o_.id_prefix;
      r->head += std::to_string(scattered(i));
    } else {
      char body[96];
      int n = std::snprintf(body, sizeof(body),
                            R"({"NO2":{"type":"Property","value":%d}})",
                            static_cast<int>(20 + i % 50));
      scratch->assign(body, static_cast<size_t>(n));
      r->body = *scratch;
      r->entities = 1;
      r->head += "PATCH /ngsi-ld/v1/entities/";
      r->head += o_.id_prefix;
      r->head += std::to_string(id);
      r->head += "/attrs";
    }
    r->head += " HTTP/1.1\r\n";
    r->head += fields_;
    if (!r->body.empty()) {
      r->head += "Content-Type: application/json\r\nContent-Length: ";
      r->head += std::to_string(r->body.size());
      r->head += "\r\n";
    }
    r->head += "\r\n";
  }

 private:
  // A permutation of the ids: i x stride mod ids, with a prime stride that
  // does not divide ids (then every id comes once in ids requests).
  int scattered(int64_t i) const {
    constexpr int64_t kStride = 1000003;
    int64_t stride = o_.ids % kStride == 0 ? 1 : kStride;
    return static_cast<int>(i % o_.ids * stride % o_.ids);
  }

  const Options& o_;
  std::vector<std::string> upserts_;
  std::string fields_;  // Host, Authorization, NGSILD-Tenant
};

struct Stats {
  std::vector<uint32_t> latencies_us;
  std::map<std::string, int64_t> errors;  // "status 404", "transport: ..."
  int64_t ok = 0;
  int64_t entity_updates = 0;
  bool error_shown = false;  // this thread showed its first error response
};

// The shared budget of a run: requests left and the deadline.
struct Budget {
  int64_t issued = 0;
  int64_t limit = 0;
  SteadyClock::time_point deadline;
  bool take() {
    if (issued >= limit || SteadyClock::now() >= deadline) return false;
    ++issued;
    return true;
  }
};

// Reads one response with Beast's parser (status line, framing by
// Content-Length or chunks) and keeps only the status and, for an error,
// the start of the body: no header container is built per response.
class ResponseReader final : public http::basic_parser<false> {
 public:
  ResponseReader() {
    body_limit(boost::none);
    eager(true);
  }
  unsigned status() const { return status_; }
  const std::string& error_body() const { return error_body_; }

 private:
  using string_view = beast::string_view;
  using error_code = beast::error_code;

  void keep(string_view body) {
    if (status_ >= 300 && error_body_.size() < 300) {
      error_body_.append(body.data(),
                         std::min(body.size(), 300 - error_body_.size()));
    }
  }
  void on_request_impl(http::verb, string_view, string_view, int,
                       error_code& ec) override {
    ec = http::error::bad_method;  // a response parser sees no requests
  }
  void on_response_impl(int code, string_view, int, error_code&) override {
    status_ = static_cast<unsigned>(code);
  }
  void on_field_impl(http::field, string_view, string_view,
                     error_code&) override {}
  void on_header_impl(error_code&) override {}
  void on_body_init_impl(const boost::optional<uint64_t>&,
                         error_code&) override {}
  size_t on_body_impl(string_view body, error_code&) override {
    keep(body);
    return body.size();
  }
  void on_chunk_header_impl(uint64_t, string_view, error_code&) override {}
  size_t on_chunk_body_impl(uint64_t, string_view body, error_code&) override {
    keep(body);
    return body.size();
  }
  void on_finish_impl(error_code&) override {}

  unsigned status_ = 0;
  std::string error_body_;
};

// One keep-alive connection sending requests back to back on a plain
// socket: each request is one gathered write of its head and body, each
// response is read into one buffer and parsed in place. The driver shares
// the machine with the server, so it keeps its own cost per request low.
// All connections of one io_context share its thread, so Budget needs no
// lock per thread.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(asio::io_context& ioc, const Workload& w, Budget* budget,
             Stats* stats)
      : socket_(ioc), work_(w), budget_(budget), stats_(stats) {}

  void start(const tcp::endpoint& ep) {
    socket_.async_connect(ep,
                          [self = shared_from_this()](beast::error_code ec) {
                            if (ec)
                              return self->fail("connect: " + ec.message());
                            self->socket_.set_option(tcp::no_delay(true), ec);
                            self->next();
                          });
  }

 private:
  void next() {
    if (!budget_->take()) return;
    work_.make(budget_->issued - 1, &req_, &scratch_);
    started_ = SteadyClock::now();
    std::array<asio::const_buffer, 2> out{
        asio::buffer(req_.head),
        asio::buffer(req_.body.data(), req_.body.size())};
    asio::async_write(
        socket_, out,
        [self = shared_from_this()](beast::error_code ec, size_t) {
          if (ec) return self->fail("write: " + ec.message());
          self->reader_.emplace();
          self->parse();
        });
  }

  // Parses what the buffer holds; reads more while the response is not
  // complete.
  void parse() {
    while (!reader_->is_done()) {
      beast::error_code ec;
      size_t used = in_.size() == 0 ? 0 : reader_->put(in_.data(), ec);
      in_.consume(used);
      if (ec == http::error::need_more || (!ec && used == 0)) break;
      if (ec) return fail("read: " + ec.message());
    }
    if (reader_->is_done()) return done();
    socket_.async_read_some(
        in_.prepare(kReadSize),
        [self = shared_from_this()](beast::error_code ec, size_t n) {
          self->in_.commit(n);
          if (ec == asio::error::eof) {
            self->reader_->put_eof(ec);
            if (!ec && self->reader_->is_done()) return self->done();
            return self->fail("read: server closed the connection");
          }
          if (ec) return self->fail("read: " + ec.message());
          self->parse();
        });
  }

  void done() {
    auto us = std::chrono::duration_cast<std::chrono::microseconds>(
                  SteadyClock::now() - started_)
                  .count();
    stats_->latencies_us.push_back(static_cast<uint32_t>(us));
    unsigned status = reader_->status();
    if (status >= 200 && status < 300) {
      ++stats_->ok;
      stats_->entity_updates += req_.entities;
    } else {
      ++stats_->errors["status " + std::to_string(status)];
      if (!stats_->error_shown) {
        stats_->error_shown = true;
        std::fprintf(stderr, "first error: %u %s\n", status,
                     reader_->error_body().c_str());
      }
    }
    if (!reader_->keep_alive()) return fail("server closed connection");
    next();
  }

  void fail(const std::string& what) { ++stats_->errors["transport " + what]; }

  static constexpr size_t kReadSize = 16 * 1024;

  tcp::socket socket_;
  const Workload& work_;
  Budget* budget_;
  Stats* stats_;
  Request req_;
  std::string scratch_;  // the PATCH body being sent
  beast::flat_buffer in_;
  std::optional<ResponseReader> reader_;
  SteadyClock::time_point started_;
};

bool loopback_endpoint(const std::string& host, uint16_t port,
                       tcp::endpoint* ep) {
  std::string h = host == "localhost" ? "127.0.0.1" : host;
  beast::error_code ec;
  auto addr = asio::ip::make_address(h, ec);
  if (ec || !addr.is_loopback()) return false;
  *ep = tcp::endpoint(addr, port);
  return true;
}

// Runs `connections` connections on `threads` threads until the budget is
// spent; each thread has its own budget share and stats.
Stats run(const Options& o, const Workload& work, const tcp::endpoint& ep,
          int connections, int64_t requests, double duration_s,
          double* elapsed_s) {
  int threads = std::max(1, std::min(o.threads, connections));
  std::vector<Stats> stats(threads);
  std::vector<Budget> budgets(threads);
  auto t0 = SteadyClock::now();
  auto deadline = t0 + std::chrono::duration_cast<SteadyClock::duration>(
                           std::chrono::duration<double>(duration_s));
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    budgets[t].limit = requests / threads + (t < requests % threads ? 1 : 0);
    budgets[t].deadline = deadline;
    pool.emplace_back([&, t] {
      asio::io_context ioc(1);
      std::vector<std::shared_ptr<Connection>> conns;
      for (int c = t; c < connections; c += threads) {
        conns.push_back(
            std::make_shared<Connection>(ioc, work, &budgets[t], &stats[t]));
        conns.back()->start(ep);
      }
      conns.clear();
      ioc.run();
    });
  }
  for (auto& th : pool) th.join();
  *elapsed_s = std::chrono::duration<double>(SteadyClock::now() - t0).count();
  Stats all;
  for (auto& s : stats) {
    all.latencies_us.insert(all.latencies_us.end(), s.latencies_us.begin(),
                            s.latencies_us.end());
    all.ok += s.ok;
    all.entity_updates += s.entity_updates;
    for (auto& [k, v] : s.errors) all.errors[k] += v;
  }
  return all;
}

double percentile_ms(const std::vector<uint32_t>& sorted, double p) {
  if (sorted.empty()) return 0;
  size_t i = static_cast<size_t>(p * (sorted.size() - 1) + 0.5);
  return sorted[std::min(i, sorted.size() - 1)] / 1000.0;
}

void report(const Options& o, Stats s, double elapsed_s) {
  std::sort(s.latencies_us.begin(), s.latencies_us.end());
  size_t n = s.latencies_us.size();
  std::printf("mode %s, %d connections, %.2f s\n", o.mode.c_str(),
              o.connections, elapsed_s);
  std::printf("requests        %zu (%lld ok)\n", n,
              static_cast<long long>(s.ok));
  std::printf("requests/s      %.0f\n", n / elapsed_s);
  std::printf("entity updates/s %.0f\n", s.entity_updates / elapsed_s);
  std::printf("latency ms      p50 %.3f  p90 %.3f  p99 %.3f  max %.3f\n",
              percentile_ms(s.latencies_us, 0.50),
              percentile_ms(s.latencies_us, 0.90),
              percentile_ms(s.latencies_us, 0.99),
              n ? s.latencies_us.back() / 1000.0 : 0.0);
  for (const auto& [what, count] : s.errors) {
    std::printf("error           %s: %lld\n", what.c_str(),
                static_cast<long long>(count));
  }
}

// Creates the ids that patch and get address, in upserts of --batch.
bool setup(const Options& o, const tcp::endpoint& ep) {
  Options s = o;
  s.mode = "upsert";
  int ok = 0, total = 0;
  for (int first = 0; first < o.ids; first += o.batch) {
    int count = std::min(o.batch, o.ids - first);
    Options one = s;
    one.batch = count;
    std::string body = upsert_body(one, first, count, 0, o.ids);
    asio::io_context ioc;
    beast::tcp_stream stream(ioc);
    beast::error_code ec;
    stream.connect(ep, ec);
    if (ec) {
      std::fprintf(stderr, "setup: connect: %s\n", ec.message().c_str());
      return false;
    }
    http::request<http::string_body> req{
        http::verb::post, "/ngsi-ld/v1/entityOperations/upsert", 11};
    req.set(http::field::host, o.host);
    req.set(http::field::content_type, "application/json");
    if (!o.key.empty()) req.set(http::field::authorization, "Bearer " + o.key);
    if (!o.tenant.empty()) req.set("NGSILD-Tenant", o.tenant);
    req.body() = body;
    req.prepare_payload();
    http::write(stream, req, ec);
    beast::flat_buffer buf;
    http::response<http::string_body> res;
    if (!ec) http::read(stream, buf, res, ec);
    ++total;
    if (!ec && res.result_int() < 300) {
      ++ok;
    } else {
      std::fprintf(stderr, "setup: upsert failed: %s %u %s\n",
                   ec.message().c_str(), res.result_int(),
                   res.body().substr(0, 300).c_str());
    }
  }
  return ok == total;
}

int main_impl(int argc, char** argv) {
  Options o;
  CLI::App app{"cocity_load: HTTP load against a local cocity server"};
  app.add_option("--host", o.host,
                 "Loopback address (127.0.0.1, ::1, localhost)");
  app.add_option("--port", o.port, "Server port");
  app.add_option("--mode", o.mode, "patch | upsert | get")
      ->check(CLI::IsMember({"patch", "upsert", "get"}));
  app.add_option("--connections,-c", o.connections, "Keep-alive connections")
      ->check(CLI::Range(1, 10000));
  app.add_option("--requests,-n", o.requests, "Stop after this many requests")
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 40));
  app.add_option("--duration,-d", o.duration_s, "Stop after this many seconds")
      ->check(CLI::Range(0.01, 86400.0));
  app.add_option("--ids", o.ids, "Distinct entity ids")
      ->check(CLI::Range(1, 10'000'000));
  app.add_option("--batch", o.batch, "Entities per upsert")
      ->check(CLI::Range(1, 100000));
  app.add_option("--threads", o.threads, "Driver threads")
      ->check(CLI::Range(1, 64));
  app.add_option("--key", o.key, "API key (Bearer)");
  app.add_option("--tenant", o.tenant, "NGSILD-Tenant");
  app.add_option("--pm25-attr", o.pm25_attr, "Name of the PM2.5 attribute");
  bool no_setup = false;
  app.add_flag("--no-setup", no_setup, "Do not create the ids first");
  CLI11_PARSE(app, argc, argv);
  o.setup = !no_setup;
  if (o.mode == "upsert" && o.ids / o.batch > 1000) {
    std::fprintf(stderr,
                 "cocity_load: --ids is at most 1,000 x --batch for upserts "
                 "(the request bodies are built in advance)\n");
    return 2;
  }

  tcp::endpoint ep;
  if (!loopback_endpoint(o.host, o.port, &ep)) {
    std::fprintf(stderr,
                 "cocity_load: '%s' is not a loopback address; refusing\n",
                 o.host.c_str());
    return 2;
  }
  if (o.mode != "upsert" && o.setup && !setup(o, ep)) return 1;
  Workload work(o);
  double elapsed_s = 0;
  Stats s =
      run(o, work, ep, o.connections, o.requests, o.duration_s, &elapsed_s);
  report(o, std::move(s), elapsed_s);
  return 0;
}

}  // namespace cocity::load

int main(int argc, char** argv) { return cocity::load::main_impl(argc, argv); }
