// Store contract: what the feed cache (services/feed_cache.h) relies on:
// has_hidden_posts, and a write generation that every write moves and no
// read does (only where the backend offers one).

#include <array>

#include "store_contract.h"

namespace noaber::testing {
namespace {

template <typename Factory>
class FeedCacheSupport : public StoreContract<Factory> {};
TYPED_TEST_SUITE(FeedCacheSupport, StoreBackends, BackendName);

TYPED_TEST(FeedCacheSupport, HasHiddenPostsOnlyForTheAuthorOfOneHiddenNow) {
  const User anna = this->user("anna");
  const auto wijk = this->neighbourhood("Lombok", "Utrecht", kUtrecht, anna.id);
  const User bert = this->user("bert");
  const User carla = this->user("carla");
  this->member(wijk.id, bert.id);
  this->member(wijk.id, carla.id);
  const Post post = this->post(wijk.id, bert.id);
  this->post(wijk.id, carla.id);
  EXPECT_FALSE(must(this->store().has_hidden_posts(bert.id)));

  const Report r = must(this->store().create_report(NewReport{
      wijk.id, carla.id, ReportTarget::post, post.id.value, bert.id, "Not nice", this->at(300)}));
  must(this->store().moderate(ModerationDecision{wijk.id, anna.id, {r.id}, ModerationAction::hide,
                                                 "House rule 2", this->at(400)}));
  EXPECT_TRUE(must(this->store().has_hidden_posts(bert.id)));
  EXPECT_FALSE(must(this->store().has_hidden_posts(carla.id)));
  EXPECT_FALSE(must(this->store().has_hidden_posts(anna.id)));
  EXPECT_FALSE(must(this->store().has_hidden_posts(UserId{404})));
}

TYPED_TEST(FeedCacheSupport, EveryWriteMovesTheGenerationAndNoReadDoes) {
  const User anna = this->user("anna");
  const auto wijk = this->neighbourhood("Lombok", "Utrecht", kUtrecht, anna.id);
  const auto first = this->store().write_generation();
  if (!first) GTEST_SKIP() << "this backend offers no write generation (other processes write)";

  FeedQuery q{.neighbourhood_id = wijk.id, .now = this->at(500)};
  must(this->store().feed(q));
  must(this->store().get_neighbourhood(wijk.id));
  must(this->store().has_hidden_posts(anna.id));
  EXPECT_EQ(this->store().write_generation(), first) << "reads";

  // Sessions are no part of any page.
  must(this->store().create_session(NewSession{"hash-1", anna.id, this->at(100), this->at(9000)}));
  must(this->store().touch_session("hash-1", this->at(200)));
  EXPECT_EQ(this->store().write_generation(), first) << "sessions";

  // A new post that isn't region-wide moves only the feeds it reaches
  // (FeedGeneration below); a change to it moves everything.
  const auto feed_before = must(this->store().feed_generation(wijk.id));
  const Post post = this->post(wijk.id, anna.id);
  EXPECT_EQ(this->store().write_generation(), first) << "a new post";
  EXPECT_GT(*must(this->store().feed_generation(wijk.id)), *feed_before);
  const auto after_post = this->store().write_generation();

  // A refused write may move it too (never backwards); a kept one must.
  EXPECT_EQ(error_of(this->store().set_post_status(post.id, {PostStatus::done},
                                                   PostStatus::closed, this->at(600))),
            ErrorCode::conflict);
  const auto after_refusal = this->store().write_generation();
  EXPECT_GE(*after_refusal, *after_post);
  must(this->store().set_post_status(post.id, {PostStatus::open}, PostStatus::closed,
                                     this->at(600)));
  EXPECT_GT(*this->store().write_generation(), *after_refusal);
}

TYPED_TEST(FeedCacheSupport, FeedGenerationMovesWhenANewPostCanReachTheFeed) {
  const User anna = this->user("anna");
  const auto home = this->neighbourhood("Lombok", "Utrecht", kUtrecht, anna.id);
  const User bert = this->user("bert");
  const auto next_door = this->neighbourhood("Oost", "Utrecht", kUtrechtEast, bert.id);
  const User cor = this->user("cor");
  const auto far = this->neighbourhood("Maarssen", "Utrecht", kMaarssen, cor.id);
  const auto feeds = [&] {
    return std::array{must(this->store().feed_generation(home.id)),
                      must(this->store().feed_generation(next_door.id)),
                      must(this->store().feed_generation(far.id))};
  };
  const auto start = feeds();
  if (!start[0]) GTEST_SKIP() << "this backend offers no feed generation";

  auto add = [&](NeighbourhoodId n, UserId author, Visibility visibility) {
    must(this->store().create_post(NewPost{.neighbourhood_id = n, .author_id = author,
                                           .title = "Ladder", .body = "Te leen",
                                           .body_html = "<p>Te leen</p>",
                                           .visibility = visibility,
                                           .created_at = this->at(100)}));
    return feeds();
  };
  // Home only: its own feed moves, the others stay.
  const auto after_home = add(home.id, anna.id, Visibility::neighbourhood);
  EXPECT_GT(*after_home[0], *start[0]);
  EXPECT_EQ(after_home[1], start[1]);
  EXPECT_EQ(after_home[2], start[2]);
  // Next door's post may reach home's feed (they are nearby): both move.
  const auto after_next = add(next_door.id, bert.id, Visibility::nearby);
  EXPECT_GT(*after_next[0], *after_home[0]);
  EXPECT_GT(*after_next[1], *after_home[1]);
  EXPECT_EQ(after_next[2], after_home[2]);
  // A region-wide post moves them all, as any other write does.
  const auto after_region = add(far.id, cor.id, Visibility::region);
  for (std::size_t i = 0; i < 3; ++i) EXPECT_GT(*after_region[i], *after_next[i]) << i;
}

}  // namespace
}  // namespace noaber::testing
