// The @context management API of NGSI-LD (ETSI GS CIM 009 v1.8, 5.13):
//
//   POST   /ngsi-ld/v1/jsonldContexts          add a Hosted context (body:
//          a JSON-LD document with "@context"); 201, Location: its URL
//   GET    /ngsi-ld/v1/jsonldContexts          URLs of every context;
//          details=true: objects (url, localId, kind, createdAt,
//          numberOfHits, lastUsage); kind=Hosted|Cached|ImplicitlyCreated
//   GET    /ngsi-ld/v1/jsonldContexts/{id}     the document (local id or
//          URL); details=true: its entry
//   DELETE /ngsi-ld/v1/jsonldContexts/{id}     204; reload=true re-fetches a
//          Cached one
//
// GET routes are public (JSON-LD processors dereference context URLs without
// credentials); POST and DELETE need an admin key (contexts are shared by
// all tenants).
#pragma once

#include "core/error.h"
#include "server/config.h"
#include "server/router.h"

namespace cocity::server {

// Opens the context registry (shipped contexts, hosted ones under
// config.data_dir), installs it for the NGSI-LD API (install_context_registry)
// and registers the routes above. Errors: the registry's (kInternal when the
// data directory cannot be used).
Status add_context_api(Router& router, const ServerConfig& config);

}  // namespace cocity::server
