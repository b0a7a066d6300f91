// The notifier end to end inside one process: a real SQLite store and
// subscription store, the broker's change feed, and fake senders (the
// network seam) that record, fail or hang.
#include "broker/notifier.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <condition_variable>
#include <filesystem>
#include <future>
#include <map>
#include <mutex>

#include "../store/test_util.h"
#include "broker/entity_ops.h"
#include "ngsi/entity_parser.h"

namespace cocity::broker {
namespace {

using namespace std::chrono_literals;

using store::testing::TempDir;

// What every fake sender of one test saw, by endpoint host.
struct Wire {
  std::mutex mu;
  std::condition_variable cv;
  std::map<std::string, std::vector<OutgoingNotification>> received;
  std::map<std::string, int> failures;  // host -> attempts refused
  bool down = false;                    // every host refuses

  size_t count(const std::string& host) {
    std::lock_guard lock(mu);
    return received[host].size();
  }
  // Waits until `host` received at least `n`.
  bool wait_for(const std::string& host, size_t n,
                std::chrono::milliseconds timeout = 5s) {
    std::unique_lock lock(mu);
    return cv.wait_for(lock, timeout,
                       [&] { return received[host].size() >= n; });
  }
};

// Host "hang" never answers (until the test ends); host "dead" refuses;
// others record.
class FakeSender final : public NotificationSender {
 public:
  explicit FakeSender(Wire* wire) : wire_(wire) {}
  Status send(const Endpoint& endpoint,
              const OutgoingNotification& message) override {
    if (endpoint.host == "hang") {
      std::unique_lock lock(wire_->mu);
      wire_->cv.wait_for(lock, 1500ms);
      return fail(Code::kUnavailable, "timeout");
    }
    std::lock_guard lock(wire_->mu);
    if (endpoint.host == "dead" || wire_->down) {
      ++wire_->failures[endpoint.host];
      return fail(Code::kUnavailable, "connection refused");
    }
    wire_->received[endpoint.host].push_back(message);
    wire_->cv.notify_all();
    return ok();
  }

 private:
  Wire* wire_;
};

class NotifierTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store::StoreOptions options;
    options.data_dir = dir_.path();
    auto s = store::open_sqlite_store(options);
    ASSERT_TRUE(s) << s.error().detail;
    store_ = std::move(*s);
    broker_ = std::make_unique<Broker>(store_.get(), Clock::system());
    open_notifier();
  }
  void TearDown() override {
    notifier_.reset();
    store_->close();
  }

  void open_notifier() {
    auto subs = store::open_sqlite_subscription_store(dir_.path() +
                                                      "/subscriptions.db");
    ASSERT_TRUE(subs) << subs.error().detail;
    NotifierOptions options;
    options.delivery.initial_backoff = 20ms;
    options.delivery.max_backoff = 100ms;
    options.status_flush = 50ms;
    options.sender_factory = [this](const Endpoint&) {
      return std::make_unique<FakeSender>(&wire_);
    };
    auto n = Notifier::open(broker_.get(), std::move(*subs), options);
    ASSERT_TRUE(n) << n.error().detail;
    notifier_ = std::move(*n);
  }

  std::string subscribe(std::string_view text) {
    auto doc = parse_json(text);
    EXPECT_TRUE(doc);
    auto id = notifier_->create("", doc->get_object(), nullptr,
                                ngsi::Context::core());
    EXPECT_TRUE(id) << id.error().detail;
    return id ? *id : "";
  }

  Status write(store::Mutation m, const std::string& id) {
    std::promise<std::vector<Status>> done;
    std::vector<store::WriteOp> ops;
    ops.push_back(store::WriteOp{id, std::move(m)});
    broker_->write("", std::move(ops), [&done](std::vector<Status> r) {
      done.set_value(std::move(r));
    });
    return done.get_future().get().at(0);
  }

  Status upsert(std::string_view entity_json) {
    auto doc = parse_json(entity_json);
    auto f = std::make_shared<ngsi::Fragment>(*ngsi::parse_fragment(
        *doc, *ngsi::Context::core(), Clock::system()->now(), true));
    return write(
        [f](ngsi::Entity* current) {
          return merge_entity(current, *f, Clock::system()->now(), false);
        },
        f->id);
  }

  static std::string sub_json(std::string_view host,
                              std::string_view extra = "") {
    return std::string(R"({"type": "Subscription",
        "entities": [{"type": "WasteContainer"}], )") +
           std::string(extra) +
           R"( "notification": {"endpoint": {"uri": "http://)" +
           std::string(host) + R"(:8080/n"}}})";
  }

  TempDir dir_;
  Wire wire_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Broker> broker_;
  std::unique_ptr<Notifier> notifier_;
};

constexpr std::string_view kBin =
    R"({"id": "urn:ngsi-ld:WasteContainer:1", "type": "WasteContainer",
        "fillingLevel": 0.5})";
constexpr std::string_view kBinFull =
    R"({"id": "urn:ngsi-ld:WasteContainer:1", "type": "WasteContainer",
        "fillingLevel": 0.95})";

