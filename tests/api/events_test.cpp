// GET /api/v1/neighbourhoods/{id}/events: the feed's live updates as
// server-sent events, through the real server and a client that reads the
// stream as it arrives. Waits have generous deadlines; nothing here measures
// time.

#include <thread>

#include <boost/json.hpp>

#include "support/api_fixture.h"
#include "support/event_stream_client.h"

namespace noaber::test {
namespace {
namespace json = boost::json;
using namespace std::chrono_literals;

// How long an event may take to arrive before the test gives up on it.
constexpr auto kPatience = 15s;

class EventsTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    if (IsSkipped()) return;
    anna_ = register_resident("Anna");
    a_ = found(anna_, "Binnenstad", 52.1395, 6.196, "Zutphen");
    bert_ = register_resident("Bert");
    join_verified(bert_, a_, anna_);
  }

  static std::string events_path(std::int64_t hood) {
    return "/api/v1/neighbourhoods/" + std::to_string(hood) + "/events";
  }

  std::unique_ptr<EventStreamClient> open(std::int64_t hood, const Resident* who) {
    return std::make_unique<EventStreamClient>("127.0.0.1", port_, events_path(hood),
                                               who ? who->bearer() : Headers{});
  }

  // The next event about a post: Bert's own notifications (as a responder)
  // come on his stream too (live_updates_test.cpp).
  static std::optional<SseEvent> next_post_event(EventStreamClient& stream) {
    for (;;) {
      auto event = stream.next_event(kPatience);
      if (!event || event->name != "notification") return event;
    }
  }

  static std::string error_of(const EventStreamClient& stream) {
    return error_code(stream.response());
  }

  // Waits until the process holds `n` open live feeds.
  bool wait_for_open_feeds(int n) {
    const auto deadline = std::chrono::steady_clock::now() + kPatience;
    while (app_->live_feed().open_subscriptions() != n) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      std::this_thread::sleep_for(10ms);
    }
    return true;
  }

  Resident anna_, bert_;
  std::int64_t a_ = 0;
};

TEST_F(EventsTest, AMemberReceivesCreatedAndUpdatedPosts) {
  auto stream = open(a_, &bert_);
  ASSERT_EQ(stream->response().status, 200) << stream->response().body;
  ASSERT_TRUE(stream->streaming());
  EXPECT_EQ(stream->response().header("content-type"), "text/event-stream");
  EXPECT_EQ(stream->response().header("cache-control"), "no-store");
  EXPECT_FALSE(stream->response().header("content-length"));

  const auto asked = create_post(anna_, a_, "ask", "goods", "Wie leent mij een ladder?");
  auto created = stream->next_event(kPatience);
  ASSERT_TRUE(created) << "no event; received: " << stream->body_so_far();
  EXPECT_EQ(created->name, "post_created");
  EXPECT_EQ(created->id, std::to_string(asked));
  const json::value data = json::parse(created->data);
  EXPECT_EQ(data, (json::value{{"id", asked},
                               {"kind", "ask"},
                               {"category", "goods"},
                               {"title", "Wie leent mij een ladder?"},
                               {"status", "open"}}));

  auto edited = patch("/api/v1/posts/" + std::to_string(asked),
                      {{"title", "Wie leent mij een trap?"}}, &anna_);
  ASSERT_EQ(edited.status, 200) << edited.body;
  auto updated = stream->next_event(kPatience);
  ASSERT_TRUE(updated) << stream->body_so_far();
  EXPECT_EQ(updated->name, "post_updated");
  EXPECT_EQ(json::parse(updated->data).at("title"), "Wie leent mij een trap?");

  // A change of status is an update too: accept (promised), then complete.
  const auto response = respond(bert_, asked, "Ik heb er een.");
  auto accepted =
      post_empty("/api/v1/responses/" + std::to_string(response) + "/accept", &anna_);
  ASSERT_EQ(accepted.status, 200) << accepted.body;
  auto promised = next_post_event(*stream);
  ASSERT_TRUE(promised) << stream->body_so_far();
  EXPECT_EQ(promised->name, "post_updated");
  EXPECT_EQ(promised->id, std::to_string(asked));
  EXPECT_EQ(json::parse(promised->data).at("status"), "promised");
  auto completed = post("/api/v1/posts/" + std::to_string(asked) + "/complete",
                        {{"thanks", "Dank je!"}}, &anna_);
  ASSERT_EQ(completed.status, 200) << completed.body;
  auto done = next_post_event(*stream);
  ASSERT_TRUE(done) << stream->body_so_far();
  EXPECT_EQ(done->name, "post_updated");
  EXPECT_EQ(json::parse(done->data).at("status"), "done");

  const auto other = create_post(anna_, a_, "offer", "care", "Ik kook voor twee");
  ASSERT_EQ(post_empty("/api/v1/posts/" + std::to_string(other) + "/close", &anna_).status, 200);
  auto offer = next_post_event(*stream);
  ASSERT_TRUE(offer);
  EXPECT_EQ(offer->name, "post_created");
  auto closed = next_post_event(*stream);
  ASSERT_TRUE(closed) << stream->body_so_far();
  EXPECT_EQ(closed->name, "post_updated");
  EXPECT_EQ(closed->id, std::to_string(other));
}

