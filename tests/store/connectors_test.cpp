// Store contract: connectors (opt-in, escalation to them), the managers'
// dashboard query, un-doing a hide or a suspension, and the moderation part
// of the export (docs/managers.md, docs/moderation.md).

#include <atomic>
#include <thread>
#include <vector>

#include "store_contract.h"

namespace noaber::testing {
namespace {

template <typename Factory>
class Connectors : public StoreContract<Factory> {
 protected:
  void SetUp() override {
    StoreContract<Factory>::SetUp();
    anna_ = this->user("anna");  // founder: a verified manager
    wijk_ = this->neighbourhood("Lombok", "Utrecht", kUtrecht, anna_.id);
    bert_ = this->user("bert");
    this->member(wijk_.id, bert_.id);
    carla_ = this->user("carla");
    this->member(wijk_.id, carla_.id);
    dirk_ = this->user("dirk");
    this->member(wijk_.id, dirk_.id);
  }

  std::size_t unanswered_of(const User& u) {
    std::size_t count = 0;
    for (const auto& n : must(this->store().notifications(u.id, std::nullopt, 100)))
      if (n.kind == NotificationKind::unanswered) ++count;
    return count;
  }

  User anna_, bert_, carla_, dirk_;
  Neighbourhood wijk_;
};
TYPED_TEST_SUITE(Connectors, StoreBackends, BackendName);

TYPED_TEST(Connectors, AResidentOptsInAndOutAndKeepsTheFirstTime) {
  Store& store = this->store();
  const Membership in = must(store.set_connector(this->wijk_.id, this->bert_.id, this->at(50)));
  ASSERT_TRUE(in.connector_since);
  EXPECT_EQ(*in.connector_since, this->at(50));
  EXPECT_TRUE(is_connector(in));
  // Again: the first opt-in stands.
  const Membership again = must(store.set_connector(this->wijk_.id, this->bert_.id, this->at(60)));
  EXPECT_EQ(*again.connector_since, this->at(50));
  EXPECT_EQ(*must(store.get_membership(this->wijk_.id, this->bert_.id)).connector_since,
            this->at(50));
  const Membership out = must(store.set_connector(this->wijk_.id, this->bert_.id, std::nullopt));
  EXPECT_FALSE(out.connector_since);
  EXPECT_FALSE(is_connector(out));
  EXPECT_FALSE(
      must(store.set_connector(this->wijk_.id, this->bert_.id, std::nullopt)).connector_since);

  // Managers are connectors by their role; a pending member can't opt in;
  // nobody outside.
  EXPECT_TRUE(is_connector(must(store.get_membership(this->wijk_.id, this->anna_.id))));
  EXPECT_EQ(error_of(store.set_connector(this->wijk_.id, this->anna_.id, this->at(50))),
            ErrorCode::conflict);
  const User eva = this->user("eva");
  this->member(this->wijk_.id, eva.id, Role::resident, MemberStatus::pending);
  EXPECT_EQ(error_of(store.set_connector(this->wijk_.id, eva.id, this->at(50))),
            ErrorCode::conflict);
  EXPECT_FALSE(must(store.get_membership(this->wijk_.id, eva.id)).connector_since);
  const User olga = this->user("olga");
  EXPECT_EQ(error_of(store.set_connector(this->wijk_.id, olga.id, this->at(50))),
            ErrorCode::not_found);

  // The members list carries it.
  must(store.set_connector(this->wijk_.id, this->carla_.id, this->at(70)));
  int connectors = 0;
  for (const auto& m : must(store.list_members(this->wijk_.id, MemberStatus::verified)))
    if (is_connector(m)) ++connectors;
  EXPECT_EQ(connectors, 2) << "anna (manager) and carla";
}

TYPED_TEST(Connectors, AnUnansweredAskReachesEveryConnectorButItsAuthorOnce) {
  Store& store = this->store();
  must(store.set_connector(this->wijk_.id, this->bert_.id, this->at(50)));
  must(store.set_connector(this->wijk_.id, this->carla_.id, this->at(50)));
  const Post by_carla = this->post(this->wijk_.id, this->carla_.id);  // a connector asks

  EXPECT_EQ(must(store.escalate_unanswered_asks(this->at(300), this->at(100), 10)),
            std::vector<PostId>{by_carla.id});
  EXPECT_TRUE(must(store.escalate_unanswered_asks(this->at(400), this->at(100), 10)).empty());
  EXPECT_EQ(this->unanswered_of(this->anna_), 1u) << "the manager";
  EXPECT_EQ(this->unanswered_of(this->bert_), 1u) << "an opted-in resident";
  EXPECT_EQ(this->unanswered_of(this->carla_), 0u) << "not the asker, connector or not";
  EXPECT_EQ(this->unanswered_of(this->dirk_), 0u) << "not a resident who didn't opt in";

  // A manager's own ask doesn't reach the manager either.
  const Post by_anna = this->post(this->wijk_.id, this->anna_.id);
  EXPECT_EQ(must(store.escalate_unanswered_asks(this->at(500), this->at(100), 10)),
            std::vector<PostId>{by_anna.id});
  EXPECT_EQ(this->unanswered_of(this->anna_), 1u);
  EXPECT_EQ(this->unanswered_of(this->bert_), 2u);
  EXPECT_EQ(this->unanswered_of(this->carla_), 1u);
}

TYPED_TEST(Connectors, SuspendedAndErasedMembersAreNotConnectors) {
  Store& store = this->store();
  must(store.set_connector(this->wijk_.id, this->bert_.id, this->at(50)));
  must(store.set_connector(this->wijk_.id, this->carla_.id, this->at(50)));
  const Report r = must(store.create_report(NewReport{this->wijk_.id, this->dirk_.id,
                                                      ReportTarget::member,
                                                      this->bert_.id.value, this->bert_.id,
                                                      "Rude", this->at(60)}));
  must(store.moderate(ModerationDecision{this->wijk_.id, this->anna_.id, {r.id},
                                         ModerationAction::suspend, "Rule 1", this->at(70)}));
  const Membership bert = must(store.get_membership(this->wijk_.id, this->bert_.id));
  EXPECT_FALSE(is_connector(bert));
  EXPECT_FALSE(bert.connector_since) << "the suspension ended the opt-in";
  EXPECT_EQ(error_of(store.set_connector(this->wijk_.id, this->bert_.id, this->at(80))),
            ErrorCode::conflict);
  must(store.erase_user(this->carla_.id, this->at(80)));

  this->post(this->wijk_.id, this->dirk_.id);
  EXPECT_EQ(must(store.escalate_unanswered_asks(this->at(300), this->at(100), 10)).size(), 1u);
  EXPECT_EQ(this->unanswered_of(this->anna_), 1u);
  EXPECT_EQ(this->unanswered_of(this->bert_), 0u);
}

TYPED_TEST(Connectors, TwoProcessesRacingTellEachConnectorOncePerAsk) {
  constexpr int kAsks = 30;
  must(this->store().set_connector(this->wijk_.id, this->bert_.id, this->at(50)));
  for (int i = 0; i < kAsks; ++i) this->post(this->wijk_.id, this->dirk_.id);
  auto other = this->factory().open();
  std::atomic<bool> failed{false};
  auto drain = [&](Store& store) {
    for (;;) {
      auto batch = store.escalate_unanswered_asks(this->at(500), this->at(400), 4);
      if (!batch) {
        if (batch.error().code == ErrorCode::unavailable) continue;
        failed = true;
        return;
      }
      if (batch->empty()) return;
    }
  };
  std::thread a([&] { drain(this->store()); });
  std::thread b([&] { drain(*other); });
  a.join();
  b.join();
  ASSERT_FALSE(failed.load());
  EXPECT_EQ(this->unanswered_of(this->bert_), static_cast<std::size_t>(kAsks));
  EXPECT_EQ(this->unanswered_of(this->anna_), static_cast<std::size_t>(kAsks));
  EXPECT_EQ(this->unanswered_of(this->dirk_), 0u);
}

TYPED_TEST(Connectors, TheDashboardQuery) {
  Store& store = this->store();
  // Three unanswered asks at 100 (post() makes them then), one answered,
  // one hidden, one expired, one offer.
  std::vector<PostId> asks;
  for (int i = 0; i < 3; ++i) asks.push_back(this->post(this->wijk_.id, this->bert_.id).id);
  const Post answered = this->post(this->wijk_.id, this->bert_.id);
  this->respond(answered.id, this->carla_.id);
  const Post hidden = this->post(this->wijk_.id, this->bert_.id);
  const Report r = must(store.create_report(NewReport{this->wijk_.id, this->dirk_.id,
                                                      ReportTarget::post, hidden.id.value,
                                                      this->bert_.id, "Spam", this->at(150)}));
  must(store.moderate(ModerationDecision{this->wijk_.id, this->anna_.id, {r.id},
                                         ModerationAction::hide, "Spam", this->at(160)}));
  NewPost expiring = this->new_post(this->wijk_.id, this->bert_.id, Visibility::neighbourhood);
  expiring.expires_at = this->at(900);
  must(store.create_post(expiring));
  this->post(this->wijk_.id, this->bert_.id, Visibility::neighbourhood, PostKind::offer);
  // A promised post: accepted at 1000.
  const Post promised = this->post(this->wijk_.id, this->carla_.id);
  must(store.accept_response(this->respond(promised.id, this->dirk_.id).id, this->at(1000)));
  // An open report and a pending member.
  must(store.create_report(NewReport{this->wijk_.id, this->dirk_.id, ReportTarget::member,
                                     this->bert_.id.value, this->bert_.id, "Rude",
                                     this->at(170)}));
  const User eva = this->user("eva");
  this->member(this->wijk_.id, eva.id, Role::resident, MemberStatus::pending);

  const DashboardData d = must(store.dashboard(DashboardQuery{
      .neighbourhood_id = this->wijk_.id, .now = this->at(1000), .joined_since = this->at(15),
      .limit = 2}));
  ASSERT_EQ(d.unanswered.size(), 2u) << "capped";
  EXPECT_EQ(d.unanswered_total, 3) << "not the answered, hidden, expired ask or the offer";
  EXPECT_EQ(d.unanswered[0].id, asks[0]) << "oldest first";
  EXPECT_EQ(d.unanswered[1].id, asks[1]);
  EXPECT_EQ(d.unanswered[0].since, this->at(100));
  EXPECT_EQ(d.unanswered[0].author.display_name, "bert");
  ASSERT_EQ(d.promised.size(), 1u);
  EXPECT_EQ(d.promised_total, 1);
  EXPECT_EQ(d.promised[0].id, promised.id);
  EXPECT_EQ(d.promised[0].since, this->at(1000)) << "since the acceptance";
  // Members joined at 20 (member()), the founder at 10.
  EXPECT_EQ(d.newcomers_total, 3) << "bert, carla, dirk; not the founder, not eva (pending)";
  EXPECT_EQ(d.newcomers.size(), 2u);
  ASSERT_EQ(d.pending.size(), 1u);
  EXPECT_EQ(d.pending[0].member.id, eva.id);
  EXPECT_EQ(d.pending_total, 1);
  EXPECT_EQ(d.open_reports, 1) << "the hide resolved the first";

  // Later: the expired ask stays out; nobody joined at or after 30.
  const DashboardData later = must(store.dashboard(DashboardQuery{
      .neighbourhood_id = this->wijk_.id, .now = this->at(2000), .joined_since = this->at(30),
      .limit = 10}));
  EXPECT_EQ(later.unanswered_total, 3);
  EXPECT_EQ(later.unanswered.size(), 3u);
  EXPECT_EQ(later.newcomers_total, 0);
  EXPECT_TRUE(later.newcomers.empty());
}

TYPED_TEST(Connectors, UnhideAndLiftUndoAndAreLogged) {
  Store& store = this->store();
  const Post post = this->post(this->wijk_.id, this->bert_.id);
  const PostResponse response = this->respond(post.id, this->carla_.id);
  std::vector<ReportId> reports;
  reports.push_back(must(store.create_report(NewReport{this->wijk_.id, this->dirk_.id,
                                                       ReportTarget::post, post.id.value,
                                                       this->bert_.id, "Spam", this->at(300)})).id);
  reports.push_back(must(store.create_report(NewReport{this->wijk_.id, this->dirk_.id,
                                                       ReportTarget::response,
                                                       response.id.value, this->carla_.id,
                                                       "Rude", this->at(300)})).id);
  reports.push_back(must(store.create_report(NewReport{this->wijk_.id, this->dirk_.id,
                                                       ReportTarget::member,
                                                       this->bert_.id.value, this->bert_.id,
                                                       "Rude", this->at(300)})).id);
  must(store.moderate(ModerationDecision{this->wijk_.id, this->anna_.id,
                                         {reports[0], reports[1]}, ModerationAction::hide,
                                         "Spam", this->at(400)}));
  must(store.moderate(ModerationDecision{this->wijk_.id, this->anna_.id, {reports[2]},
                                         ModerationAction::suspend, "Rude", this->at(400)}));
  const auto count_before = must(store.get_neighbourhood(this->wijk_.id)).member_count;

  auto undo = [&](ModerationAction action, ReportTarget kind, std::int64_t id) {
    return store.undo_moderation(ModerationUndo{this->wijk_.id, this->anna_.id, action, kind, id,
                                                "Second look", this->at(500)});
  };
  const ModerationEntry shown = must(undo(ModerationAction::unhide, ReportTarget::post,
                                          post.id.value));
  EXPECT_EQ(shown.action, ModerationAction::unhide);
  EXPECT_EQ(shown.target_user.id, this->bert_.id);
  EXPECT_EQ(shown.reason, "Second look");
  EXPECT_FALSE(must(store.get_post(post.id)).hidden_at);
  EXPECT_EQ(error_of(undo(ModerationAction::unhide, ReportTarget::post, post.id.value)),
            ErrorCode::conflict) << "not hidden any more";
  EXPECT_EQ(must(undo(ModerationAction::unhide, ReportTarget::response, response.id.value))
                .target_user.id,
            this->carla_.id);
  EXPECT_FALSE(must(store.get_response(response.id)).hidden_at);
  EXPECT_EQ(error_of(undo(ModerationAction::unhide, ReportTarget::post, 999999)),
            ErrorCode::not_found);

  const ModerationEntry lifted = must(undo(ModerationAction::lift, ReportTarget::member,
                                           this->bert_.id.value));
  EXPECT_EQ(lifted.action, ModerationAction::lift);
  EXPECT_EQ(must(store.get_membership(this->wijk_.id, this->bert_.id)).status,
            MemberStatus::verified);
  EXPECT_EQ(must(store.get_neighbourhood(this->wijk_.id)).member_count, count_before + 1);
  EXPECT_EQ(error_of(undo(ModerationAction::lift, ReportTarget::member, this->bert_.id.value)),
            ErrorCode::conflict) << "not suspended any more";
  const User olga = this->user("olga");
  EXPECT_EQ(error_of(undo(ModerationAction::lift, ReportTarget::member, olga.id.value)),
            ErrorCode::not_found);

  const auto log = must(store.moderation_log(this->wijk_.id, std::nullopt, 10));
  ASSERT_EQ(log.size(), 6u) << "hide twice, suspend, unhide twice, lift";
  EXPECT_EQ(log[0].action, ModerationAction::lift);
}

TYPED_TEST(Connectors, LiftingNeverVerifiesSomeoneWhoWasPending) {
  Store& store = this->store();
  const User eva = this->user("eva");
  this->member(this->wijk_.id, eva.id, Role::resident, MemberStatus::pending);
  const Report r = must(store.create_report(NewReport{this->wijk_.id, this->dirk_.id,
                                                      ReportTarget::member, eva.id.value,
                                                      eva.id, "Spam", this->at(300)}));
  must(store.moderate(ModerationDecision{this->wijk_.id, this->anna_.id, {r.id},
                                         ModerationAction::suspend, "Spam", this->at(400)}));
  const auto count = must(store.get_neighbourhood(this->wijk_.id)).member_count;
  must(store.undo_moderation(ModerationUndo{this->wijk_.id, this->anna_.id,
                                            ModerationAction::lift, ReportTarget::member,
                                            eva.id.value, "Mistake", this->at(500)}));
  EXPECT_EQ(must(store.get_membership(this->wijk_.id, eva.id)).status, MemberStatus::pending);
  EXPECT_EQ(must(store.get_neighbourhood(this->wijk_.id)).member_count, count);
}

TYPED_TEST(Connectors, TheModerationPartOfTheExport) {
  Store& store = this->store();
  const Post post = this->post(this->wijk_.id, this->bert_.id);
  const Report filed = must(store.create_report(NewReport{this->wijk_.id, this->dirk_.id,
                                                          ReportTarget::post, post.id.value,
                                                          this->bert_.id, "Spam",
                                                          this->at(300)}));
  must(store.create_report(NewReport{this->wijk_.id, this->dirk_.id, ReportTarget::member,
                                     this->carla_.id.value, this->carla_.id, "Loud",
                                     this->at(310)}));
  must(store.moderate(ModerationDecision{this->wijk_.id, this->anna_.id, {filed.id},
                                         ModerationAction::warn, "Rule 3", this->at(400)}));

  const ModerationExport dirk = must(store.export_moderation(this->dirk_.id));
  ASSERT_EQ(dirk.reports_filed.size(), 2u);
  EXPECT_EQ(dirk.reports_filed[0].id, filed.id);
  EXPECT_EQ(dirk.reports_filed[0].reason, "Spam");
  ASSERT_TRUE(dirk.reports_filed[0].resolved_at);
  EXPECT_EQ(*dirk.reports_filed[0].resolved_at, this->at(400));
  EXPECT_FALSE(dirk.reports_filed[1].resolved_at);
  EXPECT_TRUE(dirk.about_them.empty());

  const ModerationExport bert = must(store.export_moderation(this->bert_.id));
  EXPECT_TRUE(bert.reports_filed.empty()) << "not the reports about him";
  ASSERT_EQ(bert.about_them.size(), 1u);
  EXPECT_EQ(bert.about_them[0].action, ModerationAction::warn);
  EXPECT_EQ(bert.about_them[0].reason, "Rule 3");
}

}  // namespace
}  // namespace noaber::testing
