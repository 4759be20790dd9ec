// Store contract: session lifetimes, password changes, the export and the
// erasure of an account (AVG/GDPR).

#include <algorithm>

#include "store_contract.h"

namespace noaber::testing {
namespace {

template <typename Factory>
class Privacy : public StoreContract<Factory> {
 protected:
  void session(const std::string& hash, UserId user, std::int64_t created = 0,
               std::int64_t expires = 3600) {
    must(this->store().create_session(NewSession{.token_hash = hash,
                                                 .user_id = user,
                                                 .created_at = this->at(created),
                                                 .expires_at = this->at(expires)}));
  }

  // An ask by `author` that `helper` answered and that ended as done.
  Exchange exchange(NeighbourhoodId n, UserId author, UserId helper) {
    const Post p = this->post(n, author);
    const PostResponse r = this->respond(p.id, helper);
    must(this->store().accept_response(r.id, this->at(300)));
    auto done = must(this->store().complete_post(Completion{
        .post_id = p.id, .thanks = "Dank je!", .hours = 1.0, .completed_at = this->at(400)}));
    EXPECT_EQ(done.size(), 1u);
    return done.at(0);
  }
};
TYPED_TEST_SUITE(Privacy, StoreBackends, BackendName);

TYPED_TEST(Privacy, SessionRecordsCreationAndLastSeen) {
  const User anna = this->user("anna");
  this->session("hash-1", anna.id, 10, 3600);
  const SessionRecord found = must(this->store().find_session("hash-1", this->at(20)));
  EXPECT_EQ(found.created_at, this->at(10));
  EXPECT_EQ(found.last_seen_at, this->at(10));
  EXPECT_EQ(found.expires_at, this->at(3600));
}

TYPED_TEST(Privacy, TouchMovesLastSeenForwardOnly) {
  const User anna = this->user("anna");
  this->session("hash-1", anna.id);
  must(this->store().touch_session("hash-1", this->at(500)));
  EXPECT_EQ(must(this->store().find_session("hash-1", this->at(501))).last_seen_at,
            this->at(500));
  must(this->store().touch_session("hash-1", this->at(400)));
  EXPECT_EQ(must(this->store().find_session("hash-1", this->at(501))).last_seen_at,
            this->at(500));
  // A gone session is no error.
  must(this->store().touch_session("no-such-hash", this->at(600)));
}

TYPED_TEST(Privacy, DeleteSessionsOfKeepsTheOneNamedAndOthersUsers) {
  const User anna = this->user("anna");
  const User bert = this->user("bert");
  this->session("anna-1", anna.id);
  this->session("anna-2", anna.id);
  this->session("anna-3", anna.id);
  this->session("bert-1", bert.id);

  must(this->store().delete_sessions_of(anna.id, "anna-2"));
  EXPECT_EQ(error_of(this->store().find_session("anna-1", this->at(1))), ErrorCode::not_found);
  EXPECT_TRUE(this->store().find_session("anna-2", this->at(1)).has_value());
  EXPECT_EQ(error_of(this->store().find_session("anna-3", this->at(1))), ErrorCode::not_found);
  EXPECT_TRUE(this->store().find_session("bert-1", this->at(1)).has_value());

  must(this->store().delete_sessions_of(anna.id, ""));
  EXPECT_EQ(error_of(this->store().find_session("anna-2", this->at(1))), ErrorCode::not_found);
  EXPECT_TRUE(this->store().find_session("bert-1", this->at(1)).has_value());
}

TYPED_TEST(Privacy, SetPasswordReplacesTheHashAndEndsOtherSessions) {
  const User anna = this->user("anna");
  this->session("anna-1", anna.id);
  this->session("anna-2", anna.id);

  EXPECT_EQ(must(this->store().credentials_of(anna.id)).password_hash, "hash-of-anna");
  must(this->store().set_password(anna.id, "new-hash", "anna-2"));
  EXPECT_EQ(must(this->store().credentials_of(anna.id)).password_hash, "new-hash");
  EXPECT_EQ(must(this->store().find_credentials("anna@example.org")).password_hash, "new-hash");
  EXPECT_EQ(error_of(this->store().find_session("anna-1", this->at(1))), ErrorCode::not_found);
  EXPECT_TRUE(this->store().find_session("anna-2", this->at(1)).has_value());

  EXPECT_EQ(error_of(this->store().set_password(UserId{4242}, "x", "")), ErrorCode::not_found);
  EXPECT_EQ(error_of(this->store().credentials_of(UserId{4242})), ErrorCode::not_found);
}

TYPED_TEST(Privacy, ExportHoldsEverythingAboutTheUserAndNothingElse) {
  const User anna = this->user("anna");
  const User bert = this->user("bert");
  const Neighbourhood n = this->neighbourhood("Binnenstad", "Utrecht", kUtrecht, anna.id);
  this->member(n.id, bert.id);
  // Anna's ask, helped by Bert; Bert's offer that Anna answered.
  const Exchange given = this->exchange(n.id, anna.id, bert.id);
  const Post berts = this->post(n.id, bert.id, Visibility::neighbourhood, PostKind::offer);
  const PostResponse annas = this->respond(berts.id, anna.id);
  // Someone else's post and response, which are not Anna's.
  const Post other = this->post(n.id, bert.id);
  must(this->store().create_invite(NewInvite{.neighbourhood_id = n.id,
                                             .created_by = anna.id,
                                             .code_hash = "code-1",
                                             .created_at = this->at(30),
                                             .expires_at = this->at(9000)}));
  must(this->store().create_invite(NewInvite{.neighbourhood_id = n.id,
                                             .created_by = bert.id,
                                             .code_hash = "code-2",
                                             .created_at = this->at(30),
                                             .expires_at = this->at(9000)}));
  this->session("anna-1", anna.id, 5, 3600);
  this->session("anna-old", anna.id, 0, 50);  // expired by now
  this->session("bert-1", bert.id);

  const UserExport data = must(this->store().export_user(anna.id, this->at(1000)));
  EXPECT_EQ(data.user.id, anna.id);
  EXPECT_EQ(data.user.email, "anna@example.org");
  ASSERT_EQ(data.memberships.size(), 1u);
  EXPECT_EQ(data.memberships[0].role, Role::manager);
  ASSERT_EQ(data.posts.size(), 1u);
  EXPECT_EQ(data.posts[0].id, given.post_id);
  ASSERT_EQ(data.responses_to_posts.size(), 1u);
  EXPECT_EQ(data.responses_to_posts[0].responder.id, bert.id);
  ASSERT_EQ(data.responses.size(), 1u);
  EXPECT_EQ(data.responses[0].id, annas.id);
  ASSERT_EQ(data.exchanges.size(), 1u);
  EXPECT_EQ(data.exchanges[0].id, given.id);
  EXPECT_EQ(data.exchanges[0].thanks, "Dank je!");
  ASSERT_EQ(data.invites.size(), 1u);
  EXPECT_EQ(data.invites[0].created_by, anna.id);
  EXPECT_FALSE(data.invites[0].used_at.has_value());
  ASSERT_EQ(data.sessions.size(), 1u);
  EXPECT_EQ(data.sessions[0].token_hash, "anna-1");
  EXPECT_EQ(data.sessions[0].created_at, this->at(5));
  EXPECT_NE(other.id, data.posts[0].id);

  EXPECT_EQ(error_of(this->store().export_user(UserId{4242}, this->at(0))), ErrorCode::not_found);
}

TYPED_TEST(Privacy, ErasureLeavesATombstoneAndKeepsTheHistory) {
  const User anna = this->user("anna");
  const User bert = this->user("bert");
  const Neighbourhood n = this->neighbourhood("Binnenstad", "Utrecht", kUtrecht, bert.id);
  this->member(n.id, anna.id);
  EXPECT_EQ(must(this->store().get_neighbourhood(n.id)).member_count, 2);
  const Exchange helped = this->exchange(n.id, bert.id, anna.id);  // Anna gave
  const Post open = this->post(n.id, anna.id);
  const Post answered = this->post(n.id, bert.id);
  const PostResponse response = this->respond(answered.id, anna.id);
  must(this->store().create_invite(NewInvite{.neighbourhood_id = n.id,
                                             .created_by = anna.id,
                                             .code_hash = "unused",
                                             .created_at = this->at(30),
                                             .expires_at = this->at(9000)}));
  this->session("anna-1", anna.id);
  this->session("bert-1", bert.id);

  must(this->store().erase_user(anna.id, this->at(2000)));

  // Nothing finds the person any more.
  EXPECT_EQ(error_of(this->store().get_user(anna.id)), ErrorCode::not_found);
  EXPECT_EQ(error_of(this->store().find_credentials("anna@example.org")), ErrorCode::not_found);
  EXPECT_EQ(error_of(this->store().credentials_of(anna.id)), ErrorCode::not_found);
  EXPECT_EQ(error_of(this->store().find_session("anna-1", this->at(1))), ErrorCode::not_found);
  EXPECT_EQ(error_of(this->store().export_user(anna.id, this->at(1))), ErrorCode::not_found);
  EXPECT_EQ(error_of(this->store().erase_user(anna.id, this->at(2001))), ErrorCode::not_found);
  EXPECT_EQ(error_of(this->store().get_membership(n.id, anna.id)), ErrorCode::not_found);
  EXPECT_EQ(must(this->store().get_neighbourhood(n.id)).member_count, 1);
  // The invite no one used is gone: its code can't be used any more.
  const User carla = this->user("carla");
  EXPECT_EQ(error_of(this->store().add_member_with_invite(
                NewMembership{.neighbourhood_id = n.id,
                              .user_id = carla.id,
                              .role = Role::resident,
                              .joined_at = this->at(2100)},
                "unused")),
            ErrorCode::not_found);

  // What Anna wrote stays, without her name; her open post is closed.
  const Post kept = must(this->store().get_post(open.id));
  EXPECT_EQ(kept.author.id, anna.id);
  EXPECT_EQ(kept.author.display_name, "");
  EXPECT_TRUE(kept.author.former());
  EXPECT_EQ(kept.status, PostStatus::closed);
  EXPECT_EQ(kept.title, "Ladder lenen");
  const PostResponse kept_response = must(this->store().get_response(response.id));
  EXPECT_TRUE(kept_response.responder.former());
  EXPECT_EQ(kept_response.message, "Ik kan helpen");
  const auto exchanges = must(this->store().exchanges(n.id, std::nullopt, 10));
  ASSERT_EQ(exchanges.size(), 1u);
  EXPECT_EQ(exchanges[0].id, helped.id);
  EXPECT_TRUE(exchanges[0].giver.former());
  EXPECT_EQ(exchanges[0].receiver.display_name, "bert");
  EXPECT_EQ(exchanges[0].thanks, "Dank je!");

  // Bert is untouched; Anna's address can register again, as a new person.
  EXPECT_TRUE(this->store().find_session("bert-1", this->at(1)).has_value());
  const User again = must(this->store().create_user(NewUser{.email = "anna@example.org",
                                                            .display_name = "Anna",
                                                            .password_hash = "x",
                                                            .created_at = this->at(3000)}));
  EXPECT_NE(again.id, anna.id);
  EXPECT_EQ(must(this->store().find_credentials("anna@example.org")).id, again.id);
}

TYPED_TEST(Privacy, ErasingAPendingMemberKeepsTheCount) {
  const User anna = this->user("anna");
  const Neighbourhood n = this->neighbourhood("Binnenstad", "Utrecht", kUtrecht);
  this->member(n.id, anna.id, Role::resident, MemberStatus::pending);
  EXPECT_EQ(must(this->store().get_neighbourhood(n.id)).member_count, 1);
  must(this->store().erase_user(anna.id, this->at(50)));
  EXPECT_EQ(must(this->store().get_neighbourhood(n.id)).member_count, 1);
  EXPECT_TRUE(must(this->store().list_members(n.id, std::nullopt)).size() == 1);
}

}  // namespace
}  // namespace noaber::testing
