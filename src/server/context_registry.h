// The server's JSON-LD @context cache: every context document the server
// knows, by local id and by URL, with the resolved Context of each.
//
// Kinds (ETSI GS CIM 009 v1.8, clause 5.13):
// - Hosted: uploaded with POST /jsonldContexts, served by this server at
//   /ngsi-ld/v1/jsonldContexts/{localId}; persisted, one file per context,
//   under <data_dir>/jsonld-contexts/ (written atomically: temporary file,
//   fsync, rename), reloaded at start.
// - Cached: a remote URL fetched once (http only, bounded by
//   ContextSettings' timeout and size), kept in memory until deleted. The
//   shipped documents (contexts/*.jsonld, compiled in: the NGSI-LD core
//   context v1.8 and cocity's Smart Data Models context) are preloaded as
//   Cached under their URLs and cannot be deleted.
// - ImplicitlyCreated: the inline @context (object or array) of a request,
//   kept so that responses can name it by URL; at most kMaxImplicit, the
//   least recently used is dropped first; not persisted.
//
// A URL whose path is /ngsi-ld/v1/jsonldContexts/{localId} and whose id is
// known is served locally, whatever the host: uploaded contexts work in
// Link headers without network. A failed fetch is remembered for
// kRetryAfter, so a dead URL costs one timeout, not one per request.
//
// Errors: kLdContextNotAvailable (503) when a URL cannot be fetched or
// remote fetching is off (the detail names contexts.remote_fetch);
// kBadRequestData naming the document when it is not a valid context;
// kNotFound for unknown ids.
//
// Thread-safe. resolve() may block the calling thread for up to the fetch
// timeout (first use of a remote URL only).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/error.h"
#include "core/json.h"
#include "core/time.h"
#include "ngsi/context.h"
#include "server/config.h"

namespace cocity::server {

enum class ContextKind { kHosted, kCached, kImplicit };

// "Hosted", "Cached", "ImplicitlyCreated".
std::string_view context_kind_name(ContextKind kind);

inline constexpr std::string_view kContextsPath = "/ngsi-ld/v1/jsonldContexts/";

struct ContextInfo {
  std::string local_id;
  // The URL clients use; for Hosted and ImplicitlyCreated ones the path
  // under kContextsPath, to be prefixed with the server's base URL.
  std::string url;
  ContextKind kind = ContextKind::kCached;
  TimePoint created_at{};
  uint64_t hits = 0;
  std::optional<TimePoint> last_usage;
  bool builtin = false;  // shipped: cannot be deleted
};

class ContextRegistry {
 public:
  static constexpr size_t kMaxImplicit = 1000;
  static constexpr std::chrono::seconds kRetryAfter{10};

  // Preloads the shipped contexts and the hosted ones found under
  // `data_dir` (created when missing; "" keeps hosted contexts in memory
  // only). Errors: kInternal when the folder cannot be created or read.
  static Result<std::shared_ptr<ContextRegistry>> open(
      const ContextSettings& settings, const std::string& data_dir,
      const Clock* clock);

  // The context at `url` (Link header, or a string in @context); its url()
  // is `url`. `self_host` is this server's "host:port" as the client named
  // it (Host header): a URL there with an unknown local id is not fetched.
  Result<std::shared_ptr<const ngsi::Context>> resolve(
      std::string_view url, std::string_view self_host = {});

  // The context of an inline @context value. Objects and arrays are
  // registered as ImplicitlyCreated and the result's url() is
  // `base_url` + kContextsPath + id ("" when base_url is "").
  Result<std::shared_ptr<const ngsi::Context>> resolve_inline(
      const json::value& context, std::string_view base_url,
      std::string_view self_host = {});

  // Adds a Hosted context. `document` must be an object with "@context";
  // it is resolved (referenced URLs included) before it is accepted.
  Result<ContextInfo> add_hosted(const json::value& document);

  // By local id or by URL; nullopt when unknown.
  std::optional<ContextInfo> info(std::string_view id_or_url) const;
  // The document as served (JSON text), or nullopt.
  std::optional<std::string> document(std::string_view id_or_url) const;
  // All entries, optionally of one kind, ordered by local id.
  std::vector<ContextInfo> list(std::optional<ContextKind> kind) const;

  // Deletes an entry. With reload (Cached only) the document is fetched
  // again instead and replaces the entry. kNotFound, or kBadRequestData for
  // built-in entries and for reload of a non-Cached one.
  Status remove(std::string_view id_or_url, bool reload);

 private:
  struct Entry;
  using EntryPtr = std::shared_ptr<Entry>;

  ContextRegistry(const ContextSettings& settings, std::string dir,
                  const Clock* clock)
      : settings_(settings), dir_(std::move(dir)), clock_(clock) {}

  Result<std::shared_ptr<const ngsi::Context>> resolve_at(
      std::string_view url, std::string_view self_host, int depth);
  // Fetches and builds the document at `url` as a Cached entry, not yet
  // inserted.
  Result<EntryPtr> fetch_entry(std::string_view url, int depth);
  Result<std::shared_ptr<const ngsi::Context>> fetch_and_cache(
      std::string_view url, int depth);
  Result<std::shared_ptr<const ngsi::Context>> build(const json::value& doc,
                                                     std::string_view what,
                                                     int depth);
  Result<std::shared_ptr<const ngsi::Context>> context_of(const EntryPtr& entry,
                                                          std::string_view url,
                                                          int depth);
  Status add_builtin(std::string_view local_id, std::string_view url,
                     std::string_view text);
  Status load_hosted();
  Status persist(const Entry& entry) const;

  // REQUIRES: mutex_ held.
  EntryPtr find_locked(std::string_view id_or_url) const;
  void insert_locked(EntryPtr entry);
  void erase_locked(const EntryPtr& entry);
  void touch_locked(Entry* entry);
  void evict_implicit_locked();
  ContextInfo info_locked(const Entry& entry) const;

  const ContextSettings settings_;
  const std::string dir_;  // hosted files; "" for none
  const Clock* clock_;

  mutable std::mutex mutex_;
  std::map<std::string, EntryPtr, std::less<>> by_id_;  // guarded
  std::unordered_map<std::string, EntryPtr> by_url_;    // guarded
  std::unordered_map<std::string, std::pair<TimePoint, Error>>
      failures_;               // guarded
  size_t implicit_count_ = 0;  // guarded
};

}  // namespace cocity::server
