// Store contract: the raw material of the community health figures
// (tie_exchanges, post_outcomes).

#include <vector>

#include "store_contract.h"

namespace noaber::testing {
namespace {

template <typename Factory>
class CommunityHealthStore : public StoreContract<Factory> {
 protected:
  void SetUp() override {
    StoreContract<Factory>::SetUp();
    anna_ = this->user("anna");
    lombok_ = this->neighbourhood("Lombok", "Utrecht", kUtrecht, anna_.id);
    bert_ = this->user("bert");
    this->member(lombok_.id, bert_.id);
    cor_ = this->user("cor");
    oost_ = this->neighbourhood("Oost", "Utrecht", kUtrechtEast, cor_.id);
  }

  Post post_at(NeighbourhoodId n, UserId author, PostKind kind, Visibility visibility,
               std::int64_t created) {
    NewPost p = this->new_post(n, author, visibility, kind, Category::care);
    p.created_at = this->at(created);
    return must(this->store().create_post(p));
  }

  PostResponse respond_at(PostId p, UserId responder, std::int64_t created) {
    return must(this->store().create_response(NewResponse{
        .post_id = p, .responder_id = responder, .message = "Ik help", .created_at = this->at(created)}));
  }

  // The post answered by `helper`, accepted and completed at `completed`.
  void exchange(const Post& p, UserId helper, std::int64_t completed) {
    const PostResponse r = respond_at(p.id, helper, completed - 50);
    must(this->store().accept_response(r.id, this->at(completed - 10)));
    must(this->store().complete_post(
        Completion{.post_id = p.id, .thanks = "Dank!", .hours = 1.5, .completed_at = this->at(completed)}));
  }

  User anna_, bert_, cor_;
  Neighbourhood lombok_, oost_;
};
TYPED_TEST_SUITE(CommunityHealthStore, StoreBackends, BackendName);

TYPED_TEST(CommunityHealthStore, TieExchangesAreTheNeighbourhoodsOwnOldestFirstWithHomes) {
  // Completed later but created first: the order is by completion.
  const Post ask = this->post_at(this->lombok_.id, this->anna_.id, PostKind::ask,
                                 Visibility::neighbourhood, 100);
  const Post offer = this->post_at(this->lombok_.id, this->anna_.id, PostKind::offer,
                                   Visibility::nearby, 110);
  const Post elsewhere = this->post_at(this->oost_.id, this->cor_.id, PostKind::ask,
                                       Visibility::nearby, 120);
  this->exchange(ask, this->bert_.id, 1000);
  this->exchange(offer, this->cor_.id, 500);       // Oost's resident received
  this->exchange(elsewhere, this->anna_.id, 700);  // Oost's post: not Lombok's

  const auto all = must(this->store().tie_exchanges(this->lombok_.id, this->at(2000)));
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].giver, this->anna_.id);
  EXPECT_EQ(all[0].receiver, this->cor_.id);
  EXPECT_EQ(all[0].category, Category::care);
  EXPECT_EQ(all[0].completed_at, this->at(500));
  EXPECT_EQ(all[0].giver_home, this->lombok_.id);
  EXPECT_EQ(all[0].receiver_home, this->oost_.id);
  EXPECT_EQ(all[1].giver, this->bert_.id);
  EXPECT_EQ(all[1].receiver, this->anna_.id);
  EXPECT_EQ(all[1].completed_at, this->at(1000));
  EXPECT_EQ(all[1].giver_home, this->lombok_.id);
  EXPECT_EQ(all[1].receiver_home, this->lombok_.id);

  // `until` is exclusive.
  const auto before = must(this->store().tie_exchanges(this->lombok_.id, this->at(1000)));
  ASSERT_EQ(before.size(), 1u);
  EXPECT_EQ(before[0].completed_at, this->at(500));
  EXPECT_TRUE(must(this->store().tie_exchanges(NeighbourhoodId{404}, this->at(2000))).empty());
}

