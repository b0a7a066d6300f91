#include "ingest/topic.h"

#include "store/store.h"

namespace cocity::ingest {

namespace {

std::vector<std::string_view> split_levels(std::string_view topic) {
  std::vector<std::string_view> levels;
  size_t start = 0;
  while (true) {
    size_t slash = topic.find('/', start);
    levels.push_back(topic.substr(start, slash - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return levels;
}

std::unexpected<Error> unknown(std::string_view topic) {
  return fail(Code::kInvalidRequest, "topic '" +
                                         std::string(topic.substr(0, 200)) +
                                         "' is not an ingestion topic");
}

Result<std::string> tenant_level(std::string_view level) {
  if (level.empty()) return std::string();
  if (!store::valid_tenant_name(level)) {
    return fail(Code::kInvalidRequest,
                "tenant '" + std::string(level.substr(0, 80)) +
                    "' in the topic is not a valid tenant name");
  }
  return std::string(level);
}

}  // namespace

Result<Topic> parse_topic(std::string_view topic) {
  auto l = split_levels(topic);
  Topic t;
  if (l.size() == 3 && l[0] == "ngsi-ld" && l[2] == "entities") {
    auto tenant = tenant_level(l[1]);
    if (!tenant) return std::unexpected(tenant.error());
    t.kind = TopicKind::kEntities;
    t.tenant = *tenant;
    return t;
  }
  if (l.size() == 4 && l[0] == "devices" && l[3] == "up" && !l[2].empty()) {
    auto tenant = tenant_level(l[1]);
    if (!tenant) return std::unexpected(tenant.error());
    t.kind = TopicKind::kDevice;
    t.tenant = *tenant;
    t.device = std::string(l[2]);
    return t;
  }
  if (l.size() == 5 && l[0] == "v3" && l[2] == "devices" && l[4] == "up") {
    t.kind = TopicKind::kTts;
    t.device = std::string(l[3]);
    return t;
  }
  if (l.size() == 6 && l[0] == "application" && l[2] == "device" &&
      l[4] == "event" && l[5] == "up") {
    t.kind = TopicKind::kChirpStack;
    t.device = std::string(l[3]);
    return t;
  }
  return unknown(topic);
}

std::vector<std::string> default_topics() {
  return {"ngsi-ld/+/entities", "devices/+/+/up", "v3/+/devices/+/up",
          "application/+/device/+/event/up"};
}

}  // namespace cocity::ingest
