// The feed's first page with the feed cache on (services/feed_cache.h): a
// reader who read the page before sees every change at once, and nobody
// gets a page that is not theirs (hidden posts, expiry on the clock,
// erased authors). On PostgreSQL the cache is off; the same checks run.

#include <cstdlib>
#include <string>
#include <vector>

#include "core/time_format.h"
#include "support/api_fixture.h"

namespace noaber::test {
namespace {
namespace json = boost::json;

class FeedCacheApi : public ApiTest {
 protected:
  const Clock* clock() override { return &clock_; }

  void SetUp() override {
    ApiTest::SetUp();
    if (IsSkipped()) return;
    manager_ = register_resident("Marijke");
    hood_ = found(manager_, "De Hoven", 52.13, 6.20);
    author_ = register_resident("Bert");
    join_verified(author_, hood_, manager_);
    reader_ = register_resident("Carla");
    join_verified(reader_, hood_, manager_);
  }

  std::string path(const std::string& rest) const {
    return "/api/v1/neighbourhoods/" + std::to_string(hood_) + rest;
  }

  json::array feed(const Resident& who, std::int64_t hood = 0) {
    auto r = get("/api/v1/neighbourhoods/" + std::to_string(hood ? hood : hood_) + "/feed", &who);
    EXPECT_EQ(r.status, 200) << r.body;
    if (r.status != 200) return {};
    return r.json().at("posts").as_array();
  }

  // The post with this id in the reader's first page, or null.
  json::value in_feed(const Resident& who, std::int64_t post_id, std::int64_t hood = 0) {
    for (const auto& p : feed(who, hood))
      if (p.at("id").as_int64() == post_id) return p;
    return nullptr;
  }

  // Reads the page twice and checks that the second read came from the
  // cache (SQLite; on PostgreSQL there is none).
  void read_twice_expecting_a_hit(const Resident& who) {
    FeedCache* cache = app_->feed_cache();
    const std::uint64_t before = cache ? cache->hits() : 0;
    const auto first = feed(who);
    const auto second = feed(who);
    EXPECT_EQ(json::serialize(first), json::serialize(second));
    if (cache)
      EXPECT_GT(cache->hits(), before) << "the page was not served from the cache";
    else
      EXPECT_EQ(std::string(std::getenv("NOABER_API_BACKEND") ? std::getenv("NOABER_API_BACKEND")
                                                              : ""),
                "postgres")
          << "the cache is off only on PostgreSQL";
  }

  ClientResponse hide(const Resident& reporter, std::int64_t post_id, const Resident& author,
                      std::int64_t hood) {
    auto reported = post("/api/v1/neighbourhoods/" + std::to_string(hood) + "/reports",
                         json::object{{"target", "post"}, {"id", post_id}, {"reason", "Spam"}},
                         &reporter);
    EXPECT_EQ(reported.status, 201) << reported.body;
    (void)author;
    return post("/api/v1/neighbourhoods/" + std::to_string(hood) + "/moderation",
                json::object{{"reports", json::array{reported.json().at("report").at("id")}},
                             {"action", "hide"},
                             {"reason", "Huisregel 1"}},
                hood == hood_ ? &manager_ : &other_manager_);
  }

