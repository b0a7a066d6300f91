#include "broker/entity_ops.h"

#include <gtest/gtest.h>

#include "store/history_codec.h"

namespace cocity::broker {
namespace {

const std::string kVocab(ngsi::kDefaultVocab);

TimePoint at(const char* iso) { return *parse_iso_time(iso); }

ngsi::Entity entity(std::string_view text, TimePoint now) {
  return *ngsi::parse_entity(*parse_json(text), *ngsi::Context::core(), now);
}

ngsi::Fragment fragment(std::string_view text, TimePoint now) {
  return *ngsi::parse_fragment(*parse_json(text), *ngsi::Context::core(), now,
                               true);
}

const json::object& instance(const ngsi::Entity& e, const std::string& name,
                             size_t i = 0) {
  return e.attrs.at(kVocab + name).get_array()[i].get_object();
}

// The instance a history entry records, as the store will read it back.
json::object recorded(const store::HistoryEntry& h) {
  auto back = store::to_history(store::to_stored(h, 1), h.attr, false);
  return back ? back->instance : json::object{};
}

TEST(EntityOpsTest, CreateRecordsHistoryForEveryInstance) {
  auto e = entity(R"({"id": "urn:x:1", "type": "T", "a": 1,
                      "b": {"value": 2, "observedAt": "2026-11-25T07:00:00Z"}})",
                  at("2026-11-25T10:00:00Z"));
  auto c = create_entity(nullptr, e);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->kind, store::Change::Kind::kPut);
  ASSERT_EQ(c->history.size(), 2u);
  for (const auto& h : c->history) {
    if (h.attr == kVocab + "b") {
      EXPECT_EQ(h.observed_at, at("2026-11-25T07:00:00Z"));
    } else {
      EXPECT_EQ(h.observed_at, at("2026-11-25T10:00:00Z"));
    }
  }
  EXPECT_EQ(create_entity(&e, e).error().code, Code::kAlreadyExists);
}

TEST(EntityOpsTest, MergeKeepsCreatedAtAndUntouchedMembers) {
  auto t0 = at("2026-11-25T10:00:00Z");
  auto t1 = at("2026-11-25T11:00:00Z");
  auto e = entity(R"({"id": "urn:x:1", "type": "T",
                      "a": {"value": 1, "unitCode": "GQ"}, "b": 2})",
                  t0);
  auto c = merge_entity(&e, fragment(R"({"a": {"value": 5}, "b": null})", t1),
                        t1, true);
  ASSERT_TRUE(c);
  const auto& a = instance(c->entity, "a");
  EXPECT_EQ(a.at("value").as_int64(), 5);
  EXPECT_EQ(a.at("unitCode"), "GQ");
  EXPECT_EQ(a.at("createdAt"), "2026-11-25T10:00:00.000Z");
  EXPECT_EQ(a.at("modifiedAt"), "2026-11-25T11:00:00.000Z");
  EXPECT_FALSE(c->entity.attrs.contains(kVocab + "b"));
  EXPECT_EQ(c->entity.created_at, t0);
  EXPECT_EQ(c->entity.modified_at, t1);
  ASSERT_EQ(c->history.size(), 2u);
  EXPECT_TRUE(c->history[0].deleted);  // b
  EXPECT_FALSE(c->history[1].deleted);
}

// A merge that changes an attribute's kind replaces the instance: no
// "value" of the old Property stays beside the Relationship's "object".
// Entity urn:x:1 created at 10:00 with "a": 1 GQ, merged with `text` at
// 11:00.
Result<store::Change> merge_into_stored(std::string_view text) {
  auto e = entity(R"({"id": "urn:x:1", "type": "T",
                      "a": {"value": 1, "unitCode": "GQ"}})",
                  at("2026-11-25T10:00:00Z"));
  auto t1 = at("2026-11-25T11:00:00Z");
  return merge_entity(&e, fragment(text, t1), t1, true);
}

TEST(EntityOpsTest, MergeOfAnotherKindReplacesTheInstance) {
  auto c = merge_into_stored(
      R"({"a": {"type": "Relationship", "object": "urn:x:2"}})");
  ASSERT_TRUE(c);
  const auto& a = instance(c->entity, "a");
  EXPECT_EQ(a.at("type"), "Relationship");
  EXPECT_EQ(a.at("object"), "urn:x:2");
  EXPECT_FALSE(a.contains("value"));
  EXPECT_FALSE(a.contains("unitCode"));
  EXPECT_EQ(a.at("createdAt"), "2026-11-25T10:00:00.000Z");
  ASSERT_EQ(c->history.size(), 1u);
  EXPECT_EQ(recorded(c->history[0]), a);
}

