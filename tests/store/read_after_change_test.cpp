// Store contract: an answer read once is never given again after a write
// changed it. The SQLite backend keeps the answers of its hottest reads in
// memory (store/sqlite/read_memo.h); these read, change and read again, so
// a memo that outlives a change fails here on that backend.

#include "store_contract.h"

namespace noaber::testing {
namespace {

template <typename Factory>
class ReadAfterChange : public StoreContract<Factory> {
 protected:
  void session(const std::string& hash, UserId user) {
    must(this->store().create_session(NewSession{.token_hash = hash, .user_id = user,
                                                 .created_at = this->at(0),
                                                 .expires_at = this->at(3600)}));
  }
  ErrorCode find_error(const std::string& hash, TimePoint now) {
    return error_of(this->store().find_session(hash, now));
  }
};
TYPED_TEST_SUITE(ReadAfterChange, StoreBackends, BackendName);

TYPED_TEST(ReadAfterChange, ALoggedOutSessionIsGoneAtOnce) {
  const User anna = this->user("anna");
  this->session("hash-1", anna.id);
  must(this->store().find_session("hash-1", this->at(1)));
  must(this->store().find_session("hash-1", this->at(2)));
  must(this->store().delete_session("hash-1"));
  EXPECT_EQ(this->find_error("hash-1", this->at(3)), ErrorCode::not_found);
}

TYPED_TEST(ReadAfterChange, LoggingOutEverywhereEndsEverySessionButTheKeptOne) {
  const User anna = this->user("anna");
  this->session("hash-1", anna.id);
  this->session("hash-2", anna.id);
  this->session("hash-3", anna.id);
  for (const auto* hash : {"hash-1", "hash-2", "hash-3"})
    must(this->store().find_session(hash, this->at(1)));
  must(this->store().delete_sessions_of(anna.id, "hash-2"));
  EXPECT_EQ(this->find_error("hash-1", this->at(2)), ErrorCode::not_found);
  EXPECT_TRUE(this->store().find_session("hash-2", this->at(2)).has_value());
  EXPECT_EQ(this->find_error("hash-3", this->at(2)), ErrorCode::not_found);
}

TYPED_TEST(ReadAfterChange, AnErasedUsersSessionIsGoneAtOnce) {
  const User anna = this->user("anna");
  this->session("hash-1", anna.id);
  must(this->store().find_session("hash-1", this->at(1)));
  must(this->store().erase_user(anna.id, this->at(2)));
  EXPECT_EQ(this->find_error("hash-1", this->at(3)), ErrorCode::not_found);
}

TYPED_TEST(ReadAfterChange, AReadSessionStillExpiresOnTime) {
  const User anna = this->user("anna");
  this->session("hash-1", anna.id);
  must(this->store().find_session("hash-1", this->at(3599)));
  EXPECT_EQ(this->find_error("hash-1", this->at(3600)), ErrorCode::not_found);
}

TYPED_TEST(ReadAfterChange, ATouchShowsInTheNextReadAndNeverGoesBack) {
  const User anna = this->user("anna");
  this->session("hash-1", anna.id);
  EXPECT_EQ(must(this->store().find_session("hash-1", this->at(1))).last_seen_at, this->at(0));
  must(this->store().touch_session("hash-1", this->at(120)));
  EXPECT_EQ(must(this->store().find_session("hash-1", this->at(121))).last_seen_at,
            this->at(120));
  must(this->store().touch_session("hash-1", this->at(60)));
  EXPECT_EQ(must(this->store().find_session("hash-1", this->at(122))).last_seen_at,
            this->at(120));
  // A touch of a session that is gone changes nothing.
  must(this->store().delete_session("hash-1"));
  must(this->store().touch_session("hash-1", this->at(180)));
  EXPECT_EQ(this->find_error("hash-1", this->at(181)), ErrorCode::not_found);
}

TYPED_TEST(ReadAfterChange, EveryStepOfAMembershipShowsAtOnce) {
  const User anna = this->user("anna");
  const auto wijk = this->neighbourhood("Lombok", "Utrecht", kUtrecht, anna.id);
  const User bert = this->user("bert");
  EXPECT_EQ(error_of(this->store().get_membership(wijk.id, bert.id)), ErrorCode::not_found);

  this->member(wijk.id, bert.id, Role::resident, MemberStatus::pending);
  EXPECT_EQ(must(this->store().get_membership(wijk.id, bert.id)).status, MemberStatus::pending);

  must(this->store().verify_member(wijk.id, bert.id, this->at(40)));
  EXPECT_EQ(must(this->store().get_membership(wijk.id, bert.id)).status,
            MemberStatus::verified);

  must(this->store().set_connector(wijk.id, bert.id, this->at(50)));
  EXPECT_EQ(must(this->store().get_membership(wijk.id, bert.id)).connector_since, this->at(50));

  must(this->store().erase_user(bert.id, this->at(60)));
  EXPECT_EQ(error_of(this->store().get_membership(wijk.id, bert.id)), ErrorCode::not_found);
}

TYPED_TEST(ReadAfterChange, AHiddenPostShowsAtOnceAndSoDoesItsUnhiding) {
  const User anna = this->user("anna");
  const auto wijk = this->neighbourhood("Lombok", "Utrecht", kUtrecht, anna.id);
  const User bert = this->user("bert");
  this->member(wijk.id, bert.id);
  const Post post = this->post(wijk.id, bert.id);
  EXPECT_FALSE(must(this->store().has_hidden_posts(bert.id)));
  const Report r = must(this->store().create_report(NewReport{
      wijk.id, anna.id, ReportTarget::post, post.id.value, bert.id, "Not nice", this->at(300)}));
  must(this->store().moderate(ModerationDecision{wijk.id, anna.id, {r.id}, ModerationAction::hide,
                                                 "House rule 2", this->at(400)}));
  EXPECT_TRUE(must(this->store().has_hidden_posts(bert.id)));
  must(this->store().undo_moderation(ModerationUndo{wijk.id, anna.id, ModerationAction::unhide,
                                                    ReportTarget::post, post.id.value,
                                                    "Talked it through", this->at(500)}));
  EXPECT_FALSE(must(this->store().has_hidden_posts(bert.id)));
}

}  // namespace
}  // namespace noaber::testing
