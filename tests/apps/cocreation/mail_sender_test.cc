// The outbox sender with a fake transport and a hand-moved clock: what is
// sent, what is marked sent, and how failures back off (fault injection
// through the mail::Transport seam). The real SMTP path is covered by
// tests/e2e/cocreation_mail_test.cc.
#include "apps/cocreation/mail_sender.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <deque>
#include <filesystem>

#include "mail/mime_decode.h"

namespace cocity::apps::cocreation {
namespace {

using namespace std::chrono_literals;

class ManualClock : public Clock {
 public:
  TimePoint now() const override { return now_; }
  void advance(std::chrono::milliseconds d) { now_ += d; }

 private:
  TimePoint now_ = from_micros(1'800'000'000'000'000);
};

struct Sent {
  std::string from;
  std::string to;
  std::string data;
};

// Records messages; answers with the queued failures first.
class FakeTransport : public mail::Transport {
 public:
  Status send(std::string_view from, std::string_view to,
              std::string_view data) override {
    ++attempts;
    if (reject_to == to) return fail(Code::kBadRequestData, "550 no such user");
    if (!failures.empty()) {
      Code code = failures.front();
      failures.pop_front();
      return fail(code, "injected");
    }
    sent.push_back({std::string(from), std::string(to), std::string(data)});
    return ok();
  }
  void cancel() override {}

  std::vector<Sent> sent;
  std::deque<Code> failures;
  std::string reject_to;
  int attempts = 0;
};

class MailSenderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("mail_sender_test_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    auto stores = store::open_sqlite_cocreation_stores(dir_.string());
    ASSERT_TRUE(stores);
    stores_ = std::move(*stores);
    make_sender();
  }
  void TearDown() override {
    sender_.reset();
    stores_.reset();
    std::filesystem::remove_all(dir_);
  }

  // A fresh sender on the same databases (a restart of the server).
  void make_sender() {
    auto transport = std::make_unique<FakeTransport>();
    transport_ = transport.get();
    MailSenderOptions options;
    options.from = "Stadt Müllheim <beteiligung@muellheim.de>";
    options.interval = 1000ms;
    options.max_backoff = 8000ms;
    auto sender = MailSender::create(stores_.get(), std::move(transport),
                                     options, &clock_);
    ASSERT_TRUE(sender) << sender.error().detail;
    sender_ = std::move(*sender);
  }

  void queue(const std::string& tenant, const std::string& to) {
    auto db = stores_->tenant(tenant, true);
    ASSERT_TRUE(db);
    store::CcMail mail{
        0,
        to,
        "Umfrage / Survey: Frühjahr",
        "Ihr persönlicher Link:\nhttp://x/survey#token=" + to + "\n",
        clock_.now(),
        std::nullopt};
    ASSERT_TRUE((*db)->add_mail(mail));
  }

  // Mails of `tenant` not marked sent.
  size_t unsent(const std::string& tenant) {
    auto db = stores_->tenant(tenant, false);
    EXPECT_TRUE(db);
    auto mails = (*db)->list_outbox(1000);
    EXPECT_TRUE(mails);
    size_t n = 0;
    for (const auto& m : *mails) n += m.sent_at ? 0 : 1;
    return n;
  }

