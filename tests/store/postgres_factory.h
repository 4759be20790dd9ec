#pragma once
// The PostgreSQL backend's factory for the Store contract suite. It runs
// only when a server is given: NOABER_TEST_POSTGRES_URL names a database
// on it whose user may create databases (scripts/test-postgres starts a
// throwaway cluster and sets it). Each test gets a database of its own,
// created from that URL and dropped afterwards, so tests stay independent.

#include <gtest/gtest.h>

#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <exception>
#include <memory>
#include <optional>
#include <random>
#include <string>

#include <fmt/format.h>

#include "store/postgres/postgres_admin.h"
#include "store/postgres/postgres_store.h"

namespace noaber::testing {

class PostgresFactory {
 public:
  using StoreType = PostgresStore;
  static constexpr const char* kName = "postgres";
  static constexpr const char* kUrlVariable = "NOABER_TEST_POSTGRES_URL";

  // Why this backend's tests cannot run; nullopt when they can.
  static std::optional<std::string> skip_reason() {
    if (admin_url().empty())
      return fmt::format("{} is not set; run under scripts/test-postgres to test PostgreSQL",
                         kUrlVariable);
    return std::nullopt;
  }

  // Creates this test's database; without a server, nothing (the test is
  // skipped before it opens a store).
  PostgresFactory() {
    if (admin_url().empty()) return;
    std::random_device random;
    name_ = fmt::format("noaber_test_{}_{:08x}", getpid(), random());
    postgres::create_database(admin_url(), name_);
    conninfo_ = postgres::with_database(admin_url(), name_);
  }

  ~PostgresFactory() {
    if (name_.empty()) return;
    try {
      postgres::drop_database(admin_url(), name_);
    } catch (const std::exception& e) {
      // A destructor must not throw; a leftover database goes with the
      // throwaway cluster.
      std::fprintf(stderr, "could not drop test database %s: %s\n", name_.c_str(), e.what());
    }
  }

  PostgresFactory(const PostgresFactory&) = delete;
  PostgresFactory& operator=(const PostgresFactory&) = delete;

  std::unique_ptr<PostgresStore> open() {
    return std::make_unique<PostgresStore>(PostgresOptions{.url = conninfo_});
  }
  const std::string& conninfo() const { return conninfo_; }
  const std::string& database() const { return name_; }

  static std::string admin_url() {
    const char* url = getenv(kUrlVariable);
    return url ? url : "";
  }

 private:
  std::string name_;
  std::string conninfo_;
};

}  // namespace noaber::testing
