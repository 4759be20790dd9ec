// Store contract: responses, accepting them, completing posts, exchanges.

#include <vector>

#include "store_contract.h"

namespace noaber::testing {
namespace {

template <typename Factory>
class ResponsesAndExchanges : public StoreContract<Factory> {
 protected:
  void SetUp() override {
    StoreContract<Factory>::SetUp();
    anna_ = this->user("anna");
    wijk_ = this->neighbourhood("Lombok", "Utrecht", kUtrecht, anna_.id);
  }

  Post promised_post(PostKind kind, UserId responder) {
    const Post p = this->post(wijk_.id, anna_.id, Visibility::neighbourhood, kind, Category::care);
    must(this->store().accept_response(this->respond(p.id, responder).id, this->at(300)));
    return p;
  }

  User anna_;
  Neighbourhood wijk_;
};
TYPED_TEST_SUITE(ResponsesAndExchanges, StoreBackends, BackendName);

TYPED_TEST(ResponsesAndExchanges, ResponsesAreCountedAndListed) {
  const Post p = this->post(this->wijk_.id, this->anna_.id);
  const User bert = this->user("bert");
  const User cor = this->user("cor");

  const PostResponse first = this->respond(p.id, bert.id);
  EXPECT_GT(first.id.value, 0);
  EXPECT_EQ(first.post_id, p.id);
  EXPECT_EQ(first.neighbourhood_id, this->wijk_.id);
  EXPECT_EQ(first.responder.id, bert.id);
  EXPECT_EQ(first.responder.display_name, "bert");
  EXPECT_EQ(first.message, "Ik kan helpen");
  EXPECT_EQ(first.status, ResponseStatus::pending);
  EXPECT_EQ(first.created_at, this->at(200));
  EXPECT_EQ(must(this->store().get_post(p.id)).response_count, 1);

  const PostResponse second = this->respond(p.id, cor.id);
  EXPECT_EQ(must(this->store().get_post(p.id)).response_count, 2);

  const auto listed = must(this->store().responses_for(p.id));
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].id, first.id);
  EXPECT_EQ(listed[1].id, second.id);
  EXPECT_EQ(must(this->store().get_response(second.id)).responder.display_name, "cor");
  EXPECT_TRUE(must(this->store().responses_for(PostId{404})).empty());
  EXPECT_EQ(error_of(this->store().get_response(ResponseId{404})), ErrorCode::not_found);
}

TYPED_TEST(ResponsesAndExchanges, OneResponsePerNeighbourPerPost) {
  const Post p = this->post(this->wijk_.id, this->anna_.id);
  const User bert = this->user("bert");
  this->respond(p.id, bert.id);
  EXPECT_EQ(error_of(this->store().create_response(NewResponse{
                .post_id = p.id, .responder_id = bert.id, .message = "Nog eens",
                .created_at = this->at(201)})),
            ErrorCode::conflict);
  EXPECT_EQ(must(this->store().get_post(p.id)).response_count, 1);
}

TYPED_TEST(ResponsesAndExchanges, OnlyOpenOrPromisedPostsTakeResponses) {
  const User bert = this->user("bert");
  EXPECT_EQ(error_of(this->store().create_response(NewResponse{
                .post_id = PostId{404}, .responder_id = bert.id, .created_at = this->at(1)})),
            ErrorCode::not_found);

  const Post promised = this->promised_post(PostKind::ask, bert.id);
  EXPECT_TRUE(this->store()
                  .create_response(NewResponse{.post_id = promised.id,
                                               .responder_id = this->user("cor").id,
                                               .created_at = this->at(301)})
                  .has_value());

  const Post p = this->post(this->wijk_.id, this->anna_.id);
  must(this->store().set_post_status(p.id, {PostStatus::open}, PostStatus::closed, this->at(2)));
  EXPECT_EQ(error_of(this->store().create_response(NewResponse{
                .post_id = p.id, .responder_id = bert.id, .created_at = this->at(3)})),
            ErrorCode::conflict);
  EXPECT_EQ(must(this->store().get_post(p.id)).response_count, 0);
}

