// Store contract: what the feed cache (services/feed_cache.h) relies on:
// has_hidden_posts, and a write generation that every write moves and no
// read does (only where the backend offers one).

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

  const Post post = this->post(wijk.id, anna.id);
  const auto after_post = this->store().write_generation();
  ASSERT_TRUE(after_post);
  EXPECT_GT(*after_post, *first);

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

}  // namespace
}  // namespace noaber::testing
