// Which committed changes fire a subscription (ETSI GS CIM 009 v1.8,
// 5.8.x and 5.11): the entities selector, notificationTrigger,
// watchedAttributes, q and geoQ. Throttling, timeInterval and delivery are
// the notifier's business.
//
// Semantics:
// - entities: the entity matches one item (type, and id or idPattern when
//   given); an empty list matches any entity (watchedAttributes then
//   restricts).
// - triggers: kCreated fires entityCreated and attributeCreated (every
//   attribute is new); kUpdated fires entityUpdated and the attribute
//   triggers of the attributes it created, updated and deleted; kDeleted
//   fires entityDeleted and attributeDeleted.
// - watchedAttributes restricts the attribute triggers to those names and
//   entityUpdated to changes touching one of them; entityCreated and
//   entityDeleted are not restricted.
// - q and geoQ are evaluated on the new state; on deletion, on the state
//   before it.
//
// Pure functions: thread-safe.
#pragma once

#include "broker/broker.h"
#include "broker/subscription.h"
#include "ngsi/entity.h"

namespace cocity::broker {

// Whether `entity` is selected by the subscription's "entities".
bool selects_entity(const Subscription& sub, const ngsi::Entity& entity);

// Whether the subscription is active at `now` (isActive, not expired).
bool is_live(const Subscription& sub, TimePoint now);

// Whether `event` fires `sub` (live, selected, triggered, q and geoQ hold).
bool fires(const Subscription& sub, const ChangeEvent& event, TimePoint now);

}  // namespace cocity::broker
