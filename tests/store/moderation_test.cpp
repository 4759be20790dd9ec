// Store contract: reports, moderation decisions, the log, hidden posts and
// responses, and house rules (docs/moderation.md).

#include <string>
#include <vector>

#include "store_contract.h"

namespace noaber::testing {
namespace {

template <typename Factory>
class Moderation : public StoreContract<Factory> {
 protected:
  Report report(NeighbourhoodId n, UserId reporter, ReportTarget kind, std::int64_t id,
                UserId about, std::int64_t when = 300) {
    return must(this->store().create_report(NewReport{n, reporter, kind, id, about,
                                                      "Not nice", this->at(when)}));
  }

  std::vector<ModerationEntry> act(NeighbourhoodId n, UserId manager, std::vector<ReportId> ids,
                                   ModerationAction action) {
    return must(this->store().moderate(
        ModerationDecision{n, manager, std::move(ids), action, "House rule 2", this->at(400)}));
  }

  std::vector<PostId> feed_ids(NeighbourhoodId n, std::optional<UserId> reader, bool manages,
                               int limit = 20) {
    FeedQuery q{.neighbourhood_id = n, .now = this->at(500), .limit = limit};
    q.reader = reader;
    q.reader_manages = manages;
    std::vector<PostId> ids;
    for (const Post& p : must(this->store().feed(q))) ids.push_back(p.id);
    return ids;
  }
};
TYPED_TEST_SUITE(Moderation, StoreBackends, BackendName);

TYPED_TEST(Moderation, OneOpenReportPerReporterAndThing) {
  const User anna = this->user("anna");
  const auto wijk = this->neighbourhood("Lombok", "Utrecht", kUtrecht, anna.id);
  const User bert = this->user("bert");
  const User carla = this->user("carla");
  this->member(wijk.id, bert.id);
  this->member(wijk.id, carla.id);
  const Post post = this->post(wijk.id, bert.id);

  const Report first = this->report(wijk.id, carla.id, ReportTarget::post, post.id.value, bert.id);
  EXPECT_EQ(first.reporter.display_name, "carla");
  EXPECT_EQ(first.target_user.display_name, "bert");
  EXPECT_EQ(first.target_kind, ReportTarget::post);
  EXPECT_EQ(first.target_id, post.id.value);
  EXPECT_EQ(first.reason, "Not nice");
  EXPECT_EQ(error_of(this->store().create_report(NewReport{wijk.id, carla.id, ReportTarget::post,
                                                           post.id.value, bert.id, "Again",
                                                           this->at(301)})),
            ErrorCode::conflict);
  // Someone else may report the same thing; the same reporter another thing.
  this->report(wijk.id, anna.id, ReportTarget::post, post.id.value, bert.id, 302);
  this->report(wijk.id, carla.id, ReportTarget::member, bert.id.value, bert.id, 303);
  const auto open = must(this->store().open_reports(wijk.id));
  ASSERT_EQ(open.size(), 3u);
  EXPECT_EQ(open[0].id, first.id);  // oldest first

  // Once acted on, the report is closed and the reporter may report again.
  this->act(wijk.id, anna.id, {first.id}, ModerationAction::dismiss);
  this->report(wijk.id, carla.id, ReportTarget::post, post.id.value, bert.id, 450);
}

TYPED_TEST(Moderation, HideResolvesEveryReportAboutTheThingAndLogsOnce) {
  const User anna = this->user("anna");
  const auto wijk = this->neighbourhood("Lombok", "Utrecht", kUtrecht, anna.id);
  const User bert = this->user("bert");
  const User carla = this->user("carla");
  this->member(wijk.id, bert.id);
  this->member(wijk.id, carla.id);
  const Post post = this->post(wijk.id, bert.id);
  const Report r1 = this->report(wijk.id, carla.id, ReportTarget::post, post.id.value, bert.id);
  this->report(wijk.id, anna.id, ReportTarget::post, post.id.value, bert.id, 301);
  const Report other = this->report(wijk.id, carla.id, ReportTarget::member, bert.id.value,
                                    bert.id, 302);

  const auto entries = this->act(wijk.id, anna.id, {r1.id, r1.id}, ModerationAction::hide);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].moderator.display_name, "anna");
  EXPECT_EQ(entries[0].action, ModerationAction::hide);
  EXPECT_EQ(entries[0].target_kind, ReportTarget::post);
  EXPECT_EQ(entries[0].target_id, post.id.value);
  EXPECT_EQ(entries[0].target_user.id, bert.id);
  EXPECT_EQ(entries[0].reason, "House rule 2");
  EXPECT_EQ(must(this->store().get_post(post.id)).hidden_at, this->at(400));

