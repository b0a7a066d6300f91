// Parsing, validation and matching of NGSI-LD subscriptions (pure).
#include "broker/subscription.h"

#include <gtest/gtest.h>

#include "broker/subscription_matcher.h"
#include "ngsi/entity_parser.h"

namespace cocity::broker {
namespace {

const std::string kVocab(ngsi::kDefaultVocab);
const TimePoint kNow = *parse_iso_time("2026-11-25T10:00:00Z");

Result<Subscription> parse(std::string_view text) {
  auto doc = parse_json(text);
  EXPECT_TRUE(doc) << text;
  return parse_subscription(doc->get_object(), nullptr, ngsi::Context::core(),
                            "", kNow);
}

std::string error_of(std::string_view text) {
  auto s = parse(text);
  EXPECT_FALSE(s) << text;
  return s ? "" : s.error().detail;
}

constexpr std::string_view kBasic = R"({
  "type": "Subscription",
  "entities": [{"type": "WasteContainer"}],
  "watchedAttributes": ["fillingLevel"],
  "q": "fillingLevel>0.8",
  "notification": {"attributes": ["fillingLevel"], "format": "keyValues",
    "endpoint": {"uri": "http://127.0.0.1:9000/notify?x=1",
                 "receiverInfo": [{"key": "X-Token", "value": "abc"}]}}})";

ChangeEvent event(ChangeEvent::Kind kind, std::string_view entity_json,
                  std::vector<std::string> created,
                  std::vector<std::string> updated = {},
                  std::vector<std::string> deleted = {}) {
  ChangeEvent e;
  e.kind = kind;
  e.entity = std::make_shared<ngsi::Entity>(*ngsi::parse_entity(
      *parse_json(entity_json), *ngsi::Context::core(), kNow));
  for (auto& a : created) e.attrs_created.push_back(kVocab + a);
  for (auto& a : updated) e.attrs_updated.push_back(kVocab + a);
  for (auto& a : deleted) e.attrs_deleted.push_back(kVocab + a);
  return e;
}

constexpr std::string_view kFull =
    R"({"id": "urn:ngsi-ld:WasteContainer:1", "type": "WasteContainer",
        "fillingLevel": 0.9, "temperature": 12})";
constexpr std::string_view kLow =
    R"({"id": "urn:ngsi-ld:WasteContainer:2", "type": "WasteContainer",
        "fillingLevel": 0.2})";

TEST(SubscriptionTest, ParsesMembersAndGeneratesAnId) {
  auto s = parse(kBasic);
  ASSERT_TRUE(s) << s.error().detail;
  EXPECT_TRUE(s->id.starts_with("urn:ngsi-ld:Subscription:"));
  EXPECT_EQ(s->source.at("id").as_string(), s->id);
  ASSERT_EQ(s->entities.size(), 1u);
  EXPECT_EQ(s->entities[0].type, kVocab + "WasteContainer");
  EXPECT_EQ(s->watched_attrs,
            std::vector<std::string>{kVocab + "fillingLevel"});
  EXPECT_EQ(s->triggers, kDefaultTriggers);
  EXPECT_TRUE(s->q);
  EXPECT_EQ(s->render.format, ngsi::Format::kKeyValues);
  EXPECT_EQ(s->endpoint.host, "127.0.0.1");
  EXPECT_EQ(s->endpoint.port, 9000);
  EXPECT_EQ(s->endpoint.target, "/notify?x=1");
  ASSERT_EQ(s->endpoint.receiver_info.size(), 1u);
  EXPECT_EQ(s->endpoint.receiver_info[0].first, "X-Token");
  EXPECT_EQ(status_name(*s, kNow), "active");
}

TEST(SubscriptionTest, MqttEndpoint) {
  Endpoint e;
  ASSERT_TRUE(parse_endpoint_uri("mqtt://localhost:1884/city/notify", &e));
  EXPECT_EQ(e.scheme, Endpoint::Scheme::kMqtt);
  EXPECT_EQ(e.port, 1884);
  EXPECT_EQ(e.target, "city/notify");
  EXPECT_FALSE(parse_endpoint_uri("mqtt://localhost:1884/city/#", &e));
  EXPECT_FALSE(parse_endpoint_uri("mqtt://localhost:1884", &e));
  EXPECT_FALSE(parse_endpoint_uri("ftp://host/x", &e));
  EXPECT_FALSE(parse_endpoint_uri("http://host:99999/x", &e));
  EXPECT_FALSE(parse_endpoint_uri("http://:80/x", &e));
}

