// Store contract: in-app notifications, made in the transactions of the
// changes they tell about, listed newest first, marked read only by their
// owner, exported and erased with the account.

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

#include "store_contract.h"

namespace noaber::testing {
namespace {

template <typename Factory>
class Notifications : public StoreContract<Factory> {
 protected:
  void SetUp() override {
    StoreContract<Factory>::SetUp();
    anna_ = this->user("anna");
    bert_ = this->user("bert");
    cor_ = this->user("cor");
    wijk_ = this->neighbourhood("Lombok", "Utrecht", kUtrecht, anna_.id);
  }

  std::vector<Notification> of(const User& u) {
    return must(this->store().notifications(u.id, std::nullopt, 100));
  }

  User anna_, bert_, cor_;
  Neighbourhood wijk_;
};
TYPED_TEST_SUITE(Notifications, StoreBackends, BackendName);

TYPED_TEST(Notifications, ResponseAcceptanceAndCompletionEachTellTheOtherSide) {
  const Post p = this->post(this->wijk_.id, this->anna_.id);
  const PostResponse from_bert = this->respond(p.id, this->bert_.id);
  this->respond(p.id, this->cor_.id);

  auto anna = this->of(this->anna_);
  ASSERT_EQ(anna.size(), 2u);
  EXPECT_EQ(anna[0].kind, NotificationKind::response);
  ASSERT_TRUE(anna[0].actor && anna[1].actor);
  EXPECT_EQ(anna[0].actor->display_name, "cor");  // newest first
  EXPECT_EQ(anna[1].actor->display_name, "bert");
  EXPECT_EQ(anna[1].actor->id, this->bert_.id);
  EXPECT_EQ(anna[1].user_id, this->anna_.id);
  EXPECT_EQ(anna[1].post_id, p.id);
  EXPECT_EQ(anna[1].post_title, "Ladder lenen");
  EXPECT_EQ(anna[1].created_at, this->at(200));
  EXPECT_FALSE(anna[1].read_at);
  EXPECT_GT(anna[0].id.value, anna[1].id.value);
  EXPECT_EQ(must(this->store().unread_notifications(this->anna_.id)), 2);
  EXPECT_TRUE(this->of(this->bert_).empty());

  must(this->store().accept_response(from_bert.id, this->at(300)));
  auto bert = this->of(this->bert_);
  ASSERT_EQ(bert.size(), 1u);
  EXPECT_EQ(bert[0].kind, NotificationKind::accepted);
  ASSERT_TRUE(bert[0].actor);
  EXPECT_EQ(bert[0].actor->display_name, "anna");
  EXPECT_EQ(bert[0].created_at, this->at(300));
  EXPECT_TRUE(this->of(this->cor_).size() == 0u);  // cor was not accepted

  must(this->store().complete_post(
      Completion{.post_id = p.id, .thanks = "Dank!", .hours = 1.5, .completed_at = this->at(400)}));
  bert = this->of(this->bert_);
  ASSERT_EQ(bert.size(), 2u);
  EXPECT_EQ(bert[0].kind, NotificationKind::thanks);
  ASSERT_TRUE(bert[0].actor);
  EXPECT_EQ(bert[0].actor->display_name, "anna");
  EXPECT_EQ(bert[0].created_at, this->at(400));
  EXPECT_TRUE(this->of(this->cor_).empty());  // only accepted responders are thanked
  EXPECT_EQ(this->of(this->anna_).size(), 2u);
}

TYPED_TEST(Notifications, ARefusedChangeLeavesNoNotification) {
  const Post p = this->post(this->wijk_.id, this->anna_.id);
  const PostResponse r = this->respond(p.id, this->bert_.id);
  EXPECT_EQ(error_of(this->store().create_response(NewResponse{
                .post_id = p.id, .responder_id = this->bert_.id, .message = "Nog eens",
                .created_at = this->at(201)})),
            ErrorCode::conflict);
  EXPECT_EQ(this->of(this->anna_).size(), 1u);
  must(this->store().accept_response(r.id, this->at(300)));
  EXPECT_EQ(error_of(this->store().accept_response(r.id, this->at(301))), ErrorCode::conflict);
  EXPECT_EQ(this->of(this->bert_).size(), 1u);
}

TYPED_TEST(Notifications, PagesByCursorNewestFirst) {
  for (int i = 0; i < 5; ++i) {
    const Post p = this->post(this->wijk_.id, this->anna_.id);
    this->respond(p.id, this->bert_.id);
  }
  const auto first = must(this->store().notifications(this->anna_.id, std::nullopt, 2));
  ASSERT_EQ(first.size(), 2u);
  const auto second = must(this->store().notifications(this->anna_.id, first.back().id, 2));
  ASSERT_EQ(second.size(), 2u);
  EXPECT_LT(second.front().id.value, first.back().id.value);
  const auto third = must(this->store().notifications(this->anna_.id, second.back().id, 2));
  ASSERT_EQ(third.size(), 1u);
  EXPECT_TRUE(must(this->store().notifications(this->anna_.id, third.back().id, 2)).empty());
  EXPECT_TRUE(must(this->store().notifications(this->anna_.id, std::nullopt, 0)).empty());
}

TYPED_TEST(Notifications, OnlyTheOwnerCanMarkRead) {
  const Post p1 = this->post(this->wijk_.id, this->anna_.id);
  const Post p2 = this->post(this->wijk_.id, this->anna_.id);
  const Post p3 = this->post(this->wijk_.id, this->anna_.id);
  this->respond(p1.id, this->bert_.id);
  this->respond(p2.id, this->bert_.id);
  this->respond(p3.id, this->bert_.id);
  const Post bp = this->post(this->wijk_.id, this->bert_.id);
  this->respond(bp.id, this->cor_.id);
  const auto anna = this->of(this->anna_);  // newest first: p3, p2, p1
  const NotificationId berts = this->of(this->bert_).front().id;

  // Bert names Anna's notifications and "all up to" a high id: only his own
  // is marked.
  EXPECT_EQ(must(this->store().mark_notifications_read(this->bert_.id, {anna[0].id, anna[1].id},
                                                        NotificationId{1'000'000},
                                                        this->at(500))),
            1);
  EXPECT_EQ(must(this->store().unread_notifications(this->anna_.id)), 3);
  EXPECT_EQ(must(this->store().unread_notifications(this->bert_.id)), 0);
  EXPECT_EQ(this->of(this->bert_).front().read_at, this->at(500));
  EXPECT_EQ(this->of(this->bert_).front().id, berts);

  // Anna marks one by id, then everything up to the middle one.
  EXPECT_EQ(must(this->store().mark_notifications_read(this->anna_.id, {anna[0].id}, std::nullopt,
                                                        this->at(600))),
            1);
  EXPECT_EQ(must(this->store().mark_notifications_read(this->anna_.id, {anna[0].id}, std::nullopt,
                                                        this->at(601))),
            0);  // read already: not marked again
  EXPECT_EQ(must(this->store().mark_notifications_read(this->anna_.id, {}, anna[1].id,
                                                        this->at(700))),
            2);
  const auto after = this->of(this->anna_);
  EXPECT_EQ(after[0].read_at, this->at(600));
  EXPECT_EQ(after[1].read_at, this->at(700));
  EXPECT_EQ(after[2].read_at, this->at(700));
  EXPECT_EQ(must(this->store().unread_notifications(this->anna_.id)), 0);
  EXPECT_EQ(must(this->store().mark_notifications_read(this->anna_.id, {NotificationId{424242}},
                                                        std::nullopt, this->at(800))),
            0);
}

TYPED_TEST(Notifications, ExportedAndErasedWithTheAccount) {
  const Post p = this->post(this->wijk_.id, this->anna_.id);
  const PostResponse r = this->respond(p.id, this->bert_.id);
  must(this->store().accept_response(r.id, this->at(300)));

  const UserExport data = must(this->store().export_user(this->anna_.id, this->at(1000)));
  ASSERT_EQ(data.notifications.size(), 1u);
  EXPECT_EQ(data.notifications[0].kind, NotificationKind::response);
  ASSERT_TRUE(data.notifications[0].actor);
  EXPECT_EQ(data.notifications[0].actor->display_name, "bert");

  // Bert goes: his notifications go with him; Anna's about him stay, his
  // name gone.
  must(this->store().erase_user(this->bert_.id, this->at(2000)));
  EXPECT_TRUE(this->of(this->bert_).empty());
  EXPECT_EQ(must(this->store().unread_notifications(this->bert_.id)), 0);
  const auto anna = this->of(this->anna_);
  ASSERT_EQ(anna.size(), 1u);
  ASSERT_TRUE(anna[0].actor);
  EXPECT_EQ(anna[0].actor->id, this->bert_.id);
  EXPECT_EQ(anna[0].actor->display_name, "");
}

}  // namespace
}  // namespace noaber::testing

