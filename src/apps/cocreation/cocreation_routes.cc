#include "apps/cocreation/cocreation_routes.h"

#include <memory>
#include <utility>

#include "apps/cocreation/accounts.h"
#include "apps/cocreation/idea_catalogue.h"
#include "apps/cocreation/ideas.h"
#include "apps/cocreation/json_fields.h"
#include "apps/cocreation/live_routes.h"
#include "apps/cocreation/processes.h"
#include "apps/cocreation/secrets.h"
#include "apps/cocreation/surveys.h"
#include "apps/cocreation/web_request.h"
#include "server/http.h"
#include "store/cocreation_store.h"

namespace cocity::apps::cocreation {

namespace {

using server::HttpRequest;
using server::HttpResponse;
using server::Reply;
using server::RouteOptions;

struct State {
  std::shared_ptr<store::CocreationStores> stores;
  IdeaCatalogue catalogue;
  const Clock* clock = nullptr;
};

// Everything a handler needs for one request.
struct Context {
  HttpRequest* request;
  store::CocreationStore* db;
  const State* state;
  Caller caller;
  std::string session_token;

  Accounts accounts() const { return Accounts(db, state->clock); }
  Processes processes() const { return Processes(db, state->clock); }
  Ideas ideas() const { return Ideas(db, &state->catalogue, state->clock); }
};

enum class Access {
  kPublic,     // no caller needed
  kSession,    // a logged-in account (cookie; CSRF header on writes)
  kApiKey,     // the server's API key (admin role), checked by the server
  kCatalogue,  // public, and served from the catalogue alone for a tenant
               // that has no co-creation database
};

Status authenticate(Context* ctx) {
  Accounts accounts = ctx->accounts();
  auto caller =
      authenticate_session(accounts, *ctx->request, &ctx->session_token);
  if (!caller) return std::unexpected(caller.error());
  ctx->caller = std::move(*caller);
  return ok();
}

HttpResponse to_response(const Result<json::value>& r, unsigned status) {
  if (!r) return server::problem_response(r.error());
  return server::json_response(status, to_json(*r));
}

using Body = std::function<Result<json::value>(Context&)>;
using RawBody = std::function<HttpResponse(Context&)>;

class Binder {
 public:
  Binder(server::Router* router, std::shared_ptr<State> state)
      : router_(router), state_(std::move(state)) {}

  // A route answering JSON with `status` on success.
  void json(const char* method, const char* pattern, Access access, Body body,
            unsigned status = 200) {
    raw(method, pattern, access,
        [body = std::move(body), status](Context& ctx) {
          return to_response(body(ctx), status);
        });
  }

  void raw(const char* method, const char* pattern, Access access,
           RawBody body) {
    RouteOptions options;
    options.role =
        access == Access::kApiKey ? server::Role::kAdmin : server::Role::kNone;
    options.tenant_scoped = true;
    auto state = state_;
    router_->add(
        method, pattern,
        [state, access, body = std::move(body)](HttpRequest& req, Reply reply) {
          reply(handle(*state, access, body, req));
        },
        options);
  }

 private:
  static HttpResponse handle(const State& state, Access access,
                             const RawBody& body, HttpRequest& req) {
    // Only the bootstrap creates a tenant's database.
    auto db = state.stores->tenant(req.tenant, access == Access::kApiKey);
    bool fallback = !db && access == Access::kCatalogue &&
                    db.error().code == Code::kNonexistentTenant;
    if (!db && !fallback) return server::problem_response(db.error());
    Context ctx{&req, db ? db->get() : nullptr, &state, Caller{}, {}};
    if (access == Access::kSession) {
      if (auto s = authenticate(&ctx); !s) {
        return server::problem_response(s.error());
      }
    } else if (access == Access::kApiKey) {
      ctx.caller.role = AccountRole::kAdmin;
    }
    return body(ctx);
  }

