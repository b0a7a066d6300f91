// Kills a writing process with SIGKILL and checks, after reopening the
// store, that every acknowledged write is there and that nothing is
// half-written: each batch is all there or not at all, and the attributes of
// every entity agree with each other.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "store/store.h"
#include "test_util.h"

namespace cocity::store {
namespace {

using namespace testing;

constexpr int kWriterThreads = 3;
constexpr int kBatch = 20;
constexpr char kCheck[] = "https://example.org/check";

std::string entity_id(int thread, int seq, int k) {
  return "urn:t" + std::to_string(thread) + ":" + std::to_string(seq) + ":" +
         std::to_string(k);
}

// Every attribute is derived from `n`, so a torn entity is detectable.
ngsi::Entity consistent_entity(const std::string& id, int n) {
  ngsi::Entity e = air_entity(id, n);
  e.attrs[kCheck] =
      json::array{property(json::string(id + "#" + std::to_string(n)))};
  return e;
}

bool is_consistent(const ngsi::Entity& e, int* n_out) {
  auto value = [&](const char* attr) -> const json::value* {
    const json::value* v = e.attrs.if_contains(attr);
    if (v == nullptr || !v->is_array() || v->as_array().empty()) return nullptr;
    return v->as_array()[0].as_object().if_contains("value");
  };
  const json::value* no2 = value(kNo2);
  const json::value* pm10 = value(kPm10);
  const json::value* check = value(kCheck);
  if (!no2 || !pm10 || !check || !check->is_string()) return false;
  int n = static_cast<int>(no2->to_number<double>());
  *n_out = n;
  return pm10->to_number<double>() == 2.0 * n &&
         check->as_string() == e.id + "#" + std::to_string(n);
}

// Child: writes batches for ever; after each acknowledgement prints
// "<thread> <seq>\n" (one write(2) of < PIPE_BUF bytes: atomic).
[[noreturn]] void run_writer(const std::string& dir, int fd) {
  StoreOptions options;
  options.data_dir = dir;
  // History compaction runs all the time (slices of 64 log rows), so that
  // the kill also lands in and between its transactions.
  options.history_compact_rows = 64;
  auto store = open_sqlite_store(options);
  if (!store) _exit(2);
  auto tenant = (*store)->tenant("crash", true);
  if (!tenant) _exit(3);
  std::vector<std::thread> threads;
  for (int t = 0; t < kWriterThreads; ++t) {
    threads.emplace_back([t, fd, tenant = *tenant] {
      for (int seq = 0;; ++seq) {
        std::vector<WriteOp> ops;
        for (int k = 0; k < kBatch; ++k) {
          std::string id = entity_id(t, seq, k);
          ops.push_back({id, put_entity(consistent_entity(id, seq * 100 + k))});
        }
        std::string counter = "urn:counter:" + std::to_string(t);
        ops.push_back({counter, put_entity(consistent_entity(counter, seq))});
        for (const auto& s : write_sync(*tenant, std::move(ops))) {
          if (!s) _exit(4);
        }
        std::string line = std::to_string(t) + " " + std::to_string(seq) + "\n";
        if (write(fd, line.data(), line.size()) !=
            static_cast<ssize_t>(line.size()))
          _exit(5);
      }
    });
  }
  for (auto& t : threads) t.join();
  _exit(0);
}

// Parent: reads acknowledgements for `run_for`, then kills the child and
// reads what is left in the pipe. Only complete lines count.
std::string collect_then_kill(pid_t child, int fd,
                              std::chrono::milliseconds run_for) {
  std::string text;
  char buf[4096];
  auto deadline = std::chrono::steady_clock::now() + run_for;
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 20) > 0) {
      ssize_t n = read(fd, buf, sizeof buf);
      if (n <= 0) break;
      text.append(buf, n);
    }
  }
  kill(child, SIGKILL);
  int status = 0;
  waitpid(child, &status, 0);
  EXPECT_TRUE(WIFSIGNALED(status)) << "writer exited early, status " << status;
  for (ssize_t n; (n = read(fd, buf, sizeof buf)) > 0;) text.append(buf, n);
  return text.substr(0, text.rfind('\n') + 1);
}

int64_t history_rows_of_batches(const std::string& db_path) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(db,
                     "SELECT count(*) FROM history h JOIN entity_ids i ON "
                     "h.entity = i.key WHERE i.id LIKE 'urn:t%'",
                     -1, &stmt, nullptr);
  int64_t n = -1;
  if (sqlite3_step(stmt) == SQLITE_ROW) n = sqlite3_column_int64(stmt, 0);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return n;
}

TEST(StoreCrash, AcknowledgedWritesSurviveSigkill) {
  TempDir dir;
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    close(fds[0]);
    run_writer(dir.path(), fds[1]);
  }
  close(fds[1]);
  std::string acks =
      collect_then_kill(child, fds[0], std::chrono::milliseconds(1200));
  close(fds[0]);

  std::map<int, int> last_acked;  // thread -> highest acknowledged seq
  std::set<std::pair<int, int>> acked;
  std::istringstream in(acks);
  for (int t, seq; in >> t >> seq;) {
    acked.emplace(t, seq);
    last_acked[t] = std::max(last_acked[t], seq);
  }
  ASSERT_GE(acked.size(), 3u) << "the writer acknowledged too little to test";

  StoreOptions options;
  options.data_dir = dir.path();
  auto store = open_sqlite_store(options);
  ASSERT_TRUE(store) << store.error().detail;
  auto tenant = (*store)->tenant("crash", false);
  ASSERT_TRUE(tenant) << tenant.error().detail;

  for (const auto& [t, seq] : acked) {
    for (int k = 0; k < kBatch; ++k) {
      auto got = (*tenant)->get(entity_id(t, seq, k));
      ASSERT_TRUE(got && *got)
          << "acknowledged entity lost: " << entity_id(t, seq, k);
      int n = -1;
      EXPECT_TRUE(is_consistent(**got, &n));
      EXPECT_EQ(n, seq * 100 + k);
    }
  }
  for (const auto& [t, seq] : last_acked) {
    auto got = (*tenant)->get("urn:counter:" + std::to_string(t));
    ASSERT_TRUE(got && *got);
    int n = -1;
    ASSERT_TRUE(is_consistent(**got, &n));
    EXPECT_GE(n, seq) << "acknowledged update of counter " << t << " lost";
  }

  // Nothing half-written: every stored entity is consistent, and every
  // batch is complete (one request = one transaction).
  auto all = (*tenant)->find({}, 0, UINT64_MAX);
  ASSERT_TRUE(all);
  EXPECT_EQ(all->total, all->entities.size());
  std::map<std::pair<int, int>, int> batch_sizes;
  uint64_t batch_entities = 0;
  for (const auto& e : all->entities) {
    int n = -1;
    EXPECT_TRUE(is_consistent(e, &n)) << e.id;
    int t = 0, seq = 0, k = 0;
    if (sscanf(e.id.c_str(), "urn:t%d:%d:%d", &t, &seq, &k) == 3) {
      ++batch_sizes[{t, seq}];
      ++batch_entities;
    }
  }
  for (const auto& [batch, size] : batch_sizes) {
    EXPECT_EQ(size, kBatch) << "batch " << batch.first << "/" << batch.second
                            << " is partly stored";
  }
  EXPECT_GE(batch_sizes.size(), acked.size());
  (*store)->close();
  // History rows were committed together with the entities: 4 per entity.
  EXPECT_EQ(history_rows_of_batches(dir.path() + "/crash.db"),
            static_cast<int64_t>(batch_entities * 4));
}

}  // namespace
}  // namespace cocity::store
