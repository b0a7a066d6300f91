// The store: durable state of every tenant, behind one narrow interface.
//
// A Store owns one TenantStore per tenant (municipality). A TenantStore keeps
// the latest state of each entity and an append-only history of attribute
// instances, and in-memory indexes (id, type, geometry) that are consistent
// with what is committed. Only store/ speaks SQL.
//
// Writes: callers hand a batch of WriteOps to write(). Each op names one
// entity and carries a Mutation, a function that sees the entity's current
// state (including the effect of earlier ops in the same transaction) and
// returns the change to make. The store runs mutations on its single writer
// thread, so a mutation's read-modify-write is atomic with respect to every
// other write of the tenant. Many callers' batches share one transaction
// (group commit); `done` is called only after that transaction is durable
// (fsync'd), or with an error for every op if it failed.
//
// Thread safety: all methods are thread-safe. Mutations run on the writer
// thread and must not block or call back into the store. `done` runs on a
// store thread after the commit is durable (the SQLite backend's WAL
// syncer), in commit order; it must be quick (hand off work elsewhere).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/time.h"
#include "ngsi/entity.h"
#include "store/attribute_catalog.h"
#include "store/indexed_attributes.h"

namespace re2 {
class RE2;
}
namespace cocity::ngsi {
struct TypeExpression;
struct GeoQuery;
struct Query;
}  // namespace cocity::ngsi

