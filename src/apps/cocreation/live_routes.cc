#include "apps/cocreation/live_routes.h"

#include <utility>

#include "apps/cocreation/accounts.h"
#include "apps/cocreation/json_fields.h"
#include "apps/cocreation/live_qr.h"
#include "apps/cocreation/live_sessions.h"
#include "apps/cocreation/secrets.h"
#include "apps/cocreation/web_request.h"
#include "server/http.h"
#include "server/websocket.h"

namespace cocity::apps::cocreation {

namespace {

using server::HttpRequest;
using server::HttpResponse;
using server::Reply;
using Db = LiveSessions::Db;

struct LiveState {
  LiveState(LiveRoutesOptions o)
      : options(std::move(o)), live(options.catalogue.get(), options.clock) {}
  LiveRoutesOptions options;
  LiveSessions live;
};
using StatePtr = std::shared_ptr<LiveState>;

HttpResponse problem(const Error& e) { return server::problem_response(e); }

HttpResponse json_reply(const Result<json::value>& r, unsigned status) {
  if (!r) return problem(r.error());
  return server::json_response(status, to_json(*r));
}

template <typename T>
Result<json::value> as_value(Result<T> r) {
  if (!r) return std::unexpected(r.error());
  return json::value(std::move(*r));
}

Result<Db> tenant_db(const LiveState& st, const HttpRequest& req) {
  return st.options.stores->tenant(req.tenant, false);
}

// The caller of a moderator route: the session cookie of the co-creation
// app (session_auth.h), with the CSRF header on writes.
Result<Caller> moderator(const LiveState& st, const Db& db,
                         const HttpRequest& req) {
  Accounts accounts(db.get(), st.options.clock);
  return authenticate_session(accounts, req);
}

using ModeratorBody = std::function<Result<json::value>(
    LiveState&, const Db&, const Caller&, HttpRequest&, int64_t id)>;

void moderator_route(server::Router& router, const StatePtr& state,
                     const char* method, const char* pattern,
                     std::string_view what, unsigned status,
                     ModeratorBody body) {
  server::RouteOptions options;
  options.role = server::Role::kNone;
  router.add(
      method, pattern,
      [state, what = std::string(what), status, body = std::move(body)](
          HttpRequest& req, Reply reply) {
        auto db = tenant_db(*state, req);
        if (!db) return reply(problem(db.error()));
        auto caller = moderator(*state, *db, req);
        if (!caller) return reply(problem(caller.error()));
        auto id = parse_id(req.path_param("id"), what);
        if (!id) return reply(problem(id.error()));
        reply(json_reply(body(*state, *db, *caller, req, *id), status));
      },
      options);
}

void add_moderator_routes(server::Router& router, const StatePtr& state) {
  moderator_route(
      router, state, "POST", "/api/v1/processes/{id}/live-sessions", "process",
      201,
      [](LiveState& st, const Db& db, const Caller& caller, HttpRequest& req,
         int64_t id) -> Result<json::value> {
        auto body = parse_body(req.body);
        if (!body) return std::unexpected(body.error());
        return as_value(st.live.create(db, req.tenant, caller, id, *body));
      });
  moderator_route(router, state, "GET", "/api/v1/processes/{id}/live-sessions",
                  "process", 200,
                  [](LiveState& st, const Db& db, const Caller& caller,
                     HttpRequest& req, int64_t id) {
                    return as_value(st.live.list(db, req.tenant, caller, id));
                  });
  moderator_route(router, state, "GET", "/api/v1/live-sessions/{id}",
                  "live session", 200,
                  [](LiveState& st, const Db& db, const Caller& caller,
                     HttpRequest& req, int64_t id) {
                    return as_value(st.live.get(db, req.tenant, caller, id));
                  });
  moderator_route(
      router, state, "POST", "/api/v1/live-sessions/{id}/control",
      "live session", 200,
      [](LiveState& st, const Db& db, const Caller& caller, HttpRequest& req,
         int64_t id) -> Result<json::value> {
        auto body = parse_body(req.body);
        if (!body) return std::unexpected(body.error());
        return as_value(st.live.control(db, req.tenant, caller, id, *body));
      });
}

// "<scheme>://<host>/live/<code>" for the QR code.
std::string join_link(const HttpRequest& req, std::string_view code) {
  return public_url(req, "/live/" + std::string(code));
}

using PublicBody = std::function<void(LiveState&, const Db&, HttpRequest&,
                                      std::string code, Reply)>;

void public_route(server::Router& router, const StatePtr& state,
                  const char* method, const char* pattern, PublicBody body) {
  server::RouteOptions options;
  options.role = server::Role::kNone;
  router.add(
      method, pattern,
      [state, body = std::move(body)](HttpRequest& req, Reply reply) {
        auto db = tenant_db(*state, req);
        if (!db) return reply(problem(db.error()));
        body(*state, *db, req, std::string(req.path_param("code")),
             std::move(reply));
      },
      options);
}

void add_participant_routes(server::Router& router, const StatePtr& state) {
  public_route(
      router, state, "GET", "/api/v1/live/{code}",
      [](LiveState& st, const Db& db, HttpRequest& req, std::string code,
         Reply reply) {
        reply(json_reply(as_value(st.live.public_state(db, req.tenant, code)),
                         200));
      });
  public_route(
      router, state, "POST", "/api/v1/live/{code}/join",
      [](LiveState& st, const Db& db, HttpRequest& req, std::string code,
         Reply reply) {
        st.live.join(db, req.tenant, code, [reply](Result<LiveJoin> j) {
          if (!j) return reply(problem(j.error()));
          reply(server::json_response(
              201,
              to_json(json::object{{"participant_token", j->participant_token},
                                   {"state", std::move(j->state)}})));
        });
      });
  public_route(router, state, "POST", "/api/v1/live/{code}/votes",
               [](LiveState& st, const Db& db, HttpRequest& req,
                  std::string code, Reply reply) {
                 auto body = parse_body(req.body);
                 if (!body) return reply(problem(body.error()));
                 st.live.vote(db, req.tenant, code,
                              req.header("x-participant-token"),
                              json::value(std::move(*body)), [reply](Status s) {
                                if (!s) return reply(problem(s.error()));
                                reply(server::json_response(201, "{}"));
                              });
               });
  public_route(router, state, "GET", "/api/v1/live/{code}/qr.svg",
               [](LiveState& st, const Db& db, HttpRequest& req,
                  std::string code, Reply reply) {
                 auto s = st.live.public_state(db, req.tenant, code);
                 if (!s) return reply(problem(s.error()));
                 auto svg = qr_svg(join_link(req, s->at("code").as_string()));
                 if (!svg) return reply(problem(svg.error()));
                 HttpResponse r{200, "image/svg+xml", {}, std::move(*svg)};
                 r.headers.emplace_back("Cache-Control", "no-store");
                 reply(std::move(r));
               });
}

std::string error_frame(const Error& e) {
  return to_json(json::object{{"type", "error"},
                              {"status", server::http_status_for(e.code)},
                              {"detail", e.detail}});
}

// One WebSocket: a viewer of the session; a participant's connection also
// takes votes.
class LiveSocket final : public server::WebSocketListener {
 public:
  LiveSocket(StatePtr state, Db db, std::string tenant, std::string code,
             std::string token, LiveView view)
      : state_(std::move(state)),
        db_(std::move(db)),
        tenant_(std::move(tenant)),
        code_(std::move(code)),
        token_(std::move(token)),
        view_(view) {}

