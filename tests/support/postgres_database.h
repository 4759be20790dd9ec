#pragma once
// A database of its own for one test, on the PostgreSQL server that
// NOABER_TEST_POSTGRES_URL names (scripts/test-postgres sets it).

#include <string>

namespace noaber::test {

class TestPostgresDatabase {
 public:
  // The server's URL from the environment; empty when the tests run without
  // PostgreSQL.
  static std::string admin_url();

  // Creates a fresh, empty database named `prefix` plus the process id and a
  // random suffix. Throws std::runtime_error when admin_url() is empty or
  // the server refuses.
  explicit TestPostgresDatabase(const std::string& prefix);
  // Drops the database, ending the connections still open on it.
  ~TestPostgresDatabase();
  TestPostgresDatabase(const TestPostgresDatabase&) = delete;
  TestPostgresDatabase& operator=(const TestPostgresDatabase&) = delete;

  const std::string& name() const { return name_; }
  // A postgresql:// URL of this database, as `noaber serve --db` takes it.
  const std::string& url() const { return url_; }

 private:
  std::string admin_;
  std::string name_;
  std::string url_;
};

}  // namespace noaber::test