TEST_F(NotifierTest, ChangeReachesTheEndpointAsANotification) {
  std::string id = subscribe(sub_json("live"));
  ASSERT_TRUE(upsert(kBin));
  ASSERT_TRUE(wire_.wait_for("live", 1));
  std::lock_guard lock(wire_.mu);
  const auto& m = wire_.received["live"][0];
  auto body = parse_json(m.body);
  ASSERT_TRUE(body);
  EXPECT_EQ(body->at("type"), "Notification");
  EXPECT_EQ(body->at("subscriptionId").as_string(), id);
  EXPECT_EQ(body->at("data").at(0).at("id"), "urn:ngsi-ld:WasteContainer:1");
  EXPECT_EQ(body->at("data").at(0).at("fillingLevel").at("value").as_double(),
            0.5);
  EXPECT_EQ(m.content_type, "application/json");
  EXPECT_NE(m.link.find("ngsi-ld-core-context"), std::string::npos);
}

TEST_F(NotifierTest, QFiltersAndStatusIsKept) {
  std::string id = subscribe(sub_json("live", R"("q": "fillingLevel>0.9",)"));
  ASSERT_TRUE(upsert(kBin));
  ASSERT_TRUE(upsert(kBinFull));
  ASSERT_TRUE(wire_.wait_for("live", 1));
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(wire_.count("live"), 1u);
  auto sub = notifier_->get("", id);
  ASSERT_TRUE(sub);
  EXPECT_EQ(sub->at("notification").at("timesSent").as_uint64(), 1u);
  EXPECT_TRUE(sub->at("notification").as_object().contains("lastSuccess"));
}

TEST_F(NotifierTest, ThrottlingSuppressesNotificationsInTheWindow) {
  subscribe(sub_json("live", R"("throttling": 60,)"));
  ASSERT_TRUE(upsert(kBin));
  ASSERT_TRUE(wire_.wait_for("live", 1));
  ASSERT_TRUE(upsert(kBinFull));
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(wire_.count("live"), 1u);
}

TEST_F(NotifierTest, ExpiredAndPausedSubscriptionsStayQuiet) {
  // Written in the past, a subscription is refused; it may expire later.
  auto past =
      parse_json(sub_json("past", R"("expiresAt": "2020-01-01T00:00:00Z",)"));
  auto refused =
      notifier_->create("", past->get_object(), nullptr, ngsi::Context::core());
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Code::kBadRequestData);
  std::string soon = "\"expiresAt\": \"" +
                     format_iso_time(Clock::system()->now() + 300ms) + "\",";
  std::string old = subscribe(sub_json("old", soon));
  EXPECT_FALSE(notifier_->update(
      "", old,
      parse_json(R"({"expiresAt": "2020-01-01T00:00:00Z"})")->get_object()));
  std::this_thread::sleep_for(400ms);
  std::string paused = subscribe(sub_json("paused", R"("isActive": false,)"));
  subscribe(sub_json("live"));
  ASSERT_TRUE(upsert(kBin));
  ASSERT_TRUE(wire_.wait_for("live", 1));
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(wire_.count("old"), 0u);
  EXPECT_EQ(wire_.count("paused"), 0u);
  EXPECT_EQ(notifier_->get("", paused)->at("status"), "paused");
  ASSERT_TRUE(notifier_->update(
      "", paused, parse_json(R"({"isActive": true})")->get_object()));
  ASSERT_TRUE(upsert(kBinFull));
  EXPECT_TRUE(wire_.wait_for("paused", 1));
}

TEST_F(NotifierTest, DeadAndHangingEndpointsDoNotDelayALiveOne) {
  subscribe(sub_json("hang"));
  subscribe(sub_json("dead"));
  subscribe(sub_json("live"));
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(upsert(i % 2 ? kBin : kBinFull));
  }
  ASSERT_TRUE(wire_.wait_for("live", 5, 2s));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
  std::this_thread::sleep_for(100ms);
  std::lock_guard lock(wire_.mu);
  EXPECT_GE(wire_.failures["dead"], 2) << "retried with backoff";
}

TEST_F(NotifierTest, PendingNotificationsSurviveARestart) {
  std::string id = subscribe(sub_json("live"));
  {
    std::lock_guard lock(wire_.mu);
    wire_.down = true;
  }
  ASSERT_TRUE(upsert(kBin));
  ASSERT_TRUE(upsert(kBinFull));
  // Wait until both failed at least once, then stop with them pending.
  for (int i = 0; i < 100; ++i) {
    std::this_thread::sleep_for(10ms);
    std::lock_guard lock(wire_.mu);
    if (wire_.failures["live"] >= 2) break;
  }
  notifier_->close();
  notifier_.reset();
  {
    std::lock_guard lock(wire_.mu);
    wire_.down = false;
  }
  open_notifier();
  ASSERT_TRUE(wire_.wait_for("live", 2));
  std::lock_guard lock(wire_.mu);
  auto first = parse_json(wire_.received["live"][0].body);
  auto second = parse_json(wire_.received["live"][1].body);
  EXPECT_EQ(first->at("subscriptionId").as_string(), id);
  EXPECT_EQ(first->at("data").at(0).at("fillingLevel").at("value").as_double(),
            0.5);
  EXPECT_EQ(second->at("data").at(0).at("fillingLevel").at("value").as_double(),
            0.95);
}