  void on_open(std::shared_ptr<server::WebSocketChannel> channel) override {
    channel_ = channel;
    std::weak_ptr<server::WebSocketChannel> weak = channel;
    auto id =
        state_->live.attach(db_, tenant_, code_, view_,
                            [weak](std::shared_ptr<const std::string> message) {
                              if (auto c = weak.lock())
                                c->send_shared(std::move(message));
                            });
    if (!id) {
      channel->send_text(error_frame(id.error()));
      channel->close();
      return;
    }
    viewer_ = *id;
  }

  void on_message(std::string_view text) override {
    auto msg = parse_json(text);
    if (!msg || !msg->is_object()) {
      return send(error_frame(
          Error{Code::kInvalidRequest, "messages are JSON objects", {}}));
    }
    const json::value* type = msg->as_object().if_contains("type");
    if (type == nullptr || !type->is_string() || type->as_string() != "vote") {
      return send(error_frame(Error{
          Code::kBadRequestData, "type: only \"vote\" is understood", {}}));
    }
    if (view_ != LiveView::kParticipant) {
      return send(
          error_frame(Error{Code::kForbidden,
                            "connect with ?token=<participant_token> to vote",
                            {}}));
    }
    json::value item = msg->as_object().contains("item")
                           ? msg->as_object().at("item")
                           : json::value();
    std::weak_ptr<server::WebSocketChannel> weak = channel_;
    state_->live.vote(
        db_, tenant_, code_, token_, *msg, [weak, item](Status s) {
          auto c = weak.lock();
          if (!c) return;
          if (!s) return c->send_text(error_frame(s.error()));
          c->send_text(
              to_json(json::object{{"type", "vote_ack"}, {"item", item}}));
        });
  }

  void on_close() override {
    if (viewer_ != 0) state_->live.detach(viewer_);
    viewer_ = 0;
    channel_.reset();
  }

 private:
  void send(std::string text) {
    if (channel_) channel_->send_text(std::move(text));
  }

  StatePtr state_;
  Db db_;
  std::string tenant_;
  std::string code_;
  std::string token_;
  LiveView view_;
  std::shared_ptr<server::WebSocketChannel> channel_;
  uint64_t viewer_ = 0;
};

server::WebSocketUpgrade refuse(const Error& e) {
  return {nullptr, problem(e)};
}

void add_socket_route(server::Router& router, const StatePtr& state) {
  server::RouteOptions options;
  options.role = server::Role::kNone;
  router.add_websocket(
      "/api/v1/live/{code}/ws",
      [state](HttpRequest& req) -> server::WebSocketUpgrade {
        auto db = tenant_db(*state, req);
        if (!db) return refuse(db.error());
        std::string code(req.path_param("code"));
        const std::string* token = req.query("token");
        const std::string* view = req.query("view");
        LiveView kind = LiveView::kPublic;
        if (token != nullptr) {
          if (auto s =
                  state->live.check_participant(*db, req.tenant, code, *token);
              !s) {
            return refuse(s.error());
          }
          kind = LiveView::kParticipant;
        } else if (view != nullptr && *view == "projector") {
          kind = LiveView::kProjector;
        } else if (auto s = state->live.public_state(*db, req.tenant, code);
                   !s) {
          return refuse(s.error());
        }
        if (kind == LiveView::kProjector) {
          if (auto s = state->live.public_state(*db, req.tenant, code); !s) {
            return refuse(s.error());
          }
        }
        return {
            std::make_shared<LiveSocket>(state, *db, req.tenant, code,
                                         token ? *token : std::string(), kind),
            {}};
      },
      options);
}

}  // namespace

void add_live_routes(server::Router& router, LiveRoutesOptions options) {
  auto state = std::make_shared<LiveState>(std::move(options));
  add_moderator_routes(router, state);
  add_participant_routes(router, state);
  add_socket_route(router, state);
}

}  // namespace cocity::apps::cocreation