  server::Router* router_;
  std::shared_ptr<State> state_;
};

Result<json::object> body_object(const Context& ctx) {
  return parse_body(ctx.request->body);
}

Result<int64_t> path_id(const Context& ctx, std::string_view what) {
  return parse_id(ctx.request->path_param("id"), what);
}

// The base of personal links: "<scheme>://<host>/survey#token=".
std::string link_base(const HttpRequest& req, std::string_view page) {
  return public_url(req, page);
}

std::string session_cookie(std::string_view tenant, std::string_view token,
                           int max_age_s) {
  return session_cookie_name(tenant) + "=" + std::string(token) +
         "; Path=/api/; HttpOnly; Secure; SameSite=Lax; Max-Age=" +
         std::to_string(max_age_s);
}

template <typename T>
Result<json::value> as_value(Result<T> r) {
  if (!r) return std::unexpected(r.error());
  return json::value(std::move(*r));
}

void add_account_routes(Binder& b) {
  b.json(
      "POST", "/api/v1/cocreation/bootstrap", Access::kApiKey,
      [](Context& ctx) -> Result<json::value> {
        auto body = body_object(ctx);
        if (!body) return std::unexpected(body.error());
        auto a = ctx.accounts().bootstrap_admin(*body);
        if (!a) return std::unexpected(a.error());
        return account_json(*a);
      },
      201);
  b.json(
      "POST", "/api/v1/auth/register", Access::kPublic,
      [](Context& ctx) -> Result<json::value> {
        auto body = body_object(ctx);
        if (!body) return std::unexpected(body.error());
        auto a = ctx.accounts().register_citizen(*body);
        if (!a) return std::unexpected(a.error());
        return account_json(*a);
      },
      201);
  b.raw("POST", "/api/v1/auth/login", Access::kPublic, [](Context& ctx) {
    auto body = body_object(ctx);
    if (!body) return server::problem_response(body.error());
    auto login = ctx.accounts().login(*body);
    if (!login) return server::problem_response(login.error());
    json::object out{{"account", account_json(login->account)},
                     {"csrf_token", login->csrf_token}};
    HttpResponse r = server::json_response(200, to_json(out));
    r.headers.emplace_back(
        "Set-Cookie",
        session_cookie(ctx.request->tenant, login->session_token,
                       static_cast<int>(kSessionLifetime.count() * 3600)));
    return r;
  });
  b.raw("POST", "/api/v1/auth/logout", Access::kSession, [](Context& ctx) {
    if (auto s = ctx.accounts().logout(ctx.session_token); !s) {
      return server::problem_response(s.error());
    }
    HttpResponse r{204, "", {}, ""};
    r.headers.emplace_back("Set-Cookie",
                           session_cookie(ctx.request->tenant, "", 0));
    return r;
  });
  b.json("GET", "/api/v1/auth/me", Access::kSession,
         [](Context& ctx) -> Result<json::value> {
           auto a = ctx.db->get_account(ctx.caller.account_id);
           if (!a) return std::unexpected(a.error());
           return json::object{
               {"account", account_json(*a)},
               {"csrf_token", csrf_token_for(ctx.session_token)}};
         });
  b.json(
      "POST", "/api/v1/auth/invitations", Access::kSession,
      [](Context& ctx) -> Result<json::value> {
        auto body = body_object(ctx);
        if (!body) return std::unexpected(body.error());
        auto t = ctx.accounts().invite(ctx.caller, *body,
                                       link_base(*ctx.request, "/join#token="));
        if (!t) return std::unexpected(t.error());
        return json::object{{"invited", true}};
      },
      201);
  b.json(
      "POST", "/api/v1/auth/accept-invitation", Access::kPublic,
      [](Context& ctx) -> Result<json::value> {
        auto body = body_object(ctx);
        if (!body) return std::unexpected(body.error());
        auto a = ctx.accounts().accept_invitation(*body);
        if (!a) return std::unexpected(a.error());
        return account_json(*a);
      },
      201);
  b.json("GET", "/api/v1/accounts", Access::kSession, [](Context& ctx) {
    return as_value(ctx.accounts().list(ctx.caller));
  });
  b.json("GET", "/api/v1/me/data", Access::kSession, [](Context& ctx) {
    return as_value(ctx.accounts().export_data(ctx.caller));
  });
  b.raw("DELETE", "/api/v1/me", Access::kSession, [](Context& ctx) {
    if (auto s = ctx.accounts().delete_account(ctx.caller); !s) {
      return server::problem_response(s.error());
    }
    HttpResponse r{204, "", {}, ""};
    r.headers.emplace_back("Set-Cookie",
                           session_cookie(ctx.request->tenant, "", 0));
    return r;
  });
}

void add_process_routes(Binder& b) {
  b.json("GET", "/api/v1/processes", Access::kSession, [](Context& ctx) {
    return as_value(ctx.processes().list(ctx.caller));
  });
  b.json(
      "POST", "/api/v1/processes", Access::kSession,
      [](Context& ctx) -> Result<json::value> {
        auto body = body_object(ctx);
        if (!body) return std::unexpected(body.error());
        return as_value(ctx.processes().create(ctx.caller, *body));
      },
      201);
  b.json("GET", "/api/v1/processes/{id}", Access::kSession,
         [](Context& ctx) -> Result<json::value> {
           auto id = path_id(ctx, "process");
           if (!id) return std::unexpected(id.error());
           return as_value(ctx.processes().get(ctx.caller, *id));
         });
  b.json("PATCH", "/api/v1/processes/{id}", Access::kSession,
         [](Context& ctx) -> Result<json::value> {
           auto id = path_id(ctx, "process");
           auto body = body_object(ctx);
           if (!id) return std::unexpected(id.error());
           if (!body) return std::unexpected(body.error());
           return as_value(ctx.processes().update(ctx.caller, *id, *body));
         });
  b.json("GET", "/api/v1/processes/{id}/challenges", Access::kSession,
         [](Context& ctx) -> Result<json::value> {
           auto id = path_id(ctx, "process");
           if (!id) return std::unexpected(id.error());
           return as_value(ctx.processes().list_challenges(ctx.caller, *id));
         });
  b.json(
      "POST", "/api/v1/processes/{id}/challenges", Access::kSession,
      [](Context& ctx) -> Result<json::value> {
        auto id = path_id(ctx, "process");
        auto body = body_object(ctx);
        if (!id) return std::unexpected(id.error());
        if (!body) return std::unexpected(body.error());
        return as_value(
            ctx.processes().propose_challenge(ctx.caller, *id, *body));
      },
      201);
  b.json("PATCH", "/api/v1/challenges/{id}", Access::kSession,
         [](Context& ctx) -> Result<json::value> {
           auto id = path_id(ctx, "challenge");
           auto body = body_object(ctx);
           if (!id) return std::unexpected(id.error());
           if (!body) return std::unexpected(body.error());
           return as_value(
               ctx.processes().update_challenge(ctx.caller, *id, *body));
         });
  b.json("GET", "/api/v1/processes/{id}/contacts", Access::kSession,
         [](Context& ctx) -> Result<json::value> {
           auto id = path_id(ctx, "process");
           if (!id) return std::unexpected(id.error());
           return as_value(ctx.processes().process_contacts(ctx.caller, *id));
         });
  b.json(
      "POST", "/api/v1/contacts", Access::kSession,
      [](Context& ctx) -> Result<json::value> {
        auto body = body_object(ctx);
        if (!body) return std::unexpected(body.error());
        return as_value(ctx.processes().add_contact(ctx.caller, *body));
      },
      201);
  b.json("GET", "/api/v1/comments", Access::kSession,
         [](Context& ctx) -> Result<json::value> {
           const std::string* target = ctx.request->query("target");
           if (target == nullptr) {
             return fail(Code::kBadRequestData,
                         "target: query parameter "
                         "required");
           }
           return as_value(ctx.processes().list_comments(ctx.caller, *target));
         });
  b.json(
      "POST", "/api/v1/comments", Access::kSession,
      [](Context& ctx) -> Result<json::value> {
        auto body = body_object(ctx);
        if (!body) return std::unexpected(body.error());
        return as_value(ctx.processes().add_comment(ctx.caller, *body));
      },
      201);
  b.json("PATCH", "/api/v1/comments/{id}", Access::kSession,
         [](Context& ctx) -> Result<json::value> {
           auto id = path_id(ctx, "comment");
           auto body = body_object(ctx);
           if (!id) return std::unexpected(id.error());
           if (!body) return std::unexpected(body.error());
           return as_value(
               ctx.processes().moderate_comment(ctx.caller, *id, *body));
         });
}

void add_idea_routes(Binder& b) {
  b.json("GET", "/api/v1/ideas", Access::kCatalogue,
         [](Context& ctx) { return as_value(ctx.ideas().list()); });
  b.json("GET", "/api/v1/ideas/{id}", Access::kCatalogue, [](Context& ctx) {
    return as_value(ctx.ideas().get(ctx.request->path_param("id")));
  });
  b.json(
      "POST", "/api/v1/ideas", Access::kSession,
      [](Context& ctx) -> Result<json::value> {
        auto body = parse_json(ctx.request->body);
        if (!body) return std::unexpected(body.error());
        return as_value(ctx.ideas().add(ctx.caller, *body));
      },
      201);
}

// Runs `fn` with the tenant's Surveys.
template <typename F>
auto with_surveys(Context& ctx, F fn) {
  Ideas ideas = ctx.ideas();
  Surveys surveys(ctx.db, &ideas, ctx.state->clock);
  return fn(surveys);
}

void add_survey_admin_routes(Binder& b) {
  b.json("GET", "/api/v1/processes/{id}/surveys", Access::kSession,
         [](Context& ctx) -> Result<json::value> {
           auto id = path_id(ctx, "process");
           if (!id) return std::unexpected(id.error());
           return with_surveys(ctx, [&](Surveys& s) {
             return as_value(s.list(ctx.caller, *id));
           });
         });
  b.json(
      "POST", "/api/v1/processes/{id}/surveys", Access::kSession,
      [](Context& ctx) -> Result<json::value> {
        auto id = path_id(ctx, "process");
        auto body = body_object(ctx);
        if (!id) return std::unexpected(id.error());
        if (!body) return std::unexpected(body.error());
        return with_surveys(ctx, [&](Surveys& s) {
          return as_value(s.create(ctx.caller, *id, *body));
        });
      },
      201);
  b.json("GET", "/api/v1/surveys/{id}", Access::kSession,
         [](Context& ctx) -> Result<json::value> {
           auto id = path_id(ctx, "survey");
           if (!id) return std::unexpected(id.error());
           return with_surveys(ctx, [&](Surveys& s) {
             return as_value(s.get(ctx.caller, *id));
           });
         });
  b.json("PATCH", "/api/v1/surveys/{id}", Access::kSession,
         [](Context& ctx) -> Result<json::value> {
           auto id = path_id(ctx, "survey");
           auto body = body_object(ctx);
           if (!id) return std::unexpected(id.error());
           if (!body) return std::unexpected(body.error());
           return with_surveys(ctx, [&](Surveys& s) {
             return as_value(s.update(ctx.caller, *id, *body));
           });
         });
  b.json(
      "POST", "/api/v1/surveys/{id}/invitations", Access::kSession,
      [](Context& ctx) -> Result<json::value> {
        auto id = path_id(ctx, "survey");
        if (!id) return std::unexpected(id.error());
        return with_surveys(ctx, [&](Surveys& s) {
          return as_value(
              s.import_invitations(ctx.caller, *id, ctx.request->body,
                                   link_base(*ctx.request, "/survey#token=")));
        });
      },
      201);
  b.json("GET", "/api/v1/surveys/{id}/invitations", Access::kSession,
         [](Context& ctx) -> Result<json::value> {
           auto id = path_id(ctx, "survey");
           if (!id) return std::unexpected(id.error());
           return with_surveys(ctx, [&](Surveys& s) {
             return as_value(s.list_invitations(ctx.caller, *id));
           });
         });
  b.json("POST", "/api/v1/surveys/{id}/reminders", Access::kSession,
         [](Context& ctx) -> Result<json::value> {
           auto id = path_id(ctx, "survey");
           if (!id) return std::unexpected(id.error());
           return with_surveys(ctx, [&](Surveys& s) {
             return as_value(s.send_reminders(
                 ctx.caller, *id, link_base(*ctx.request, "/survey#token=")));
           });
         });
}

HttpResponse results_response(Context& ctx) {
  auto id = path_id(ctx, "survey");
  if (!id) return server::problem_response(id.error());
  const std::string* format = ctx.request->query("format");
  if (format != nullptr && *format == "csv") {
    auto csv = with_surveys(
        ctx, [&](Surveys& s) { return s.results_csv(ctx.caller, *id); });
    if (!csv) return server::problem_response(csv.error());
    HttpResponse r{200, "text/csv; charset=utf-8", {}, std::move(*csv)};
    r.headers.emplace_back("Content-Disposition",
                           "attachment; filename=\"survey-" +
                               std::to_string(*id) + "-results.csv\"");
    return r;
  }
  if (format != nullptr && *format != "json") {
    return server::problem_response(
        Error{Code::kBadRequestData, "format: must be json or csv", {}});
  }
  return to_response(with_surveys(ctx,
                                  [&](Surveys& s) {
                                    return as_value(s.results(ctx.caller, *id));
                                  }),
                     200);
}

void add_survey_result_routes(Binder& b) {
  b.raw("GET", "/api/v1/surveys/{id}/results", Access::kSession,
        results_response);
  b.json("GET", "/api/v1/surveys/{id}/free-text", Access::kSession,
         [](Context& ctx) -> Result<json::value> {
           auto id = path_id(ctx, "survey");
           if (!id) return std::unexpected(id.error());
           return with_surveys(ctx, [&](Surveys& s) {
             return as_value(s.free_text(ctx.caller, *id));
           });
         });
  b.json("POST", "/api/v1/surveys/{id}/publish", Access::kSession,
         [](Context& ctx) -> Result<json::value> {
           auto id = path_id(ctx, "survey");
           if (!id) return std::unexpected(id.error());
           return with_surveys(ctx, [&](Surveys& s) {
             return as_value(s.publish(ctx.caller, *id));
           });
         });
  b.json("GET", "/api/v1/public/surveys/{id}/results", Access::kPublic,
         [](Context& ctx) -> Result<json::value> {
           auto id = path_id(ctx, "survey");
           if (!id) return std::unexpected(id.error());
           return with_surveys(ctx,
                               [&](Surveys& s) { return s.published(*id); });
         });
  b.json("GET", "/api/v1/outbox", Access::kSession,
         [](Context& ctx) -> Result<json::value> {
           return with_surveys(ctx, [&](Surveys& s) {
             return as_value(s.outbox(ctx.caller, 100000));
           });
         });
  b.json("POST", "/api/v1/outbox/{id}/sent", Access::kSession,
         [](Context& ctx) -> Result<json::value> {
           auto id = path_id(ctx, "mail");
           if (!id) return std::unexpected(id.error());
           auto s = with_surveys(
               ctx, [&](Surveys& s) { return s.mark_sent(ctx.caller, *id); });
           if (!s) return std::unexpected(s.error());
           return json::object{{"sent", true}};
         });
}

void add_respondent_routes(Binder& b) {
  auto token = [](const Context& ctx) {
    return std::string(ctx.request->header("x-invitation-token"));
  };
  b.json("GET", "/api/v1/respond", Access::kPublic,
         [token](Context& ctx) -> Result<json::value> {
           return with_surveys(ctx, [&](Surveys& s) {
             return as_value(s.open_invitation(token(ctx)));
           });
         });
  b.json("PUT", "/api/v1/respond/draft", Access::kPublic,
         [token](Context& ctx) -> Result<json::value> {
           auto body = body_object(ctx);
           if (!body) return std::unexpected(body.error());
           return with_surveys(ctx, [&](Surveys& s) {
             return as_value(s.save_draft(token(ctx), *body));
           });
         });
  b.json(
      "POST", "/api/v1/respond", Access::kPublic,
      [token](Context& ctx) -> Result<json::value> {
        auto body = body_object(ctx);
        if (!body) return std::unexpected(body.error());
        return with_surveys(ctx, [&](Surveys& s) {
          return as_value(s.submit(token(ctx), *body));
        });
      },
      201);
}

}  // namespace

Status add_cocreation_routes(server::Router& router,
                             const RoutesOptions& options) {
  auto state = std::make_shared<State>();
  auto catalogue = IdeaCatalogue::load(options.catalogue_path);
  if (!catalogue) return std::unexpected(catalogue.error());
  state->catalogue = std::move(*catalogue);
  state->stores = options.stores;
  if (!state->stores) {
    auto stores = store::open_sqlite_cocreation_stores(options.data_dir);
    if (!stores) return std::unexpected(stores.error());
    state->stores = std::move(*stores);
  }
  state->clock = options.clock;
  Binder b(&router, state);
  add_account_routes(b);
  add_process_routes(b);
  add_idea_routes(b);
  add_survey_admin_routes(b);
  add_survey_result_routes(b);
  add_respondent_routes(b);
  add_live_routes(
      router, {state->stores,
               std::shared_ptr<const IdeaCatalogue>(state, &state->catalogue),
               state->clock});
  return ok();
}

}  // namespace cocity::apps::cocreation