TYPED_TEST(CommunityHealthStore, AnErasedPartyKeepsItsIdButHasNoHome) {
  const Post ask = this->post_at(this->lombok_.id, this->anna_.id, PostKind::ask,
                                 Visibility::neighbourhood, 100);
  this->exchange(ask, this->bert_.id, 1000);
  must(this->store().erase_user(this->bert_.id, this->at(1500)));

  const auto all = must(this->store().tie_exchanges(this->lombok_.id, this->at(2000)));
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].giver, this->bert_.id);
  EXPECT_EQ(all[0].giver_home, std::nullopt);
  EXPECT_EQ(all[0].receiver_home, this->lombok_.id);
}

TYPED_TEST(CommunityHealthStore, AProfessionalMembershipIsNoHome) {
  const User dirk = this->user("dirk");
  this->member(this->lombok_.id, dirk.id, Role::professional);
  const Post ask = this->post_at(this->lombok_.id, this->anna_.id, PostKind::ask,
                                 Visibility::neighbourhood, 100);
  this->exchange(ask, dirk.id, 1000);
  const auto all = must(this->store().tie_exchanges(this->lombok_.id, this->at(2000)));
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].giver, dirk.id);
  EXPECT_EQ(all[0].giver_home, std::nullopt);
}

TYPED_TEST(CommunityHealthStore, PostOutcomesHaveKindCategoryFirstResponseAndStatus) {
  const Post answered = this->post_at(this->lombok_.id, this->anna_.id, PostKind::ask,
                                      Visibility::neighbourhood, 100);
  const Post waiting = this->post_at(this->lombok_.id, this->bert_.id, PostKind::ask,
                                     Visibility::nearby, 150);
  const Post unanswered = this->post_at(this->lombok_.id, this->anna_.id, PostKind::ask,
                                        Visibility::neighbourhood, 160);
  const Post offer =
      this->post_at(this->lombok_.id, this->anna_.id, PostKind::offer, Visibility::neighbourhood, 170);
  this->post_at(this->oost_.id, this->cor_.id, PostKind::ask, Visibility::nearby, 180);
  this->post_at(this->lombok_.id, this->anna_.id, PostKind::ask, Visibility::neighbourhood, 3000);
  this->exchange(answered, this->bert_.id, 1000);  // responded at 950
  // The earliest response counts, whoever gave it and in whatever order.
  this->respond_at(waiting.id, this->cor_.id, 400);
  this->respond_at(waiting.id, this->anna_.id, 300);
  must(this->store().set_post_status(unanswered.id, {PostStatus::open}, PostStatus::closed,
                                     this->at(900)));

  const auto posts = must(this->store().post_outcomes(this->lombok_.id, this->at(0), this->at(3000)));
  ASSERT_EQ(posts.size(), 4u);
  EXPECT_EQ(posts[0].id, answered.id);
  EXPECT_EQ(posts[0].kind, PostKind::ask);
  EXPECT_EQ(posts[0].category, Category::care);
  EXPECT_EQ(posts[0].created_at, this->at(100));
  EXPECT_EQ(posts[0].first_response_at, this->at(950));
  EXPECT_EQ(posts[0].status, PostStatus::done);
  EXPECT_EQ(posts[1].id, waiting.id);
  EXPECT_EQ(posts[1].first_response_at, this->at(300));
  EXPECT_EQ(posts[1].status, PostStatus::open);
  EXPECT_EQ(posts[2].id, unanswered.id);
  EXPECT_EQ(posts[2].first_response_at, std::nullopt);
  EXPECT_EQ(posts[2].status, PostStatus::closed);
  EXPECT_EQ(posts[3].id, offer.id);
  EXPECT_EQ(posts[3].kind, PostKind::offer);
  EXPECT_EQ(posts[3].first_response_at, std::nullopt);
  EXPECT_EQ(posts[3].status, PostStatus::open);

  // from is inclusive, until exclusive.
  const auto window = must(this->store().post_outcomes(this->lombok_.id, this->at(150), this->at(160)));
  ASSERT_EQ(window.size(), 1u);
  EXPECT_EQ(window[0].id, waiting.id);
}

}  // namespace
}  // namespace noaber::testing
