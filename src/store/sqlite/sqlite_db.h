// Thin RAII wrappers over the SQLite C API, reporting errors as cocity
// Status/Result (kInternal with SQLite's message). The only place in cocity
// that includes sqlite3.h besides the SQLite store itself.
//
// Not thread-safe: a Database and its Statements are used by one thread at
// a time (SQLite is opened with SQLITE_OPEN_NOMUTEX).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.h"

struct sqlite3;
struct sqlite3_stmt;

namespace cocity::store::sqlite {

class Statement {
 public:
  Statement() = default;
  Statement(sqlite3_stmt* stmt, sqlite3* db) : stmt_(stmt), db_(db) {}
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  // Parameters are 1-based. Text is bound without copying: REQUIRES the
  // bytes stay valid until the statement is reset.
  void bind_int(int index, int64_t value);
  void bind_double(int index, double value);
  void bind_text(int index, std::string_view value);
  void bind_blob(int index, std::string_view bytes);
  void bind_null(int index);

  // true: a row is available; false: the statement is done.
  Result<bool> step();
  // Runs to completion, ignoring rows, then resets.
  Status run();
  // Resets the statement and clears its bindings; ready for reuse.
  void reset();

  // Columns are 0-based and valid until the next step() or reset().
  int64_t column_int(int index) const;
  double column_double(int index) const;
  bool column_is_null(int index) const;
  std::string_view column_text(int index) const;  // also a BLOB's bytes

 private:
  sqlite3_stmt* stmt_ = nullptr;
  sqlite3* db_ = nullptr;
  int bind_error_ = 0;
};

class Database {
 public:
  enum class Mode { kReadOnly, kReadWrite, kCreate };

  Database() = default;
  Database(Database&& other) noexcept;
  Database& operator=(Database&& other) noexcept;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database();

  // kNotFound when mode is not kCreate and the file does not exist.
  static Result<Database> open(const std::string& path, Mode mode);

  Status exec(std::string_view sql);
  Result<Statement> prepare(std::string_view sql);
  void close();

  // The key of the row inserted last through this connection.
  int64_t last_insert_rowid() const;
  sqlite3* handle() const { return db_; }
  std::string error_message() const;

 private:
  sqlite3* db_ = nullptr;
};

}  // namespace cocity::store::sqlite