TEST_F(EventsTest, OnlyPostsThatReachTheNeighbourhoodArrive) {
  // B far away in another region; N within the nearby distance of A; C in
  // A's region but not near it.
  const Resident carl = register_resident("Carl");
  const auto b = found(carl, "Binnenstad Groningen", 53.2194, 6.5665, "Groningen");
  const Resident dora = register_resident("Dora");
  const auto n = found(dora, "De Hoven", 52.1420, 6.2010, "Zutphen");
  const Resident erik = register_resident("Erik");
  const auto c = found(erik, "Warnsveld", 52.1330, 6.2800, "Zutphen");

  auto stream = open(a_, &bert_);
  ASSERT_EQ(stream->response().status, 200) << stream->response().body;

  // Published in this order; the stream keeps it, so the ones that reach A
  // arriving as the first three shows the others never came.
  create_post(carl, b, "ask", "goods", "Ver weg, regio", "region");
  create_post(dora, n, "ask", "goods", "Dichtbij, alleen de buurt", "neighbourhood");
  const auto near = create_post(dora, n, "ask", "goods", "Dichtbij, voor de omgeving", "nearby");
  create_post(erik, c, "ask", "goods", "Zelfde regio, niet dichtbij", "nearby");
  const auto region = create_post(erik, c, "ask", "goods", "Zelfde regio", "region");
  const auto own = create_post(anna_, a_, "ask", "goods", "In de eigen buurt");

  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) {
    auto event = stream->next_event(kPatience);
    ASSERT_TRUE(event) << "after " << i << " events; received: " << stream->body_so_far();
    ids.push_back(event->id);
  }
  EXPECT_EQ(ids, (std::vector<std::string>{std::to_string(near), std::to_string(region),
                                           std::to_string(own)}));
}

TEST_F(EventsTest, OnlyVerifiedMembersMayListen) {
  auto anonymous = open(a_, nullptr);
  EXPECT_EQ(anonymous->response().status, 401);
  EXPECT_EQ(error_of(*anonymous), "unauthenticated");

  const Resident outsider = register_resident("Olga");
  found(outsider, "Binnenstad Groningen", 53.2194, 6.5665, "Groningen");
  auto stranger = open(a_, &outsider);
  EXPECT_EQ(stranger->response().status, 404);
  EXPECT_EQ(error_of(*stranger), "not_found");

  const Resident pending = register_resident("Piet");
  ASSERT_EQ(post_empty("/api/v1/neighbourhoods/" + std::to_string(a_) + "/join", &pending).status,
            201);
  auto waiting = open(a_, &pending);
  // The same answer the feed gives a pending member.
  EXPECT_EQ(waiting->response().status,
            get("/api/v1/neighbourhoods/" + std::to_string(a_) + "/feed", &pending).status);
  EXPECT_EQ(waiting->response().status, 403);
  EXPECT_EQ(error_of(*waiting), "not_verified");

  auto unknown = open(999999, &bert_);
  EXPECT_EQ(unknown->response().status, 404);
  EXPECT_EQ(app_->live_feed().open_subscriptions(), 0);
}