namespace noaber::testing {
namespace {

template <typename Factory>
class FollowUps : public StoreContract<Factory> {
 protected:
  void SetUp() override {
    StoreContract<Factory>::SetUp();
    anna_ = this->user("anna");
    wijk_ = this->neighbourhood("Lombok", "Utrecht", kUtrecht, anna_.id);
  }

  // An open post by Anna that expires `seconds` after the start.
  Post expiring(std::int64_t seconds) {
    NewPost p = this->new_post(wijk_.id, anna_.id, Visibility::neighbourhood);
    p.expires_at = this->at(seconds);
    return must(this->store().create_post(p));
  }

  User anna_;
  Neighbourhood wijk_;
};
TYPED_TEST_SUITE(FollowUps, StoreBackends, BackendName);

TYPED_TEST(FollowUps, DuePostsExpireOnceAndTheirAuthorIsTold) {
  const Post soon = this->expiring(1000);
  const Post later = this->expiring(5000);
  this->post(this->wijk_.id, this->anna_.id);  // no expiry
  const Post promised = this->expiring(1000);
  const User bert = this->user("bert");
  must(this->store().accept_response(this->respond(promised.id, bert.id).id, this->at(300)));

  EXPECT_TRUE(must(this->store().expire_due_posts(this->at(999), 100)).empty());
  EXPECT_EQ(must(this->store().expire_due_posts(this->at(1000), 100)),
            std::vector<PostId>{soon.id}) << "a promised post does not expire";
  EXPECT_TRUE(must(this->store().expire_due_posts(this->at(1001), 100)).empty()) << "once";
  EXPECT_EQ(must(this->store().get_post(soon.id)).status, PostStatus::expired);
  EXPECT_EQ(must(this->store().get_post(soon.id)).updated_at, this->at(1000));
  EXPECT_EQ(must(this->store().get_post(later.id)).status, PostStatus::open);
  EXPECT_EQ(must(this->store().get_post(promised.id)).status, PostStatus::promised);

  const auto told = must(this->store().notifications(this->anna_.id, std::nullopt, 100));
  ASSERT_FALSE(told.empty());
  EXPECT_EQ(told[0].kind, NotificationKind::expired);
  EXPECT_EQ(told[0].post_id, soon.id);
  EXPECT_FALSE(told[0].actor);
  EXPECT_EQ(told[0].created_at, this->at(1000));
  // An expired post takes no responses.
  EXPECT_EQ(error_of(this->store().create_response(NewResponse{
                .post_id = soon.id, .responder_id = bert.id, .message = "Te laat?",
                .created_at = this->at(1100)})),
            ErrorCode::conflict);
}

TYPED_TEST(FollowUps, TheLimitTakesTheEarliestFirst) {
  const Post second = this->expiring(2000);
  const Post first = this->expiring(1000);
  this->expiring(3000);
  EXPECT_EQ(must(this->store().expire_due_posts(this->at(4000), 2)),
            (std::vector<PostId>{second.id, first.id}));
  EXPECT_EQ(must(this->store().expire_due_posts(this->at(4000), 2)).size(), 1u);
  EXPECT_TRUE(must(this->store().expire_due_posts(this->at(4000), 0)).empty());
}

// Two server processes (two stores on one database) race: every post
// expires, and its author is told, exactly once.
TYPED_TEST(FollowUps, TwoProcessesRacingExpireEachPostOnce) {
  constexpr int kPosts = 60;
  for (int i = 0; i < kPosts; ++i) this->expiring(1000 + i);
  auto other = this->factory().open();
  std::vector<PostId> by_first, by_second;
  std::atomic<bool> failed{false};
  auto drain = [&](Store& store, std::vector<PostId>& out) {
    for (;;) {
      auto batch = store.expire_due_posts(this->at(5000), 7);
      if (!batch) {
        if (batch.error().code == ErrorCode::unavailable) continue;  // busy: try again
        failed = true;
        return;
      }
      if (batch->empty()) return;
      out.insert(out.end(), batch->begin(), batch->end());
    }
  };
  std::thread a([&] { drain(this->store(), by_first); });
  std::thread b([&] { drain(*other, by_second); });
  a.join();
  b.join();
  ASSERT_FALSE(failed.load());
  std::vector<PostId> all = by_first;
  all.insert(all.end(), by_second.begin(), by_second.end());
  std::ranges::sort(all);
  EXPECT_EQ(all.size(), static_cast<std::size_t>(kPosts));
  EXPECT_EQ(std::ranges::unique(all).size(), 0u) << "no post expired twice";
  const auto told = must(this->store().notifications(this->anna_.id, std::nullopt, 100));
  EXPECT_EQ(told.size(), static_cast<std::size_t>(kPosts));
}

}  // namespace
}  // namespace noaber::testing