namespace cocity::store {

// One appended attribute instance: what it was after a change, or that it
// was deleted. The temporal API reads these.
struct HistoryEntry {
  std::string attr;        // expanded attribute IRI
  std::string dataset_id;  // empty for the default instance
  TimePoint observed_at;   // observedAt of the instance, else modified time
  TimePoint recorded_at;   // when the store accepted it (modifiedAt)
  bool deleted = false;
  json::object instance;  // normalized instance; empty when deleted
  // On write, instead of `instance`: the instance already in its stored
  // form (history_codec.h, encode_instance).
  std::string encoded;
  // On write: store the entry only if the series (attr, dataset_id) holds
  // no entry observed at `observed_at` yet. For readings that may have been
  // stored before (an MQTT message redelivered after a crash).
  bool unless_stored = false;
  // Filled on read: a stable id of this instance within its attribute
  // (history_codec.h), for the temporal API's instanceId.
  std::string instance_id;
  // Filled on read when the instance is a plain numeric Property. With
  // HistoryQuery::values_only, such entries carry only this, no instance.
  std::optional<double> number;
};

// A change to stored history itself (temporal API deletes and patches),
// applied by the writer in the transaction of the op that returned it.
struct HistoryEdit {
  enum class Kind {
    kDeleteAttr,       // every instance of `attr` (of `dataset_id` when set)
    kDeleteInstance,   // the instance `instance_id` of `attr`
    kReplaceInstance,  // the instance `instance_id` of `attr` := `instance`
  };
  Kind kind = Kind::kDeleteAttr;
  std::string attr;  // expanded IRI
  std::optional<std::string> dataset_id;
  std::string instance_id;
  json::object instance;  // kReplaceInstance: the new normalized instance
};

// What a mutation decided.
struct Change {
  enum class Kind { kNone, kPut, kDelete };
  Kind kind = Kind::kNone;
  ngsi::Entity entity;                // the new state, for kPut
  std::vector<HistoryEntry> history;  // appended, also with kNone
  // Applied after `history`, also with kNone. An edit that names an
  // instance or attribute with no stored history fails the op: kNotFound.
  std::vector<HistoryEdit> history_edits;
};

// `current` is the writer's private copy of the stored state (null when the
// entity does not exist). A mutation may move the entity out of it into the
// kPut change it returns, which saves a copy of every attribute on the
// writer thread; any other outcome (an error, kNone, kDelete) must leave it
// as it was.
using Mutation = std::function<Result<Change>(ngsi::Entity* current)>;

struct WriteOp {
  std::string entity_id;
  Mutation mutate;
};

// One Status per op, in op order: the mutation's error, or success once the
// transaction holding the change is durable.
using WriteCallback = std::function<void(std::vector<Status>)>;

// Which entities a read wants. Empty lists and null pointers mean "any".
// All given conditions must hold (types: any of the listed types matches).
// The store answers every condition from its in-memory index, choosing the
// smallest candidate set among ids, types, the R-tree and the value index.
struct EntitySelector {
  std::vector<std::string> ids;
  std::vector<std::string> types;  // expanded IRIs
  // Bounding box on the entity's "location" GeoProperty, WGS84 degrees.
  struct Box {
    double min_lon, min_lat, max_lon, max_lat;
  };
  std::optional<Box> bbox;
  // A type expression (4.17) that must hold as well.
  std::shared_ptr<const ngsi::TypeExpression> type_expr;
  // The id must contain a match of this RE2 pattern (idPattern).
  std::shared_ptr<const re2::RE2> id_pattern;
  // An exact geo-query; REQUIRES: geo->geoproperty is ngsi::kLocationIri
  // (the only GeoProperty the store indexes; filter others on the bodies).
  std::shared_ptr<const ngsi::GeoQuery> geo;
  // A hint, not a condition: the store may leave out entities that cannot
  // satisfy the top-level AND terms of this q (it uses the value index for
  // them) but does not evaluate q. Callers evaluate q on the bodies.
  std::shared_ptr<const ngsi::Query> q_hint;
  // Whether Page::total must be exact. When false the store may stop
  // counting at offset + limit + 1 matches (enough to tell that another
  // page follows), which lets it stop early on candidates in id order.
  bool count = true;
  // Keyset paging: only ids after this one (in id order); "" from the
  // start. offset then counts from there. Lets a caller that filters pages
  // itself walk a long candidate list in chunks in linear time.
  std::string after_id;
};

// Entities in a stable order (by id), from `offset`, at most `limit`.
struct Page {
  std::vector<ngsi::Entity> entities;
  uint64_t total = 0;  // number of entities matching the selector
};

// Which history a temporal read wants.
struct HistoryQuery {
  std::string entity_id;
  std::vector<std::string> attrs;  // expanded IRIs; empty means all
  std::optional<TimePoint> from;   // time >= from
  std::optional<TimePoint> to;     // time < to
  // The time compared with from/to: observed_at, or recorded_at when set.
  bool by_recorded = false;
  // When > 0: only the last this many entries of each attribute (by time).
  uint64_t last_n = 0;
  uint64_t limit = 1000;  // at most this many entries (after last_n)
  // Numeric instances come as HistoryEntry::number only (no JSON objects),
  // and instance_id is left empty.
  bool values_only = false;
};

struct StoreStats {
  uint64_t commits = 0;        // transactions committed since start
  uint64_t committed_ops = 0;  // write ops in them
  uint64_t queue_depth = 0;    // ops waiting for the writer now
  uint64_t entities = 0;       // entities currently stored (all tenants)
  uint64_t history_rows = 0;   // history entries appended since start
  // Stored states the writers needed since start (to update an entity),
  // found decoded in their caches or read from the database: the measure
  // for sizing StoreOptions::entity_cache_bytes.
  uint64_t entity_cache_hits = 0;
  uint64_t entity_cache_misses = 0;
};

class TenantStore {
 public:
  virtual ~TenantStore() = default;
  TenantStore(const TenantStore&) = delete;
  TenantStore& operator=(const TenantStore&) = delete;

  virtual void write(std::vector<WriteOp> ops, WriteCallback done) = 0;

  // Latest committed state of one entity, or nullopt.
  virtual Result<std::optional<ngsi::Entity>> get(std::string_view id) = 0;

  // Per id, whether an entity of that id is stored now: a hint for callers
  // preparing writes (it may be stale by the time they run). The default
  // says no to every id.
  virtual std::vector<bool> stored(const std::vector<std::string>& ids) {
    return std::vector<bool>(ids.size(), false);
  }

  virtual Result<Page> find(const EntitySelector& selector, uint64_t offset,
                            uint64_t limit) = 0;

  // Every distinct entity type IRI stored, sorted, for discovery.
  virtual Result<std::vector<std::string>> types() = 0;

  // Discovery: entity counts and attribute names/kinds per type and per
  // attribute (store/attribute_catalog.h). The first call may scan the
  // tenant once; later calls aggregate in memory. The default is
  // kOperationNotSupported, so test fakes need not implement it.
  virtual Result<CatalogSummary> catalog() {
    return fail(Code::kOperationNotSupported, "discovery is not supported");
  }

