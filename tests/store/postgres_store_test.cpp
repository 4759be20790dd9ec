// What only the PostgreSQL backend promises: how it opens and fails to
// open, and that several stores on one database (as several server
// processes would have) settle races and see each other's writes. Skipped
// without NOABER_TEST_POSTGRES_URL, like the contract suite's PostgreSQL half.

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "store/postgres/postgres_admin.h"
#include "store/postgres/postgres_store.h"
#include "store_contract.h"

namespace noaber::testing {
namespace {

class PostgresStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (const auto reason = PostgresFactory::skip_reason()) GTEST_SKIP() << *reason;
    factory_ = std::make_unique<PostgresFactory>();
  }

  std::unique_ptr<PostgresStore> open(int pool_size = 8) {
    auto store = std::make_unique<PostgresStore>(
        PostgresOptions{.url = factory_->conninfo(), .pool_size = pool_size});
    store->migrate();
    return store;
  }

  static NewUser new_user(const std::string& name) {
    return NewUser{.email = name + "@example.org", .display_name = name, .password_hash = "x"};
  }

  std::unique_ptr<PostgresFactory> factory_;
};

TEST(PostgresStoreOpening, AnUnreachableServerOrBadUrlThrows) {
  // A socket directory with no server in it: refused at once, no network.
  EXPECT_THROW(PostgresStore(PostgresOptions{
                   .url = "postgresql://nobody:secret@/db?host=/nonexistent-noaber&port=1"}),
               std::runtime_error);
  EXPECT_THROW(PostgresStore(PostgresOptions{.url = "postgresql://[bad"}), std::runtime_error);
  EXPECT_THROW(PostgresStore(PostgresOptions{.url = ""}), std::runtime_error);
}

TEST(PostgresStoreOpening, TheErrorDoesNotShowThePassword) {
  try {
    PostgresStore store(PostgresOptions{
        .url = "postgresql://nobody:sekrit-pw@/db?host=/nonexistent-noaber&port=1"});
    ADD_FAILURE() << "opening should have failed";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()).find("sekrit-pw"), std::string::npos) << e.what();
  }
}

TEST(PostgresAdmin, WithDatabaseReplacesOnlyTheDatabase) {
  const std::string conninfo =
      postgres::with_database("postgresql://anna@/postgres?host=/tmp/x&port=5433", "other");
  EXPECT_NE(conninfo.find("dbname='other'"), std::string::npos) << conninfo;
  EXPECT_NE(conninfo.find("host='/tmp/x'"), std::string::npos) << conninfo;
  EXPECT_NE(conninfo.find("port='5433'"), std::string::npos) << conninfo;
  EXPECT_NE(conninfo.find("user='anna'"), std::string::npos) << conninfo;
  EXPECT_EQ(conninfo.find("postgres'"), std::string::npos) << conninfo;
  EXPECT_THROW(postgres::create_database("host=/nowhere", "Robert'); DROP"),
               std::invalid_argument);
}

TEST_F(PostgresStoreTest, TwoStoresOnOneDatabaseSeeEachOthersWrites) {
  auto first = open();
  auto second = open();
  EXPECT_EQ(second->migrate(), 0);
  const auto user = first->create_user(new_user("a"));
  ASSERT_TRUE(user.has_value());
  EXPECT_EQ(second->get_user(user->id).value().display_name, "a");
  const auto again = second->create_user(new_user("a"));
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, ErrorCode::email_taken);
  // The client's message never carries SQL or the server's words.
  EXPECT_EQ(again.error().message.find("users_email"), std::string::npos);
  EXPECT_EQ(again.error().message.find("duplicate"), std::string::npos);
}

// Two managers approve the same pending member through two stores at once
// (two server processes): exactly one approval counts.
TEST_F(PostgresStoreTest, RacingApprovalsThroughTwoStoresHaveOneWinner) {
  auto first = open();
  auto second = open();
  const auto anna = first->create_user(new_user("anna")).value();
  const auto wijk = first->create_neighbourhood(
      NewNeighbourhood{.name = "Lombok", .region_name = "Utrecht", .lat = kUtrecht.lat,
                       .lon = kUtrecht.lon, .founder = anna.id},
      kNearbyKm).value();
  constexpr int kRounds = 10;
  for (int round = 0; round < kRounds; ++round) {
    const auto bert = first->create_user(new_user("bert" + std::to_string(round))).value();
    ASSERT_TRUE(first->add_member(NewMembership{.neighbourhood_id = wijk.id, .user_id = bert.id})
                    .has_value());
    std::atomic<int> verified{0};
    std::atomic<int> conflicts{0};
    std::vector<std::thread> managers;
    for (PostgresStore* store : {first.get(), second.get(), first.get(), second.get()}) {
      managers.emplace_back([&, store] {
        const auto result = store->verify_member(wijk.id, bert.id, TimePoint{});
        if (result) ++verified;
        else if (result.error().code == ErrorCode::conflict) ++conflicts;
      });
    }
    for (auto& m : managers) m.join();
    EXPECT_EQ(verified, 1);
    EXPECT_EQ(conflicts, 3);
  }
  EXPECT_EQ(second->get_neighbourhood(wijk.id).value().member_count, 1 + kRounds);
}

// More threads than connections: callers wait for a connection, none fails.
TEST_F(PostgresStoreTest, ASmallPoolServesManyThreads) {
  auto store = open(1);
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        const auto user =
            store->create_user(new_user("u" + std::to_string(t) + "-" + std::to_string(i)));
        if (!user || !store->get_user(user->id)) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures, 0);
  EXPECT_TRUE(store->ping().has_value());
}

// Connections the server ended (a restart) are replaced: reads and writes
// that had not begun go through on fresh ones.
TEST_F(PostgresStoreTest, ConnectionsEndedByTheServerAreReplaced) {
  auto store = open();
  const auto before = store->create_user(new_user("a"));
  ASSERT_TRUE(before.has_value());
  postgres::terminate_connections(PostgresFactory::admin_url(), factory_->database());
  EXPECT_TRUE(store->get_user(before->id).has_value());
  postgres::terminate_connections(PostgresFactory::admin_url(), factory_->database());
  EXPECT_TRUE(store->create_user(new_user("b")).has_value());
}

// A server that is gone is `unavailable` (try again later), not `internal`.
TEST_F(PostgresStoreTest, ALostDatabaseIsUnavailable) {
  auto store = open();
  ASSERT_TRUE(store->ping().has_value());
  factory_.reset();  // drops the database, ending the store's connections
  const auto ping = store->ping();
  ASSERT_FALSE(ping.has_value());
  EXPECT_EQ(ping.error().code, ErrorCode::unavailable);
  const auto user = store->create_user(new_user("a"));
  ASSERT_FALSE(user.has_value());
  EXPECT_EQ(user.error().code, ErrorCode::unavailable);
}

}  // namespace
}  // namespace noaber::testing
