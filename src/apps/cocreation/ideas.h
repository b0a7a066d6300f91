// A tenant's ideas: the shipped catalogue (every tenant has it from the
// start) plus the tenant's own, which moderators and admins add. Own ideas
// get ids "own-<n>"; every idea carries "source": "catalogue" or "tenant".
//
// An Ideas object is a short-lived view of one tenant's store; `catalogue`
// must outlive it.
#pragma once

#include <string_view>

#include "apps/cocreation/accounts.h"
#include "apps/cocreation/idea_catalogue.h"
#include "core/error.h"
#include "core/json.h"
#include "store/cocreation_store.h"

namespace cocity::apps::cocreation {

class Ideas {
 public:
  // `db` may be null for a tenant without co-creation data: then only the
  // catalogue is seen (and add() fails).
  Ideas(store::CocreationStore* db, const IdeaCatalogue* catalogue,
        const Clock* clock)
      : db_(db), catalogue_(catalogue), clock_(clock) {}

  Result<json::array> list();
  // kNotFound naming the id.
  Result<json::object> get(std::string_view id);
  // Checks with validate_idea(need_id = false); moderators and admins only.
  Result<json::object> add(const Caller& caller, const json::value& body);
  // Whether an idea with this id exists for the tenant.
  Result<bool> exists(std::string_view id);

 private:
  store::CocreationStore* db_;
  const IdeaCatalogue* catalogue_;
  const Clock* clock_;
};

}  // namespace cocity::apps::cocreation
