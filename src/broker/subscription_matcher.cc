#include "broker/subscription_matcher.h"

#include <re2/re2.h>

#include <algorithm>

#include "ngsi/query_eval.h"

namespace cocity::broker {
namespace {

bool has_type(const ngsi::Entity& entity, const std::string& type) {
  return std::binary_search(entity.types.begin(), entity.types.end(), type) ||
         std::find(entity.types.begin(), entity.types.end(), type) !=
             entity.types.end();
}

bool item_selects(const EntitySelectorItem& item, const ngsi::Entity& entity) {
  if (!has_type(entity, item.type)) return false;
  if (!item.id.empty() && item.id != entity.id) return false;
  if (item.id_pattern && !RE2::FullMatch(entity.id, *item.id_pattern))
    return false;
  return true;
}

bool watched(const Subscription& sub, const std::vector<std::string>& attrs) {
  if (attrs.empty()) return false;
  if (sub.watched_attrs.empty()) return true;
  for (const auto& a : attrs) {
    if (std::find(sub.watched_attrs.begin(), sub.watched_attrs.end(), a) !=
        sub.watched_attrs.end())
      return true;
  }
  return false;
}

bool triggered(const Subscription& sub, const ChangeEvent& event) {
  unsigned t = sub.triggers;
  switch (event.kind) {
    case ChangeEvent::Kind::kCreated:
      return (t & kEntityCreated) ||
             ((t & kAttributeCreated) && watched(sub, event.attrs_created));
    case ChangeEvent::Kind::kDeleted:
      return (t & kEntityDeleted) ||
             ((t & kAttributeDeleted) && watched(sub, event.attrs_deleted));
    case ChangeEvent::Kind::kUpdated:
      break;
  }
  if ((t & kAttributeCreated) && watched(sub, event.attrs_created)) return true;
  if ((t & kAttributeUpdated) && watched(sub, event.attrs_updated)) return true;
  if ((t & kAttributeDeleted) && watched(sub, event.attrs_deleted)) return true;
  if (t & kEntityUpdated) {
    return watched(sub, event.attrs_created) ||
           watched(sub, event.attrs_updated) ||
           watched(sub, event.attrs_deleted) ||
           (sub.watched_attrs.empty() && event.attrs_created.empty() &&
            event.attrs_updated.empty() && event.attrs_deleted.empty());
  }
  return false;
}

}  // namespace

bool selects_entity(const Subscription& sub, const ngsi::Entity& entity) {
  if (sub.entities.empty()) return true;
  return std::any_of(
      sub.entities.begin(), sub.entities.end(),
      [&](const EntitySelectorItem& i) { return item_selects(i, entity); });
}

bool is_live(const Subscription& sub, TimePoint now) {
  return sub.is_active && !(sub.expires_at && *sub.expires_at <= now);
}

bool fires(const Subscription& sub, const ChangeEvent& event, TimePoint now) {
  if (!event.entity || !is_live(sub, now) || sub.time_interval_s > 0)
    return false;
  if (!selects_entity(sub, *event.entity)) return false;
  if (!triggered(sub, event)) return false;
  if (sub.q && !ngsi::evaluate(*sub.q, *event.entity)) return false;
  if (sub.geo_q && !ngsi::geo_matches(*sub.geo_q, *event.entity)) return false;
  return true;
}

}  // namespace cocity::broker
