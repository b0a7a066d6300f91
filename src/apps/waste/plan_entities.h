// The waste app's NGSI-LD side: WasteContainer entities in, plan entities
// out.
//
// In: a WasteContainer (FIWARE Smart Data Model) needs a `location`
// GeoProperty (Point) and a `fillingLevel` Property (0..1; its observedAt
// dates the reading). Optional cocity extensions: `binCapacity` (litres)
// and `fillingRate` (levels per day, e.g. written by a forecasting job).
//
// Out: one `WasteCollectionPlan` entity (urn:ngsi-ld:WasteCollectionPlan:ID)
// with the date, totals and the lists of containers not collected, and one
// `WasteCollectionRoute` entity per truck (urn:ngsi-ld:WasteCollectionRoute:
// ID:TRUCK) with `location` (GeoProperty, the route's LineString), `route`
// (the stops and times, as in the API) and `refWasteCollectionPlan`.
// Terms are those of the core @context (default vocabulary).
#pragma once

#include <string>
#include <vector>

#include "apps/waste/plan.h"
#include "apps/waste/plan_json.h"
#include "core/error.h"
#include "core/json.h"
#include "ngsi/entity.h"

namespace cocity::apps::waste {

inline constexpr std::string_view kContainerType = "WasteContainer";
inline constexpr std::string_view kPlanType = "WasteCollectionPlan";
inline constexpr std::string_view kRouteType = "WasteCollectionRoute";

std::string plan_entity_id(const std::string& plan_id);

// A container from an entity; errors (kBadRequestData) say what is missing,
// and the caller lists the entity as unplanned.
Result<Container> container_from_entity(const ngsi::Entity& entity,
                                        const ParsedPlanRequest& defaults);

// The plan entity first, then one entity per route. Errors only if the
// entity parser rejects what was built (kInternal).
Result<std::vector<ngsi::Entity>> plan_to_entities(const Plan& plan,
                                                   const std::string& plan_id,
                                                   const std::string& date,
                                                   TimePoint now);

// The API's plan JSON again, from the stored plan entity and its routes
// (in the plan's order). Errors: kInternal for entities that are not ours.
Result<json::object> plan_from_entities(
    const ngsi::Entity& plan, const std::vector<ngsi::Entity>& routes);

// Route entity ids listed by a plan entity.
std::vector<std::string> route_ids_of(const ngsi::Entity& plan);

}  // namespace cocity::apps::waste
