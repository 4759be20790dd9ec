// `noaber seed-synthetic` at a small scale: the data it writes is
// deterministic for a seed, consistent by the store's own rules, and usable
// through the HTTP API by the residents it creates. SQLite only (the
// generator refuses PostgreSQL), so CTest runs it once.

#include <algorithm>
#include <cstdint>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include <boost/json.hpp>
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "app/app.h"
#include "app/seed_synthetic.h"
#include "core/geo.h"
#include "store/sqlite/bulk_loader.h"
#include "support/http_client.h"
#include "support/temp_dir.h"

namespace noaber::test {
namespace {

namespace json = boost::json;

constexpr std::int64_t kResidents = 700;
constexpr std::int64_t kNeighbourhoods = 45;
constexpr std::int64_t kPosts = 2'500;

SyntheticOptions small(std::uint64_t seed) {
  SyntheticOptions o;
  o.residents = kResidents;
  o.neighbourhoods = kNeighbourhoods;
  o.posts = kPosts;
  o.seed = seed;
  return o;
}

SyntheticCounts seed(const std::string& path, std::uint64_t seed_value) {
  std::ostringstream progress;
  return seed_synthetic(path, small(seed_value), progress, ProgressStyle::none);
}

// FNV-1a over everything the Store API shows of the data set.
class Digest {
 public:
  void add(std::string_view text) {
    for (const unsigned char c : text) {
      hash_ ^= c;
      hash_ *= 0x100000001b3ULL;
    }
    add_separator();
  }
  void add(std::int64_t value) { add(std::string_view(std::to_string(value))); }
  void add(double value) { add(std::string_view(fmt::format("{:.9f}", value))); }
  void add(TimePoint t) { add(static_cast<std::int64_t>(t.time_since_epoch().count())); }
  std::uint64_t value() const { return hash_; }

 private:
  void add_separator() {
    hash_ ^= 0xff;
    hash_ *= 0x100000001b3ULL;
  }
  std::uint64_t hash_ = 0xcbf29ce484222325ULL;
};

std::uint64_t digest_of(Store& store) {
  Digest d;
  for (std::int64_t n = 1; n <= kNeighbourhoods; ++n) {
    auto hood = store.get_neighbourhood(NeighbourhoodId{n});
    if (!hood) return 0;
    d.add(hood->name);
    d.add(hood->region_name);
    d.add(hood->lat);
    d.add(hood->lon);
    d.add(hood->member_count);
  }
  for (std::int64_t u = 1; u <= kResidents; ++u) {
    auto user = store.get_user(UserId{u});
    if (!user) return 0;
    d.add(user->display_name);
    d.add(user->created_at);
  }
  for (std::int64_t p = 1; p <= kPosts; ++p) {
    auto post = store.get_post(PostId{p});
    if (!post) return 0;
    d.add(post->neighbourhood_id.value);
    d.add(post->author.id.value);
    d.add(post->title);
    d.add(post->body_html);
    d.add(to_string(post->visibility));
    d.add(to_string(post->status));
    d.add(post->created_at);
    auto responses = store.responses_for(post->id);
    if (!responses) return 0;
    for (const auto& r : *responses) {
      d.add(r.responder.id.value);
      d.add(r.message);
      d.add(to_string(r.status));
    }
  }
  return d.value();
}

class SyntheticSeedTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    path_ = dir_->file("synthetic.db").string();
    counts_ = seed(path_, 7);
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }

  static std::unique_ptr<Store> open() { return open_store(path_, 1).store; }

  static TempDir* dir_;
  static std::string path_;
  static SyntheticCounts counts_;
};

TempDir* SyntheticSeedTest::dir_ = nullptr;
std::string SyntheticSeedTest::path_;
SyntheticCounts SyntheticSeedTest::counts_;

TEST_F(SyntheticSeedTest, TheSameSeedGivesTheSameDataAndAnotherSeedOtherData) {
  const auto again = dir_->file("again.db").string();
  const auto other = dir_->file("other.db").string();
  const auto counts_again = seed(again, 7);
  const auto counts_other = seed(other, 8);
  EXPECT_EQ(counts_again.regions, counts_.regions);
  EXPECT_EQ(counts_again.nearby_pairs, counts_.nearby_pairs);
  EXPECT_EQ(counts_again.pending_members, counts_.pending_members);
  EXPECT_EQ(counts_again.responses, counts_.responses);
  EXPECT_EQ(counts_again.exchanges, counts_.exchanges);
  // Another seed: other data of the size asked for.
  EXPECT_EQ(counts_other.posts, counts_.posts);
  EXPECT_EQ(counts_other.residents, counts_.residents);

  const auto first = digest_of(*open());
  const auto second = digest_of(*open_store(again, 1).store);
  const auto third = digest_of(*open_store(other, 1).store);
  EXPECT_NE(first, 0u);
  EXPECT_EQ(first, second);
  EXPECT_NE(first, third);
}