TEST(SubscriptionTest, BadInputNamesTheMember) {
  EXPECT_NE(error_of(R"({"type": "Sub", "entities": [{"type": "T"}],
      "notification": {"endpoint": {"uri": "http://h/x"}}})")
                .find("'type'"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"type": "Subscription", "entities": [{"type": "T"}]})")
                .find("'notification'"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"type": "Subscription",
      "notification": {"endpoint": {"uri": "http://h/x"}}})")
                .find("'entities' or 'watchedAttributes'"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"type": "Subscription", "entities": [{"id": "x"}],
      "notification": {"endpoint": {"uri": "http://h/x"}}})")
                .find("entities[].id"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"type": "Subscription", "entities": [{"type": "T"}],
      "notificationTrigger": ["entityBorn"],
      "notification": {"endpoint": {"uri": "http://h/x"}}})")
                .find("notificationTrigger"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"type": "Subscription", "entities": [{"type": "T"}],
      "notification": {"endpoint": {"uri": "gopher://h/x"}}})")
                .find("endpoint.uri"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"type": "Subscription", "entities": [{"type": "T"}],
      "q": "a>>", "notification": {"endpoint": {"uri": "http://h/x"}}})")
                .find("q:"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"type": "Subscription", "entities": [{"type": "T"}],
      "timeInterval": 10, "watchedAttributes": ["a"],
      "notification": {"endpoint": {"uri": "http://h/x"}}})")
                .find("timeInterval"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"type": "Subscription", "entities": [{"type": "T"}],
      "throttling": -1, "notification": {"endpoint": {"uri": "http://h/x"}}})")
                .find("throttling"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"type": "Subscription", "entities": [{"type": "T"}],
      "expiresAt": "tomorrow", "notification": {"endpoint": {"uri": "http://h/x"}}})")
                .find("expiresAt"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"type": "Subscription", "entities": [{"type": "T"}],
      "colour": "red", "notification": {"endpoint": {"uri": "http://h/x"}}})")
                .find("colour"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"type": "Subscription", "entities": [{"type": "T"}],
      "notification": {"format": "fancy", "endpoint": {"uri": "http://h/x"}}})")
                .find("notification.format"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"type": "Subscription", "entities": [{"type": "T"}],
      "notification": {"endpoint": {"uri": "http://h/x",
        "receiverInfo": [{"key": "X-A", "value": "a\r\nInjected: 1"}]}}})")
                .find("receiverInfo"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"type": "Subscription", "entities": [{"type": "T",
      "idPattern": "(unclosed"}],
      "notification": {"endpoint": {"uri": "http://h/x"}}})")
                .find("idPattern"),
            std::string::npos);
}

TEST(SubscriptionTest, PatchReplacesMembersAndKeepsTheId) {
  auto s = parse(kBasic);
  ASSERT_TRUE(s);
  auto patched =
      patch_source(s->source, parse_json(R"({"isActive": false, "q": null,
          "notification": {"format": "normalized"}})")
                                  ->get_object());
  ASSERT_TRUE(patched);
  EXPECT_FALSE(patched->contains("q"));
  EXPECT_EQ(patched->at("notification").at("format"), "normalized");
  EXPECT_TRUE(patched->at("notification").as_object().contains("endpoint"));
  auto again =
      parse_subscription(*patched, nullptr, ngsi::Context::core(), "", kNow);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->id, s->id);
  EXPECT_EQ(status_name(*again, kNow), "paused");
  EXPECT_FALSE(patch_source(
      s->source, parse_json(R"({"id": "urn:other"})")->get_object()));
}

