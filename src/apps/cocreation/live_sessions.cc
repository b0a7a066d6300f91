#include "apps/cocreation/live_sessions.h"

#include <algorithm>
#include <condition_variable>
#include <map>
#include <optional>
#include <set>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "apps/cocreation/ideas.h"
#include "apps/cocreation/json_fields.h"
#include "apps/cocreation/live_items.h"
#include "apps/cocreation/live_vote_log.h"
#include "apps/cocreation/roles.h"
#include "apps/cocreation/secrets.h"

namespace cocity::apps::cocreation {

namespace {

using SteadyClock = std::chrono::steady_clock;
using Message = std::shared_ptr<const std::string>;

constexpr std::string_view kCodeAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
constexpr size_t kCodeLength = 6;

struct Viewer {
  uint64_t id = 0;
  LiveView view = LiveView::kPublic;
  LiveSink sink;
};

std::string upper(std::string_view code) {
  std::string out(code);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

json::array flag_indices(const std::vector<char>& flags) {
  json::array out;
  for (size_t i = 0; i < flags.size(); ++i) {
    if (flags[i]) out.emplace_back(static_cast<int64_t>(i));
  }
  return out;
}

void read_flags(const json::object& state, std::string_view key,
                std::vector<char>* flags) {
  const json::value* v = state.if_contains(key);
  if (v == nullptr || !v->is_array()) return;
  for (const json::value& i : v->as_array()) {
    if (i.is_int64() && i.as_int64() >= 0 &&
        static_cast<size_t>(i.as_int64()) < flags->size()) {
      (*flags)[i.as_int64()] = 1;
    }
  }
}

Status moderator_only(const Caller& caller) {
  if (can_moderate(caller.role)) return ok();
  return fail(Code::kForbidden, "live sessions are run by moderators");
}

}  // namespace

struct LiveSessions::Session {
  std::mutex mu;
  std::string tenant;
  Db db;
  store::CcLiveSession row;  // status and state_json kept current
  std::vector<LiveItem> items;
  size_t current = 0;
  std::vector<char> closed;
  std::vector<char> revealed;
  std::unordered_map<std::string, int64_t> participants;  // token hash -> id
  int64_t next_participant = 1;
  std::vector<LiveTally> tallies;                   // committed votes
  std::vector<std::unordered_set<int64_t>> voters;  // committed or pending
  std::vector<Viewer> viewers;
  bool dirty = false;
  SteadyClock::time_point last_sent;

  bool active() const { return row.status == "active"; }

  std::string state_json() const {
    return to_json(json::object{{"current", static_cast<int64_t>(current)},
                                {"closed", flag_indices(closed)},
                                {"revealed", flag_indices(revealed)}});
  }

  json::object state(bool with_tally) const {
    const LiveItem& item = items[current];
    json::object cur{{"index", static_cast<int64_t>(current)},
                     {"item", live_item_json(item)},
                     {"open", active() && !closed[current]},
                     {"revealed", revealed[current] != 0},
                     {"votes", tallies[current].n()}};
    if (with_tally || revealed[current]) {
      cur["tally"] = tallies[current].to_json();
    }
    return json::object{
        {"id", row.id},
        {"code", row.code},
        {"title", row.title},
        {"status", row.status},
        {"participants", static_cast<int64_t>(participants.size())},
        {"item_count", static_cast<int64_t>(items.size())},
        {"current", std::move(cur)}};
  }

  json::object moderator_state() const {
    json::object out = state(true);
    out["process"] = row.process_id;
    out["items"] = live_items_json(items);
    out["created_at"] = format_iso_time(row.created_at);
    return out;
  }

  Message message(bool with_tally) const {
    return std::make_shared<const std::string>(to_json(
        json::object{{"type", "state"}, {"session", state(with_tally)}}));
  }
};

class LiveSessions::Impl {
 public:
  Impl(const IdeaCatalogue* catalogue, const Clock* clock)
      : catalogue_(catalogue),
        clock_(clock),
        log_(std::make_unique<LiveVoteLog>()),
        ticker_([this] { tick_loop(); }) {}

