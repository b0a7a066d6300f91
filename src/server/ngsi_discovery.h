// NGSI-LD discovery (ETSI GS CIM 009 v1.8, 5.7.5-5.7.8), per tenant:
//
//   GET /ngsi-ld/v1/types               EntityTypeList; details=true: an
//                                       array of EntityType (attributeNames)
//   GET /ngsi-ld/v1/types/{type}        EntityTypeInfo (entityCount,
//                                       attributeDetails)
//   GET /ngsi-ld/v1/attributes          AttributeList; details=true: an
//                                       array of Attribute
//   GET /ngsi-ld/v1/attributes/{attr}   Attribute (attributeCount,
//                                       attributeTypes, typeNames)
//
// Names are expanded and compacted with the request's @context. Unknown
// types and attributes are 404 ResourceNotFound; an unknown tenant has no
// types. Answers come from the tenant's AttributeCatalog (built on first
// use, then kept up to date by the writer): no scan per request.
#pragma once

#include "server/router.h"
#include "store/store.h"

namespace cocity::server {

// `store` must outlive the router's use.
void add_discovery_api(Router& router, store::Store& store);

}  // namespace cocity::server
