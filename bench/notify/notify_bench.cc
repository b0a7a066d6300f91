// Notification fan-out: 1,000 subscriptions, real SQLite store and
// subscription store, real HTTP delivery over loopback to receivers in this
// process (Boost.Beast), the whole path from Broker::write to receipt.
//
//   notify_bench [subscriptions=1000] [endpoints=1] [updates=2000]
//
// Scenario "all": one update that matches every subscription, repeated;
// reports notifications/s and the latency from the write's
// acknowledgement to the receipt of each notification (the last one
// bounds the fan-out).
// Scenario "few": many updates, each matching 3 subscriptions (each
// subscription selects one of subscriptions/3 entities); reports
// notifications/s and the ack-to-receipt latency.
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "broker/entity_ops.h"
#include "broker/notifier.h"
#include "ngsi/entity_parser.h"
#include "store/store.h"
#include "store/subscription_store.h"

namespace {

using namespace cocity;
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using SteadyClock = std::chrono::steady_clock;

// Receipts: for each received notification, the "seq" value of its first
// entity and when it arrived.
struct Receipts {
  std::mutex mu;
  std::vector<std::pair<int64_t, SteadyClock::time_point>> got;
  std::atomic<size_t> count{0};
};

// One HTTP receiver: accepts connections, a thread each, answers 204.
class Receiver {
 public:
  explicit Receiver(Receipts* receipts) : receipts_(receipts), acceptor_(ioc_) {
    tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), 0);
    acceptor_.open(ep.protocol());
    acceptor_.bind(ep);
    acceptor_.listen();
    port_ = acceptor_.local_endpoint().port();
    std::thread([this] { accept_loop(); }).detach();
  }
  uint16_t port() const { return port_; }

 private:
  void accept_loop() {
    for (;;) {
      auto socket = std::make_shared<tcp::socket>(ioc_);
      beast::error_code ec;
      acceptor_.accept(*socket, ec);
      if (ec) return;
      std::thread([this, socket] { serve(*socket); }).detach();
    }
  }
  void serve(tcp::socket& socket) {
    beast::flat_buffer buffer;
    for (;;) {
      http::request<http::string_body> req;
      beast::error_code ec;
      http::read(socket, buffer, req, ec);
      if (ec) return;
      auto now = SteadyClock::now();
      // The seq: the number after "seq" in the body (no full parse).
      const std::string& body = req.body();
      int64_t seq = -1;
      size_t at = body.find("\"seq\"");
      if (at != std::string::npos) {
        at = body.find("\"value\":", at);
        if (at != std::string::npos) seq = std::atoll(body.c_str() + at + 8);
      }
      {
        std::lock_guard lock(receipts_->mu);
        receipts_->got.emplace_back(seq, now);
      }
      ++receipts_->count;
      http::response<http::empty_body> res{http::status::no_content, 11};
      res.keep_alive(true);
      http::write(socket, res, ec);
      if (ec) return;
    }
  }

  Receipts* receipts_;
  asio::io_context ioc_;
  tcp::acceptor acceptor_;
  uint16_t port_ = 0;
};

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * v.size()))];
}

struct Bench {
  std::unique_ptr<store::Store> store;
  std::unique_ptr<broker::Broker> broker;
  std::unique_ptr<broker::Notifier> notifier;
  Receipts receipts;
  std::vector<std::unique_ptr<Receiver>> receivers;
  std::unordered_map<int64_t, SteadyClock::time_point> acked;
  std::mutex acked_mu;

  // Writes entity `id` with seq; returns when durable.
  void write(const std::string& id, int64_t seq) {
    std::string text = R"({"id": ")" + id +
                       R"(", "type": "WasteContainer", "seq": )" +
                       std::to_string(seq) + "}";
    auto f = std::make_shared<ngsi::Fragment>(
        *ngsi::parse_fragment(*parse_json(text), *ngsi::Context::core(),
                              Clock::system()->now(), true));
    std::promise<void> done;
    std::vector<store::WriteOp> ops;
    ops.push_back(store::WriteOp{id, [f](ngsi::Entity* current) {
                                   return broker::merge_entity(
                                       current, *f, Clock::system()->now(),
                                       false);
                                 }});
    broker->write("", std::move(ops), [&](std::vector<Status>) {
      {
        std::lock_guard lock(acked_mu);
        acked[seq] = SteadyClock::now();
      }
      done.set_value();
    });
    done.get_future().wait();
  }

  bool wait_for(size_t n, std::chrono::seconds timeout) {
    auto end = SteadyClock::now() + timeout;
    while (receipts.count < n) {
      if (SteadyClock::now() > end) return false;
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    return true;
  }

  std::vector<double> latencies_ms() {
    std::vector<double> out;
    std::lock_guard a(acked_mu);
    std::lock_guard r(receipts.mu);
    for (const auto& [seq, at] : receipts.got) {
      auto it = acked.find(seq);
      if (it == acked.end()) continue;
      out.push_back(
          std::chrono::duration<double, std::milli>(at - it->second).count());
    }
    return out;
  }

  void reset() {
    std::lock_guard a(acked_mu);
    std::lock_guard r(receipts.mu);
    acked.clear();
    receipts.got.clear();
    receipts.count = 0;
  }
};