// The history entry of a merged instance is the whole merged instance.
TEST(EntityOpsTest, MergeHistoryHoldsTheMergedInstance) {
  auto c = merge_into_stored(
      R"({"a": {"value": 7, "observedAt": "2026-11-25T10:30:00Z"}})");
  ASSERT_TRUE(c);
  ASSERT_EQ(c->history.size(), 1u);
  const auto& h = c->history[0];
  EXPECT_EQ(h.observed_at, at("2026-11-25T10:30:00Z"));
  // A number keeps no system times in history (history_codec.h).
  json::object stored = instance(c->entity, "a");
  stored.erase("createdAt");
  stored.erase("modifiedAt");
  EXPECT_EQ(recorded(h), stored);
  EXPECT_EQ(stored.at("value").as_int64(), 7);
  EXPECT_EQ(stored.at("unitCode"), "GQ");
}

TEST(EntityOpsTest, UpdateReportsMissingAttributesAndChangesNothingElse) {
  auto t0 = at("2026-11-25T10:00:00Z");
  auto e = entity(R"({"id": "urn:x:1", "type": "T", "a": 1})", t0);
  UpdateReport report;
  auto c = update_attributes(&e, fragment(R"({"zz": 3})", t0), t0, &report);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->kind, store::Change::Kind::kNone);
  // No change: the entity stays where it was.
  EXPECT_EQ(e.id, "urn:x:1");
  EXPECT_TRUE(e.attrs.contains(kVocab + "a"));
  ASSERT_EQ(report.not_updated.size(), 1u);
  EXPECT_EQ(report.not_updated[0].attr, kVocab + "zz");
}

TEST(EntityOpsTest, DatasetInstancesAreIndependent) {
  auto t0 = at("2026-11-25T10:00:00Z");
  auto e = entity(R"({"id": "urn:x:1", "type": "T", "a": [
      {"value": 1}, {"value": 2, "datasetId": "urn:d:1"}]})",
                  t0);
  UpdateReport report;
  auto c = append_attributes(
      &e, fragment(R"({"a": {"value": 9, "datasetId": "urn:d:1"}})", t0), t0,
      false, &report);
  ASSERT_TRUE(c);
  EXPECT_EQ(instance(c->entity, "a", 0).at("value").as_int64(), 1);
  EXPECT_EQ(instance(c->entity, "a", 1).at("value").as_int64(), 9);
  ngsi::Entity before_delete = c->entity;  // the delete takes its input
  auto d = delete_attribute(&before_delete, kVocab + "a", "urn:d:1", false, t0);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->entity.attrs.at(kVocab + "a").get_array().size(), 1u);
  auto missing =
      delete_attribute(&d->entity, kVocab + "a", "urn:d:1", false, t0);
  EXPECT_EQ(missing.error().code, Code::kNotFound);
  // A refused operation leaves its input as it was.
  EXPECT_EQ(d->entity.attrs.at(kVocab + "a").get_array().size(), 1u);
  auto all = delete_attribute(&c->entity, kVocab + "a", "", true, t0);
  ASSERT_TRUE(all);
  EXPECT_FALSE(all->entity.attrs.contains(kVocab + "a"));
  EXPECT_EQ(all->history.size(), 2u);
}

TEST(EntityOpsTest, ReplaceDropsOldAttributesIntoHistory) {
  auto t0 = at("2026-11-25T10:00:00Z");
  auto t1 = at("2026-11-25T12:00:00Z");
  auto e = entity(R"({"id": "urn:x:1", "type": "T", "a": 1, "b": 2})", t0);
  auto next = entity(R"({"id": "urn:x:1", "type": "U", "c": 3})", t1);
  auto c = replace_entity(&e, next);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->entity.created_at, t0);
  EXPECT_EQ(c->entity.types, std::vector<std::string>{kVocab + "U"});
  int deleted = 0;
  for (const auto& h : c->history) deleted += h.deleted;
  EXPECT_EQ(deleted, 2);
  EXPECT_EQ(replace_entity(nullptr, next).error().code, Code::kNotFound);
}

}  // namespace
TEST(EntityOpsTest, AChangeTakesTheCurrentStateAndARefusalLeavesIt) {
  auto t0 = at("2026-11-25T10:00:00Z");
  auto e = entity(R"({"id": "urn:x:1", "type": "T", "a": 1, "b": 2})", t0);
  ngsi::Entity kept = e;
  auto missing = replace_attribute(&e, kVocab + "zz", json::array{}, t0);
  EXPECT_EQ(missing.error().code, Code::kNotFound);
  EXPECT_EQ(e.attrs, kept.attrs);
  auto missing_ds = delete_attribute(&e, kVocab + "a", "urn:d:9", false, t0);
  EXPECT_EQ(missing_ds.error().code, Code::kNotFound);
  EXPECT_EQ(e.attrs, kept.attrs);
  UpdateReport report;
  auto c = update_attributes(&e, fragment(R"({"a": 7})", t0), t0, &report);
  ASSERT_TRUE(c);
  ASSERT_EQ(c->kind, store::Change::Kind::kPut);
  EXPECT_EQ(instance(c->entity, "a").at("value").as_int64(), 7);
  EXPECT_EQ(instance(c->entity, "b").at("value").as_int64(), 2);
}

}  // namespace cocity::broker