TEST_F(NotifierTest, SubscriptionsSurviveARestartAndDeleteRemoves) {
  std::string id = subscribe(sub_json("live"));
  notifier_.reset();
  open_notifier();
  ASSERT_TRUE(notifier_->get("", id));
  EXPECT_EQ(notifier_->list("", 0, 10).total, 1u);
  ASSERT_TRUE(notifier_->remove("", id));
  EXPECT_EQ(notifier_->get("", id).error().code, Code::kNotFound);
  EXPECT_EQ(notifier_->remove("", id).error().code, Code::kNotFound);
  notifier_.reset();
  open_notifier();
  EXPECT_EQ(notifier_->list("", 0, 10).total, 0u);
}

TEST_F(NotifierTest, DuplicateIdIsAlreadyExists) {
  auto doc = parse_json(R"({"id": "urn:ngsi-ld:Subscription:one",
      "type": "Subscription", "entities": [{"type": "T"}],
      "notification": {"endpoint": {"uri": "http://live/n"}}})");
  ASSERT_TRUE(
      notifier_->create("", doc->get_object(), nullptr, ngsi::Context::core()));
  auto again =
      notifier_->create("", doc->get_object(), nullptr, ngsi::Context::core());
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, Code::kAlreadyExists);
}

TEST_F(NotifierTest, InProcessListenerSeesMatchingChanges) {
  std::mutex mu;
  std::vector<ChangeEvent> seen;
  ListenerFilter filter;
  filter.types.push_back(std::string(ngsi::kDefaultVocab) + "WasteContainer");
  uint64_t lid = notifier_->add_listener("", filter, [&](const ChangeEvent& e) {
    std::lock_guard lock(mu);
    seen.push_back(e);
  });
  ASSERT_TRUE(upsert(kBin));
  ASSERT_TRUE(upsert(R"({"id": "urn:ngsi-ld:Truck:1", "type": "Truck"})"));
  ASSERT_TRUE(upsert(kBinFull));
  for (int i = 0; i < 100; ++i) {
    std::this_thread::sleep_for(10ms);
    std::lock_guard lock(mu);
    if (seen.size() >= 2) break;
  }
  notifier_->remove_listener(lid);
  std::lock_guard lock(mu);
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].kind, ChangeEvent::Kind::kCreated);
  EXPECT_EQ(seen[1].kind, ChangeEvent::Kind::kUpdated);
  EXPECT_EQ(seen[1].attrs_updated.size(), 1u);
}

TEST_F(NotifierTest, PeriodicSubscriptionReportsCurrentState) {
  ASSERT_TRUE(upsert(kBin));
  subscribe(sub_json("tick", R"("timeInterval": 0.1,)"));
  ASSERT_TRUE(wire_.wait_for("tick", 2, 3s));
  std::lock_guard lock(wire_.mu);
  auto body = parse_json(wire_.received["tick"][0].body);
  EXPECT_EQ(body->at("data").at(0).at("id"), "urn:ngsi-ld:WasteContainer:1");
}

}  // namespace
}  // namespace cocity::broker

namespace cocity::store {
namespace {

TEST(SubscriptionStoreTest, RecordsStatusAndPendingRoundTrip) {
  broker::TempDir dir;
  std::string path = dir.path() + "/subscriptions.db";
  {
    auto s = open_sqlite_subscription_store(path);
    ASSERT_TRUE(s) << s.error().detail;
    SubscriptionRecord r{"kl", "urn:s:1", R"({"source": {}})", 0, 0, {},
                         {},   {}};
    ASSERT_TRUE((*s)->put(r));
    r.times_sent = 7;
    r.last_success = from_micros(1'000'000);
    ASSERT_TRUE((*s)->save_status({r}));
    std::vector<PendingNotification> p(3);
    for (auto& n : p) {
      n.tenant = "kl";
      n.subscription_id = "urn:s:1";
      n.body = "{}";
    }
    ASSERT_TRUE((*s)->add_pending(&p));
    EXPECT_LT(p[0].seq, p[1].seq);
    ASSERT_TRUE((*s)->remove_pending({p[0].seq}));
  }
  auto s = open_sqlite_subscription_store(path);
  ASSERT_TRUE(s);
  auto list = (*s)->list();
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].times_sent, 7u);
  EXPECT_EQ((*list)[0].last_success, from_micros(1'000'000));
  EXPECT_FALSE((*list)[0].last_failure);
  EXPECT_EQ((*s)->pending()->size(), 2u);
  ASSERT_TRUE((*s)->remove("kl", "urn:s:1"));
  EXPECT_EQ((*s)->pending()->size(), 0u);
  EXPECT_EQ((*s)->remove("kl", "urn:s:1").error().code, Code::kNotFound);
}

}  // namespace
}  // namespace cocity::store