  ~Impl() {
    log_.reset();  // flushes; its callbacks may still mark sessions dirty
    {
      std::lock_guard lock(tick_mu_);
      stop_ = true;
    }
    tick_cv_.notify_one();
    ticker_.join();
  }

  const IdeaCatalogue* catalogue_;
  const Clock* clock_;

  Status load(const Db& db, std::string_view tenant);
  Result<std::shared_ptr<Session>> by_code(const Db& db,
                                           std::string_view tenant,
                                           std::string_view code);
  Result<std::shared_ptr<Session>> by_id(const Db& db, std::string_view tenant,
                                         int64_t id);
  Result<std::shared_ptr<Session>> add(const Db& db, std::string_view tenant,
                                       store::CcLiveSession row,
                                       std::vector<LiveItem> items);
  std::vector<std::shared_ptr<Session>> of_process(std::string_view tenant,
                                                   int64_t process_id);
  void mark_dirty(const std::shared_ptr<Session>& s);
  uint64_t add_viewer(const std::shared_ptr<Session>& s, LiveView view,
                      LiveSink sink);
  void remove_viewer(uint64_t id);
  LiveVoteLog& log() { return *log_; }

 private:
  Result<std::shared_ptr<Session>> restore(const Db& db,
                                           std::string_view tenant,
                                           const store::CcLiveSession& row);
  Result<std::string> new_code();  // REQUIRES: mu_ held
  void tick_loop();
  std::optional<SteadyClock::time_point> flush_due();
  static void send_state(Session& s);

  std::mutex mu_;  // the registry; taken before any Session::mu
  std::set<std::string, std::less<>> loaded_;
  std::map<std::pair<std::string, int64_t>, std::shared_ptr<Session>> ids_;
  std::map<std::pair<std::string, std::string>, std::shared_ptr<Session>>
      codes_;
  std::unordered_map<uint64_t, std::shared_ptr<Session>> viewers_;
  uint64_t next_viewer_ = 1;

  std::unique_ptr<LiveVoteLog> log_;