TEST_F(EventsTest, AClientThatLeavesFreesItsPlace) {
  auto stream = open(a_, &bert_);
  ASSERT_EQ(stream->response().status, 200);
  ASSERT_TRUE(wait_for_open_feeds(1));
  stream->close();
  EXPECT_TRUE(wait_for_open_feeds(0)) << "the server did not notice the client left";
}

TEST_F(EventsTest, StoppingTheServerEndsOpenStreams) {
  auto first = open(a_, &bert_);
  auto second = open(a_, &anna_);
  ASSERT_EQ(first->response().status, 200);
  ASSERT_EQ(second->response().status, 200);
  app_->stop();  // must return although two streams are open
  EXPECT_TRUE(first->wait_for_end(kPatience));
  EXPECT_TRUE(second->wait_for_end(kPatience));
  EXPECT_EQ(app_->live_feed().open_subscriptions(), 0);
}

class EventLimitsTest : public EventsTest {
 protected:
  void configure(AppConfig& config) override {
    config.live_feed.max_streams = 2;
    config.live_feed.max_streams_per_user = 1;
  }
};

TEST_F(EventLimitsTest, OpenStreamsAreBoundedPerUserAndPerProcess) {
  auto first = open(a_, &bert_);
  ASSERT_EQ(first->response().status, 200);
  auto again = open(a_, &bert_);
  EXPECT_EQ(again->response().status, 429);
  EXPECT_EQ(error_of(*again), "rate_limited");
  EXPECT_TRUE(again->response().header("retry-after"));

  auto annas = open(a_, &anna_);
  ASSERT_EQ(annas->response().status, 200);
  const Resident carl = register_resident("Carl");
  join_verified(carl, a_, anna_);
  auto full = open(a_, &carl);
  EXPECT_EQ(full->response().status, 503);
  EXPECT_EQ(error_of(*full), "unavailable");

  // A stream that ends gives its place back.
  first->close();
  ASSERT_TRUE(wait_for_open_feeds(1));
  auto carls = open(a_, &carl);
  EXPECT_EQ(carls->response().status, 200);
}

// The server's read and idle timeouts are for requests; a quiet stream
// outlives them both.
class EventTimeoutsTest : public EventsTest {
 protected:
  void configure(AppConfig& config) override {
    config.read_timeout = 1s;
    config.idle_timeout = 1s;
    config.stream_heartbeat = std::chrono::hours(1);
  }
};

TEST_F(EventTimeoutsTest, AQuietStreamOutlivesTheRequestTimeouts) {
  auto stream = open(a_, &bert_);
  ASSERT_EQ(stream->response().status, 200);
  std::this_thread::sleep_for(3s);
  const auto post = create_post(anna_, a_, "ask", "goods", "Na een stille tijd");
  auto event = stream->next_event(kPatience);
  ASSERT_TRUE(event) << "the stream ended; received: " << stream->body_so_far();
  EXPECT_EQ(event->id, std::to_string(post));
}

class EventHeartbeatTest : public EventsTest {
 protected:
  void configure(AppConfig& config) override { config.stream_heartbeat = 1s; }
};

TEST_F(EventHeartbeatTest, AQuietStreamSendsHeartbeatComments) {
  auto stream = open(a_, &bert_);
  ASSERT_EQ(stream->response().status, 200);
  EXPECT_TRUE(stream->wait_for_text(": keep-alive\n\n", kPatience)) << stream->body_so_far();
  // Comments are no events.
  EXPECT_FALSE(stream->next_event(10ms));
}

}  // namespace
}  // namespace noaber::test