void report(const char* name, size_t notifications, double seconds,
            std::vector<double> lat) {
  std::printf(
      "%-5s %7zu notifications in %6.3f s = %8.0f notifications/s; "
      "ack->receipt ms p50 %.2f p99 %.2f max %.2f\n",
      name, notifications, seconds, notifications / seconds,
      percentile(lat, 0.5), percentile(lat, 0.99), percentile(lat, 1.0));
}

}  // namespace

int main(int argc, char** argv) {
  int subs = argc > 1 ? std::atoi(argv[1]) : 1000;
  int endpoints = argc > 2 ? std::atoi(argv[2]) : 1;
  int updates = argc > 3 ? std::atoi(argv[3]) : 2000;
  std::string dir =
      std::filesystem::temp_directory_path() / "cocity-notify-bench";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);

  Bench b;
  store::StoreOptions options;
  options.data_dir = dir;
  b.store = std::move(*store::open_sqlite_store(options));
  b.broker = std::make_unique<broker::Broker>(b.store.get(), Clock::system());
  auto sub_store =
      store::open_sqlite_subscription_store(dir + "/subscriptions.db");
  broker::NotifierOptions nopts;
  nopts.delivery.capacity = 1'000'000;
  b.notifier = std::move(
      *broker::Notifier::open(b.broker.get(), std::move(*sub_store), nopts));
  for (int i = 0; i < endpoints; ++i)
    b.receivers.push_back(std::make_unique<Receiver>(&b.receipts));

  // Subscriptions: every one selects type WasteContainer; in "few" mode
  // each also watches one entity id (3 subscriptions per entity).
  int entities = std::max(1, subs / 3);
  auto make_subs = [&](bool few) {
    std::vector<std::string> ids;
    for (int i = 0; i < subs; ++i) {
      std::string uri = "http://127.0.0.1:" +
                        std::to_string(b.receivers[i % endpoints]->port()) +
                        "/n";
      std::string entity = few ? R"("id": "urn:ngsi-ld:WasteContainer:)" +
                                     std::to_string(i % entities) + R"(", )"
                               : "";
      auto doc = parse_json(
          R"({"type": "Subscription", "entities": [{)" + entity +
          R"("type": "WasteContainer"}], "notification": {"endpoint": {"uri": ")" +
          uri + R"("}}})");
      ids.push_back(*b.notifier->create("", doc->get_object(), nullptr,
                                        ngsi::Context::core()));
    }
    return ids;
  };

  std::printf("subscriptions %d, endpoints %d\n", subs, endpoints);
  // all: each update matches every subscription.
  auto ids = make_subs(false);
  int rounds = std::max(1, updates / subs);
  auto start = SteadyClock::now();
  for (int r = 0; r < rounds; ++r) {
    b.write("urn:ngsi-ld:WasteContainer:all", r);
    if (!b.wait_for(static_cast<size_t>(subs) * (r + 1),
                    std::chrono::seconds(60))) {
      std::printf("timeout\n");
      return 1;
    }
  }
  double secs =
      std::chrono::duration<double>(SteadyClock::now() - start).count();
  report("all", b.receipts.count, secs, b.latencies_ms());
  for (const auto& id : ids) (void)b.notifier->remove("", id);
  b.reset();

  // few: many updates, each matching 3 subscriptions.
  make_subs(true);
  start = SteadyClock::now();
  std::vector<std::thread> writers;
  constexpr int kWriters = 4;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      for (int u = w; u < updates; u += kWriters) {
        b.write("urn:ngsi-ld:WasteContainer:" + std::to_string(u % entities),
                u);
      }
    });
  }
  for (auto& t : writers) t.join();
  size_t expect = static_cast<size_t>(updates) * 3;
  if (!b.wait_for(expect, std::chrono::seconds(120))) {
    std::printf("timeout: %zu of %zu\n", b.receipts.count.load(), expect);
  }
  secs = std::chrono::duration<double>(SteadyClock::now() - start).count();
  report("few", b.receipts.count, secs, b.latencies_ms());
  auto stats = b.notifier->stats();
  std::printf("delivered %llu, failed attempts %llu, dropped changes %llu\n",
              static_cast<unsigned long long>(stats.notifications_delivered),
              static_cast<unsigned long long>(stats.attempts_failed),
              static_cast<unsigned long long>(stats.changes_dropped));
  b.notifier->close();
  b.store->close();
  std::fflush(stdout);
  std::_Exit(0);  // receivers' detached threads
}