TEST_F(SyntheticSeedTest, CountsMatchTheRowsAndEveryForeignKeyHolds) {
  EXPECT_EQ(counts_.neighbourhoods, kNeighbourhoods);
  EXPECT_EQ(counts_.residents, kResidents);
  EXPECT_EQ(counts_.posts, kPosts);
  EXPECT_GT(counts_.responses, 0);
  EXPECT_GT(counts_.exchanges, 0);
  EXPECT_EQ(SqliteBulkLoader::foreign_key_violations(path_), 0);

  auto store = open();
  std::int64_t members = 0, verified = 0;
  std::map<std::int64_t, int> per_region;
  for (std::int64_t n = 1; n <= kNeighbourhoods; ++n) {
    auto hood = store->get_neighbourhood(NeighbourhoodId{n});
    ASSERT_TRUE(hood) << n;
    ++per_region[hood->region_id.value];
    auto all = store->list_members(NeighbourhoodId{n}, std::nullopt);
    auto ok = store->list_members(NeighbourhoodId{n}, MemberStatus::verified);
    ASSERT_TRUE(all && ok);
    EXPECT_EQ(hood->member_count, static_cast<std::int64_t>(ok->size())) << n;
    EXPECT_EQ(std::ranges::count(*all, Role::manager, &Membership::role), 1) << n;
    members += static_cast<std::int64_t>(all->size());
    verified += static_cast<std::int64_t>(ok->size());
  }
  EXPECT_EQ(members, kResidents);  // one home each
  EXPECT_EQ(members - verified, counts_.pending_members);
  EXPECT_EQ(static_cast<std::int64_t>(per_region.size()), counts_.regions);
  for (const auto& [region, size] : per_region) {
    EXPECT_GE(size, 20) << region;
    EXPECT_LE(size, 200) << region;
  }

  EXPECT_TRUE(store->get_post(PostId{kPosts}));
  EXPECT_FALSE(store->get_post(PostId{kPosts + 1}));
  EXPECT_TRUE(store->get_user(UserId{kResidents}));
  EXPECT_FALSE(store->get_user(UserId{kResidents + 1}));
}

TEST_F(SyntheticSeedTest, TheFileIsAnOrdinaryMigratedWalDatabaseWithStatistics) {
  // The loader skips CHECK constraints while it writes and builds the
  // indexes in a second transaction; what it leaves must not differ from a
  // database the server migrated itself, and every constraint must hold.
  const auto fresh = dir_->file("fresh.db").string();
  open_store(fresh, 0);
  const auto loaded = SqliteBulkLoader::file_facts(path_);
  const auto migrated = SqliteBulkLoader::file_facts(fresh);
  EXPECT_EQ(loaded.quick_check, "ok");
  EXPECT_EQ(loaded.journal_mode, "wal");
  EXPECT_EQ(loaded.schema, migrated.schema);
  EXPECT_GT(loaded.schema.size(), 20u);
  EXPECT_GT(loaded.statistics_rows, 0);
}

