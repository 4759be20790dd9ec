#include "store/sqlite/backup.h"

#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <stdexcept>

#include <sqlite3.h>

namespace noaber {
namespace {

class Handle {
 public:
  Handle(const std::string& path, int flags) {
    if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
      const std::string why = db_ ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close(db_);
      throw std::runtime_error("cannot open " + path + ": " + why);
    }
    sqlite3_busy_timeout(db_, 10'000);
  }
  ~Handle() { sqlite3_close(db_); }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  sqlite3* get() const { return db_; }

  // The first column of the first row of `sql` as text ("" for none).
  std::string text(const char* sql) const {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql, -1, &stmt, nullptr) != SQLITE_OK)
      throw std::runtime_error(std::string("cannot read the database: ") + sqlite3_errmsg(db_));
    std::string out;
    if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0))
      out = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    sqlite3_finalize(stmt);
    return out;
  }

 private:
  sqlite3* db_ = nullptr;
};

// Copies every page of `source` into `target` from one read snapshot.
std::int64_t copy_pages(const Handle& source, const Handle& target) {
  sqlite3_backup* backup = sqlite3_backup_init(target.get(), "main", source.get(), "main");
  if (!backup)
    throw std::runtime_error(std::string("cannot start the copy: ") +
                             sqlite3_errmsg(target.get()));
  // All pages in one step: one consistent snapshot, and in WAL mode the
  // server's writers carry on meanwhile. Smaller steps would restart the
  // copy each time a writer commits.
  int rc;
  while ((rc = sqlite3_backup_step(backup, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED)
    sqlite3_sleep(20);
  const std::int64_t pages = sqlite3_backup_pagecount(backup);
  sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE)
    throw std::runtime_error(std::string("the copy failed: ") + sqlite3_errstr(rc));
  return pages;
}

void check_integrity(const Handle& db, const std::string& path) {
  const std::string verdict = db.text("PRAGMA integrity_check");
  if (verdict != "ok") throw std::runtime_error(path + " failed its integrity check: " + verdict);
  if (db.text("SELECT name FROM sqlite_master WHERE name = 'schema_migrations'").empty())
    throw std::runtime_error(path + " is not a Noaber database");
}

int schema_version(const Handle& db) {
  const std::string v = db.text("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  return v.empty() ? 0 : std::stoi(v);
}

void sync_directory_of(const std::string& path) {
  const auto dir = std::filesystem::absolute(path).parent_path();
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

}  // namespace

BackupResult backup_database(const std::string& from, const std::string& to) {
  if (!std::filesystem::exists(from)) throw std::runtime_error("no database at " + from);
  const std::string partial = to + ".partial";
  std::filesystem::remove(partial);
  BackupResult result;
  try {
    Handle source(from, SQLITE_OPEN_READONLY);
    {
      Handle target(partial, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
      result.pages = copy_pages(source, target);
      // A backup is one self-contained file, not a WAL database with a
      // side file to lose.
      target.text("PRAGMA journal_mode = DELETE");
      check_integrity(target, to);
      result.schema_version = schema_version(target);
    }
    result.bytes = static_cast<std::int64_t>(std::filesystem::file_size(partial));
    std::filesystem::rename(partial, to);
    sync_directory_of(to);
  } catch (...) {
    std::error_code ignored;
    std::filesystem::remove(partial, ignored);
    throw;
  }
  return result;
}

BackupResult restore_database(const std::string& from, const std::string& to) {
  BackupResult result;
  Handle source(from, SQLITE_OPEN_READONLY);
  check_integrity(source, from);
  result.schema_version = schema_version(source);
  Handle target(to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  result.pages = copy_pages(source, target);
  // The restored database runs in WAL mode again, like every Noaber store.
  target.text("PRAGMA journal_mode = WAL");
  check_integrity(target, to);
  result.bytes = static_cast<std::int64_t>(std::filesystem::file_size(to));
  return result;
}

}  // namespace noaber
