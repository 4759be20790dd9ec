// Follow-ups on a clock the test moves (no sleeping): an ask or offer that
// reaches its expiry is closed as `expired`, once, even with two server
// processes on one database, and its author is told.

#include <thread>

#include "core/time_format.h"
#include "events/in_process_bus.h"
#include "services/follow_ups.h"
#include "support/api_fixture.h"

namespace noaber::test {
namespace {

namespace json = boost::json;

class FollowUpsApi : public ApiTest {
 protected:
  const Clock* clock() override { return &clock_; }
  void SetUp() override {
    ApiTest::SetUp();
    if (IsSkipped()) return;
    anna = register_resident("Anna");
    n = found(anna, "Binnenstad", 52.1395, 6.196);
    bert = register_resident("Bert");
    join_verified(bert, n, anna);
  }

  // A post by Anna that expires `after` from the clock's now.
  std::int64_t expiring(const std::string& title, std::chrono::seconds after) {
    auto r = post("/api/v1/neighbourhoods/" + std::to_string(n) + "/posts",
                  {{"kind", "ask"},
                   {"category", "goods"},
                   {"title", title},
                   {"expires_at", format_rfc3339(clock_.now() + after)}},
                  &anna);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json().at("post").at("id").as_int64();
  }

  std::string status_of(std::int64_t post_id) {
    auto r = get("/api/v1/posts/" + std::to_string(post_id), &anna);
    return json::value_to<std::string>(r.json().at("post").at("status"));
  }

  ManualClock clock_{std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now())};
  Resident anna, bert;
  std::int64_t n = 0;
};

TEST_F(FollowUpsApi, AnExpiredPostIsClosedOnceAndItsAuthorTold) {
  const auto soon = expiring("Ladder lenen", std::chrono::hours(1));
  const auto later = expiring("Steiger lenen", std::chrono::hours(3));

  ASSERT_EQ(app_->follow_ups().run_due()->expired, 0) << "nothing is due yet";
  clock_.advance(std::chrono::hours(2));
  // Read before the scheduler ran: already shown as expired.
  EXPECT_EQ(status_of(soon), "expired");
  ASSERT_EQ(app_->follow_ups().run_due()->expired, 1);
  ASSERT_EQ(app_->follow_ups().run_due()->expired, 0) << "once";
  EXPECT_EQ(status_of(soon), "expired");
  EXPECT_EQ(status_of(later), "open");

  auto page = get("/api/v1/me/notifications", &anna).json();
  const auto& list = page.at("notifications").as_array();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].at("kind"), "expired");
  EXPECT_EQ(list[0].at("post").at("id").as_int64(), soon);
  EXPECT_EQ(list[0].at("post").at("title"), "Ladder lenen");
  EXPECT_TRUE(list[0].at("actor").is_null());
  EXPECT_EQ(page.at("unread").as_int64(), 1);

  // The feed's status filter agrees before and after.
  auto feed = get("/api/v1/neighbourhoods/" + std::to_string(n) + "/feed?status=expired", &anna)
                  .json();
  ASSERT_EQ(feed.at("posts").as_array().size(), 1u);
  EXPECT_EQ(feed.at("posts").as_array()[0].at("id").as_int64(), soon);
  EXPECT_EQ(post("/api/v1/posts/" + std::to_string(soon) + "/responses",
                 {{"message", "Te laat?"}}, &bert)
                .status,
            409);
}

TEST_F(FollowUpsApi, AStoredExpiredPostCanBeReopenedOrClosedAsBefore) {
  const auto a = expiring("Ladder lenen", std::chrono::hours(1));
  const auto b = expiring("Steiger lenen", std::chrono::hours(1));
  clock_.advance(std::chrono::hours(2));
  ASSERT_EQ(app_->follow_ups().run_due()->expired, 2);

  auto renamed = patch("/api/v1/posts/" + std::to_string(a), {{"title", "Ladder nodig"}}, &anna);
  ASSERT_EQ(renamed.status, 200) << renamed.body;
  EXPECT_EQ(status_of(a), "expired") << "a new title alone does not reopen it";
  auto reopened = patch("/api/v1/posts/" + std::to_string(a),
                        {{"expires_at", format_rfc3339(clock_.now() + std::chrono::hours(5))}},
                        &anna);
  ASSERT_EQ(reopened.status, 200) << reopened.body;
  EXPECT_EQ(status_of(a), "open");
  EXPECT_EQ(app_->follow_ups().run_due()->expired, 0);
  clock_.advance(std::chrono::hours(6));
  EXPECT_EQ(app_->follow_ups().run_due()->expired, 1) << "and it can expire again";

  EXPECT_EQ(post_empty("/api/v1/posts/" + std::to_string(b) + "/close", &anna).status, 200);
  EXPECT_EQ(status_of(b), "closed");
}

