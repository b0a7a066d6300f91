// Live sessions: a moderator steps through items (ideas to rate, likert or
// single-choice questions); participants join with a short code, without
// an account, and vote on their phones; a projector shows the tally.
//
// State machine per session: status "active" -> "ended" (final). The
// current item (index) is open or closed for votes and revealed or hidden
// (participants see its tally only when revealed); every item keeps its
// own open/revealed flags while the moderator moves between items. One
// vote per participant per item.
//
// Codes: 6 characters of "ABCDEFGHJKLMNPQRSTUVWXYZ23456789" (no 0/O, 1/I),
// unique among the active sessions of all loaded tenants. Participant
// tokens: 32 random bytes (hex); only their SHA-256 is stored.
//
// Durability: joins and votes are acknowledged (the `done` callbacks) only
// once committed to the tenant's store, many per transaction (LiveVoteLog);
// tallies count committed votes only. A tenant's sessions, participants and
// votes are loaded from its store on first use, so a restarted server
// continues where it stopped.
//
// Fan-out: a change (vote, join, control) marks the session dirty; one
// background thread sends each dirty session's state to its viewers at
// most every kBroadcastInterval, one message built per view kind and
// shared by all viewers of that kind: N votes in an interval cost one
// message per viewer, not N.
//
// Errors: kNotFound (unknown process, session or code), kForbidden (not a
// moderator, unknown participant token), kConflict (session ended, item
// not current or closed, second vote), kBadRequestData (bad body, value,
// action or index).
//
// Thread-safe. `catalogue` and `clock` must outlive the object.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "apps/cocreation/accounts.h"
#include "apps/cocreation/idea_catalogue.h"
#include "core/error.h"
#include "core/json.h"
#include "core/time.h"
#include "store/cocreation_store.h"

namespace cocity::apps::cocreation {

// Where a viewer's messages go (a WebSocket). Must not block.
using LiveSink = std::function<void(std::shared_ptr<const std::string>)>;

// kParticipant and kPublic see the public state (a tally only once
// revealed); kProjector always sees the tally.
enum class LiveView { kParticipant, kPublic, kProjector };

struct LiveJoin {
  std::string participant_token;  // shown once
  json::object state;             // public state
};

class LiveSessions {
 public:
  using Db = std::shared_ptr<store::CocreationStore>;
  using JoinDone = std::function<void(Result<LiveJoin>)>;
  using VoteDone = std::function<void(Status)>;

  static constexpr std::chrono::milliseconds kBroadcastInterval{100};

  LiveSessions(const IdeaCatalogue* catalogue, const Clock* clock);
  ~LiveSessions();
  LiveSessions(const LiveSessions&) = delete;
  LiveSessions& operator=(const LiveSessions&) = delete;

  // Every call names the tenant ("" default) and its store (not null).

  // Moderators. create: {"title", "items": [...]} or {"title", "ideas":
  // [ids], "criterion"}; returns the moderator state. Idea ids must exist
  // for the tenant (catalogue or own ideas).
  Result<json::object> create(const Db& db, std::string_view tenant,
                              const Caller& caller, int64_t process_id,
                              const json::object& body);
  Result<json::array> list(const Db& db, std::string_view tenant,
                           const Caller& caller, int64_t process_id);
  // The moderator state: the public state with the tally, plus "items"
  // (all of them) and "process".
  Result<json::object> get(const Db& db, std::string_view tenant,
                           const Caller& caller, int64_t id);
  // {"action": goto|next|previous|close|reopen|reveal|hide|end, "index"}.
  Result<json::object> control(const Db& db, std::string_view tenant,
                               const Caller& caller, int64_t id,
                               const json::object& body);

  // Participants.
  Result<json::object> public_state(const Db& db, std::string_view tenant,
                                    std::string_view code);
  // `done` runs once (maybe on another thread, maybe before join returns).
  void join(const Db& db, std::string_view tenant, std::string_view code,
            JoinDone done);
  // body: {"item": "<item id>", "value": ...}. `done` runs once.
  void vote(const Db& db, std::string_view tenant, std::string_view code,
            std::string_view token, const json::value& body, VoteDone done);
  // Whether `token` belongs to a participant of the session.
  Status check_participant(const Db& db, std::string_view tenant,
                           std::string_view code, std::string_view token);

  // Viewers. The sink gets {"type":"state","session":...} at once and on
  // every (coalesced) change until detach(). Returns the viewer's id.
  Result<uint64_t> attach(const Db& db, std::string_view tenant,
                          std::string_view code, LiveView view, LiveSink sink);
  void detach(uint64_t viewer_id);

 private:
  struct Session;
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cocity::apps::cocreation
