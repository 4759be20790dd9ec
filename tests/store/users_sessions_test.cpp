// Store contract: users, credentials and sessions.

#include "store_contract.h"

namespace noaber::testing {
namespace {

template <typename Factory>
class UsersAndSessions : public StoreContract<Factory> {};
TYPED_TEST_SUITE(UsersAndSessions, StoreBackends, BackendName);

TYPED_TEST(UsersAndSessions, PingAnswers) { EXPECT_TRUE(this->store().ping().has_value()); }

TYPED_TEST(UsersAndSessions, CreatedUserCanBeReadBack) {
  const User created = must(this->store().create_user(NewUser{
      .email = "anna@example.org",
      .display_name = "Anna",
      .locale = Locale::en,
      .password_hash = "$argon2id$anna",
      .created_at = this->at(5),
  }));
  EXPECT_GT(created.id.value, 0);
  EXPECT_EQ(created.email, "anna@example.org");

  const User read = must(this->store().get_user(created.id));
  EXPECT_EQ(read.id, created.id);
  EXPECT_EQ(read.email, "anna@example.org");
  EXPECT_EQ(read.display_name, "Anna");
  EXPECT_EQ(read.locale, Locale::en);
  EXPECT_EQ(read.created_at, this->at(5));

  const UserCredentials credentials = must(this->store().find_credentials("anna@example.org"));
  EXPECT_EQ(credentials.id, created.id);
  EXPECT_EQ(credentials.password_hash, "$argon2id$anna");
}

TYPED_TEST(UsersAndSessions, DuplicateEmailIsEmailTaken) {
  this->user("anna");
  const auto again = this->store().create_user(NewUser{
      .email = "anna@example.org", .display_name = "Other Anna", .password_hash = "x",
      .created_at = this->at(1)});
  EXPECT_EQ(error_of(again), ErrorCode::email_taken);
  // Nothing else is refused afterwards.
  this->user("bert");
}

TYPED_TEST(UsersAndSessions, UnknownUserIsNotFound) {
  EXPECT_EQ(error_of(this->store().get_user(UserId{4242})), ErrorCode::not_found);
  EXPECT_EQ(error_of(this->store().find_credentials("nobody@example.org")),
            ErrorCode::not_found);
}

TYPED_TEST(UsersAndSessions, SessionIsFoundUntilItExpires) {
  const User anna = this->user("anna");
  must(this->store().create_session(NewSession{
      .token_hash = "hash-1", .user_id = anna.id, .created_at = this->at(0),
      .expires_at = this->at(3600)}));

  const SessionRecord found = must(this->store().find_session("hash-1", this->at(3599)));
  EXPECT_EQ(found.user_id, anna.id);
  EXPECT_EQ(found.expires_at, this->at(3600));

  EXPECT_EQ(error_of(this->store().find_session("hash-1", this->at(3600))), ErrorCode::not_found);
  EXPECT_EQ(error_of(this->store().find_session("hash-1", this->at(9000))), ErrorCode::not_found);
}

TYPED_TEST(UsersAndSessions, UnknownSessionIsNotFound) {
  EXPECT_EQ(error_of(this->store().find_session("no-such-hash", this->at(0))),
            ErrorCode::not_found);
}

TYPED_TEST(UsersAndSessions, DeletedSessionIsGoneAndDeletingAgainIsFine) {
  const User anna = this->user("anna");
  must(this->store().create_session(NewSession{
      .token_hash = "hash-1", .user_id = anna.id, .created_at = this->at(0),
      .expires_at = this->at(3600)}));
  must(this->store().create_session(NewSession{
      .token_hash = "hash-2", .user_id = anna.id, .created_at = this->at(0),
      .expires_at = this->at(3600)}));

  must(this->store().delete_session("hash-1"));
  EXPECT_EQ(error_of(this->store().find_session("hash-1", this->at(1))), ErrorCode::not_found);
  EXPECT_TRUE(this->store().find_session("hash-2", this->at(1)).has_value());
  EXPECT_TRUE(this->store().delete_session("hash-1").has_value());
}

TYPED_TEST(UsersAndSessions, DuplicateSessionTokenIsConflict) {
  const User anna = this->user("anna");
  const NewSession session{.token_hash = "hash-1", .user_id = anna.id,
                           .created_at = this->at(0), .expires_at = this->at(60)};
  must(this->store().create_session(session));
  EXPECT_EQ(error_of(this->store().create_session(session)), ErrorCode::conflict);
}

TYPED_TEST(UsersAndSessions, SessionOfUnknownUserIsNotFound) {
  EXPECT_EQ(error_of(this->store().create_session(NewSession{
                .token_hash = "hash-1", .user_id = UserId{999}, .created_at = this->at(0),
                .expires_at = this->at(60)})),
            ErrorCode::not_found);
}

}  // namespace
}  // namespace noaber::testing
