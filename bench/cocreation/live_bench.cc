// live_bench: N participants (default 1,000) join a live session and vote
// on one question within a window (default 10 s) over WebSocket, while a
// projector connection watches. The server runs in-process (open mode, its
// own temporary data directory, the real co-creation routes and SQLite);
// the clients run on one thread with Boost.Beast.
//
// Measured: for the k-th vote sent, the time from its send to the first
// projector state whose tally counts at least k votes (p50/p99/max over
// k); and the time from the first vote to the projector showing all N.
//
//   live_bench [--participants N] [--window-s S] [--threads T]
#include <unistd.h>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "apps/cocreation/cocreation_routes.h"
#include "core/json.h"
#include "server/server.h"
#include "support/http_client.h"

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using namespace cocity;
using Steady = std::chrono::steady_clock;

struct Options {
  int participants = 1000;
  double window_s = 10;
  int threads = 2;
};

Options parse_options(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--participants") o.participants = std::atoi(argv[i + 1]);
    if (flag == "--window-s") o.window_s = std::atof(argv[i + 1]);
    if (flag == "--threads") o.threads = std::atoi(argv[i + 1]);
  }
  return o;
}

// One WebSocket client connection; reads forever, calls on_message.
class Conn : public std::enable_shared_from_this<Conn> {
 public:
  explicit Conn(asio::io_context& ioc) : ws_(ioc) {}
  std::function<void(const std::string&)> on_message;

  bool connect(uint16_t port, const std::string& target) {
    asio::ip::tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), port);
    beast::error_code ec;
    beast::get_lowest_layer(ws_).socket().connect(ep, ec);
    if (ec) return false;
    ws_.handshake("127.0.0.1", target, ec);
    return !ec;
  }
  void start() { read(); }
  void close() {
    beast::error_code ec;
    beast::get_lowest_layer(ws_).socket().close(ec);
  }
  void send(std::string text) {
    out_ = std::move(text);
    ws_.async_write(asio::buffer(out_),
                    [self = shared_from_this()](beast::error_code, size_t) {});
  }

 private:
  void read() {
    ws_.async_read(
        buf_, [self = shared_from_this()](beast::error_code ec, size_t) {
          if (ec) return;
          std::string text = beast::buffers_to_string(self->buf_.data());
          self->buf_.consume(self->buf_.size());
          if (self->on_message) self->on_message(text);
          self->read();
        });
  }
  websocket::stream<beast::tcp_stream> ws_;
  beast::flat_buffer buf_;
  std::string out_;
};

double ms(Steady::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t i = static_cast<size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

// Bootstraps an admin, a process and a one-question session; returns its
// code.
std::string prepare(uint16_t port) {
  test::HttpClient http(port);
  test::Headers json_h = {{"content-type", "application/json"}};
  http.request("POST", "/api/v1/cocreation/bootstrap",
               R"({"email": "admin@bench.de", "name": "A",
                   "password": "a long enough password"})",
               json_h);
  auto login = http.request(
      "POST", "/api/v1/auth/login",
      R"({"email": "admin@bench.de", "password": "a long enough password"})",
      json_h);
  std::string cookie(login.header("set-cookie"));
  cookie = cookie.substr(0, cookie.find(';'));
  std::string csrf(parse_json(login.body)->at("csrf_token").as_string());
  test::Headers h = {{"content-type", "application/json"},
                     {"cookie", cookie},
                     {"x-csrf-token", csrf}};
  auto p = http.request("POST", "/api/v1/processes",
                        R"({"title": "Bench dialogue"})", h);
  int64_t pid = parse_json(p.body)->at("id").as_int64();
  auto s = http.request(
      "POST", "/api/v1/processes/" + std::to_string(pid) + "/live-sessions",
      R"({"title": "Bench", "ideas": ["smart-parking"]})", h);
  if (s.status != 201) {
    std::fprintf(stderr, "cannot create the session: %s\n", s.body.c_str());
    std::exit(1);
  }
  return std::string(parse_json(s.body)->at("code").as_string());
}