  std::mutex tick_mu_;
  std::condition_variable tick_cv_;
  std::vector<std::shared_ptr<Session>> dirty_;  // guarded by tick_mu_
  bool kicked_ = false;                          // guarded by tick_mu_
  bool stop_ = false;                            // guarded by tick_mu_
  std::thread ticker_;
};

// --- registry ----------------------------------------------------------------

Result<std::shared_ptr<LiveSessions::Session>> LiveSessions::Impl::restore(
    const Db& db, std::string_view tenant, const store::CcLiveSession& row) {
  auto doc = parse_json(row.items_json);
  if (!doc) return std::unexpected(doc.error());
  auto items = parse_live_items(*doc);
  if (!items) return std::unexpected(items.error());
  auto s = std::make_shared<Session>();
  s->tenant.assign(tenant);
  s->db = db;
  s->row = row;
  s->items = std::move(*items);
  s->closed.assign(s->items.size(), 0);
  s->revealed.assign(s->items.size(), 0);
  s->voters.resize(s->items.size());
  for (const LiveItem& item : s->items) s->tallies.emplace_back(item);
  auto state = parse_json(row.state_json);
  if (state && state->is_object()) {
    const json::object& o = state->as_object();
    if (const json::value* c = o.if_contains("current");
        c != nullptr && c->is_int64() && c->as_int64() >= 0 &&
        static_cast<size_t>(c->as_int64()) < s->items.size()) {
      s->current = static_cast<size_t>(c->as_int64());
    }
    read_flags(o, "closed", &s->closed);
    read_flags(o, "revealed", &s->revealed);
  }
  auto participants = db->list_live_participants(row.id);
  if (!participants) return std::unexpected(participants.error());
  for (const auto& p : *participants) {
    s->participants.emplace(p.token_hash, p.id);
    s->next_participant = std::max(s->next_participant, p.id + 1);
  }
  auto votes = db->list_live_votes(row.id);
  if (!votes) return std::unexpected(votes.error());
  for (const auto& v : *votes) {
    for (size_t i = 0; i < s->items.size(); ++i) {
      if (s->items[i].id != v.item) continue;
      if (s->voters[i].insert(v.participant_id).second) {
        s->tallies[i].add(v.value);
      }
    }
  }
  return s;
}

Status LiveSessions::Impl::load(const Db& db, std::string_view tenant) {
  std::lock_guard lock(mu_);
  if (loaded_.contains(tenant)) return ok();
  auto rows = db->list_live_sessions();
  if (!rows) return std::unexpected(rows.error());
  for (const auto& row : *rows) {
    auto s = restore(db, tenant, row);
    if (!s) return std::unexpected(s.error());
    std::string key(tenant);
    ids_[{key, row.id}] = *s;
    auto& slot = codes_[{key, row.code}];
    if (!slot || !slot->active()) slot = *s;
  }
  loaded_.emplace(tenant);
  return ok();
}

Result<std::shared_ptr<LiveSessions::Session>> LiveSessions::Impl::by_code(
    const Db& db, std::string_view tenant, std::string_view code) {
  if (auto s = load(db, tenant); !s) return std::unexpected(s.error());
  std::lock_guard lock(mu_);
  auto it = codes_.find({std::string(tenant), upper(code)});
  if (it == codes_.end()) {
    return fail(Code::kNotFound,
                "no live session with code '" + std::string(code) + "'");
  }
  return it->second;
}

Result<std::shared_ptr<LiveSessions::Session>> LiveSessions::Impl::by_id(
    const Db& db, std::string_view tenant, int64_t id) {
  if (auto s = load(db, tenant); !s) return std::unexpected(s.error());
  std::lock_guard lock(mu_);
  auto it = ids_.find({std::string(tenant), id});
  if (it == ids_.end()) {
    return fail(Code::kNotFound,
                "live session " + std::to_string(id) + " not found");
  }
  return it->second;
}

Result<std::string> LiveSessions::Impl::new_code() {
  for (int attempt = 0; attempt < 100; ++attempt) {
    auto token = random_token();
    if (!token) return std::unexpected(token.error());
    std::string code;
    for (size_t i = 0; i < kCodeLength; ++i) {
      auto byte = std::stoul(token->substr(2 * i, 2), nullptr, 16);
      code += kCodeAlphabet[byte % kCodeAlphabet.size()];
    }
    bool taken = false;
    for (const auto& [key, s] : codes_) {
      if (key.second != code) continue;
      std::lock_guard lock(s->mu);
      taken = taken || s->active();
    }
    if (!taken) return code;
  }
  return fail(Code::kInternal, "no free live session code");
}

Result<std::shared_ptr<LiveSessions::Session>> LiveSessions::Impl::add(
    const Db& db, std::string_view tenant, store::CcLiveSession row,
    std::vector<LiveItem> items) {
  if (auto s = load(db, tenant); !s) return std::unexpected(s.error());
  std::lock_guard lock(mu_);
  auto code = new_code();
  if (!code) return std::unexpected(code.error());
  row.code = *code;
  auto id = db->add_live_session(row);
  if (!id) return std::unexpected(id.error());
  row.id = *id;
  auto s = std::make_shared<Session>();
  s->tenant.assign(tenant);
  s->db = db;
  s->row = std::move(row);
  s->items = std::move(items);
  s->closed.assign(s->items.size(), 0);
  s->revealed.assign(s->items.size(), 0);
  s->voters.resize(s->items.size());
  for (const LiveItem& item : s->items) s->tallies.emplace_back(item);
  std::string key(tenant);
  ids_[{key, s->row.id}] = s;
  codes_[{key, s->row.code}] = s;
  return s;
}

std::vector<std::shared_ptr<LiveSessions::Session>>
LiveSessions::Impl::of_process(std::string_view tenant, int64_t process_id) {
  std::lock_guard lock(mu_);
  std::vector<std::shared_ptr<Session>> out;
  for (const auto& [key, s] : ids_) {
    if (key.first == tenant && s->row.process_id == process_id) {
      out.push_back(s);
    }
  }
  return out;
}

uint64_t LiveSessions::Impl::add_viewer(const std::shared_ptr<Session>& s,
                                        LiveView view, LiveSink sink) {
  uint64_t id = 0;
  {
    std::lock_guard lock(mu_);
    id = next_viewer_++;
    viewers_[id] = s;
  }
  Message first;
  {
    std::lock_guard lock(s->mu);
    first = s->message(view == LiveView::kProjector);
    s->viewers.push_back({id, view, sink});
  }
  sink(std::move(first));
  return id;
}

void LiveSessions::Impl::remove_viewer(uint64_t id) {
  std::shared_ptr<Session> s;
  {
    std::lock_guard lock(mu_);
    auto it = viewers_.find(id);
    if (it == viewers_.end()) return;
    s = std::move(it->second);
    viewers_.erase(it);
  }
  std::lock_guard lock(s->mu);
  std::erase_if(s->viewers, [id](const Viewer& v) { return v.id == id; });
}

// --- fan-out -----------------------------------------------------------------

void LiveSessions::Impl::mark_dirty(const std::shared_ptr<Session>& s) {
  {
    std::lock_guard lock(s->mu);
    if (s->dirty) return;
    s->dirty = true;
  }
  {
    std::lock_guard lock(tick_mu_);
    dirty_.push_back(s);
    kicked_ = true;
  }
  tick_cv_.notify_one();
}

void LiveSessions::Impl::tick_loop() {
  std::optional<SteadyClock::time_point> next;
  while (true) {
    {
      std::unique_lock lock(tick_mu_);
      auto woken = [this] { return stop_ || kicked_; };
      if (next) {
        tick_cv_.wait_until(lock, *next, woken);
      } else {
        tick_cv_.wait(lock, woken);
      }
      if (stop_) return;
      kicked_ = false;
    }
    next = flush_due();
  }
}

// Sends the sessions that are dirty and whose last state went out at least
// kBroadcastInterval ago; returns when the next of the others is due.
std::optional<SteadyClock::time_point> LiveSessions::Impl::flush_due() {
  std::vector<std::shared_ptr<Session>> dirty;
  {
    std::lock_guard lock(tick_mu_);
    dirty.swap(dirty_);
  }
  std::vector<std::shared_ptr<Session>> later;
  std::optional<SteadyClock::time_point> next;
  SteadyClock::time_point now = SteadyClock::now();
  for (auto& s : dirty) {
    SteadyClock::time_point due;
    {
      std::lock_guard lock(s->mu);
      due = s->last_sent + kBroadcastInterval;
    }
    if (due > now) {
      next = next ? std::min(*next, due) : due;
      later.push_back(std::move(s));
      continue;
    }
    send_state(*s);
  }
  if (!later.empty()) {
    std::lock_guard lock(tick_mu_);
    dirty_.insert(dirty_.end(), later.begin(), later.end());
  }
  return next;
}

void LiveSessions::Impl::send_state(Session& s) {
  std::vector<std::pair<LiveSink, bool>> targets;  // sink, projector
  Message open_message;
  Message tally_message;
  {
    std::lock_guard lock(s.mu);
    s.dirty = false;
    s.last_sent = SteadyClock::now();
    for (const Viewer& v : s.viewers) {
      bool projector = v.view == LiveView::kProjector;
      Message& m = projector ? tally_message : open_message;
      if (!m) m = s.message(projector);
      targets.emplace_back(v.sink, projector);
    }
  }
  for (auto& [sink, projector] : targets) {
    sink(projector ? tally_message : open_message);
  }
}

// --- LiveSessions ------------------------------------------------------------

LiveSessions::LiveSessions(const IdeaCatalogue* catalogue, const Clock* clock)
    : impl_(std::make_unique<Impl>(catalogue, clock)) {}

LiveSessions::~LiveSessions() = default;

namespace {

// One idea_rating item per idea id; texts from the ideas' titles.
Result<std::vector<LiveItem>> items_from_ideas(const json::object& body) {
  const json::value* list = body.if_contains("ideas");
  if (list == nullptr || !list->is_array()) {
    return fail(Code::kBadRequestData,
                "items: an array of items (or ideas: an array of idea ids) "
                "is required");
  }
  auto criterion = string_field(body, "criterion", false, 20, "benefit");
  if (!criterion) return std::unexpected(criterion.error());
  json::array items;
  for (const json::value& id : list->as_array()) {
    if (!id.is_string()) {
      return fail(Code::kBadRequestData, "ideas: idea ids are strings");
    }
    items.emplace_back(json::object{{"id", id.as_string()},
                                    {"type", "idea_rating"},
                                    {"idea", id.as_string()},
                                    {"criterion", *criterion}});
  }
  return parse_live_items(items);
}

std::string idea_title(const json::object& idea) {
  const json::value* title = idea.if_contains("title");
  if (title == nullptr || !title->is_object()) return {};
  for (const char* lang : {"de", "en"}) {
    const json::value* t = title->as_object().if_contains(lang);
    if (t != nullptr && t->is_string()) return std::string(t->as_string());
  }
  return {};
}

// Checks the ideas of idea_rating items and fills in missing texts.
Status resolve_ideas(std::vector<LiveItem>* items, Ideas& ideas) {
  for (size_t i = 0; i < items->size(); ++i) {
    LiveItem& item = (*items)[i];
    if (item.type != LiveItemType::kIdeaRating) continue;
    auto idea = ideas.get(item.idea);
    if (!idea) {
      return fail(
          Code::kBadRequestData,
          "items[" + std::to_string(i) + "].idea: no idea '" + item.idea + "'");
    }
    if (item.text.empty()) item.text = idea_title(*idea);
    if (item.text.empty()) item.text = item.idea;
  }
  return ok();
}

}  // namespace

Result<json::object> LiveSessions::create(const Db& db, std::string_view tenant,
                                          const Caller& caller,
                                          int64_t process_id,
                                          const json::object& body) {
  if (auto s = moderator_only(caller); !s) return std::unexpected(s.error());
  if (auto p = db->get_process(process_id); !p) {
    return std::unexpected(p.error());
  }
  auto title = string_field(body, "title", true, 200);
  if (!title) return std::unexpected(title.error());
  Ideas ideas(db.get(), impl_->catalogue_, impl_->clock_);
  Result<std::vector<LiveItem>> items = body.contains("items")
                                            ? parse_live_items(body.at("items"))
                                            : items_from_ideas(body);
  if (!items) return std::unexpected(items.error());
  if (auto s = resolve_ideas(&*items, ideas); !s) {
    return std::unexpected(s.error());
  }
  store::CcLiveSession row;
  row.process_id = process_id;
  row.title = std::move(*title);
  row.status = "active";
  row.items_json = to_json(live_items_json(*items));
  row.state_json = R"({"current":0,"closed":[],"revealed":[]})";
  row.created_by = caller.account_id;
  row.created_at = impl_->clock_->now();
  auto s = impl_->add(db, tenant, std::move(row), std::move(*items));
  if (!s) return std::unexpected(s.error());
  std::lock_guard lock((*s)->mu);
  return (*s)->moderator_state();
}

Result<json::array> LiveSessions::list(const Db& db, std::string_view tenant,
                                       const Caller& caller,
                                       int64_t process_id) {
  if (auto s = moderator_only(caller); !s) return std::unexpected(s.error());
  if (auto p = db->get_process(process_id); !p) {
    return std::unexpected(p.error());
  }
  if (auto s = impl_->load(db, tenant); !s) return std::unexpected(s.error());
  json::array out;
  for (const auto& s : impl_->of_process(tenant, process_id)) {
    std::lock_guard lock(s->mu);
    out.emplace_back(s->moderator_state());
  }
  return out;
}

Result<json::object> LiveSessions::get(const Db& db, std::string_view tenant,
                                       const Caller& caller, int64_t id) {
  if (auto s = moderator_only(caller); !s) return std::unexpected(s.error());
  auto s = impl_->by_id(db, tenant, id);
  if (!s) return std::unexpected(s.error());
  std::lock_guard lock((*s)->mu);
  return (*s)->moderator_state();
}

namespace {

// Applies `action` to the session's state (not yet stored).
Status apply_action(const json::object& body, std::string_view action,
                    size_t count, size_t* current, std::vector<char>* closed,
                    std::vector<char>* revealed, std::string* status) {
  if (action == "goto") {
    auto index = int_field(body, "index", std::nullopt, 0,
                           static_cast<int64_t>(count) - 1);
    if (!index) return std::unexpected(index.error());
    *current = static_cast<size_t>(*index);
  } else if (action == "next" || action == "previous") {
    bool next = action == "next";
    if (next ? *current + 1 >= count : *current == 0) {
      return fail(Code::kBadRequestData, std::string("action: there is no ") +
                                             (next ? "next" : "previous") +
                                             " item");
    }
    *current = next ? *current + 1 : *current - 1;
  } else if (action == "close" || action == "reopen") {
    (*closed)[*current] = action == "close";
  } else if (action == "reveal" || action == "hide") {
    (*revealed)[*current] = action == "reveal";
  } else if (action == "end") {
    *status = "ended";
  } else {
    return fail(Code::kBadRequestData,
                "action: must be goto, next, previous, close, reopen, "
                "reveal, hide or end");
  }
  return ok();
}

}  // namespace

Result<json::object> LiveSessions::control(const Db& db,
                                           std::string_view tenant,
                                           const Caller& caller, int64_t id,
                                           const json::object& body) {
  if (auto s = moderator_only(caller); !s) return std::unexpected(s.error());
  auto found = impl_->by_id(db, tenant, id);
  if (!found) return std::unexpected(found.error());
  std::shared_ptr<Session> s = *found;
  auto action = string_field(body, "action", true, 20);
  if (!action) return std::unexpected(action.error());
  json::object state;
  {
    std::lock_guard lock(s->mu);
    if (!s->active()) {
      return fail(Code::kConflict,
                  "live session " + std::to_string(id) + " has ended");
    }
    size_t current = s->current;
    std::vector<char> closed = s->closed;
    std::vector<char> revealed = s->revealed;
    std::string status = s->row.status;
    if (auto st = apply_action(body, *action, s->items.size(), &current,
                               &closed, &revealed, &status);
        !st) {
      return std::unexpected(st.error());
    }
    std::swap(s->current, current);
    std::swap(s->closed, closed);
    std::swap(s->revealed, revealed);
    std::swap(s->row.status, status);
    store::CcLiveSession row = s->row;
    row.state_json = s->state_json();
    if (auto st = db->update_live_session(row); !st) {
      std::swap(s->current, current);  // back to what is stored
      std::swap(s->closed, closed);
      std::swap(s->revealed, revealed);
      std::swap(s->row.status, status);
      return std::unexpected(st.error());
    }
    s->row.state_json = row.state_json;
    state = s->moderator_state();
  }
  impl_->mark_dirty(s);
  return state;
}

Result<json::object> LiveSessions::public_state(const Db& db,
                                                std::string_view tenant,
                                                std::string_view code) {
  auto s = impl_->by_code(db, tenant, code);
  if (!s) return std::unexpected(s.error());
  std::lock_guard lock((*s)->mu);
  return (*s)->state(false);
}

void LiveSessions::join(const Db& db, std::string_view tenant,
                        std::string_view code, JoinDone done) {
  auto found = impl_->by_code(db, tenant, code);
  if (!found) return done(std::unexpected(found.error()));
  std::shared_ptr<Session> s = *found;
  auto token = random_token();
  if (!token) return done(std::unexpected(token.error()));
  store::CcLiveParticipant p;
  bool ended = false;
  {
    std::lock_guard lock(s->mu);
    ended = !s->active();
    if (!ended) p.id = s->next_participant++;
  }
  if (ended) return done(fail(Code::kConflict, "this live session has ended"));
  p.session_id = s->row.id;
  p.token_hash = hash_token(*token);
  p.joined_at = impl_->clock_->now();
  Impl* impl = impl_.get();
  impl->log().append_participant(
      db, p,
      [impl, s, token = std::move(*token), hash = p.token_hash, id = p.id,
       done = std::move(done)](Status st) {
        if (!st) return done(std::unexpected(st.error()));
        json::object state;
        {
          std::lock_guard lock(s->mu);
          s->participants.emplace(hash, id);
          state = s->state(false);
        }
        impl->mark_dirty(s);
        done(LiveJoin{token, std::move(state)});
      });
}

Status LiveSessions::check_participant(const Db& db, std::string_view tenant,
                                       std::string_view code,
                                       std::string_view token) {
  auto s = impl_->by_code(db, tenant, code);
  if (!s) return std::unexpected(s.error());
  std::lock_guard lock((*s)->mu);
  if (token.empty() || !(*s)->participants.contains(hash_token(token))) {
    return fail(Code::kForbidden,
                "unknown participant token: join the session first");
  }
  return ok();
}

void LiveSessions::vote(const Db& db, std::string_view tenant,
                        std::string_view code, std::string_view token,
                        const json::value& body, VoteDone done) {
  auto found = impl_->by_code(db, tenant, code);
  if (!found) return done(std::unexpected(found.error()));
  std::shared_ptr<Session> s = *found;
  if (!body.is_object()) {
    return done(fail(Code::kBadRequestData, "the vote must be an object"));
  }
  auto item_id = string_field(body.as_object(), "item", true, 64);
  if (!item_id) return done(std::unexpected(item_id.error()));
  const json::value* value = body.as_object().if_contains("value");
  store::CcLiveVote vote;
  size_t index = 0;
  // Checked under the lock; `done` runs after it is released.
  Status checked = [&]() -> Status {
    std::lock_guard lock(s->mu);
    if (!s->active())
      return fail(Code::kConflict, "this live session has ended");
    auto p = s->participants.find(hash_token(token));
    if (token.empty() || p == s->participants.end()) {
      return fail(Code::kForbidden,
                  "unknown participant token: join the session first");
    }
    index = s->current;
    const LiveItem& item = s->items[index];
    if (*item_id != item.id) {
      return fail(Code::kConflict, "item '" + *item_id +
                                       "' is not the current item ('" +
                                       item.id + "')");
    }
    if (s->closed[index]) {
      return fail(Code::kConflict,
                  "voting on item '" + item.id + "' is closed");
    }
    if (value == nullptr) return fail(Code::kBadRequestData, "value: required");
    auto canonical = parse_live_value(item, *value);
    if (!canonical) return std::unexpected(canonical.error());
    if (!s->voters[index].insert(p->second).second) {
      return fail(Code::kConflict,
                  "you have voted on item '" + item.id + "' already");
    }
    vote = {s->row.id, p->second, item.id, std::move(*canonical),
            impl_->clock_->now()};
    return ok();
  }();
  if (!checked) return done(checked);
  Impl* impl = impl_.get();
  int64_t participant = vote.participant_id;
  std::string value_text = vote.value;
  impl->log().append_vote(db, std::move(vote),
                          [impl, s, index, participant, value_text,
                           done = std::move(done)](Status st) {
                            {
                              std::lock_guard lock(s->mu);
                              if (st) {
                                s->tallies[index].add(value_text);
                              } else {
                                s->voters[index].erase(participant);
                              }
                            }
                            if (st) impl->mark_dirty(s);
                            done(st);
                          });
}

Result<uint64_t> LiveSessions::attach(const Db& db, std::string_view tenant,
                                      std::string_view code, LiveView view,
                                      LiveSink sink) {
  auto s = impl_->by_code(db, tenant, code);
  if (!s) return std::unexpected(s.error());
  return impl_->add_viewer(*s, view, std::move(sink));
}

void LiveSessions::detach(uint64_t viewer_id) {
  impl_->remove_viewer(viewer_id);
}

}  // namespace cocity::apps::cocreation