  const auto open = must(this->store().open_reports(wijk.id));
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0].id, other.id);
  // Handled already: not found, and nothing changes.
  EXPECT_EQ(error_of(this->store().moderate(ModerationDecision{
                wijk.id, anna.id, {other.id, r1.id}, ModerationAction::warn, "x", this->at(401)})),
            ErrorCode::not_found);
  EXPECT_EQ(must(this->store().open_reports(wijk.id)).size(), 1u);
  EXPECT_EQ(must(this->store().moderation_log(wijk.id, std::nullopt, 10)).size(), 1u);
  // A member can't be hidden; nothing changes.
  EXPECT_EQ(error_of(this->store().moderate(ModerationDecision{
                wijk.id, anna.id, {other.id}, ModerationAction::hide, "x", this->at(402)})),
            ErrorCode::conflict);
  EXPECT_EQ(must(this->store().open_reports(wijk.id)).size(), 1u);
}

TYPED_TEST(Moderation, ReportsOfAnotherNeighbourhoodAreNotFound) {
  const User anna = this->user("anna");
  const auto wijk = this->neighbourhood("Lombok", "Utrecht", kUtrecht, anna.id);
  const auto other = this->neighbourhood("Jordaan", "Amsterdam", kAmsterdam);
  const User bert = this->user("bert");
  this->member(wijk.id, bert.id);
  const Report r = this->report(wijk.id, anna.id, ReportTarget::member, bert.id.value, bert.id);
  EXPECT_EQ(error_of(this->store().moderate(ModerationDecision{
                other.id, anna.id, {r.id}, ModerationAction::dismiss, "", this->at(400)})),
            ErrorCode::not_found);
}

TYPED_TEST(Moderation, SuspendKeepsTheAccountAndLeavesTheCount) {
  const User anna = this->user("anna");
  const auto wijk = this->neighbourhood("Lombok", "Utrecht", kUtrecht, anna.id);
  const User bert = this->user("bert");
  this->member(wijk.id, bert.id);
  EXPECT_EQ(must(this->store().get_neighbourhood(wijk.id)).member_count, 2);
  const Report r = this->report(wijk.id, anna.id, ReportTarget::member, bert.id.value, bert.id);
  this->act(wijk.id, anna.id, {r.id}, ModerationAction::suspend);
  EXPECT_EQ(must(this->store().get_membership(wijk.id, bert.id)).status,
            MemberStatus::suspended);
  EXPECT_EQ(must(this->store().get_neighbourhood(wijk.id)).member_count, 1);
  must(this->store().get_user(bert.id));

  // A manager can't be suspended.
  const User carla = this->user("carla");
  this->member(wijk.id, carla.id);
  const Report m = this->report(wijk.id, carla.id, ReportTarget::member, anna.id.value, anna.id);
  EXPECT_EQ(error_of(this->store().moderate(ModerationDecision{
                wijk.id, anna.id, {m.id}, ModerationAction::suspend, "x", this->at(401)})),
            ErrorCode::conflict);
  EXPECT_EQ(must(this->store().get_membership(wijk.id, anna.id)).status, MemberStatus::verified);
}

TYPED_TEST(Moderation, FeedLeavesOutHiddenPostsBeforePaging) {
  const User anna = this->user("anna");
  const auto wijk = this->neighbourhood("Lombok", "Utrecht", kUtrecht, anna.id);
  const User erik = this->user("erik");
  const auto near = this->neighbourhood("Oost", "Utrecht", kUtrechtEast, erik.id);
  const User bert = this->user("bert");
  const User carla = this->user("carla");
  this->member(wijk.id, bert.id);
  this->member(wijk.id, carla.id);
  const Post p1 = this->post(wijk.id, carla.id);
  const Post hidden = this->post(wijk.id, bert.id);
  const Post p3 = this->post(wijk.id, carla.id);
  const Post hidden_near = this->post(near.id, erik.id, Visibility::nearby);
  const Report r = this->report(wijk.id, carla.id, ReportTarget::post, hidden.id.value, bert.id);
  this->act(wijk.id, anna.id, {r.id}, ModerationAction::hide);
  const Report rn = must(this->store().create_report(NewReport{
      near.id, erik.id, ReportTarget::post, hidden_near.id.value, erik.id, "x", this->at(300)}));
  this->act(near.id, erik.id, {rn.id}, ModerationAction::hide);

  using Ids = std::vector<PostId>;
  // Others: a full page of two without the hidden ones.
  EXPECT_EQ(this->feed_ids(wijk.id, carla.id, false, 2), (Ids{p3.id, p1.id}));
  EXPECT_EQ(this->feed_ids(wijk.id, std::nullopt, false), (Ids{p3.id, p1.id}));
  // The author sees their own hidden post.
  EXPECT_EQ(this->feed_ids(wijk.id, bert.id, false), (Ids{p3.id, hidden.id, p1.id}));
  // A manager of wijk sees wijk's hidden posts, not those its neighbour hid.
  EXPECT_EQ(this->feed_ids(wijk.id, anna.id, true), (Ids{p3.id, hidden.id, p1.id}));
  // Reading from Oost: its own hidden post for its author-manager only.
  EXPECT_EQ(this->feed_ids(near.id, erik.id, true), (Ids{hidden_near.id}));
  EXPECT_EQ(this->feed_ids(near.id, std::nullopt, false), (Ids{}));
}