  ManualClock clock_{std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now())};
  Resident manager_, author_, reader_, other_manager_;
  std::int64_t hood_ = 0;
};

TEST_F(FeedCacheApi, ANewPostAnEditAResponseAndACloseShowAtOnce) {
  const auto ladder = create_post(author_, hood_, "offer", "goods", "Een ladder te leen");
  read_twice_expecting_a_hit(reader_);

  const auto soup = create_post(author_, hood_, "offer", "care", "Soep over");
  ASSERT_FALSE(in_feed(reader_, soup).is_null()) << "new post";
  read_twice_expecting_a_hit(reader_);

  auto edited = patch("/api/v1/posts/" + std::to_string(ladder),
                      json::object{{"title", "Een trap te leen"}}, &author_);
  ASSERT_EQ(edited.status, 200) << edited.body;
  EXPECT_EQ(in_feed(reader_, ladder).at("title"), "Een trap te leen") << "edit";

  read_twice_expecting_a_hit(reader_);
  respond(reader_, ladder, "Graag!");
  EXPECT_EQ(in_feed(manager_, ladder).at("response_count"), 1) << "response count";

  read_twice_expecting_a_hit(reader_);
  ASSERT_EQ(post_empty("/api/v1/posts/" + std::to_string(soup) + "/close", &author_).status, 200);
  EXPECT_EQ(in_feed(reader_, soup).at("status"), "closed") << "close";
}

TEST_F(FeedCacheApi, AHiddenPostGoesAtOnceButItsAuthorAndTheManagersStillSeeIt) {
  const auto kept = create_post(reader_, hood_, "offer", "goods", "Een ladder te leen");
  const auto bad = create_post(author_, hood_, "ask", "goods", "Iets onaardigs");
  read_twice_expecting_a_hit(reader_);
  read_twice_expecting_a_hit(manager_);
  ASSERT_FALSE(in_feed(reader_, bad).is_null());

  auto hidden = hide(reader_, bad, author_, hood_);
  ASSERT_EQ(hidden.status, 200) << hidden.body;
  // Twice each, so a second (cacheable) read is checked too.
  for (int i = 0; i < 2; ++i) {
    EXPECT_TRUE(in_feed(reader_, bad).is_null()) << "hidden from other members";
    EXPECT_FALSE(in_feed(reader_, kept).is_null());
    EXPECT_EQ(in_feed(manager_, bad).at("hidden"), true) << "the manager still sees it";
    EXPECT_EQ(in_feed(author_, bad).at("hidden"), true) << "its author still sees it";
  }
}

// A new post that isn't region-wide makes stale only the cached pages it
// can reach (Store::feed_generation): its own neighbourhood's and, for a
// nearby post, those of the nearby set; a far neighbourhood's page stays.
TEST_F(FeedCacheApi, ANewPostShowsAtOnceWhereverItReachesAndLeavesOtherPagesCached) {
  other_manager_ = register_resident("Otto");
  const auto next_door = found(other_manager_, "Het Hoge", 52.135, 6.205);
  const Resident far_manager = register_resident("Fenna");
  const auto far = found(far_manager, "Warnsveld", 52.30, 6.40);
  read_twice_expecting_a_hit(reader_);
  feed(far_manager, far);
  FeedCache* cache = app_->feed_cache();
  const std::uint64_t misses = cache ? cache->misses() : 0;

  const auto kept_home = create_post(other_manager_, next_door, "offer", "goods", "Alleen hier");
  EXPECT_TRUE(in_feed(reader_, kept_home).is_null()) << "a neighbourhood-only post stays home";
  const auto shared = create_post(other_manager_, next_door, "offer", "goods", "Voor de buren",
                                  "nearby");
  ASSERT_FALSE(in_feed(reader_, shared).is_null()) << "a nearby post reaches the next door";
  EXPECT_FALSE(in_feed(other_manager_, shared, next_door).is_null());
  EXPECT_TRUE(in_feed(far_manager, shared, far).is_null());
  if (cache) {
    // The reader's page was read again for the nearby post only (not for
    // next door's own), next door's for its first reader; the far one never.
    EXPECT_EQ(cache->misses() - misses, 2u);
  }

  const auto everyone = create_post(far_manager, far, "ask", "care", "Voor de hele regio",
                                    "region");
  EXPECT_FALSE(in_feed(reader_, everyone).is_null()) << "a region post reaches the region";
  EXPECT_FALSE(in_feed(other_manager_, everyone, next_door).is_null());
}

TEST_F(FeedCacheApi, AnAuthorSeesTheirHiddenPostFromAnotherNeighbourhood) {
  // A post the author wrote in a nearby neighbourhood (when they lived
  // there: made in the store directly, as members live in one place),
  // visible to the nearby set, and hidden by that neighbourhood's manager.
  other_manager_ = register_resident("Otto");
  const auto nearby = found(other_manager_, "Het Hoge", 52.135, 6.205);
  auto created = app_->store().create_post(
      NewPost{NeighbourhoodId{nearby}, UserId{author_.id}, PostKind::offer, Category::goods,
              "Oude fiets", "", "", Visibility::nearby, clock_.now(),
              clock_.now() + std::chrono::hours(24 * 30)});
  ASSERT_TRUE(created);
  const auto fiets = created->id.value;
  ASSERT_FALSE(in_feed(reader_, fiets).is_null()) << "reaches the nearby set";
  read_twice_expecting_a_hit(reader_);

  auto hidden = hide(other_manager_, fiets, author_, nearby);
  ASSERT_EQ(hidden.status, 200) << hidden.body;
  for (int i = 0; i < 2; ++i) {
    EXPECT_TRUE(in_feed(reader_, fiets).is_null());
    EXPECT_TRUE(in_feed(manager_, fiets).is_null()) << "not this manager's to see";
    EXPECT_EQ(in_feed(author_, fiets).at("hidden"), true) << "its author still sees it";
  }
  read_twice_expecting_a_hit(reader_);  // the page without it is shared
  if (FeedCache* cache = app_->feed_cache()) {
    const auto bypasses = cache->bypasses();
    feed(author_);
    EXPECT_GT(cache->bypasses(), bypasses) << "the author reads their own page";
  }
}

TEST_F(FeedCacheApi, APostIsShownExpiredOnceItsExpiryPassesOnTheClock) {
  auto r = post(path("/posts"),
                {{"kind", "ask"},
                 {"category", "goods"},
                 {"title", "Ladder lenen"},
                 {"expires_at", format_rfc3339(clock_.now() + std::chrono::hours(1))}},
                &author_);
  ASSERT_EQ(r.status, 201) << r.body;
  const auto ladder = r.json().at("post").at("id").as_int64();
  create_post(author_, hood_, "offer", "goods", "Een trap te leen");
  read_twice_expecting_a_hit(reader_);
  EXPECT_EQ(in_feed(reader_, ladder).at("status"), "open");

  clock_.advance(std::chrono::minutes(59));
  EXPECT_EQ(in_feed(reader_, ladder).at("status"), "open");
  clock_.advance(std::chrono::minutes(1));
  EXPECT_EQ(in_feed(reader_, ladder).at("status"), "expired") << "no write, only the clock";
  read_twice_expecting_a_hit(reader_);
  EXPECT_EQ(in_feed(reader_, ladder).at("status"), "expired");
}

TEST_F(FeedCacheApi, AnErasedAuthorIsAFormerNeighbourAtOnce) {
  const auto ladder = create_post(author_, hood_, "offer", "goods", "Een ladder te leen");
  read_twice_expecting_a_hit(reader_);
  EXPECT_EQ(in_feed(reader_, ladder).at("author").at("display_name"), "Bert");

  Headers headers = author_.bearer();
  headers.emplace_back("Content-Type", "application/json");
  auto erased = http_->request(
      "DELETE", "/api/v1/me",
      json::serialize(json::object{{"password", "correct horse battery"}}), headers);
  ASSERT_EQ(erased.status, 204) << erased.body;

  const auto p = in_feed(reader_, ladder);
  ASSERT_FALSE(p.is_null());
  EXPECT_EQ(p.at("author").at("former_neighbour"), true);
  EXPECT_EQ(p.at("author").at("display_name"), "Former neighbour");
  EXPECT_EQ(p.at("status"), "closed") << "erasure closes open posts";
}

TEST_F(FeedCacheApi, FiltersCursorsAndOtherPageSizesAreTheirOwn) {
  for (int i = 0; i < 3; ++i)
    create_post(author_, hood_, i % 2 ? "ask" : "offer", "goods", "Post " + std::to_string(i));
  read_twice_expecting_a_hit(reader_);
  auto asks = get(path("/feed?kind=ask"), &reader_);
  ASSERT_EQ(asks.status, 200) << asks.body;
  EXPECT_EQ(asks.json().at("posts").as_array().size(), 1u);
  auto small = get(path("/feed?limit=2"), &reader_);
  ASSERT_EQ(small.status, 200) << small.body;
  EXPECT_EQ(small.json().at("posts").as_array().size(), 2u);
  auto rest = get(path("/feed?limit=2&cursor=") +
                      json::value_to<std::string>(small.json().at("next_cursor")),
                  &reader_);
  ASSERT_EQ(rest.status, 200) << rest.body;
  EXPECT_EQ(rest.json().at("posts").as_array().size(), 1u);
  EXPECT_EQ(feed(reader_).size(), 3u);
}

TEST_F(FeedCacheApi, OutsidersStillGetNotFound) {
  create_post(author_, hood_, "offer", "goods", "Een ladder te leen");
  read_twice_expecting_a_hit(reader_);
  const Resident outsider = register_resident("Otto");
  EXPECT_EQ(get(path("/feed"), &outsider).status, 404);
  EXPECT_EQ(get(path("/feed")).status, 401);
}

}  // namespace
}  // namespace noaber::test
