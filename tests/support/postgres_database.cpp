#include "support/postgres_database.h"

#include <unistd.h>

#include <cstdlib>
#include <random>
#include <stdexcept>

#include <fmt/format.h>

#include "store/postgres/postgres_admin.h"

namespace noaber::test {

namespace {

// The server's URL with another database: postgresql://user@/NAME?host=...
std::string url_for_database(const std::string& admin_url, const std::string& name) {
  const auto slash = admin_url.find('/', admin_url.find("://") + 3);
  const auto query = admin_url.find('?', slash);
  return admin_url.substr(0, slash + 1) + name +
         (query == std::string::npos ? "" : admin_url.substr(query));
}

}  // namespace

std::string TestPostgresDatabase::admin_url() {
  const char* value = std::getenv("NOABER_TEST_POSTGRES_URL");
  return value ? value : "";
}

TestPostgresDatabase::TestPostgresDatabase(const std::string& prefix) : admin_(admin_url()) {
  if (admin_.empty())
    throw std::runtime_error("NOABER_TEST_POSTGRES_URL is not set; run under scripts/test-postgres");
  if (admin_.find("://") == std::string::npos)
    throw std::runtime_error("NOABER_TEST_POSTGRES_URL must be a postgresql:// URL");
  std::random_device random;
  name_ = fmt::format("{}_{}_{:08x}", prefix, getpid(), random());
  postgres::create_database(admin_, name_);
  url_ = url_for_database(admin_, name_);
}

TestPostgresDatabase::~TestPostgresDatabase() {
  try {
    postgres::drop_database(admin_, name_);
  } catch (const std::exception&) {
    // Left behind in a throwaway cluster; nothing to do about it here.
  }
}

}  // namespace noaber::test
