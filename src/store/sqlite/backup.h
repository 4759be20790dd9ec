#pragma once
// Consistent copies of a live SQLite database, and putting one back.
//
// backup_database uses SQLite's online backup API from one read snapshot:
// in WAL mode a reader does not block the server's writers, so a backup can
// run while Noaber serves, and it holds every transaction committed before
// it started and none after. The copy is written beside the target, checked
// with PRAGMA integrity_check, synced, and only then renamed into place.

#include <cstdint>
#include <functional>
#include <string>

namespace noaber {

struct BackupResult {
  std::int64_t pages = 0;
  std::int64_t bytes = 0;
  int schema_version = 0;
};

// Throws std::runtime_error (with SQLite's message) when it fails; a failed
// backup leaves no file at `to`.
BackupResult backup_database(const std::string& from, const std::string& to);

// Replaces the database at `to` with the backup at `from` after checking the
// backup's integrity. The server must be stopped. Throws std::runtime_error.
BackupResult restore_database(const std::string& from, const std::string& to);

}  // namespace noaber
