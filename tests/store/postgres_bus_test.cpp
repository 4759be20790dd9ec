// The PostgreSQL event bus: two buses on one database stand in for two
// server processes. Runs when NOABER_TEST_POSTGRES_URL names a server
// (scripts/test-postgres); skipped otherwise. Waits have generous deadlines;
// nothing here measures time.

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <vector>

#include <gtest/gtest.h>

#include <libpq-fe.h>

#include "events/postgres_bus.h"
#include "postgres_factory.h"
#include "store/postgres/postgres_admin.h"

namespace noaber {
namespace {
using namespace std::chrono_literals;
constexpr auto kPatience = 15s;

PostEvent sample(std::int64_t id) {
  PostEvent e{PostEventType::created, PostId{id},      NeighbourhoodId{3}, RegionId{2},
              Visibility::region,     PostKind::ask,   Category::money,    "Wie helpt?"};
  e.author_id = UserId{4};
  return e;
}

// What one subscriber heard, waitable from the test's thread.
class Heard {
 public:
  EventBus::Handler handler() {
    return [this](const Event& event) {
      {
        std::lock_guard lock(mutex_);
        if (const auto* e = std::get_if<PostEvent>(&event)) events_.push_back(*e);
        else others_.push_back(event);
      }
      changed_.notify_all();
    };
  }
  // Waits until an event about post `id` arrived.
  bool wait_for(std::int64_t id, std::chrono::milliseconds within) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, within, [&] {
      for (const auto& e : events_)
        if (e.post_id.value == id) return true;
      return false;
    });
  }
  std::vector<PostEvent> events() {
    std::lock_guard lock(mutex_);
    return events_;
  }
  // Waits until `count` events that are not about posts arrived.
  std::vector<Event> wait_for_others(std::size_t count, std::chrono::milliseconds within) {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, within, [&] { return others_.size() >= count; });
    return others_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<PostEvent> events_;
  std::vector<Event> others_;
};

// Sends a raw NOTIFY, as something else on the database might.
void notify_raw(const std::string& conninfo, const std::string& channel,
                const std::string& payload) {
  PGconn* connection = PQconnectdb(conninfo.c_str());
  ASSERT_EQ(PQstatus(connection), CONNECTION_OK) << PQerrorMessage(connection);
  const char* values[] = {channel.c_str(), payload.c_str()};
  PGresult* result =
      PQexecParams(connection, "SELECT pg_notify($1, $2)", 2, nullptr, values, nullptr, nullptr, 0);
  EXPECT_EQ(PQresultStatus(result), PGRES_TUPLES_OK) << PQerrorMessage(connection);
  PQclear(result);
  PQfinish(connection);
}

class PostgresEventBusTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (auto reason = testing::PostgresFactory::skip_reason()) GTEST_SKIP() << *reason;
    factory_.emplace();
  }
  std::unique_ptr<PostgresEventBus> bus(std::string channel = "noaber_events") {
    return std::make_unique<PostgresEventBus>(PostgresEventBusOptions{
        .url = factory_->conninfo(), .channel = std::move(channel)});
  }
  // Declared first: the database outlives the buses on it.
  std::optional<testing::PostgresFactory> factory_;
};

TEST_F(PostgresEventBusTest, AnEventPublishedInOneProcessArrivesInTheOther) {
  auto one = bus();
  auto other = bus();
  Heard heard_here, heard_there;
  auto here = one->subscribe(heard_here.handler());
  auto there = other->subscribe(heard_there.handler());

  const PostEvent event = sample(41);
  one->publish(event);
  ASSERT_TRUE(heard_there.wait_for(41, kPatience));
  EXPECT_EQ(heard_there.events().front(), event);
  // The publishing process hears its own event the same way.
  ASSERT_TRUE(heard_here.wait_for(41, kPatience));

  other->publish(sample(42));
  other->publish(sample(43));
  ASSERT_TRUE(heard_here.wait_for(43, kPatience));
  ASSERT_TRUE(heard_there.wait_for(43, kPatience));
  // One publisher's events keep their order.
  std::vector<std::int64_t> order;
  for (const auto& e : heard_here.events()) order.push_back(e.post_id.value);
  EXPECT_EQ(order, (std::vector<std::int64_t>{41, 42, 43}));
}