TYPED_TEST(Moderation, HiddenResponseIsMarked) {
  const User anna = this->user("anna");
  const auto wijk = this->neighbourhood("Lombok", "Utrecht", kUtrecht, anna.id);
  const User bert = this->user("bert");
  const User carla = this->user("carla");
  this->member(wijk.id, bert.id);
  this->member(wijk.id, carla.id);
  const Post post = this->post(wijk.id, bert.id);
  const PostResponse response = this->respond(post.id, carla.id);
  EXPECT_FALSE(response.hidden_at);
  const Report r =
      this->report(wijk.id, bert.id, ReportTarget::response, response.id.value, carla.id);
  this->act(wijk.id, anna.id, {r.id}, ModerationAction::hide);
  const auto responses = must(this->store().responses_for(post.id));
  ASSERT_EQ(responses.size(), 1u);
  EXPECT_EQ(responses[0].hidden_at, this->at(400));
  EXPECT_FALSE(must(this->store().get_post(post.id)).hidden_at);
}

TYPED_TEST(Moderation, LogIsNewestFirstAndPages) {
  const User anna = this->user("anna");
  const auto wijk = this->neighbourhood("Lombok", "Utrecht", kUtrecht, anna.id);
  const User bert = this->user("bert");
  const User carla = this->user("carla");
  this->member(wijk.id, bert.id);
  this->member(wijk.id, carla.id);
  const Report a = this->report(wijk.id, carla.id, ReportTarget::member, bert.id.value, bert.id);
  const Report b = this->report(wijk.id, bert.id, ReportTarget::member, carla.id.value, carla.id);
  this->act(wijk.id, anna.id, {a.id, b.id}, ModerationAction::warn);
  const auto page1 = must(this->store().moderation_log(wijk.id, std::nullopt, 1));
  ASSERT_EQ(page1.size(), 1u);
  EXPECT_EQ(page1[0].target_user.id, carla.id);
  const auto page2 = must(this->store().moderation_log(wijk.id, page1[0].id, 5));
  ASSERT_EQ(page2.size(), 1u);
  EXPECT_EQ(page2[0].target_user.id, bert.id);
  EXPECT_EQ(page2[0].action, ModerationAction::warn);
}

TYPED_TEST(Moderation, HouseRulesStartEmptyAndAreReplaced) {
  const User anna = this->user("anna");
  const auto wijk = this->neighbourhood("Lombok", "Utrecht", kUtrecht, anna.id);
  const HouseRules none = must(this->store().get_house_rules(wijk.id));
  EXPECT_EQ(none.markdown, "");
  EXPECT_FALSE(none.updated_at);
  EXPECT_EQ(error_of(this->store().get_house_rules(NeighbourhoodId{999999})),
            ErrorCode::not_found);
  must(this->store().put_house_rules(HouseRules{wijk.id, "Be kind", "<p>Be kind</p>", anna.id,
                                                this->at(50)}));
  const HouseRules second = must(this->store().put_house_rules(
      HouseRules{wijk.id, "Be *kind*", "<p>Be <em>kind</em></p>", anna.id, this->at(60)}));
  EXPECT_EQ(second.markdown, "Be *kind*");
  EXPECT_EQ(second.html, "<p>Be <em>kind</em></p>");
  EXPECT_EQ(second.updated_at, this->at(60));
  EXPECT_EQ(must(this->store().get_house_rules(wijk.id)).markdown, "Be *kind*");
}

}  // namespace
}  // namespace noaber::testing
