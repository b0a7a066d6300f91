#include "store/sqlite/history_compactor.h"

#include <pthread.h>

#include <algorithm>
#include <limits>
#include <map>
#include <string>
#include <utility>

namespace cocity::store::sqlite {

namespace {

constexpr size_t kMergeWidth = 4;
// Existing chunks a series' tail is read with. Merges take four and give
// one, so a plan runs out of them only after five merges in one series;
// it then merges no further (the next compaction does).
constexpr int kTailChunks = 16;
// Planned chunks get seqs above every existing one until the writer gives
// them real ones (larger than every existing seq too, in the same order).
constexpr int64_t kPlannedSeq = std::numeric_limits<int64_t>::max() / 2;

int tier(uint64_t count) {
  int t = 0;
  for (uint64_t limit = 16; count >= limit && t < 5; limit *= 4) ++t;
  return t;
}

// A chunk of a series' tail as the plan leaves it.
struct TailChunk {
  int64_t first_at;
  int64_t seq;
  uint64_t count;
  int planned;  // index into the series' planned chunks; -1: existing
};

// Newest first: the order of the series index, read backwards.
bool newer(const TailChunk& a, const TailChunk& b) {
  return a.first_at != b.first_at ? a.first_at > b.first_at : a.seq > b.seq;
}

}  // namespace

const std::string_view kSelectChunkSql =
    "SELECT data FROM history_chunks WHERE entity = ?1 AND attr = ?2 "
    "AND first_at = ?3 AND seq = ?4";

Status load_chunk(Statement& select, const CompactionPlan::ChunkKey& key,
                  uint64_t count, std::vector<StoredEntry>* out) {
  select.bind_int(1, key.entity);
  select.bind_int(2, key.attr);
  select.bind_int(3, key.first_at);
  select.bind_int(4, key.seq);
  auto row = select.step();
  Status s = ok();
  if (!row) {
    s = std::unexpected(row.error());
  } else if (*row) {
    s = decode_chunk(select.column_text(0), count, key.attr, out);
  }
  select.reset();
  return s;
}

uint64_t CompactionPlan::rows() const {
  uint64_t n = 0;
  for (const auto& [entity, seqs] : slice) n += seqs.size();
  return n;
}

Result<CompactionPlanner> CompactionPlanner::prepare(Database* db) {
  CompactionPlanner p;
  struct Item {
    Statement* stmt;
    std::string_view sql;
  };
  const std::string tail_sql =
      "SELECT first_at, seq, count FROM history_chunks WHERE entity = ?1 "
      "AND attr = ?2 ORDER BY first_at DESC, seq DESC LIMIT " +
      std::to_string(kTailChunks);
  const Item items[] = {
      {&p.select_log_row_, "SELECT data FROM history_log WHERE seq = ?1"},
      {&p.select_tail_, tail_sql},
      {&p.select_chunk_, kSelectChunkSql},
  };
  for (const auto& item : items) {
    auto stmt = db->prepare(item.sql);
    if (!stmt) return std::unexpected(stmt.error());
    *item.stmt = std::move(*stmt);
  }
  return p;
}

Status CompactionPlanner::plan(CompactionPlan* plan) {
  // The slice's rows in log order, whatever their entity: an entity's rows
  // are spread over the whole log, and read entity by entity each row took
  // a page of its own from the file. In log order, consecutive rows share
  // their pages, which the read transaction then has cached.
  std::vector<std::pair<int64_t, size_t>> rows;  // seq, index in the slice
  for (size_t i = 0; i < plan->slice.size(); ++i) {
    for (int64_t seq : plan->slice[i].second) rows.emplace_back(seq, i);
  }
  std::sort(rows.begin(), rows.end());
  std::vector<std::map<int64_t, std::vector<StoredEntry>>> by_attr(
      plan->slice.size());
  std::vector<StoredEntry> entries;
  for (const auto& [seq, i] : rows) {
    entries.clear();
    select_log_row_.bind_int(1, seq);
    auto row = select_log_row_.step();
    Status s = ok();
    // A listed row is committed, and only the writer's applying of a
    // plan removes rows: it is there. Were it not, there is nothing to
    // move.
    if (row && *row)
      s = decode_log_row(select_log_row_.column_text(0), &entries);
    select_log_row_.reset();
    if (!row) return std::unexpected(row.error());
    if (!s) return s;
    for (auto& e : entries) {
      if (e.observed_us < plan->cutoff) continue;
      by_attr[i][e.attr].push_back(std::move(e));
    }
  }
  for (size_t i = 0; i < plan->slice.size(); ++i) {
    for (auto& [attr, series] : by_attr[i]) {
      if (auto s = plan_series(plan->slice[i].first, attr, &series, plan); !s)
        return s;
    }
  }
  return ok();
}

Status CompactionPlanner::plan_series(int64_t entity, int64_t attr,
                                      std::vector<StoredEntry>* entries,
                                      CompactionPlan* plan) {
  sort_by_observed(entries);
  std::vector<std::vector<StoredEntry>> planned;  // emptied when merged
  std::vector<TailChunk> tail;
  for (size_t begin = 0; begin < entries->size(); begin += kSealedEntries) {
    size_t end = std::min(entries->size(), begin + kSealedEntries);
    planned.emplace_back(std::make_move_iterator(entries->begin() + begin),
                         std::make_move_iterator(entries->begin() + end));
    const auto& part = planned.back();
    tail.push_back({part.front().observed_us,
                    kPlannedSeq + static_cast<int64_t>(planned.size()),
                    part.size(), static_cast<int>(planned.size()) - 1});
  }
  if (planned.empty()) return ok();  // every entry was past retention
  select_tail_.bind_int(1, entity);
  select_tail_.bind_int(2, attr);
  Result<bool> row;
  while ((row = select_tail_.step()) && *row) {
    tail.push_back({select_tail_.column_int(0), select_tail_.column_int(1),
                    static_cast<uint64_t>(select_tail_.column_int(2)), -1});
  }
  select_tail_.reset();
  if (!row) return std::unexpected(row.error());
  std::sort(tail.begin(), tail.end(), newer);

  while (tail.size() >= kMergeWidth) {
    int t = tier(tail[0].count);
    bool mergeable = true;
    for (size_t i = 0; i < kMergeWidth; ++i) {
      mergeable = mergeable && tail[i].count < kSealedEntries &&
                  tier(tail[i].count) == t;
    }
    if (!mergeable) break;
    // Oldest first, so that the stable sort keeps commit order among ties.
    std::vector<TailChunk> merge(tail.begin(), tail.begin() + kMergeWidth);
    std::sort(
        merge.begin(), merge.end(),
        [](const TailChunk& a, const TailChunk& b) { return a.seq < b.seq; });
    std::vector<StoredEntry> merged;
    for (const auto& c : merge) {
      if (c.planned >= 0) {
        auto& part = planned[static_cast<size_t>(c.planned)];
        std::move(part.begin(), part.end(), std::back_inserter(merged));
        part.clear();
        continue;
      }
      CompactionPlan::ChunkKey key{entity, attr, c.first_at, c.seq};
      if (auto s = load_chunk(select_chunk_, key, c.count, &merged); !s)
        return s;
      plan->merged.push_back(key);
    }
    if (merged.empty()) break;  // the chunks were gone: nothing to merge
    sort_by_observed(&merged);
    planned.push_back(std::move(merged));
    const auto& part = planned.back();
    TailChunk chunk{part.front().observed_us,
                    kPlannedSeq + static_cast<int64_t>(planned.size()),
                    part.size(), static_cast<int>(planned.size()) - 1};
    tail.erase(tail.begin(), tail.begin() + kMergeWidth);
    tail.insert(std::upper_bound(tail.begin(), tail.end(), chunk, newer),
                chunk);
  }

  for (const auto& part : planned) {
    if (part.empty()) continue;
    CompactionPlan::Chunk chunk{
        entity,      attr, part.front().observed_us, part.back().observed_us,
        part.size(), {}};
    encode_chunk(part, &chunk.data);
    plan->chunks.push_back(std::move(chunk));
  }
  return ok();
}

Result<std::unique_ptr<HistoryCompactor>> HistoryCompactor::start(
    const std::string& path) {
  auto db = Database::open(path, Database::Mode::kReadWrite);
  if (!db) return std::unexpected(db.error());
  std::unique_ptr<HistoryCompactor> c(new HistoryCompactor());
  c->db_ = std::move(*db);
  for (std::string_view pragma :
       {"PRAGMA query_only=1", "PRAGMA cache_size=-16384"}) {
    if (auto s = c->db_.exec(pragma); !s) return std::unexpected(s.error());
  }
  auto planner = CompactionPlanner::prepare(&c->db_);
  if (!planner) return std::unexpected(planner.error());
  c->planner_ = std::move(*planner);
  c->thread_ = std::thread([raw = c.get()] { raw->run(); });
  pthread_setname_np(c->thread_.native_handle(), "store-compact");
  return c;
}

HistoryCompactor::~HistoryCompactor() {
  if (thread_.joinable()) {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    wake_.notify_one();
    thread_.join();
  }
  planner_.reset();  // its statements go before the connection
}

void HistoryCompactor::submit(CompactionPlan plan) {
  busy_ = true;
  {
    std::lock_guard lock(mu_);
    job_ = std::move(plan);
  }
  wake_.notify_one();
}

bool HistoryCompactor::ready() const {
  std::lock_guard lock(mu_);
  return result_.has_value();
}

std::optional<Result<CompactionPlan>> HistoryCompactor::take(bool wait) {
  std::unique_lock lock(mu_);
  if (wait) done_.wait(lock, [this] { return result_.has_value(); });
  if (!result_) return std::nullopt;
  busy_ = false;
  return std::exchange(result_, std::nullopt);
}

void HistoryCompactor::run() {
  for (;;) {
    CompactionPlan plan;
    {
      std::unique_lock lock(mu_);
      wake_.wait(lock, [this] { return stop_ || job_.has_value(); });
      if (stop_) return;
      plan = std::move(*job_);
      job_.reset();
    }
    // One snapshot for the whole plan: it starts after submit(), so every
    // row of the slice is in it.
    Status s = db_.exec("BEGIN");
    if (s) s = planner_->plan(&plan);
    (void)db_.exec(s ? "COMMIT" : "ROLLBACK");
    Result<CompactionPlan> out = std::move(plan);
    if (!s) out = std::unexpected(s.error());
    {
      std::lock_guard lock(mu_);
      result_ = std::move(out);
    }
    done_.notify_one();
  }
}

}  // namespace cocity::store::sqlite
