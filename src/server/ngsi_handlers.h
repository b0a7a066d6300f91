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
#include "store/store.h"

namespace cocity::server {

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
      const ngsi::Entity*, const ngsi::Fragment&, TimePoint,
      broker::UpdateReport*)>;
  void write_attrs(HttpRequest& req, Reply reply, AttrsOperation operation);

  // The page of entities selected by `sel` for which `q` holds.
  Result<store::Page> find_matching(const std::string& tenant,
                                    const store::EntitySelector& sel,
                                    const ngsi::Query& q, uint64_t offset,
                                    uint64_t limit);

  broker::Broker* broker_;
  Limits limits_;
};

// ProblemDetails as a JSON object (for the error lists of batch results).
json::object problem_object(const Error& error);

// 204 No Content.
HttpResponse no_content();

}  // namespace cocity::server
