// The SQLite implementation of store::DeadLetterStore: one file
// (<data-dir>/deadletters.db) for all tenants, rows keyed by an increasing
// sequence number.
#include <mutex>

#include "store/dead_letter_store.h"
#include "store/sqlite/sqlite_db.h"

namespace cocity::store {
namespace {

using sqlite::Database;

constexpr std::string_view kSchema = R"(
CREATE TABLE IF NOT EXISTS dead_letter (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, tenant TEXT NOT NULL,
  received_at INTEGER NOT NULL, source TEXT NOT NULL, reason TEXT NOT NULL,
  payload TEXT NOT NULL, truncated INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS dead_letter_by_tenant ON dead_letter (tenant, seq);
)";

class SqliteDeadLetterStore final : public DeadLetterStore {
 public:
  SqliteDeadLetterStore(Database db, size_t per_tenant)
      : db_(std::move(db)), per_tenant_(per_tenant) {}

  Status add(const std::string& tenant, const DeadLetterRecord& r) override {
    std::lock_guard lock(mu_);
    if (auto s = db_.exec("BEGIN"); !s) return s;
    Status s = insert_and_trim(tenant, r);
    if (!s) {
      (void)db_.exec("ROLLBACK");
      return s;
    }
    return db_.exec("COMMIT");
  }

  Result<std::vector<DeadLetterRecord>> list(const std::string& tenant,
                                             size_t limit) override {
    std::lock_guard lock(mu_);
    auto st = db_.prepare(
        "SELECT received_at, source, reason, payload, truncated FROM "
        "dead_letter WHERE tenant=? ORDER BY seq DESC LIMIT ?");
    if (!st) return std::unexpected(st.error());
    st->bind_text(1, tenant);
    st->bind_int(2, static_cast<int64_t>(limit));
    std::vector<DeadLetterRecord> out;
    while (true) {
      auto row = st->step();
      if (!row) return std::unexpected(row.error());
      if (!*row) break;
      out.push_back({from_micros(st->column_int(0)),
                     std::string(st->column_text(1)),
                     std::string(st->column_text(2)),
                     std::string(st->column_text(3)), st->column_int(4) != 0});
    }
    return out;
  }

  Result<std::vector<std::string>> tenants() override {
    std::lock_guard lock(mu_);
    auto st = db_.prepare("SELECT DISTINCT tenant FROM dead_letter");
    if (!st) return std::unexpected(st.error());
    std::vector<std::string> out;
    while (true) {
      auto row = st->step();
      if (!row) return std::unexpected(row.error());
      if (!*row) break;
      out.emplace_back(st->column_text(0));
    }
    return out;
  }

 private:
  Status insert_and_trim(const std::string& tenant, const DeadLetterRecord& r) {
    auto ins = db_.prepare(
        "INSERT INTO dead_letter (tenant, received_at, source, reason, "
        "payload, truncated) VALUES (?,?,?,?,?,?)");
    if (!ins) return std::unexpected(ins.error());
    ins->bind_text(1, tenant);
    ins->bind_int(2, to_micros(r.received_at));
    ins->bind_text(3, r.source);
    ins->bind_text(4, r.reason);
    ins->bind_text(5, r.payload);
    ins->bind_int(6, r.truncated ? 1 : 0);
    if (auto s = ins->run(); !s) return s;
    // The oldest beyond per_tenant_: everything at or below the seq of the
    // (per_tenant_ + 1)-th newest.
    auto trim = db_.prepare(
        "DELETE FROM dead_letter WHERE tenant=?1 AND seq <= (SELECT seq FROM "
        "dead_letter WHERE tenant=?1 ORDER BY seq DESC LIMIT 1 OFFSET ?2)");
    if (!trim) return std::unexpected(trim.error());
    trim->bind_text(1, tenant);
    trim->bind_int(2, static_cast<int64_t>(per_tenant_));
    return trim->run();
  }

  std::mutex mu_;
  Database db_;
  size_t per_tenant_;
};

}  // namespace

Result<std::unique_ptr<DeadLetterStore>> open_sqlite_dead_letter_store(
    const std::string& path, size_t per_tenant) {
  auto db = Database::open(path, Database::Mode::kCreate);
  if (!db) return std::unexpected(db.error());
  for (std::string_view pragma :
       {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL"}) {
    if (auto s = db->exec(pragma); !s) return std::unexpected(s.error());
  }
  if (auto s = db->exec(kSchema); !s) return std::unexpected(s.error());
  return std::make_unique<SqliteDeadLetterStore>(
      std::move(*db), per_tenant > 0 ? per_tenant : 1);
}

}  // namespace cocity::store