TEST_F(FollowUpsApi, AnUnansweredAskReachesTheManagersAfter48Hours) {
  auto r = post("/api/v1/neighbourhoods/" + std::to_string(n) + "/posts",
                {{"kind", "ask"}, {"category", "care"}, {"title", "Wie kan koken?"}}, &bert);
  ASSERT_EQ(r.status, 201) << r.body;
  const auto ask = r.json().at("post").at("id").as_int64();
  clock_.advance(std::chrono::hours(47));
  EXPECT_EQ(app_->follow_ups().run_due()->escalated, 0);
  clock_.advance(std::chrono::hours(1));
  EXPECT_EQ(app_->follow_ups().run_due()->escalated, 1);
  EXPECT_EQ(app_->follow_ups().run_due()->escalated, 0) << "once";

  auto page = get("/api/v1/me/notifications", &anna).json();  // Anna founded: manager
  const auto& list = page.at("notifications").as_array();
  ASSERT_FALSE(list.empty());
  EXPECT_EQ(list[0].at("kind"), "unanswered");
  EXPECT_EQ(list[0].at("post").at("id").as_int64(), ask);
  EXPECT_EQ(list[0].at("actor").at("display_name"), "Bert");
  EXPECT_TRUE(get("/api/v1/me/notifications", &bert).json().at("notifications").as_array().empty());
}

TEST_F(FollowUpsApi, APromisedPostAsksItsAuthorAfterSevenDays) {
  const auto p = expiring("Ladder lenen", std::chrono::days(30));
  const auto rid = respond(bert, p, "Ik breng hem.");
  ASSERT_EQ(post_empty("/api/v1/responses/" + std::to_string(rid) + "/accept", &anna).status, 200);
  clock_.advance(std::chrono::days(7) - std::chrono::seconds(1));
  EXPECT_EQ(app_->follow_ups().run_due()->checked_in, 0);
  clock_.advance(std::chrono::seconds(1));
  EXPECT_EQ(app_->follow_ups().run_due()->checked_in, 1);
  EXPECT_EQ(app_->follow_ups().run_due()->checked_in, 0) << "once";
  auto page = get("/api/v1/me/notifications", &anna).json();
  const auto& list = page.at("notifications").as_array();
  ASSERT_FALSE(list.empty());
  EXPECT_EQ(list[0].at("kind"), "check_in");
  EXPECT_EQ(list[0].at("post").at("id").as_int64(), p);
  EXPECT_TRUE(list[0].at("actor").is_null());
}

// A second server process: its own store on the same database, its own
// follow-ups, running at the same moment as the first.
TEST_F(FollowUpsApi, TwoProcessesExpireEachPostOnce) {
  constexpr int kPosts = 30;
  for (int i = 0; i < kPosts; ++i)
    expiring("Vraag nummer " + std::to_string(i), std::chrono::minutes(10 + i));
  clock_.advance(std::chrono::hours(1));

  auto other_store = open_store(app_->config().db, 2).store;
  FollowUpService first(app_->store(), clock_, app_->events(), FollowUpPolicy{.batch = 4});
  InProcessEventBus other_events;  // the second process's own bus
  FollowUpService second(*other_store, clock_, other_events, FollowUpPolicy{.batch = 4});
  int by_first = 0, by_second = 0;
  std::thread a([&] {
    for (int tries = 0; tries < 50; ++tries)
      if (auto r = first.run_due()) { by_first += r->expired; break; }
  });
  std::thread b([&] {
    for (int tries = 0; tries < 50; ++tries)
      if (auto r = second.run_due()) { by_second += r->expired; break; }
  });
  a.join();
  b.join();
  EXPECT_EQ(by_first + by_second, kPosts) << by_first << " + " << by_second;
  EXPECT_EQ(app_->follow_ups().run_due()->expired, 0);
  auto page = get("/api/v1/me/notifications?limit=100", &anna).json();
  EXPECT_EQ(page.at("notifications").as_array().size(), static_cast<std::size_t>(kPosts));
  EXPECT_EQ(page.at("unread").as_int64(), kPosts);
}

TEST_F(FollowUpsApi, ARunStopsBetweenBatchesWhenToldAndTheNextTakesUpTheRest) {
  constexpr int kPosts = 12;
  for (int i = 0; i < kPosts; ++i)
    expiring("Vraag nummer " + std::to_string(i), std::chrono::minutes(10 + i));
  clock_.advance(std::chrono::hours(1));

  FollowUpService service(app_->store(), clock_, app_->events(), FollowUpPolicy{.batch = 2});
  int asked = 0;
  auto stopping = service.run_due([&] { return ++asked <= 3; });  // three batches, then stop
  ASSERT_TRUE(stopping);
  EXPECT_EQ(stopping->expired, 6);
  EXPECT_EQ(stopping->escalated, 0) << "a stopped run starts no other job";
  auto rest = service.run_due();
  ASSERT_TRUE(rest);
  EXPECT_EQ(rest->expired, kPosts - 6);
}

}  // namespace
}  // namespace noaber::test