TYPED_TEST(ResponsesAndExchanges, AcceptingMakesThePostPromised) {
  const Post p = this->post(this->wijk_.id, this->anna_.id);
  const auto bert = this->respond(p.id, this->user("bert").id);
  const auto cor = this->respond(p.id, this->user("cor").id);

  const PostResponse accepted = must(this->store().accept_response(bert.id, this->at(300)));
  EXPECT_EQ(accepted.status, ResponseStatus::accepted);
  EXPECT_EQ(accepted.id, bert.id);
  const Post after = must(this->store().get_post(p.id));
  EXPECT_EQ(after.status, PostStatus::promised);
  EXPECT_EQ(after.updated_at, this->at(300));

  // A promised post can accept more helpers, but each response only once.
  EXPECT_TRUE(this->store().accept_response(cor.id, this->at(301)).has_value());
  EXPECT_EQ(error_of(this->store().accept_response(bert.id, this->at(302))),
            ErrorCode::conflict);
  EXPECT_EQ(error_of(this->store().accept_response(ResponseId{404}, this->at(302))),
            ErrorCode::not_found);
}

TYPED_TEST(ResponsesAndExchanges, ClosedOrDonePostsAcceptNothing) {
  const Post p = this->post(this->wijk_.id, this->anna_.id);
  const auto bert = this->respond(p.id, this->user("bert").id);
  must(this->store().set_post_status(p.id, {PostStatus::open}, PostStatus::closed, this->at(250)));
  EXPECT_EQ(error_of(this->store().accept_response(bert.id, this->at(300))), ErrorCode::conflict);
  EXPECT_EQ(must(this->store().get_response(bert.id)).status, ResponseStatus::pending);
  EXPECT_EQ(must(this->store().get_post(p.id)).status, PostStatus::closed);

  const Post done = this->promised_post(PostKind::ask, this->user("cor").id);
  const auto late = this->respond(done.id, this->user("dirk").id);
  must(this->store().complete_post(Completion{.post_id = done.id, .completed_at = this->at(400)}));
  EXPECT_EQ(error_of(this->store().accept_response(late.id, this->at(401))), ErrorCode::conflict);
}

TYPED_TEST(ResponsesAndExchanges, CompletingAnAskMakesTheRespondersGivers) {
  const Post p = this->post(this->wijk_.id, this->anna_.id, Visibility::neighbourhood,
                            PostKind::ask, Category::knowledge);
  const User bert = this->user("bert");
  const User cor = this->user("cor");
  const User dirk = this->user("dirk");
  must(this->store().accept_response(this->respond(p.id, bert.id).id, this->at(300)));
  this->respond(p.id, cor.id);  // not accepted: no exchange
  must(this->store().accept_response(this->respond(p.id, dirk.id).id, this->at(301)));

  const auto made = must(this->store().complete_post(Completion{
      .post_id = p.id, .thanks = "Dank jullie wel!", .hours = 1.5,
      .completed_at = this->at(500)}));
  ASSERT_EQ(made.size(), 2u);
  EXPECT_EQ(made[0].giver.id, bert.id);
  EXPECT_EQ(made[0].giver.display_name, "bert");
  EXPECT_EQ(made[1].giver.id, dirk.id);
  for (const Exchange& e : made) {
    EXPECT_GT(e.id.value, 0);
    EXPECT_EQ(e.post_id, p.id);
    EXPECT_EQ(e.neighbourhood_id, this->wijk_.id);
    EXPECT_EQ(e.receiver.id, this->anna_.id);
    EXPECT_EQ(e.receiver.display_name, "anna");
    EXPECT_EQ(e.category, Category::knowledge);
    EXPECT_EQ(e.hours, 1.5);
    EXPECT_EQ(e.thanks, "Dank jullie wel!");
    EXPECT_EQ(e.completed_at, this->at(500));
  }
  const Post done = must(this->store().get_post(p.id));
  EXPECT_EQ(done.status, PostStatus::done);
  EXPECT_EQ(done.updated_at, this->at(500));
}