// Joins `n` participants over HTTP from 8 threads; returns their tokens.
std::vector<std::string> join_all(uint16_t port, const std::string& code,
                                  int n) {
  std::vector<std::string> tokens(n);
  std::vector<std::thread> threads;
  constexpr int kThreads = 8;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      test::HttpClient http(port);
      for (int i = t; i < n; i += kThreads) {
        auto r = http.request("POST", "/api/v1/live/" + code + "/join", "{}",
                              {{"content-type", "application/json"}});
        auto v = parse_json(r.body);
        if (r.status == 201 && v) {
          tokens[i] = std::string(v->at("participant_token").as_string());
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  return tokens;
}

}  // namespace

int main(int argc, char** argv) {
  Options opt = parse_options(argc, argv);
  auto dir = std::filesystem::temp_directory_path() /
             ("live_bench_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  const char* root = std::getenv("COCITY_SOURCE_DIR");
  server::Router router;
  server::Metrics metrics;
  apps::cocreation::RoutesOptions routes;
  routes.data_dir = dir.string();
  routes.catalogue_path = std::string(root ? root : COCITY_SOURCE_ROOT) +
                          "/data/ideas/catalogue.json";
  if (auto s = apps::cocreation::add_cocreation_routes(router, routes); !s) {
    std::fprintf(stderr, "routes: %s\n", s.error().detail.c_str());
    return 1;
  }
  server::ServerConfig config;
  config.port = 0;
  config.threads = opt.threads;
  config.open = true;
  config.data_dir = dir.string();
  server::Server srv(config, &router, nullptr, &metrics);
  if (!srv.start()) return 1;
  uint16_t port = srv.port();

  std::string code = prepare(port);
  auto t_join = Steady::now();
  auto tokens = join_all(port, code, opt.participants);
  double join_ms = ms(Steady::now() - t_join);

  asio::io_context ioc;
  const int n = opt.participants;
  std::vector<Steady::time_point> sent(n);
  std::vector<std::pair<Steady::time_point, int64_t>> seen;  // projector
  std::vector<Steady::time_point> acks;                      // in order
  int errors = 0;
  Steady::time_point all_seen{};

  auto projector = std::make_shared<Conn>(ioc);
  if (!projector->connect(port, "/api/v1/live/" + code + "/ws?view=projector"))
    return 1;
  projector->on_message = [&](const std::string& text) {
    auto v = parse_json(text);
    if (!v || v->at("type").as_string() != "state") return;
    int64_t count =
        v->at("session").at("current").at("tally").at("n").as_int64();
    seen.emplace_back(Steady::now(), count);
    if (count >= n && all_seen == Steady::time_point{})
      all_seen = Steady::now();
  };
  projector->start();

  auto t_connect = Steady::now();
  std::vector<std::shared_ptr<Conn>> phones;
  for (int i = 0; i < n; ++i) {
    auto c = std::make_shared<Conn>(ioc);
    if (!c->connect(port, "/api/v1/live/" + code + "/ws?token=" + tokens[i])) {
      std::fprintf(stderr, "phone %d cannot connect\n", i);
      return 1;
    }
    c->on_message = [&](const std::string& text) {
      if (text.find("\"vote_ack\"") != std::string::npos) {
        acks.push_back(Steady::now());
      } else if (text.find("\"error\"") != std::string::npos) {
        ++errors;
      }
    };
    c->start();
    phones.push_back(std::move(c));
  }
  double connect_ms = ms(Steady::now() - t_connect);

  // Votes spread evenly over the window.
  asio::steady_timer timer(ioc);
  auto start = Steady::now() + std::chrono::milliseconds(200);
  auto step = std::chrono::duration_cast<Steady::duration>(
      std::chrono::duration<double>(opt.window_s / n));
  int next = 0;
  std::function<void()> schedule = [&] {
    timer.expires_at(start + step * next);
    timer.async_wait([&](beast::error_code) {
      sent[next] = Steady::now();
      phones[next]->send(R"({"type":"vote","item":"smart-parking","value":)" +
                         std::to_string(1 + next % 5) + "}");
      if (++next < n) schedule();
    });
  };
  schedule();
  auto deadline = start + std::chrono::duration<double>(opt.window_s) +
                  std::chrono::seconds(20);
  while (Steady::now() < deadline && all_seen == Steady::time_point{}) {
    ioc.run_for(std::chrono::milliseconds(50));
  }

  // Latency per vote: send -> first projector state with n >= its rank.
  std::vector<double> latency;
  size_t cursor = 0;
  for (int k = 0; k < next; ++k) {
    while (cursor < seen.size() && seen[cursor].second < k + 1) ++cursor;
    if (cursor == seen.size()) break;
    latency.push_back(ms(seen[cursor].first - sent[k]));
  }
  std::printf(
      "live_bench: %d participants, votes over %.1f s, server threads %d\n"
      "  join over HTTP (8 clients): %.0f ms; WebSocket connect: %.0f ms\n"
      "  votes acknowledged: %zu, errors: %d, projector states: %zu\n"
      "  vote -> projector: p50 %.1f ms, p99 %.1f ms, max %.1f ms\n"
      "  first vote -> projector shows all %d: %.0f ms (window %.0f ms)\n",
      n, opt.window_s, opt.threads, join_ms, connect_ms, acks.size(), errors,
      seen.size(), percentile(latency, 0.5), percentile(latency, 0.99),
      percentile(latency, 1.0), n,
      all_seen == Steady::time_point{} ? -1.0 : ms(all_seen - sent[0]),
      opt.window_s * 1000);
  for (auto& p : phones) p->close();
  projector->close();
  ioc.run_for(std::chrono::milliseconds(200));
  phones.clear();
  srv.shutdown();
  srv.wait();
  std::filesystem::remove_all(dir);
  return all_seen == Steady::time_point{} ? 1 : 0;
}
