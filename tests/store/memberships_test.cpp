// Store contract: memberships, verification and invites.

#include <string>
#include <vector>

#include "store_contract.h"

namespace noaber::testing {
namespace {

template <typename Factory>
class Memberships : public StoreContract<Factory> {
 protected:
  Invite invite(NeighbourhoodId n, UserId by, const std::string& code_hash,
                TimePoint expires_at) {
    return must(this->store().create_invite(NewInvite{
        .neighbourhood_id = n, .created_by = by, .code_hash = code_hash,
        .created_at = this->at(30), .expires_at = expires_at}));
  }

  Result<Membership> join_with(NeighbourhoodId n, UserId u, std::string_view code_hash,
                               TimePoint when) {
    return this->store().add_member_with_invite(
        NewMembership{.neighbourhood_id = n, .user_id = u, .role = Role::resident,
                      .status = MemberStatus::pending, .joined_at = when},
        code_hash);
  }

  std::int64_t member_count(NeighbourhoodId n) {
    return must(this->store().get_neighbourhood(n)).member_count;
  }
};
TYPED_TEST_SUITE(Memberships, StoreBackends, BackendName);

std::vector<std::string> member_names(const std::vector<Membership>& members) {
  std::vector<std::string> out;
  for (const auto& m : members) out.push_back(m.member.display_name);
  return out;
}

TYPED_TEST(Memberships, PendingMemberIsVerifiedOnce) {
  const auto wijk = this->neighbourhood("Lombok", "Utrecht", kUtrecht);
  const User bert = this->user("bert");
  const Membership added =
      this->member(wijk.id, bert.id, Role::resident, MemberStatus::pending);
  EXPECT_EQ(added.status, MemberStatus::pending);
  EXPECT_EQ(added.role, Role::resident);
  EXPECT_EQ(added.member.id, bert.id);
  EXPECT_EQ(added.member.display_name, "bert");
  EXPECT_EQ(added.neighbourhood_name, "Lombok");
  EXPECT_EQ(added.joined_at, this->at(20));
  EXPECT_EQ(this->member_count(wijk.id), 1);

  const Membership verified = must(this->store().verify_member(wijk.id, bert.id, this->at(40)));
  EXPECT_EQ(verified.status, MemberStatus::verified);
  EXPECT_EQ(this->member_count(wijk.id), 2);

  EXPECT_EQ(error_of(this->store().verify_member(wijk.id, bert.id, this->at(41))),
            ErrorCode::conflict);
  EXPECT_EQ(this->member_count(wijk.id), 2);
  EXPECT_EQ(error_of(this->store().verify_member(wijk.id, this->user("cor").id, this->at(41))),
            ErrorCode::not_found);
}

TYPED_TEST(Memberships, VerifiedMemberCountsAtOnce) {
  const auto wijk = this->neighbourhood("Lombok", "Utrecht", kUtrecht);
  this->member(wijk.id, this->user("bert").id);
  EXPECT_EQ(this->member_count(wijk.id), 2);
}

TYPED_TEST(Memberships, ResidentOrManagerOfOneNeighbourhoodOnly) {
  const auto lombok = this->neighbourhood("Lombok", "Utrecht", kUtrecht);
  const auto oost = this->neighbourhood("Oost", "Utrecht", kUtrechtEast);
  const User bert = this->user("bert");
  this->member(lombok.id, bert.id, Role::resident, MemberStatus::pending);

  auto join = [&](NeighbourhoodId n, Role role) {
    return this->store().add_member(NewMembership{.neighbourhood_id = n, .user_id = bert.id,
                                                  .role = role, .joined_at = this->at(50)});
  };
  EXPECT_EQ(error_of(join(oost.id, Role::resident)), ErrorCode::conflict);
  EXPECT_EQ(error_of(join(oost.id, Role::manager)), ErrorCode::conflict);
  // A professional may work in several neighbourhoods besides a home.
  EXPECT_EQ(join(oost.id, Role::professional).value().role, Role::professional);
  EXPECT_EQ(must(this->store().memberships_of(bert.id)).size(), 2u);
}

TYPED_TEST(Memberships, SameNeighbourhoodTwiceIsConflict) {
  const auto wijk = this->neighbourhood("Lombok", "Utrecht", kUtrecht);
  const User zorg = this->user("zorg");
  this->member(wijk.id, zorg.id, Role::professional);
  EXPECT_EQ(error_of(this->store().add_member(NewMembership{
                .neighbourhood_id = wijk.id, .user_id = zorg.id, .role = Role::professional,
                .joined_at = this->at(60)})),
            ErrorCode::conflict);
  EXPECT_EQ(this->member_count(wijk.id), 2);
}

TYPED_TEST(Memberships, UnknownNeighbourhoodOrUserIsNotFound) {
  const auto wijk = this->neighbourhood("Lombok", "Utrecht", kUtrecht);
  EXPECT_EQ(error_of(this->store().add_member(NewMembership{
                .neighbourhood_id = NeighbourhoodId{999}, .user_id = this->user("bert").id,
                .joined_at = this->at(1)})),
            ErrorCode::not_found);
  EXPECT_EQ(error_of(this->store().add_member(NewMembership{
                .neighbourhood_id = wijk.id, .user_id = UserId{999}, .joined_at = this->at(1)})),
            ErrorCode::not_found);
  EXPECT_EQ(error_of(this->store().get_membership(wijk.id, UserId{999})), ErrorCode::not_found);
}

TYPED_TEST(Memberships, ListsMembersAndMembershipsInJoinOrder) {
  const User anna = this->user("anna");
  const auto wijk = this->neighbourhood("Lombok", "Utrecht", kUtrecht, anna.id);
  const auto other = this->neighbourhood("Oost", "Utrecht", kUtrechtEast);
  const User bert = this->user("bert");
  const User cor = this->user("cor");
  this->member(wijk.id, bert.id, Role::resident, MemberStatus::pending);
  this->member(wijk.id, cor.id, Role::professional, MemberStatus::verified);
  this->member(other.id, cor.id, Role::professional, MemberStatus::pending);

  EXPECT_EQ(member_names(must(this->store().list_members(wijk.id, std::nullopt))),
            (std::vector<std::string>{"anna", "bert", "cor"}));
  EXPECT_EQ(member_names(must(this->store().list_members(wijk.id, MemberStatus::verified))),
            (std::vector<std::string>{"anna", "cor"}));
  EXPECT_EQ(member_names(must(this->store().list_members(wijk.id, MemberStatus::pending))),
            std::vector<std::string>{"bert"});
  EXPECT_TRUE(must(this->store().list_members(wijk.id, MemberStatus::suspended)).empty());

  const auto of_cor = must(this->store().memberships_of(cor.id));
  ASSERT_EQ(of_cor.size(), 2u);
  EXPECT_EQ(of_cor[0].neighbourhood_name, "Lombok");
  EXPECT_EQ(of_cor[0].status, MemberStatus::verified);
  EXPECT_EQ(of_cor[1].neighbourhood_name, "Oost");
  EXPECT_TRUE(must(this->store().memberships_of(this->user("dirk").id)).empty());
}

TYPED_TEST(Memberships, InviteAddsAVerifiedMemberOnce) {
  const User anna = this->user("anna");
  const auto wijk = this->neighbourhood("Lombok", "Utrecht", kUtrecht, anna.id);
  const Invite inv = this->invite(wijk.id, anna.id, "code-hash-1", this->at(1000));
  EXPECT_GT(inv.id.value, 0);
  EXPECT_EQ(inv.neighbourhood_id, wijk.id);
  EXPECT_EQ(inv.created_by, anna.id);
  EXPECT_EQ(inv.expires_at, this->at(1000));

  const User bert = this->user("bert");
  const Membership joined = must(this->join_with(wijk.id, bert.id, "code-hash-1", this->at(500)));
  EXPECT_EQ(joined.status, MemberStatus::verified);
  EXPECT_EQ(joined.role, Role::resident);
  EXPECT_EQ(this->member_count(wijk.id), 2);

  const User cor = this->user("cor");
  EXPECT_EQ(error_of(this->join_with(wijk.id, cor.id, "code-hash-1", this->at(501))),
            ErrorCode::not_found);
  EXPECT_EQ(error_of(this->store().get_membership(wijk.id, cor.id)), ErrorCode::not_found);
}

TYPED_TEST(Memberships, ExpiredInviteIsRefused) {
  const User anna = this->user("anna");
  const auto wijk = this->neighbourhood("Lombok", "Utrecht", kUtrecht, anna.id);
  this->invite(wijk.id, anna.id, "code-hash-1", this->at(1000));
  const User bert = this->user("bert");
  EXPECT_EQ(error_of(this->join_with(wijk.id, bert.id, "code-hash-1", this->at(1000))),
            ErrorCode::not_found);
  EXPECT_EQ(error_of(this->store().get_membership(wijk.id, bert.id)), ErrorCode::not_found);
}

TYPED_TEST(Memberships, InviteOfAnotherNeighbourhoodIsRefused) {
  const User anna = this->user("anna");
  const auto lombok = this->neighbourhood("Lombok", "Utrecht", kUtrecht, anna.id);
  const auto oost = this->neighbourhood("Oost", "Utrecht", kUtrechtEast);
  this->invite(lombok.id, anna.id, "code-hash-1", this->at(1000));
  const User bert = this->user("bert");
  EXPECT_EQ(error_of(this->join_with(oost.id, bert.id, "code-hash-1", this->at(500))),
            ErrorCode::not_found);
  EXPECT_EQ(error_of(this->join_with(oost.id, bert.id, "no-such-code", this->at(500))),
            ErrorCode::not_found);
  // The invite was not used up by the refused attempts.
  EXPECT_TRUE(this->join_with(lombok.id, bert.id, "code-hash-1", this->at(501)).has_value());
}

TYPED_TEST(Memberships, RefusedJoinLeavesTheInviteUnused) {
  const User anna = this->user("anna");
  const auto lombok = this->neighbourhood("Lombok", "Utrecht", kUtrecht, anna.id);
  this->invite(lombok.id, anna.id, "code-hash-1", this->at(1000));
  // Bert has a home already, so joining Lombok as resident is a conflict.
  const User bert = this->user("bert");
  this->neighbourhood("Oost", "Utrecht", kUtrechtEast, bert.id);
  EXPECT_EQ(error_of(this->join_with(lombok.id, bert.id, "code-hash-1", this->at(500))),
            ErrorCode::conflict);
  EXPECT_TRUE(this->join_with(lombok.id, this->user("cor").id, "code-hash-1", this->at(501))
                  .has_value());
}

TYPED_TEST(Memberships, InviteCodeHashIsUnique) {
  const User anna = this->user("anna");
  const auto wijk = this->neighbourhood("Lombok", "Utrecht", kUtrecht, anna.id);
  this->invite(wijk.id, anna.id, "code-hash-1", this->at(1000));
  EXPECT_EQ(error_of(this->store().create_invite(NewInvite{
                .neighbourhood_id = wijk.id, .created_by = anna.id, .code_hash = "code-hash-1",
                .created_at = this->at(31), .expires_at = this->at(2000)})),
            ErrorCode::conflict);
  EXPECT_EQ(error_of(this->store().create_invite(NewInvite{
                .neighbourhood_id = NeighbourhoodId{999}, .created_by = anna.id,
                .code_hash = "code-hash-2", .created_at = this->at(31),
                .expires_at = this->at(2000)})),
            ErrorCode::not_found);
}

}  // namespace
}  // namespace noaber::testing