TEST_F(PostgresEventBusTest, UserEventsCrossProcessesToo) {
  auto one = bus();
  auto other = bus();
  Heard heard;
  auto subscription = other->subscribe(heard.handler());
  one->publish(NotificationEvent{UserId{7}});
  one->publish(AccessChangedEvent{UserId{8}});
  const auto got = heard.wait_for_others(2, kPatience);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0], Event(NotificationEvent{UserId{7}}));
  EXPECT_EQ(got[1], Event(AccessChangedEvent{UserId{8}}));
}

TEST_F(PostgresEventBusTest, MalformedPayloadsAreDroppedAndListeningGoesOn) {
  auto one = bus();
  Heard heard;
  auto subscription = one->subscribe(heard.handler());
  for (const std::string& payload : std::vector<std::string>{
           "", "not json", "[1,2]", R"({"type":"notification","user":"7"})",
        R"({"type":"post_created","id":1})", R"({"type":"access","user":0})",
        std::string(7990, '{')})
    notify_raw(factory_->conninfo(), "noaber_events", payload);
  one->publish(sample(5));
  ASSERT_TRUE(heard.wait_for(5, kPatience));
  // Only the well-formed event arrived; the listener is still the first one.
  EXPECT_EQ(heard.events().size(), 1u);
  EXPECT_TRUE(heard.wait_for_others(1, 100ms).empty());
  EXPECT_EQ(one->reconnects(), 0);
}

TEST_F(PostgresEventBusTest, OtherChannelsAreNotHeard) {
  auto one = bus("noaber_events");
  auto other = bus("another_app");
  Heard heard;
  auto subscription = one->subscribe(heard.handler());
  other->publish(sample(7));  // on another channel
  one->publish(sample(8));
  ASSERT_TRUE(heard.wait_for(8, kPatience));
  ASSERT_EQ(heard.events().size(), 1u);
  EXPECT_EQ(heard.events().front().post_id.value, 8);
}

TEST_F(PostgresEventBusTest, ListensAgainAfterLosingItsConnection) {
  auto one = bus();
  auto other = bus();
  Heard heard;
  auto subscription = other->subscribe(heard.handler());
  one->publish(sample(1));
  ASSERT_TRUE(heard.wait_for(1, kPatience));

  // The server ends every connection to the database (a restart, say):
  // the listener's and the publisher's.
  postgres::terminate_connections(testing::PostgresFactory::admin_url(), factory_->database());

  // Events sent while the listener is away are lost (best effort), so keep
  // publishing until one arrives.
  const auto deadline = std::chrono::steady_clock::now() + kPatience;
  bool arrived = false;
  for (std::int64_t id = 100; !arrived && std::chrono::steady_clock::now() < deadline; ++id) {
    one->publish(sample(id));
    arrived = heard.wait_for(id, 200ms);
  }
  EXPECT_TRUE(arrived) << "no event arrived after the connections were ended";
  EXPECT_GE(other->reconnects(), 1);
}

TEST_F(PostgresEventBusTest, StopsWhileReconnecting) {
  auto one = bus();
  postgres::terminate_connections(testing::PostgresFactory::admin_url(), factory_->database());
  // Joins the listener thread, whatever it was doing (a hang fails the test
  // by its timeout).
  one.reset();
  EXPECT_FALSE(one);
}

TEST(PostgresEventBusStartup, FailsLoudlyWithoutADatabase) {
  EXPECT_THROW(PostgresEventBus(PostgresEventBusOptions{
                   .url = "postgresql://nobody@127.0.0.1:1/none?connect_timeout=2"}),
               std::runtime_error);
}

}  // namespace
}  // namespace noaber
