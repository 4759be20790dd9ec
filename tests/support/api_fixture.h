#pragma once
// A whole Noaber (the real App: SQLite store, services, router, server) on a
// temporary database and port 0, and helpers that play residents through
// the HTTP API with a real client.

#include <cstdint>
#include <memory>
#include <string>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "app/app.h"
#include "support/http_client.h"
#include "support/temp_dir.h"

namespace noaber::test {

struct Resident {
  std::int64_t id = 0;
  std::string email;
  std::string display_name;
  std::string token;
  std::string csrf_token;
  Headers bearer() const { return {{"Authorization", "Bearer " + token}}; }
};

// The store is SQLite, or PostgreSQL when NOABER_API_BACKEND=postgres (then
// each test gets a fresh database on the server NOABER_TEST_POSTGRES_URL
// names, and the test skips without one). CTest runs the suite both ways.
// A fixture that overrides SetUp returns early when IsSkipped().
class ApiTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;
  // Override to change the configuration before the app starts.
  virtual void configure(AppConfig& config);
  // Override to give the app a clock of the test's own (a ManualClock);
  // nullptr is the system clock.
  virtual const Clock* clock() { return nullptr; }

  // A new client on its own connection.
  HttpClient client() const { return HttpClient("127.0.0.1", port_); }

  ClientResponse get(const std::string& target, const Resident* who = nullptr);
  ClientResponse post(const std::string& target, const boost::json::value& body,
                      const Resident* who = nullptr);
  ClientResponse post_empty(const std::string& target, const Resident* who = nullptr);
  ClientResponse patch(const std::string& target, const boost::json::value& body,
                       const Resident* who = nullptr);
  ClientResponse del(const std::string& target, const Resident* who = nullptr);

  // Flows, each asserting its own success.
  Resident register_resident(const std::string& name);
  std::int64_t found(const Resident& founder, const std::string& name, double lat, double lon,
                     const std::string& region = "Zutphen");
  std::string invite(const Resident& member, std::int64_t neighbourhood);
  // Joins with a fresh invite from `inviter`: a verified resident.
  void join_verified(const Resident& who, std::int64_t neighbourhood, const Resident& inviter);
  std::int64_t create_post(const Resident& author, std::int64_t neighbourhood,
                           const std::string& kind, const std::string& category,
                           const std::string& title,
                           const std::string& visibility = "neighbourhood");
  std::int64_t respond(const Resident& responder, std::int64_t post, const std::string& message);

  static std::string error_code(const ClientResponse& r);
  static std::string field_code(const ClientResponse& r, const std::string& field);

  std::unique_ptr<TempDir> dir_;
  std::string postgres_database_;  // dropped in TearDown
  std::unique_ptr<App> app_;
  std::uint16_t port_ = 0;
  std::unique_ptr<HttpClient> http_;
  int next_user_ = 0;
};

}  // namespace noaber::test
