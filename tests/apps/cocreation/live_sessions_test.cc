// Live sessions without the server: items and values, and durability (a
// new LiveSessions over the same store sees the committed votes).
#include "apps/cocreation/live_sessions.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <future>

#include "apps/cocreation/live_demo.h"
#include "apps/cocreation/live_items.h"
#include "apps/cocreation/live_qr.h"

namespace cocity::apps::cocreation {
namespace {

TEST(LiveItems, ParsesAndChecksValues) {
  auto items = parse_live_items(*parse_json(R"([
      {"type": "likert", "text": "Agree?"},
      {"id": "c", "type": "single_choice", "text": "Pick",
       "options": ["a", "b"]},
      {"type": "idea_rating", "idea": "smart-parking"}])"));
  ASSERT_TRUE(items) << items.error().detail;
  ASSERT_EQ(items->size(), 3u);
  EXPECT_EQ((*items)[0].id, "i1");
  EXPECT_EQ((*items)[2].criterion, "benefit");
  EXPECT_EQ(*parse_live_value((*items)[0], json::value("dont_know")),
            "dont_know");
  EXPECT_FALSE(parse_live_value((*items)[2], json::value("dont_know")));
  EXPECT_FALSE(parse_live_value((*items)[0], json::value(0)));
  EXPECT_EQ(*parse_live_value((*items)[1], json::value(1)), "1");
  EXPECT_FALSE(parse_live_value((*items)[1], json::value(2)));
  EXPECT_FALSE(parse_live_items(*parse_json(R"([{"type": "poll"}])")));
  EXPECT_FALSE(parse_live_items(*parse_json(
      R"([{"id": "a", "type": "likert", "text": "x"},
          {"id": "a", "type": "likert", "text": "y"}])")));

  LiveTally tally((*items)[0]);
  tally.add("5");
  tally.add("dont_know");
  tally.add("3");
  json::object t = tally.to_json();
  EXPECT_EQ(t.at("n").as_int64(), 3);
  EXPECT_DOUBLE_EQ(t.at("mean").as_double(), 4.0);
  EXPECT_EQ(t.at("counts").at("dont_know").as_int64(), 1);
}

TEST(LiveQr, MakesSvg) {
  auto svg = qr_svg("http://localhost:8080/live/ABC234");
  ASSERT_TRUE(svg);
  EXPECT_TRUE(svg->starts_with("<svg"));
  EXPECT_NE(svg->find("h1v1h-1z"), std::string::npos);
  EXPECT_FALSE(qr_svg(""));
}

class LiveSessionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("live_sessions_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    const char* root = std::getenv("COCITY_SOURCE_DIR");
    auto c = IdeaCatalogue::load(std::string(root ? root : ".") +
                                 "/data/ideas/catalogue.json");
    ASSERT_TRUE(c) << c.error().detail;
    catalogue_ = std::move(*c);
    auto stores = store::open_sqlite_cocreation_stores(dir_.string());
    ASSERT_TRUE(stores);
    stores_ = std::move(*stores);
    auto db = stores_->tenant("", true);
    ASSERT_TRUE(db);
    db_ = *db;
    store::CcProcess p;
    p.title = "P";
    p.status = "active";
    p.phases_json = "[]";
    p.municipalities_json = "[]";
    process_ = *db_->add_process(p);
    moderator_.role = AccountRole::kModerator;
    moderator_.account_id = 1;
  }
  void TearDown() override {
    db_.reset();
    stores_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::filesystem::path dir_;
  IdeaCatalogue catalogue_;
  std::unique_ptr<store::CocreationStores> stores_;
  LiveSessions::Db db_;
  int64_t process_ = 0;
  Caller moderator_;
};

TEST_F(LiveSessionsTest, VotesSurviveARestart) {
  int64_t id = 0;
  std::string code;
  {
    LiveSessions live(&catalogue_, Clock::system());
    auto s = live.create(db_, "", moderator_, process_,
                         *parse_json(R"({"title": "T", "ideas":
                             ["smart-parking", "public-wifi"]})")
                              ->if_object());
    ASSERT_TRUE(s) << s.error().detail;
    id = s->at("id").as_int64();
    code = std::string(s->at("code").as_string());
    std::promise<Result<LiveJoin>> joined;
    live.join(db_, "", code,
              [&](Result<LiveJoin> j) { joined.set_value(std::move(j)); });
    auto j = joined.get_future().get();
    ASSERT_TRUE(j);
    std::promise<Status> voted;
    live.vote(db_, "", code, j->participant_token,
              *parse_json(R"({"item": "smart-parking", "value": 5})"),
              [&](Status st) { voted.set_value(st); });
    ASSERT_TRUE(voted.get_future().get());
    ASSERT_TRUE(
        live.control(db_, "", moderator_, id,
                     *parse_json(R"({"action": "close"})")->if_object()));
    Caller citizen;
    EXPECT_EQ(live.control(db_, "", citizen, id,
                           *parse_json(R"({"action": "next"})")->if_object())
                  .error()
                  .code,
              Code::kForbidden);
  }
  LiveSessions again(&catalogue_, Clock::system());
  auto s = again.get(db_, "", moderator_, id);
  ASSERT_TRUE(s) << s.error().detail;
  EXPECT_EQ(s->at("participants").as_int64(), 1);
  EXPECT_EQ(s->at("current").at("tally").at("n").as_int64(), 1);
  EXPECT_EQ(s->at("current").at("tally").at("counts").at("5").as_int64(), 1);
  EXPECT_FALSE(s->at("current").at("open").as_bool());
}

// The demo's seeding: fast, once, and a session anyone can join.
TEST_F(LiveSessionsTest, DemoSeedsOnce) {
  std::string root =
      std::getenv("COCITY_SOURCE_DIR") ? std::getenv("COCITY_SOURCE_DIR") : ".";
  std::string dir = dir_.string() + "_demo";
  std::filesystem::remove_all(dir);
  auto start = std::chrono::steady_clock::now();
  auto demo = seed_cocreation_demo(dir, root + "/data/ideas/catalogue.json");
  ASSERT_TRUE(demo) << demo.error().detail;
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
  EXPECT_EQ(demo->live_code.size(), 6u);
  EXPECT_FALSE(demo->password.empty());
  auto again = seed_cocreation_demo(dir, root + "/data/ideas/catalogue.json");
  ASSERT_TRUE(again) << again.error().detail;
  EXPECT_EQ(again->live_code, demo->live_code);
  EXPECT_EQ(again->password, demo->password);

  auto stores = store::open_sqlite_cocreation_stores(dir);
  ASSERT_TRUE(stores);
  auto db = (*stores)->tenant("", false);
  ASSERT_TRUE(db);
  LiveSessions live(&catalogue_, Clock::system());
  auto state = live.public_state(*db, "", demo->live_code);
  ASSERT_TRUE(state) << state.error().detail;
  EXPECT_EQ(state->at("item_count").as_int64(), 4);
  EXPECT_EQ(state->at("status").as_string(), "active");
  auto processes = (*db)->list_processes();
  ASSERT_TRUE(processes);
  ASSERT_EQ(processes->size(), 1u);
  auto surveys = (*db)->list_surveys(processes->front().id);
  ASSERT_TRUE(surveys);
  ASSERT_EQ(surveys->size(), 1u);
  auto responses = (*db)->list_responses(surveys->front().id);
  ASSERT_TRUE(responses);
  EXPECT_EQ(responses->size(), 320u);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace cocity::apps::cocreation