namespace noaber::testing {
namespace {

template <typename Factory>
class Escalation : public StoreContract<Factory> {
 protected:
  void SetUp() override {
    StoreContract<Factory>::SetUp();
    anna_ = this->user("anna");  // founder: a verified manager
    wijk_ = this->neighbourhood("Lombok", "Utrecht", kUtrecht, anna_.id);
    bert_ = this->user("bert");
    this->member(wijk_.id, bert_.id);
    mia_ = this->user("mia");
    this->member(wijk_.id, mia_.id, Role::manager);
  }

  std::vector<Notification> of(const User& u) {
    return must(this->store().notifications(u.id, std::nullopt, 100));
  }

  User anna_, bert_, mia_;
  Neighbourhood wijk_;
};
TYPED_TEST_SUITE(Escalation, StoreBackends, BackendName);

TYPED_TEST(Escalation, AnUnansweredAskReachesEveryManagerOnce) {
  // posts are made at(100)
  const Post ask = this->post(this->wijk_.id, this->bert_.id);
  const Post answered = this->post(this->wijk_.id, this->bert_.id);
  this->respond(answered.id, this->mia_.id);
  const Post offer = this->post(this->wijk_.id, this->bert_.id, Visibility::neighbourhood,
                                PostKind::offer);
  const auto before_anna = this->of(this->anna_).size();

  EXPECT_TRUE(must(this->store().escalate_unanswered_asks(this->at(150), this->at(99), 10)).empty());
  EXPECT_EQ(must(this->store().escalate_unanswered_asks(this->at(200), this->at(100), 10)),
            std::vector<PostId>{ask.id}) << "not the answered ask, not the offer";
  EXPECT_TRUE(must(this->store().escalate_unanswered_asks(this->at(300), this->at(200), 10)).empty())
      << "once";
  for (const User* manager : {&this->anna_, &this->mia_}) {
    const auto told = this->of(*manager);
    ASSERT_FALSE(told.empty());
    EXPECT_EQ(told[0].kind, NotificationKind::unanswered);
    EXPECT_EQ(told[0].post_id, ask.id);
    ASSERT_TRUE(told[0].actor);
    EXPECT_EQ(told[0].actor->display_name, "bert");
    EXPECT_EQ(told[0].created_at, this->at(200));
  }
  EXPECT_EQ(this->of(this->anna_).size(), before_anna + 1);
  for (const auto& n : this->of(this->bert_))
    EXPECT_NE(n.kind, NotificationKind::unanswered) << "residents are not told";
  (void)offer;
}

TYPED_TEST(Escalation, ALongPromisedPostAsksItsAuthorOnce) {
  const Post p = this->post(this->wijk_.id, this->bert_.id);
  must(this->store().accept_response(this->respond(p.id, this->mia_.id).id, this->at(1000)));
  const Post fresh = this->post(this->wijk_.id, this->bert_.id);
  must(this->store().accept_response(this->respond(fresh.id, this->mia_.id).id, this->at(5000)));

  EXPECT_TRUE(must(this->store().check_in_on_promised(this->at(1500), this->at(999), 10)).empty());
  EXPECT_EQ(must(this->store().check_in_on_promised(this->at(2000), this->at(1000), 10)),
            std::vector<PostId>{p.id});
  EXPECT_TRUE(must(this->store().check_in_on_promised(this->at(3000), this->at(1000), 10)).empty());
  const auto told = this->of(this->bert_);
  ASSERT_FALSE(told.empty());
  EXPECT_EQ(told[0].kind, NotificationKind::check_in);
  EXPECT_EQ(told[0].post_id, p.id);
  EXPECT_FALSE(told[0].actor);
}

TYPED_TEST(Escalation, TwoProcessesRacingEscalateEachAskOnce) {
  constexpr int kAsks = 40;
  for (int i = 0; i < kAsks; ++i) this->post(this->wijk_.id, this->bert_.id);
  auto other = this->factory().open();
  std::atomic<int> escalated{0};
  std::atomic<bool> failed{false};
  auto drain = [&](Store& store) {
    for (;;) {
      auto batch = store.escalate_unanswered_asks(this->at(500), this->at(400), 6);
      if (!batch) {
        if (batch.error().code == ErrorCode::unavailable) continue;
        failed = true;
        return;
      }
      if (batch->empty()) return;
      escalated += static_cast<int>(batch->size());
    }
  };
  std::thread a([&] { drain(this->store()); });
  std::thread b([&] { drain(*other); });
  a.join();
  b.join();
  ASSERT_FALSE(failed.load());
  EXPECT_EQ(escalated.load(), kAsks);
  EXPECT_EQ(this->of(this->mia_).size(), static_cast<std::size_t>(kAsks)) << "one each";
}

}  // namespace
}  // namespace noaber::testing
