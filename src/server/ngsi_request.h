// The edge of the NGSI-LD API: what a request asks for, read from its
// headers, parameters and body, before the broker sees it.
//
// - Bodies: Content-Type application/json or application/ld+json (else
//   415); JSON parsed with the nesting limit; an @context member only with
//   application/ld+json (and then required).
// - @context: the Link header (application/json) or the body's @context
//   (application/ld+json), resolved through the installed ContextRegistry
//   (server/context_registry.h: core and shipped contexts, hosted uploads,
//   cached remote fetches; inline objects and arrays become
//   ImplicitlyCreated contexts whose URL responses name). Without an
//   installed registry only the core context and inline term objects work.
// - Output: Accept negotiation among application/json (Link header to the
//   context), application/ld+json (@context in the body) and
//   application/geo+json; options/format (normalized, concise, keyValues,
//   sysAttrs), attrs, pick, omit, lang, geometryProperty.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/json.h"
#include "ngsi/context.h"
#include "ngsi/entity_writer.h"
#include "server/config.h"
#include "server/context_registry.h"
#include "server/http.h"
#include "server/ngsi_join.h"

namespace cocity::server {

enum class MediaType { kJson, kLdJson, kGeoJson };

// The parsed body and the context its names are in.
struct NgsiBody {
  json::value doc;
  std::shared_ptr<const ngsi::Context> ctx;
};

// Parses and checks the body of a POST/PATCH/PUT. `storage`: see
// parse_json.
Result<NgsiBody> read_body(const HttpRequest& req, const Limits& limits,
                           json::storage_ptr storage = {});

// The process-wide context registry the functions below resolve @context
// URLs with (add_context_api installs one). The last installed wins;
// installed registries are kept alive until the process ends.
void install_context_registry(std::shared_ptr<ContextRegistry> registry);
// The installed registry, or nullptr.
ContextRegistry* context_registry();

// The context of a request without a body (GET, DELETE): Link header or core.
Result<std::shared_ptr<const ngsi::Context>> request_context(
    const HttpRequest& req);

// The context given by an inline @context value (string, object or array).
// With `req`, an object or array is registered as an ImplicitlyCreated
// context whose URL (on the request's Host) the result reports.
Result<std::shared_ptr<const ngsi::Context>> inline_context(
    const json::value& context, const HttpRequest* req = nullptr);

struct OutputSpec {
  MediaType media = MediaType::kJson;
  ngsi::RenderOptions render;
  std::string geoproperty = std::string(ngsi::kLocationIri);
  JoinSpec join;  // not with GeoJSON
};

// Reads Accept, options, format, attrs, pick, omit, lang, join, joinLevel
// and geometryProperty. Errors: NotAcceptable (see api_error) or 400 naming
// the parameter.
Result<OutputSpec> output_spec(const HttpRequest& req,
                               const ngsi::Context& ctx);

// The comma-separated values of option-like parameters ("options").
std::vector<std::string> split_list(std::string_view s);
// Whether the request's options parameter contains `option`.
bool has_option(const HttpRequest& req, std::string_view option);
// 400 for any options value not in `allowed`.
Status check_options(const HttpRequest& req,
                     std::initializer_list<std::string_view> allowed);

// A response with the rendered body, its content type and the context as
// Link header (JSON) or @context member (JSON-LD). `body` is an entity
// object or an array of them.
HttpResponse entity_response(unsigned status, json::value body,
                             const OutputSpec& spec, const ngsi::Context& ctx);

// problem_response, plus the two statuses the core codes lack: an Error
// titled "NotAcceptable" is 406, one titled "UnsupportedMediaType" is 415.
HttpResponse api_error(const Error& error);

}  // namespace cocity::server