  std::filesystem::path dir_;
  ManualClock clock_;
  std::unique_ptr<store::CocreationStores> stores_;
  FakeTransport* transport_ = nullptr;
  std::unique_ptr<MailSender> sender_;
};

TEST_F(MailSenderTest, SendsEveryTenantsOutboxOnceAndMarksItSent) {
  queue("", "a@x.de");
  queue("musterstadt", "b@x.de");
  queue("musterstadt", "c@x.de");
  EXPECT_EQ(sender_->run_once(), 3u);
  ASSERT_EQ(transport_->sent.size(), 3u);
  EXPECT_EQ(unsent(""), 0u);
  EXPECT_EQ(unsent("musterstadt"), 0u);
  const Sent& first = transport_->sent[0];
  EXPECT_EQ(first.from, "beteiligung@muellheim.de");
  EXPECT_EQ(first.to, "a@x.de");
  auto parsed = test::parse_mail(first.data);
  EXPECT_EQ(test::decode_header(parsed.headers["subject"]),
            "Umfrage / Survey: Frühjahr");
  EXPECT_TRUE(parsed.headers["message-id"].starts_with("<cocity.default.1."))
      << parsed.headers["message-id"];
  EXPECT_EQ(test::decode_quoted_printable(parsed.body),
            "Ihr persönlicher Link:\nhttp://x/survey#token=a@x.de\n");

  EXPECT_EQ(sender_->run_once(), 0u);
  make_sender();  // a restart sends nothing again
  EXPECT_EQ(sender_->run_once(), 0u);
  EXPECT_EQ(transport_->attempts, 0);
}

TEST_F(MailSenderTest, ServerTroubleStopsThePassAndBacksOff) {
  queue("", "a@x.de");
  queue("", "b@x.de");
  transport_->failures = {Code::kUnavailable, Code::kUnavailable};
  EXPECT_EQ(sender_->run_once(), 0u);
  EXPECT_EQ(transport_->attempts, 1);  // the pass stopped at the failure
  EXPECT_EQ(sender_->run_once(), 0u);
  EXPECT_EQ(transport_->attempts, 1);  // paused for one interval
  clock_.advance(1000ms);
  EXPECT_EQ(sender_->run_once(), 0u);
  EXPECT_EQ(transport_->attempts, 2);
  clock_.advance(1000ms);  // the second failure doubled the pause
  EXPECT_EQ(sender_->run_once(), 0u);
  EXPECT_EQ(transport_->attempts, 2);
  clock_.advance(1000ms);
  EXPECT_EQ(sender_->run_once(), 2u);
  EXPECT_EQ(unsent(""), 0u);
  EXPECT_EQ(sender_->stats().sent, 2u);
  EXPECT_EQ(sender_->stats().failed, 2u);
  ASSERT_EQ(transport_->sent.size(), 2u);
  EXPECT_EQ(transport_->sent[0].to, "a@x.de");  // order kept, nothing lost
}

TEST_F(MailSenderTest, ARejectedMailWaitsAndTheOthersGoOn) {
  queue("", "gone@x.de");
  queue("", "b@x.de");
  transport_->reject_to = "gone@x.de";
  EXPECT_EQ(sender_->run_once(), 1u);
  EXPECT_EQ(unsent(""), 1u);
  EXPECT_EQ(sender_->run_once(), 0u);
  EXPECT_EQ(transport_->attempts, 2);  // not retried before its backoff
  for (int i = 0; i < 6; ++i) {
    clock_.advance(8000ms);
    sender_->run_once();
  }
  EXPECT_EQ(transport_->attempts, 2 + 6);  // backoff capped at max_backoff
  transport_->reject_to.clear();
  clock_.advance(8000ms);
  EXPECT_EQ(sender_->run_once(), 1u);
  EXPECT_EQ(unsent(""), 0u);
}

TEST_F(MailSenderTest, AnUnrenderableMailDoesNotBlockTheOutbox) {
  queue("", "not an address");
  queue("", "b@x.de");
  EXPECT_EQ(sender_->run_once(), 1u);
  EXPECT_EQ(transport_->attempts, 1);
  EXPECT_EQ(sender_->stats().failed, 1u);
  EXPECT_EQ(unsent(""), 1u);
}

TEST_F(MailSenderTest, RefusesABadFromAddress) {
  MailSenderOptions options;
  options.from = "cocity";
  auto sender = MailSender::create(
      stores_.get(), std::make_unique<FakeTransport>(), options, &clock_);
  ASSERT_FALSE(sender);
  EXPECT_TRUE(sender.error().detail.starts_with("smtp.from"))
      << sender.error().detail;
}

TEST_F(MailSenderTest, BackgroundThreadSendsAndStopsPromptly) {
  queue("", "a@x.de");
  auto transport = std::make_unique<FakeTransport>();
  FakeTransport* fake = transport.get();
  MailSenderOptions options;
  options.from = "noreply@town.de";
  options.interval = 10ms;
  auto sender = MailSender::create(stores_.get(), std::move(transport),
                                   options);  // real clock
  ASSERT_TRUE(sender);
  (*sender)->start();
  for (int i = 0; i < 500 && (*sender)->stats().sent == 0; ++i) {
    std::this_thread::sleep_for(10ms);
  }
  auto begin = std::chrono::steady_clock::now();
  (*sender)->stop();
  EXPECT_LT(std::chrono::steady_clock::now() - begin, 1s);
  EXPECT_EQ(fake->sent.size(), 1u);
  EXPECT_EQ(unsent(""), 0u);
}

}  // namespace
}  // namespace cocity::apps::cocreation
