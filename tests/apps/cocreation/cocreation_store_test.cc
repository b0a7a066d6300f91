#include <gtest/gtest.h>

#include <filesystem>

#include "store/cocreation_store.h"

namespace cocity::store {
namespace {

class CocreationStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("cocreation_store_test_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    auto stores = open_sqlite_cocreation_stores(dir_.string());
    ASSERT_TRUE(stores);
    stores_ = std::move(*stores);
    auto db = stores_->tenant("town", true);
    ASSERT_TRUE(db) << db.error().detail;
    db_ = *db;
  }
  void TearDown() override {
    db_.reset();
    stores_.reset();
    std::filesystem::remove_all(dir_);
  }

  int64_t survey() {
    auto id = db_->add_survey({0, 1, "S", "open", false, "[]", "", {}});
    EXPECT_TRUE(id);
    return *id;
  }

  CcNewInvitation invitation(int64_t survey_id, const std::string& email) {
    return {{0, survey_id, email, "", "", std::nullopt},
            "hash-" + email,
            {0, email, "subject", "body", {}, std::nullopt}};
  }

  std::filesystem::path dir_;
  std::unique_ptr<CocreationStores> stores_;
  std::shared_ptr<CocreationStore> db_;
};

TEST_F(CocreationStoreTest, TenantsAreSeparateFiles) {
  EXPECT_TRUE(std::filesystem::exists(dir_ / "cocreation" / "town.db"));
  EXPECT_EQ(stores_->tenant("none", false).error().code,
            Code::kNonexistentTenant);
  auto other = stores_->tenant("", true);
  ASSERT_TRUE(other);
  EXPECT_TRUE(std::filesystem::exists(dir_ / "cocreation" / "_default.db"));
  EXPECT_FALSE(stores_->tenant("../etc", true));
}

TEST_F(CocreationStoreTest, OneResponsePerInvitationAndAnonymity) {
  int64_t s = survey();
  ASSERT_TRUE(
      db_->add_invitations({invitation(s, "a@x.de"), invitation(s, "b@x.de")}));
  auto a = db_->find_invitation("hash-a@x.de");
  ASSERT_TRUE(a && *a);
  CcResponse r{0, s, std::nullopt, "{}", "{}", TimePoint{}};
  ASSERT_TRUE(db_->save_draft((*a)->id, {"{}", "{\"q\":1}", TimePoint{}}));
  ASSERT_TRUE(db_->submit_response(r, (*a)->id, true, TimePoint{}));
  auto again = db_->submit_response(r, (*a)->id, true, TimePoint{});
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, Code::kConflict);
  auto rows = db_->list_responses(s);
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_FALSE((*rows)[0].invitation_id.has_value());
  auto draft = db_->get_draft((*a)->id);
  ASSERT_TRUE(draft);
  EXPECT_FALSE(draft->has_value());  // dropped on submission
}

TEST_F(CocreationStoreTest, DuplicateInvitationImportsNothing) {
  int64_t s = survey();
  ASSERT_TRUE(db_->add_invitations({invitation(s, "a@x.de")}));
  auto dup = db_->add_invitations(
      {invitation(s, "new@x.de"), invitation(s, "a@x.de")});
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, Code::kAlreadyExists);
  auto all = db_->list_invitations(s);
  ASSERT_TRUE(all);
  EXPECT_EQ(all->size(), 1u);
  auto mails = db_->list_outbox(10);
  ASSERT_TRUE(mails);
  EXPECT_EQ(mails->size(), 1u);
}

TEST_F(CocreationStoreTest, AccountInvitationIsSingleUse) {
  TimePoint now = from_micros(1000);
  ASSERT_TRUE(db_->add_account_invitation(
      {"h", "m@x.de", "moderator", "Dorf", 1, from_micros(2000)}));
  CcAccount a;
  a.name = "M";
  a.password_hash = "x";
  auto made = db_->accept_account_invitation("h", a, now);
  ASSERT_TRUE(made) << made.error().detail;
  EXPECT_EQ(made->role, "moderator");
  EXPECT_EQ(made->email, "m@x.de");
  EXPECT_FALSE(db_->accept_account_invitation("h", a, now));
  ASSERT_TRUE(db_->add_account_invitation(
      {"old", "o@x.de", "citizen", "", 1, from_micros(10)}));
  EXPECT_FALSE(db_->accept_account_invitation("old", a, now));  // expired
}

TEST_F(CocreationStoreTest, DeletingAnAccountKeepsItsContributions) {
  auto id = db_->add_account({0, "c@x.de", "C", "citizen", "", "h", {}});
  ASSERT_TRUE(id);
  ASSERT_TRUE(db_->add_session({"s", *id, from_micros(1)}));
  auto comment =
      db_->add_comment({0, "idea:x", "gut", "approved", *id, TimePoint{}});
  ASSERT_TRUE(comment);
  ASSERT_TRUE(db_->delete_account(*id));
  EXPECT_FALSE(db_->get_account(*id));
  auto session = db_->find_session("s");
  ASSERT_TRUE(session);
  EXPECT_FALSE(session->has_value());
  auto c = db_->get_comment(*comment);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->text, "gut");
  EXPECT_FALSE(c->author_id.has_value());
  EXPECT_EQ(db_->delete_account(*id).error().code, Code::kNotFound);
}

TEST_F(CocreationStoreTest, DuplicateEmailIsAlreadyExists) {
  ASSERT_TRUE(db_->add_account({0, "d@x.de", "D", "admin", "", "h", {}}));
  auto again = db_->add_account({0, "d@x.de", "D", "admin", "", "h", {}});
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, Code::kAlreadyExists);
  EXPECT_EQ(*db_->count_accounts(), 1);
}

}  // namespace
}  // namespace cocity::store
