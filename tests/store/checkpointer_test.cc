// The checkpointer: past its threshold the log is copied into the database
// on the checkpointer's own thread, without the writer's help.
#include "store/sqlite/checkpointer.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "test_util.h"

namespace cocity::store::sqlite {
namespace {

// Commits `rows` rows of one page each (a 3,000-byte blob), 100 a
// transaction.
void write_pages(Database* db, int rows) {
  auto insert = db->prepare("INSERT INTO t(b) VALUES (zeroblob(3000))");
  ASSERT_TRUE(insert) << insert.error().detail;
  for (int done = 0; done < rows;) {
    ASSERT_TRUE(db->exec("BEGIN"));
    for (int i = 0; i < 100 && done < rows; ++i, ++done) {
      ASSERT_TRUE(insert->run());
    }
    ASSERT_TRUE(db->exec("COMMIT"));
  }
}

TEST(Checkpointer, CopiesTheLogOnItsOwnThreadPastTheThreshold) {
  testing::TempDir dir;
  std::string path = dir.path() + "/t.db";
  auto db = Database::open(path, Database::Mode::kCreate);
  ASSERT_TRUE(db) << db.error().detail;
  ASSERT_TRUE(db->exec("PRAGMA journal_mode=WAL"));
  ASSERT_TRUE(db->exec("PRAGMA synchronous=NORMAL"));
  ASSERT_TRUE(db->exec("PRAGMA wal_autocheckpoint=0"));
  ASSERT_TRUE(db->exec("CREATE TABLE t(b BLOB)"));
  auto checkpointer = Checkpointer::start(path, &*db);
  ASSERT_TRUE(checkpointer) << checkpointer.error().detail;

  // Past the threshold, well short of the point where the writer would
  // checkpoint inline.
  write_pages(&*db, Checkpointer::kCheckpointFrames + 500);
  static_assert(Checkpointer::kCheckpointFrames + 1000 <
                Checkpointer::kInlineFrames);

  // The rows reach the database file itself, not only the log.
  const auto expected =
      static_cast<uintmax_t>(Checkpointer::kCheckpointFrames) * 4096;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::filesystem::file_size(path) < expected &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_GE(std::filesystem::file_size(path), expected);

  // Once the log is all copied, the next commit starts it over: the file
  // stops growing.
  bool restarted = false;
  while (!restarted && std::chrono::steady_clock::now() < deadline) {
    auto log_size = std::filesystem::file_size(path + "-wal");
    write_pages(&*db, 10);
    restarted = std::filesystem::file_size(path + "-wal") == log_size;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_TRUE(restarted);
}

}  // namespace
}  // namespace cocity::store::sqlite