TEST(SubscriptionTest, RenderCarriesStatusFields) {
  auto s = parse(kBasic);
  ASSERT_TRUE(s);
  SubscriptionStatus st;
  st.times_sent = 3;
  st.last_success = kNow;
  auto o = render_subscription(*s, st, kNow);
  EXPECT_EQ(o.at("status"), "active");
  EXPECT_EQ(o.at("notification").at("timesSent").as_uint64(), 3u);
  EXPECT_EQ(o.at("notification").at("lastSuccess"), "2026-11-25T10:00:00.000Z");
  EXPECT_EQ(o.at("notification").at("status"), "ok");
}

TEST(SubscriptionMatcherTest, QAndWatchedAttributes) {
  auto s = parse(kBasic);
  ASSERT_TRUE(s);
  using K = ChangeEvent::Kind;
  EXPECT_TRUE(fires(*s, event(K::kUpdated, kFull, {}, {"fillingLevel"}), kNow));
  EXPECT_FALSE(fires(*s, event(K::kUpdated, kLow, {}, {"fillingLevel"}), kNow));
  EXPECT_FALSE(fires(*s, event(K::kUpdated, kFull, {}, {"temperature"}), kNow));
  EXPECT_TRUE(fires(*s, event(K::kCreated, kFull, {"fillingLevel"}), kNow));
  // attributeDeleted is not among the default triggers.
  EXPECT_FALSE(
      fires(*s, event(K::kUpdated, kFull, {}, {}, {"fillingLevel"}), kNow));
}

TEST(SubscriptionMatcherTest, EachTrigger) {
  using K = ChangeEvent::Kind;
  auto with = [](std::string_view trigger) {
    auto s = parse(std::string(R"({"type": "Subscription",
        "entities": [{"idPattern": "urn:ngsi-ld:WasteContainer:.*",
                      "type": "WasteContainer"}],
        "notificationTrigger": [")") +
                   std::string(trigger) + R"("],
        "notification": {"endpoint": {"uri": "http://h/x"}}})");
    EXPECT_TRUE(s) << s.error().detail;
    return *s;
  };
  auto created = event(K::kCreated, kFull, {"fillingLevel", "temperature"});
  auto attr_added = event(K::kUpdated, kFull, {"temperature"});
  auto updated = event(K::kUpdated, kFull, {}, {"fillingLevel"});
  auto attr_gone = event(K::kUpdated, kFull, {}, {}, {"pressure"});
  auto deleted = event(K::kDeleted, kFull, {}, {}, {"fillingLevel"});
  struct Case {
    const char* trigger;
    std::vector<bool> expect;  // created, attr_added, updated, gone, deleted
  };
  for (const auto& c : std::vector<Case>{
           {"entityCreated", {true, false, false, false, false}},
           {"entityUpdated", {false, true, true, true, false}},
           {"entityDeleted", {false, false, false, false, true}},
           {"attributeCreated", {true, true, false, false, false}},
           {"attributeUpdated", {false, false, true, false, false}},
           {"attributeDeleted", {false, false, false, true, true}}}) {
    auto s = with(c.trigger);
    std::vector<bool> got;
    for (const auto* e :
         {&created, &attr_added, &updated, &attr_gone, &deleted})
      got.push_back(fires(s, *e, kNow));
    EXPECT_EQ(got, c.expect) << c.trigger;
  }
  auto other = with("entityCreated");
  auto pump =
      event(K::kCreated,
            R"({"id": "urn:ngsi-ld:Pump:1", "type": "WasteContainer"})", {});
  EXPECT_FALSE(fires(other, pump, kNow)) << "idPattern must match";
}

TEST(SubscriptionMatcherTest, ExpiredOrPausedNeverFires) {
  auto s = parse(
      R"({"type": "Subscription", "entities": [{"type": "WasteContainer"}],
      "expiresAt": "2026-11-25T09:00:00Z",
      "notification": {"endpoint": {"uri": "http://h/x"}}})");
  ASSERT_TRUE(s);
  EXPECT_EQ(status_name(*s, kNow), "expired");
  auto e = event(ChangeEvent::Kind::kUpdated, kFull, {}, {"fillingLevel"});
  EXPECT_FALSE(fires(*s, e, kNow));
  s->expires_at.reset();
  EXPECT_TRUE(fires(*s, e, kNow));
  s->is_active = false;
  EXPECT_FALSE(fires(*s, e, kNow));
}

}  // namespace
}  // namespace cocity::broker