TYPED_TEST(ResponsesAndExchanges, CompletingAnOfferMakesTheRespondersReceivers) {
  const User bert = this->user("bert");
  const Post p = this->promised_post(PostKind::offer, bert.id);
  const auto made =
      must(this->store().complete_post(Completion{.post_id = p.id, .completed_at = this->at(500)}));
  ASSERT_EQ(made.size(), 1u);
  EXPECT_EQ(made[0].giver.id, this->anna_.id);
  EXPECT_EQ(made[0].receiver.id, bert.id);
  EXPECT_EQ(made[0].category, Category::care);
  EXPECT_EQ(made[0].hours, std::nullopt);
  EXPECT_EQ(made[0].thanks, std::nullopt);
}

TYPED_TEST(ResponsesAndExchanges, OnlyAPromisedPostCanBeCompleted) {
  const Post open = this->post(this->wijk_.id, this->anna_.id);
  EXPECT_EQ(error_of(this->store().complete_post(
                Completion{.post_id = open.id, .completed_at = this->at(500)})),
            ErrorCode::conflict);
  EXPECT_EQ(must(this->store().get_post(open.id)).status, PostStatus::open);
  EXPECT_EQ(error_of(this->store().complete_post(
                Completion{.post_id = PostId{404}, .completed_at = this->at(500)})),
            ErrorCode::not_found);

  const Post p = this->promised_post(PostKind::ask, this->user("bert").id);
  must(this->store().complete_post(Completion{.post_id = p.id, .completed_at = this->at(500)}));
  EXPECT_EQ(error_of(this->store().complete_post(
                Completion{.post_id = p.id, .completed_at = this->at(501)})),
            ErrorCode::conflict);
  EXPECT_EQ(must(this->store().exchanges(this->wijk_.id, std::nullopt, 10)).size(), 1u);
}

TYPED_TEST(ResponsesAndExchanges, ExchangesAreNewestFirstAndPaged) {
  const auto other = this->neighbourhood("Oost", "Utrecht", kUtrechtEast);
  const User helper = this->user("helper");
  std::vector<std::int64_t> expected;
  for (int i = 0; i < 5; ++i) {
    const Post p = this->promised_post(i % 2 ? PostKind::ask : PostKind::offer, helper.id);
    const auto made =
        must(this->store().complete_post(
            Completion{.post_id = p.id, .completed_at = this->at(600 + i)}));
    expected.insert(expected.begin(), made[0].id.value);
  }
  // Exchanges of another neighbourhood stay out.
  const User olga = this->user("olga");
  const User piet = this->user("piet");
  this->member(other.id, olga.id);
  const Post theirs = this->post(other.id, olga.id);
  must(this->store().accept_response(this->respond(theirs.id, piet.id).id, this->at(300)));
  must(this->store().complete_post(
      Completion{.post_id = theirs.id, .completed_at = this->at(700)}));

  auto ids = [&](std::optional<ExchangeId> before, int limit) {
    std::vector<std::int64_t> out;
    for (const Exchange& e : must(this->store().exchanges(this->wijk_.id, before, limit)))
      out.push_back(e.id.value);
    return out;
  };
  EXPECT_EQ(ids(std::nullopt, 10), expected);
  const auto first = ids(std::nullopt, 2);
  EXPECT_EQ(first, (std::vector<std::int64_t>{expected[0], expected[1]}));
  EXPECT_EQ(ids(ExchangeId{first.back()}, 10),
            (std::vector<std::int64_t>{expected[2], expected[3], expected[4]}));
  EXPECT_TRUE(ids(std::nullopt, 0).empty());
  EXPECT_TRUE(must(this->store().exchanges(NeighbourhoodId{404}, std::nullopt, 10)).empty());
}

}  // namespace
}  // namespace noaber::testing
