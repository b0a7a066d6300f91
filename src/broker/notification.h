// The body and headers of an NGSI-LD Notification (ETSI GS CIM 009 v1.8,
// 5.3.1): {"id", "type": "Notification", "subscriptionId", "notifiedAt",
// "data": [entities]}, the entities rendered in the subscription's format
// and attributes and compacted with its @context. With accept
// application/ld+json the @context is a body member; with application/json
// it is a Link header (the context's URL, or the core context's when the
// subscription's context has no URL).
//
// Pure functions: thread-safe.
#pragma once

#include <string>
#include <vector>

#include "broker/broker.h"
#include "broker/notification_sender.h"
#include "broker/subscription.h"

namespace cocity::broker {

// A notification of `sub` carrying `events` (deleted entities are rendered
// as {"id", "type", "deletedAt"}).
OutgoingNotification make_notification(
    const Subscription& sub, const std::vector<const ChangeEvent*>& events,
    TimePoint now);

// A notification of `sub` carrying current entity states (periodic).
OutgoingNotification make_notification(
    const Subscription& sub, const std::vector<ngsi::Entity>& entities,
    TimePoint now);

// The headers for a stored body (after a restart).
OutgoingNotification message_for_body(const Subscription& sub,
                                      std::string body);

}  // namespace cocity::broker
