#include "store/sqlite/subscription_sqlite.h"

#include <sqlite3.h>

#include <mutex>

#include "store/sqlite/sqlite_db.h"

namespace cocity::store {
namespace {

using sqlite::Database;
using sqlite::Statement;

constexpr std::string_view kSchema = R"(
CREATE TABLE IF NOT EXISTS subscription (
  tenant TEXT NOT NULL, id TEXT NOT NULL, definition TEXT NOT NULL,
  times_sent INTEGER NOT NULL DEFAULT 0, times_failed INTEGER NOT NULL DEFAULT 0,
  last_notification INTEGER, last_success INTEGER, last_failure INTEGER,
  PRIMARY KEY (tenant, id));
CREATE TABLE IF NOT EXISTS pending (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, tenant TEXT NOT NULL,
  subscription_id TEXT NOT NULL, body TEXT NOT NULL, queued_at INTEGER NOT NULL);
)";

void bind_time(Statement& st, int index, const std::optional<TimePoint>& t) {
  if (t) {
    st.bind_int(index, to_micros(*t));
  } else {
    st.bind_null(index);
  }
}

std::optional<TimePoint> column_time(const Statement& st, int index) {
  if (st.column_is_null(index)) return std::nullopt;
  return from_micros(st.column_int(index));
}

class SqliteSubscriptionStore final : public SubscriptionStore {
 public:
  explicit SqliteSubscriptionStore(Database db) : db_(std::move(db)) {}

  Status put(const SubscriptionRecord& r) override {
    std::lock_guard lock(mu_);
    auto st = db_.prepare(
        "INSERT OR REPLACE INTO subscription VALUES (?,?,?,?,?,?,?,?)");
    if (!st) return std::unexpected(st.error());
    st->bind_text(1, r.tenant);
    st->bind_text(2, r.id);
    st->bind_text(3, r.definition);
    bind_status(*st, r, 4);
    return st->run();
  }

  Status remove(const std::string& tenant, const std::string& id) override {
    std::lock_guard lock(mu_);
    int removed = 0;
    auto s = in_transaction([&]() -> Status {
      for (std::string_view sql :
           {"DELETE FROM subscription WHERE tenant=? AND id=?",
            "DELETE FROM pending WHERE tenant=? AND subscription_id=?"}) {
        auto st = db_.prepare(sql);
        if (!st) return std::unexpected(st.error());
        st->bind_text(1, tenant);
        st->bind_text(2, id);
        if (auto r = st->run(); !r) return r;
        if (removed == 0) removed = sqlite3_changes(db_.handle()) > 0 ? 1 : -1;
      }
      return ok();
    });
    if (!s) return s;
    if (removed < 0) {
      return fail(Code::kNotFound, "subscription '" + id + "' not found");
    }
    return ok();
  }

  Result<std::vector<SubscriptionRecord>> list() override {
    std::lock_guard lock(mu_);
    auto st = db_.prepare(
        "SELECT tenant, id, definition, times_sent, times_failed, "
        "last_notification, last_success, last_failure FROM subscription "
        "ORDER BY tenant, id");
    if (!st) return std::unexpected(st.error());
    std::vector<SubscriptionRecord> out;
    for (;;) {
      auto row = st->step();
      if (!row) return std::unexpected(row.error());
      if (!*row) break;
      SubscriptionRecord r;
      r.tenant = st->column_text(0);
      r.id = st->column_text(1);
      r.definition = st->column_text(2);
      r.times_sent = static_cast<uint64_t>(st->column_int(3));
      r.times_failed = static_cast<uint64_t>(st->column_int(4));
      r.last_notification = column_time(*st, 5);
      r.last_success = column_time(*st, 6);
      r.last_failure = column_time(*st, 7);
      out.push_back(std::move(r));
    }
    return out;
  }

  Status save_status(const std::vector<SubscriptionRecord>& records) override {
    std::lock_guard lock(mu_);
    return in_transaction([&]() -> Status {
      auto st = db_.prepare(
          "UPDATE subscription SET times_sent=?, times_failed=?, "
          "last_notification=?, last_success=?, last_failure=? "
          "WHERE tenant=? AND id=?");
      if (!st) return std::unexpected(st.error());
      for (const auto& r : records) {
        bind_status(*st, r, 1);
        st->bind_text(6, r.tenant);
        st->bind_text(7, r.id);
        if (auto s = st->run(); !s) return s;
      }
      return ok();
    });
  }

  Status add_pending(std::vector<PendingNotification>* items) override {
    std::lock_guard lock(mu_);
    return in_transaction([&]() -> Status {
      auto st = db_.prepare(
          "INSERT INTO pending (tenant, subscription_id, body, queued_at) "
          "VALUES (?,?,?,?)");
      if (!st) return std::unexpected(st.error());
      for (auto& p : *items) {
        st->bind_text(1, p.tenant);
        st->bind_text(2, p.subscription_id);
        st->bind_text(3, p.body);
        st->bind_int(4, to_micros(p.queued_at));
        if (auto s = st->run(); !s) return s;
        p.seq = db_.last_insert_rowid();
      }
      return ok();
    });
  }

  Status remove_pending(const std::vector<int64_t>& seqs) override {
    if (seqs.empty()) return ok();
    std::lock_guard lock(mu_);
    return in_transaction([&]() -> Status {
      auto st = db_.prepare("DELETE FROM pending WHERE seq=?");
      if (!st) return std::unexpected(st.error());
      for (int64_t seq : seqs) {
        st->bind_int(1, seq);
        if (auto s = st->run(); !s) return s;
      }
      return ok();
    });
  }

  Result<std::vector<PendingNotification>> pending() override {
    std::lock_guard lock(mu_);
    auto st = db_.prepare(
        "SELECT seq, tenant, subscription_id, body, queued_at FROM pending "
        "ORDER BY seq");
    if (!st) return std::unexpected(st.error());
    std::vector<PendingNotification> out;
    for (;;) {
      auto row = st->step();
      if (!row) return std::unexpected(row.error());
      if (!*row) break;
      PendingNotification p;
      p.seq = st->column_int(0);
      p.tenant = st->column_text(1);
      p.subscription_id = st->column_text(2);
      p.body = st->column_text(3);
      p.queued_at = from_micros(st->column_int(4));
      out.push_back(std::move(p));
    }
    return out;
  }

 private:
  static void bind_status(Statement& st, const SubscriptionRecord& r,
                          int first) {
    st.bind_int(first, static_cast<int64_t>(r.times_sent));
    st.bind_int(first + 1, static_cast<int64_t>(r.times_failed));
    bind_time(st, first + 2, r.last_notification);
    bind_time(st, first + 3, r.last_success);
    bind_time(st, first + 4, r.last_failure);
  }

  template <typename Fn>
  Status in_transaction(Fn fn) {
    if (auto s = db_.exec("BEGIN"); !s) return s;
    if (auto s = fn(); !s) {
      (void)db_.exec("ROLLBACK");
      return s;
    }
    return db_.exec("COMMIT");
  }

  std::mutex mu_;
  Database db_;
};

}  // namespace

Result<std::unique_ptr<SubscriptionStore>> open_sqlite_subscription_store(
    const std::string& path) {
  auto db = Database::open(path, Database::Mode::kCreate);
  if (!db) return std::unexpected(db.error());
  for (std::string_view pragma :
       {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL"}) {
    if (auto s = db->exec(pragma); !s) return std::unexpected(s.error());
  }
  if (auto s = db->exec(kSchema); !s) return std::unexpected(s.error());
  return std::make_unique<SqliteSubscriptionStore>(std::move(*db));
}

}  // namespace cocity::store