TEST_F(SyntheticSeedTest, PostsFollowTheRulesTheServicesKeep) {
  auto store = open();
  std::set<PostKind> kinds;
  std::set<Category> categories;
  std::set<Visibility> visibilities;
  std::set<PostStatus> statuses;
  std::int64_t responses = 0;
  std::set<std::int64_t> done_posts;
  for (std::int64_t p = 1; p <= kPosts; ++p) {
    auto post = store->get_post(PostId{p});
    ASSERT_TRUE(post) << p;
    kinds.insert(post->kind);
    categories.insert(post->category);
    visibilities.insert(post->visibility);
    statuses.insert(post->status);
    auto author = store->get_membership(post->neighbourhood_id, post->author.id);
    ASSERT_TRUE(author) << "post " << p << ": its author is no member of its neighbourhood";
    EXPECT_EQ(author->status, MemberStatus::verified) << p;
    EXPECT_FALSE(post->author.display_name.empty());

    auto answers = store->responses_for(post->id);
    ASSERT_TRUE(answers);
    EXPECT_EQ(post->response_count, static_cast<std::int64_t>(answers->size())) << p;
    responses += static_cast<std::int64_t>(answers->size());
    const auto accepted = std::ranges::count(*answers, ResponseStatus::accepted,
                                             &PostResponse::status);
    for (const auto& r : *answers) {
      EXPECT_NE(r.responder.id, post->author.id) << p;
      auto m = store->get_membership(post->neighbourhood_id, r.responder.id);
      ASSERT_TRUE(m) << p;
      EXPECT_EQ(m->status, MemberStatus::verified);
    }
    if (post->status == PostStatus::promised || post->status == PostStatus::done) {
      EXPECT_GE(accepted, 1) << p;
    }
    if (post->status == PostStatus::open || post->status == PostStatus::expired) {
      EXPECT_EQ(accepted, 0) << p;
    }
    if (post->status == PostStatus::done) done_posts.insert(p);
  }
  EXPECT_EQ(kinds.size(), 2u);
  EXPECT_EQ(categories.size(), 5u);
  EXPECT_EQ(visibilities.size(), 3u);
  EXPECT_EQ(statuses.size(), 5u);
  EXPECT_EQ(responses, counts_.responses);

  // Exchanges only of done posts, and every done post has its exchange.
  std::int64_t exchanges = 0;
  std::set<std::int64_t> exchanged_posts;
  for (std::int64_t n = 1; n <= kNeighbourhoods; ++n) {
    auto page = store->exchanges(NeighbourhoodId{n}, std::nullopt, 100'000);
    ASSERT_TRUE(page);
    for (const auto& e : *page) {
      ++exchanges;
      EXPECT_TRUE(done_posts.contains(e.post_id.value)) << "exchange " << e.id.value;
      EXPECT_NE(e.giver.id, e.receiver.id);
      exchanged_posts.insert(e.post_id.value);
    }
  }
  EXPECT_EQ(exchanges, counts_.exchanges);
  EXPECT_EQ(exchanged_posts, done_posts);
}

TEST_F(SyntheticSeedTest, NearbySetsHoldExactlyTheNeighbourhoodsWithinReach) {
  auto store = open();
  std::vector<Neighbourhood> hoods;
  for (std::int64_t n = 1; n <= kNeighbourhoods; ++n)
    hoods.push_back(*store->get_neighbourhood(NeighbourhoodId{n}));
  std::int64_t pairs = 0;
  for (const auto& a : hoods) {
    EXPECT_GE(a.lat, 50.7);
    EXPECT_LE(a.lat, 53.6);
    EXPECT_GE(a.lon, 3.3);
    EXPECT_LE(a.lon, 7.3);
    for (const auto& b : hoods) {
      if (a.id == b.id) continue;
      const bool near = distance_km(a.lat, a.lon, b.lat, b.lon) <= SyntheticOptions{}.nearby_km;
      EXPECT_EQ(*store->are_nearby(a.id, b.id), near) << a.id.value << " " << b.id.value;
      if (near && a.id < b.id) ++pairs;
    }
  }
  EXPECT_EQ(pairs, counts_.nearby_pairs);
  EXPECT_GT(pairs, kNeighbourhoods);  // a handful each, not none
}

TEST_F(SyntheticSeedTest, ASyntheticResidentLogsInAndReadsTheFeedOverHttp) {
  AppConfig config;
  config.db = path_;
  config.port = 0;
  config.io_threads = 1;
  config.handle_signals = false;
  App app(config);
  const auto port = app.start();
  HttpClient http("127.0.0.1", port);

  // r2 is a verified resident or waiting for approval; r1 manages the first
  // neighbourhood, so take r1.
  auto login = http.post_json("/api/v1/auth/login",
                              json::object{{"email", "r1@example.org"},
                                           {"password", std::string(kSyntheticPassword)}});
  ASSERT_EQ(login.status, 200) << login.body;
  const std::string token(login.json().at("token").as_string());
  const Headers auth{{"Authorization", "Bearer " + token}};

  auto wrong = http.post_json("/api/v1/auth/login", json::object{{"email", "r1@example.org"},
                                                                  {"password", "not-it"}});
  EXPECT_EQ(wrong.status, 401);

  auto feed = http.get("/api/v1/neighbourhoods/1/feed", auth);
  ASSERT_EQ(feed.status, 200) << feed.body;
  const auto page = feed.json();
  const auto& posts = page.at("posts").as_array();
  ASSERT_EQ(posts.size(), 20u);

  auto expected = app.store().feed(FeedQuery{.neighbourhood_id = NeighbourhoodId{1},
                                             .now = std::chrono::time_point_cast<std::chrono::seconds>(
                                                 std::chrono::system_clock::now()),
                                             .limit = 20});
  ASSERT_TRUE(expected);
  ASSERT_EQ(expected->size(), 20u);
  for (std::size_t i = 0; i < posts.size(); ++i)
    EXPECT_EQ(posts[i].at("id").as_int64(), (*expected)[i].id.value) << i;

  // A neighbourhood that is not r1's home answers 404, as for anyone.
  auto elsewhere = http.get("/api/v1/neighbourhoods/2/feed", auth);
  EXPECT_EQ(elsewhere.status, 404);
  app.stop();
}

TEST(SyntheticSeedOptions, RefusesImpossibleOptionsAndPostgres) {
  TempDir dir;
  std::ostringstream progress;
  SyntheticOptions o;
  o.residents = 5;
  o.neighbourhoods = 10;
  o.posts = 0;
  EXPECT_THROW(seed_synthetic(dir.file("a.db").string(), o, progress, ProgressStyle::none),
               std::invalid_argument);
  o.residents = 10;
  EXPECT_THROW(seed_synthetic("postgresql://u@localhost/x", o, progress, ProgressStyle::none),
               std::invalid_argument);
  // A database with users already is refused, not mixed into.
  const auto path = dir.file("b.db").string();
  EXPECT_NO_THROW(seed_synthetic(path, o, progress, ProgressStyle::none));
  EXPECT_THROW(seed_synthetic(path, o, progress, ProgressStyle::none), std::runtime_error);
}

}  // namespace
}  // namespace noaber::test