  // Committed history entries of one entity (also after it was deleted),
  // ordered by observed_at (by_recorded: recorded_at), then by commit
  // order; empty for an unknown id. The SQLite backend reads the entity's
  // time-ordered chunks by index plus the not yet compacted log. The
  // default is kOperationNotSupported, so test fakes need not implement it.
  virtual Result<std::vector<HistoryEntry>> history(const HistoryQuery& query) {
    return fail(Code::kOperationNotSupported, "history is not supported");
  }

 protected:
  TenantStore() = default;
};

// An API key as stored: only the SHA-256 of the secret is kept.
struct ApiKey {
  std::string key_id;       // short public id, shown by `cocity key list`
  std::string secret_hash;  // hex SHA-256 of the secret
  std::string tenant;       // tenant name, or "*" for every tenant
  std::string role;         // "read", "write" or "admin"
  TimePoint created_at{};
  bool revoked = false;
};

// Keys live in the data directory's system database, shared by all tenants.
class KeyStore {
 public:
  virtual ~KeyStore() = default;
  virtual Status add(const ApiKey& key) = 0;
  virtual Result<std::optional<ApiKey>> find_by_hash(std::string_view hash) = 0;
  virtual Result<std::vector<ApiKey>> list() = 0;
  // kNotFound when no key has that id.
  virtual Status revoke(std::string_view key_id) = 0;
};

struct StoreOptions {
  std::string data_dir;
  // Group commit: a transaction closes when it holds this many ops or when
  // the writer finds its queue empty, whichever comes first.
  size_t max_ops_per_commit = 10000;
  // Each tenant's writer keeps recently written entities decoded, so that
  // an update need not decode the stored state again; this bounds the
  // estimated memory of that cache per tenant (0 turns it off).
  size_t entity_cache_bytes = size_t{128} << 20;
  // History older than this (by observed_at, against `clock`) is dropped
  // by the writer's compaction sweep; zero keeps history for ever.
  std::chrono::seconds history_retention{0};
  // Per-tenant overrides of history_retention (docs/store.md).
  std::map<std::string, std::chrono::seconds, std::less<>>
      tenant_history_retention;
  // The writer compacts the history log into per-series chunks when it is
  // idle and the log holds this many rows (one per entity change), and
  // regardless when it holds 4 times as many (docs/store.md, History).
  // Few values per series per compaction make small chunks (merged later,
  // at a cost): the log should hold hours of a city's changes. 262,144 is
  // 6.5 hours of 10,000 sensors reporting every 15 minutes; at 65,536 with
  // 40,000 entities changing, compaction doubled the writer's cost per
  // update (store_bench: 32 instead of 19 us).
  uint64_t history_compact_rows = 262144;
  // The attributes each tenant's value index covers; q terms on others are
  // evaluated on the bodies of the candidates from the other indexes.
  IndexedAttributes indexed_attributes = IndexedAttributes::defaults();
  const Clock* clock = Clock::system();
  // Test seam for fault injection: when set, it is called before every
  // tenant COMMIT, and returning true makes that commit fail as a failed
  // fsync would. Leave empty in production.
  std::function<bool()> fail_commit;
};

class Store {
 public:
  virtual ~Store() = default;

  // The tenant's store, opened on first use. With create=false a tenant
  // whose database does not exist yet is kNonexistentTenant (reads of an
  // unknown tenant must not create files). `tenant` must already be valid
  // (valid_tenant_name); "" is the default tenant.
  virtual Result<std::shared_ptr<TenantStore>> tenant(std::string_view tenant,
                                                      bool create) = 0;
  virtual Result<std::vector<std::string>> tenant_names() = 0;
  virtual KeyStore& keys() = 0;
  virtual StoreStats stats() = 0;

  // Stops accepting writes, commits what is queued, closes databases.
  virtual void close() = 0;
};

// Tenant names: 1-64 characters of [A-Za-z0-9_-], not starting with '-' or
// '_'. Anything else (dots, slashes, "..") is rejected: a tenant name becomes
// a file name.
bool valid_tenant_name(std::string_view name);

// The history retention of `tenant`: its own entry in
// options.tenant_history_retention, else options.history_retention.
std::chrono::seconds history_retention_for(const StoreOptions& options,
                                           std::string_view tenant);

// Opens the SQLite-backed store in options.data_dir (created if missing),
// rebuilding in-memory indexes from the databases found there.
Result<std::unique_ptr<Store>> open_sqlite_store(const StoreOptions& options);

}  // namespace cocity::store
