// Internal to the NGSI-LD API: the handler object shared by the entity
// routes (ngsi_api.cc) and the batch routes (ngsi_batch.cc).
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "broker/broker.h"
#include "broker/entity_ops.h"
#include "core/json.h"
#include "ngsi/query.h"
#include "server/config.h"
#include "server/http.h"
#include "server/ngsi_request.h"
#include "store/store.h"

namespace cocity::ngsi {
struct GeoQuery;
struct TypeExpression;
}  // namespace cocity::ngsi

namespace cocity::server {

// A checked query: what the store's index answers (sel) and what is
// evaluated on the bodies it returns (q, a geoQ on another GeoProperty than
// location, scopeQ), with paging.
struct QuerySpec {
  store::EntitySelector sel;
  std::shared_ptr<const ngsi::Query> q;
  std::shared_ptr<const ngsi::GeoQuery> body_geo;
  std::shared_ptr<const ngsi::TypeExpression> scope;  // scopeQ
  // `attrs` as a filter: an entity must have at least one of these
  // (expanded names).
  std::vector<std::string> with_attrs;
  uint64_t offset = 0;
  uint64_t limit = 20;
  bool count = false;

  // Whether `e` passes the conditions evaluated on bodies.
  bool holds(const ngsi::Entity& e) const;
};

class NgsiHandlers {
 public:
  NgsiHandlers(broker::Broker* broker, Limits limits)
      : broker_(broker), limits_(limits) {}

  void create_entity(HttpRequest& req, Reply reply);
  void query_entities(HttpRequest& req, Reply reply);
  void retrieve_entity(HttpRequest& req, Reply reply);
  void replace_entity(HttpRequest& req, Reply reply);
  void merge_entity(HttpRequest& req, Reply reply);
  void delete_entity(HttpRequest& req, Reply reply);
  void append_attrs(HttpRequest& req, Reply reply);
  void update_attrs(HttpRequest& req, Reply reply);
  void partial_update_attr(HttpRequest& req, Reply reply);
  void replace_attr(HttpRequest& req, Reply reply);
  void delete_attr(HttpRequest& req, Reply reply);

  // POST /entityOperations/query: the Query body (5.2.23).
  void query_post(HttpRequest& req, Reply reply);

  // POST /entityOperations/{op}; op is create, upsert, update, delete or
  // merge.
  void batch(const std::string& op, HttpRequest& req, Reply reply);

 private:
  // Runs one mutation on entity `id` and replies with `on_success()` once
  // durable, or with the error.
  void submit_one(const std::string& tenant, const std::string& id,
                  store::Mutation mutation,
                  std::function<HttpResponse()> on_success, Reply reply);

  // POST and PATCH /entities/{id}/attrs: parse the fragment, run
  // `operation`, answer 204 or 207 with its report.
  using AttrsOperation = std::function<Result<store::Change>(
      ngsi::Entity*, const ngsi::Fragment&, TimePoint, broker::UpdateReport*)>;
  // `allow_null`: NGSI-LD Null in the fragment deletes (update, not append).
  void write_attrs(HttpRequest& req, Reply reply, AttrsOperation operation,
                   bool allow_null);

  // Query entities (ngsi_query.cc): answers the checked query `spec` with
  // the page (and NGSILD-Results-Count when spec.count).
  void answer_query(const std::string& tenant, const QuerySpec& spec,
                    const OutputSpec& out, const ngsi::Context& ctx,
                    Reply reply);
  // The page of entities selected by spec.sel for which spec.holds();
  // total is exact only when spec.count.
  Result<store::Page> find_matching(const std::string& tenant,
                                    const QuerySpec& spec);

  // Reads the entities that join= links to, from `tenant`.
  EntityLookup linked_entities(const std::string& tenant) const;

  broker::Broker* broker_;
  Limits limits_;
};

// ProblemDetails as a JSON object (for the error lists of batch results).
json::object problem_object(const Error& error);

// 204 No Content.
HttpResponse no_content();

}  // namespace cocity::server
