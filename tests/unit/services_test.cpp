// The rules services decide, without HTTP: who may do what, how a post moves
// through its states, limits. A real SQLite store on a temporary file, a
// manual clock, and a cheap stand-in for argon2id.

#include <gtest/gtest.h>

#include "core/clock.h"
#include "events/in_process_bus.h"
#include "services/accounts.h"
#include "services/live_feed.h"
#include "services/market.h"
#include "services/neighbourhoods.h"
#include "services/rate_limiter.h"
#include "services/tokens.h"
#include "store/sqlite/sqlite_store.h"
#include "support/temp_dir.h"

namespace noaber {
namespace {

using namespace std::chrono;

// Hashing is not under test here; argon2id would only make the suite slow.
class PlainHasher final : public PasswordHasher {
 public:
  std::string hash(std::string_view pw) const override { return "plain:" + std::string(pw); }
  bool verify(std::string_view h, std::string_view pw) const override {
    return h == "plain:" + std::string(pw);
  }
};

class ServicesTest : public ::testing::Test {
 protected:
  ServicesTest()
      : store_(SqliteOptions{dir_.file("s.db").string()}),
        clock_(sys_days{2026y / 11 / 29} + hours(12)),
        limiter_(clock_),
        accounts_(store_, clock_, hasher_, random_, limiter_, events_, AccountPolicy{}),
        neighbourhoods_(store_, clock_, random_, limiter_, NeighbourhoodPolicy{}),
        market_(store_, clock_, limiter_, events_, MarketPolicy{}) {
    store_.migrate();
  }

  UserId person(const std::string& name) {
    auto s = accounts_.register_user(
        RegisterInput{name + "@example.org", "correct horse battery", name, "nl"},
        "10.0.0." + std::to_string(++ip_));
    EXPECT_TRUE(s.has_value()) << (s ? "" : s.error().message);
    return s->user.id;
  }
  NeighbourhoodId found(UserId who, const std::string& name, double lat = 52.1395,
                        double lon = 6.1960) {
    auto n = neighbourhoods_.found(who, NeighbourhoodInput{name, "Zutphen", lat, lon});
    EXPECT_TRUE(n.has_value()) << (n ? "" : n.error().message);
    return n->id;
  }
  void join_verified(UserId who, NeighbourhoodId n, UserId inviter) {
    auto invite = neighbourhoods_.create_invite(inviter, n);
    ASSERT_TRUE(invite.has_value());
    auto m = neighbourhoods_.join(who, n, invite->code);
    ASSERT_TRUE(m.has_value()) << m.error().message;
    EXPECT_EQ(m->membership.status, MemberStatus::verified);
  }
  PostId ask(UserId author, NeighbourhoodId n, const char* category = "care",
             const char* visibility = "neighbourhood") {
    auto p = market_.create_post(
        author, n, PostInput{"ask", category, "Boodschappen doen", "Wie kan helpen?", visibility,
                             std::nullopt});
    EXPECT_TRUE(p.has_value()) << (p ? "" : p.error().message);
    return p->post.id;
  }

  test::TempDir dir_;
  SqliteStore store_;
  ManualClock clock_;
  PlainHasher hasher_;
  SystemRandom random_;
  RateLimiter limiter_;
  InProcessEventBus events_;
  AccountService accounts_;
  NeighbourhoodService neighbourhoods_;
  MarketService market_;
  int ip_ = 0;
};

TEST_F(ServicesTest, RegistrationValidatesEveryFieldAtOnce) {
  auto r = accounts_.register_user(RegisterInput{"not-an-email", "short", "", "fr"}, "1.1.1.1");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::validation_failed);
  EXPECT_EQ(r.error().fields.at("email"), "invalid");
  EXPECT_EQ(r.error().fields.at("password"), "too_short");
  EXPECT_EQ(r.error().fields.at("display_name"), "required");
  EXPECT_EQ(r.error().fields.at("locale"), "invalid");
}

TEST_F(ServicesTest, EmailIsUniqueCaseInsensitively) {
  person("anna");
  auto again = accounts_.register_user(
      RegisterInput{"ANNA@example.org", "correct horse battery", "Anna 2", std::nullopt}, "2.2.2.2");
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, ErrorCode::email_taken);
}

TEST_F(ServicesTest, LoginFailsTheSameWayForUnknownEmailAndWrongPassword) {
  person("anna");
  auto wrong = accounts_.login("anna@example.org", "wrong password", "3.3.3.3");
  auto unknown = accounts_.login("nobody@example.org", "wrong password", "3.3.3.3");
  ASSERT_FALSE(wrong.has_value());
  ASSERT_FALSE(unknown.has_value());
  EXPECT_EQ(wrong.error().code, ErrorCode::invalid_credentials);
  EXPECT_EQ(wrong.error().message, unknown.error().message);
  EXPECT_TRUE(accounts_.login("Anna@Example.org", "correct horse battery", "3.3.3.3"));
}

TEST_F(ServicesTest, SessionsExpireAndLogoutEndsThem) {
  person("anna");
  auto s = accounts_.login("anna@example.org", "correct horse battery", "4.4.4.4");
  ASSERT_TRUE(s);
  EXPECT_TRUE(accounts_.authenticate(s->token));
  EXPECT_EQ(accounts_.authenticate("made-up-token").error().code, ErrorCode::unauthenticated);
  clock_.advance(days(31));
  EXPECT_EQ(accounts_.authenticate(s->token).error().code, ErrorCode::unauthenticated);

  auto s2 = accounts_.login("anna@example.org", "correct horse battery", "4.4.4.4");
  ASSERT_TRUE(s2);
  ASSERT_TRUE(accounts_.logout(s2->token));
  EXPECT_FALSE(accounts_.authenticate(s2->token));
}

TEST_F(ServicesTest, LoginIsRateLimitedPerEmail) {
  person("anna");
  for (int i = 0; i < AccountPolicy{}.login_per_email.max_events; ++i)
    EXPECT_EQ(accounts_.login("anna@example.org", "wrong!", "5.5.5." + std::to_string(i))
                  .error()
                  .code,
              ErrorCode::invalid_credentials);
  auto limited = accounts_.login("anna@example.org", "correct horse battery", "6.6.6.6");
  ASSERT_FALSE(limited);
  EXPECT_EQ(limited.error().code, ErrorCode::rate_limited);
  EXPECT_GT(limited.error().retry_after, 0);
  clock_.advance(minutes(6));
  EXPECT_TRUE(accounts_.login("anna@example.org", "correct horse battery", "6.6.6.6"));
}

TEST_F(ServicesTest, AResidentHasOneHomeNeighbourhood) {
  const auto anna = person("anna");
  found(anna, "Binnenstad");
  auto second = neighbourhoods_.found(anna, NeighbourhoodInput{"Leesten", "Zutphen", 52.12, 6.22});
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, ErrorCode::conflict);

  const auto kees = person("kees");
  const auto leesten = found(kees, "Leesten", 52.12, 6.22);
  auto join = neighbourhoods_.join(anna, leesten, std::nullopt);
  ASSERT_FALSE(join);
  EXPECT_EQ(join.error().code, ErrorCode::conflict);
}

TEST_F(ServicesTest, PendingMembersWaitForAManager) {
  const auto anna = person("anna");
  const auto n = found(anna, "Binnenstad");
  const auto bert = person("bert");
  auto pending = neighbourhoods_.join(bert, n, std::nullopt);
  ASSERT_TRUE(pending);
  EXPECT_EQ(pending->membership.status, MemberStatus::pending);

  // A pending member can't post, read the feed or invite.
  EXPECT_EQ(market_.feed(bert, FeedRequest{n}).error().code, ErrorCode::not_verified);
  EXPECT_EQ(neighbourhoods_.create_invite(bert, n).error().code, ErrorCode::not_verified);

  // A plain resident can't approve; a manager can, once.
  const auto carla = person("carla");
  join_verified(carla, n, anna);
  EXPECT_EQ(neighbourhoods_.approve(carla, n, bert).error().code, ErrorCode::forbidden);
  EXPECT_EQ(neighbourhoods_.members(carla, n, MemberStatus::pending).error().code,
            ErrorCode::forbidden);
  auto approved = neighbourhoods_.approve(anna, n, bert);
  ASSERT_TRUE(approved);
  EXPECT_EQ(approved->status, MemberStatus::verified);
  EXPECT_EQ(neighbourhoods_.approve(anna, n, bert).error().code, ErrorCode::conflict);
  EXPECT_TRUE(market_.feed(bert, FeedRequest{n}));
}

TEST_F(ServicesTest, InviteCodesAreSingleUseAndExpire) {
  const auto anna = person("anna");
  const auto n = found(anna, "Binnenstad");
  auto invite = neighbourhoods_.create_invite(anna, n);
  ASSERT_TRUE(invite);
  // People type codes with spaces and in lower case.
  std::string typed = invite->code.substr(0, 5) + " " + invite->code.substr(5);
  for (auto& c : typed) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  ASSERT_TRUE(neighbourhoods_.join(person("bert"), n, typed));
  // A used code makes the join a request that waits for approval.
  auto reused = neighbourhoods_.join(person("carla"), n, invite->code);
  ASSERT_TRUE(reused);
  EXPECT_TRUE(reused->invite_code_rejected);
  EXPECT_EQ(reused->membership.status, MemberStatus::pending);

  auto old = neighbourhoods_.create_invite(anna, n);
  clock_.advance(days(15));
  auto late = neighbourhoods_.join(person("dirk"), n, old->code);
  ASSERT_TRUE(late);
  EXPECT_TRUE(late->invite_code_rejected);
  EXPECT_EQ(late->membership.status, MemberStatus::pending);

  // A code of another neighbourhood does not verify here either.
  const auto kees = person("kees");
  const auto leesten = found(kees, "Leesten", 52.12, 6.22);
  auto elsewhere = neighbourhoods_.create_invite(kees, leesten);
  auto wrong_place = neighbourhoods_.join(person("els"), n, elsewhere->code);
  ASSERT_TRUE(wrong_place);
  EXPECT_TRUE(wrong_place->invite_code_rejected);
}

TEST_F(ServicesTest, APostGoesOpenPromisedDoneAndRecordsWhoGave) {
  const auto anna = person("anna");
  const auto n = found(anna, "Binnenstad");
  const auto bert = person("bert");
  join_verified(bert, n, anna);
  const auto post = ask(bert, n);

  // Completing needs an accepted response first.
  EXPECT_EQ(market_.complete(bert, post, {}).error().code, ErrorCode::conflict);
  // The author can't respond to their own post.
  EXPECT_EQ(market_.respond(bert, post, "ik!").error().code, ErrorCode::forbidden);
  auto response = market_.respond(anna, post, "Ik help je graag.");
  ASSERT_TRUE(response);
  EXPECT_EQ(market_.respond(anna, post, "nog een keer").error().code, ErrorCode::conflict);
  // Only the author accepts.
  EXPECT_EQ(market_.accept(anna, response->id).error().code, ErrorCode::forbidden);
  auto accepted = market_.accept(bert, response->id);
  ASSERT_TRUE(accepted);
  EXPECT_EQ(accepted->status, ResponseStatus::accepted);
  EXPECT_EQ(market_.get_post(bert, post)->post.status, PostStatus::promised);
  EXPECT_EQ(market_.accept(bert, response->id).error().code, ErrorCode::conflict);

  EXPECT_EQ(market_.complete(anna, post, {}).error().code, ErrorCode::forbidden);
  auto bad_hours = market_.complete(bert, post, CompleteInput{std::nullopt, -2.0});
  EXPECT_EQ(bad_hours.error().fields.at("hours"), "out_of_range");
  auto done = market_.complete(bert, post, CompleteInput{"Dank je wel!", 1.5});
  ASSERT_TRUE(done) << done.error().message;
  EXPECT_EQ(done->post.post.status, PostStatus::done);
  ASSERT_EQ(done->exchanges.size(), 1u);
  EXPECT_EQ(done->exchanges[0].giver.id, anna);  // an ask: the responder gave
  EXPECT_EQ(done->exchanges[0].receiver.id, bert);
  EXPECT_EQ(done->exchanges[0].thanks, "Dank je wel!");
  EXPECT_EQ(done->exchanges[0].hours, 1.5);

  // Done is final.
  EXPECT_EQ(market_.complete(bert, post, {}).error().code, ErrorCode::conflict);
  EXPECT_EQ(market_.close_post(bert, post).error().code, ErrorCode::conflict);
  EXPECT_EQ(market_.update_post(bert, post, PostChanges{"Nieuwe titel"}).error().code,
            ErrorCode::conflict);
  EXPECT_EQ(market_.respond(person("carla"), post, "te laat").error().code, ErrorCode::not_found);
}

TEST_F(ServicesTest, AnOffersRespondersReceive) {
  const auto anna = person("anna");
  const auto n = found(anna, "Binnenstad");
  const auto bert = person("bert");
  join_verified(bert, n, anna);
  auto offer = market_.create_post(anna, n, PostInput{"offer", "goods", "Ladder te leen", "", {}, {}});
  ASSERT_TRUE(offer);
  auto r = market_.respond(bert, offer->post.id, "Graag!");
  ASSERT_TRUE(market_.accept(anna, r->id));
  auto done = market_.complete(anna, offer->post.id, {});
  ASSERT_TRUE(done);
  EXPECT_EQ(done->exchanges.at(0).giver.id, anna);
  EXPECT_EQ(done->exchanges.at(0).receiver.id, bert);
}

TEST_F(ServicesTest, PostsAreLimitedPerAddressAcrossAccounts) {
  MarketPolicy policy;
  policy.posts_per_ip = RateLimit{2, hours(1)};
  MarketService market(store_, clock_, limiter_, events_, policy);
  const auto anna = person("anna");
  const auto n = found(anna, "Binnenstad");
  const auto bert = person("bert");
  join_verified(bert, n, anna);
  const PostInput input{"ask", "care", "Hulp gezocht", "", std::nullopt, std::nullopt};
  EXPECT_TRUE(market.create_post(anna, n, input, "192.0.2.7"));
  EXPECT_TRUE(market.create_post(bert, n, input, "192.0.2.7"));
  auto third = market.create_post(bert, n, input, "192.0.2.7");
  ASSERT_FALSE(third);
  EXPECT_EQ(third.error().code, ErrorCode::rate_limited);
  EXPECT_TRUE(market.create_post(bert, n, input, "198.51.100.1")) << "another address";
  EXPECT_TRUE(market.create_post(bert, n, input)) << "no address: only per-user limits";
}

TEST_F(ServicesTest, OnlyAuthorOrManagerCloses) {
  const auto anna = person("anna");
  const auto n = found(anna, "Binnenstad");
  const auto bert = person("bert");
  const auto carla = person("carla");
  join_verified(bert, n, anna);
  join_verified(carla, n, anna);
  const auto p1 = ask(bert, n);
  EXPECT_EQ(market_.close_post(carla, p1).error().code, ErrorCode::forbidden);
  EXPECT_EQ(market_.close_post(anna, p1)->post.status, PostStatus::closed);
  const auto p2 = ask(bert, n);
  EXPECT_EQ(market_.close_post(bert, p2)->post.status, PostStatus::closed);
  EXPECT_EQ(market_.close_post(bert, p2).error().code, ErrorCode::conflict);
}

TEST_F(ServicesTest, PostsReachNearbyAndRegionButNotFurther) {
  const auto anna = person("anna");
  const auto binnenstad = found(anna, "Binnenstad", 52.1395, 6.1960);
  const auto kees = person("kees");
  const auto hoven = found(kees, "De Hoven", 52.1340, 6.1800);  // ~1.2 km away
  const auto fatima = person("fatima");
  const auto leesten = found(fatima, "Leesten", 52.1210, 6.2230);  // ~2.7 km away
  const auto piet = person("piet");
  auto far = neighbourhoods_.found(piet, NeighbourhoodInput{"Centrum", "Deventer", 52.255, 6.16});
  ASSERT_TRUE(far);

  const auto own = ask(anna, binnenstad, "care", "neighbourhood");
  const auto nearby = ask(anna, binnenstad, "care", "nearby");
  const auto region = ask(anna, binnenstad, "care", "region");

  EXPECT_EQ(market_.get_post(kees, own).error().code, ErrorCode::not_found);
  EXPECT_TRUE(market_.get_post(kees, nearby));
  EXPECT_TRUE(market_.get_post(kees, region));
  EXPECT_EQ(market_.get_post(fatima, nearby).error().code, ErrorCode::not_found);
  EXPECT_TRUE(market_.get_post(fatima, region));
  EXPECT_EQ(market_.get_post(piet, region).error().code, ErrorCode::not_found);

  auto hoven_feed = market_.feed(kees, FeedRequest{hoven});
  ASSERT_TRUE(hoven_feed);
  EXPECT_EQ(hoven_feed->posts().size(), 2u);
  auto leesten_feed = market_.feed(fatima, FeedRequest{leesten});
  ASSERT_TRUE(leesten_feed);
  ASSERT_EQ(leesten_feed->posts().size(), 1u);
  EXPECT_EQ(leesten_feed->posts()[0].id, region);
}

TEST_F(ServicesTest, OpenPostsShowAsExpiredAfterTheirExpiry) {
  const auto anna = person("anna");
  const auto n = found(anna, "Binnenstad");
  auto p = market_.create_post(anna, n,
                               PostInput{"offer", "goods", "Stoel", "", {}, "2026-11-30T12:00:00Z"});
  ASSERT_TRUE(p);
  EXPECT_EQ(p->post.status, PostStatus::open);
  clock_.advance(days(2));
  EXPECT_EQ(market_.get_post(anna, p->post.id)->post.status, PostStatus::expired);
  EXPECT_EQ(market_.respond(person("bert"), p->post.id, "hoi").error().code,
            ErrorCode::not_found);  // bert is no member
}

TEST_F(ServicesTest, PostFormReportsEveryField) {
  const auto anna = person("anna");
  const auto n = found(anna, "Binnenstad");
  auto r = market_.create_post(
      anna, n, PostInput{"gift", "", "hi", std::string(5001, 'x'), "world", "gisteren"});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().fields.at("kind"), "invalid");
  EXPECT_EQ(r.error().fields.at("category"), "required");
  EXPECT_EQ(r.error().fields.at("title"), "too_short");
  EXPECT_EQ(r.error().fields.at("body"), "too_long");
  EXPECT_EQ(r.error().fields.at("visibility"), "invalid");
  EXPECT_EQ(r.error().fields.at("expires_at"), "invalid");
}

TEST_F(ServicesTest, SessionEndsWhenIdleLongerThanTheIdleLimit) {
  person("anna");
  auto s = accounts_.login("anna@example.org", "correct horse battery", "4.4.4.5");
  ASSERT_TRUE(s);
  // Used every 13 days, it lives on; 15 days unused (limit 14) end it.
  clock_.advance(days(13));
  EXPECT_TRUE(accounts_.authenticate(s->token));
  clock_.advance(days(13));
  EXPECT_TRUE(accounts_.authenticate(s->token));
  clock_.advance(days(15));
  EXPECT_EQ(accounts_.authenticate(s->token).error().code, ErrorCode::unauthenticated);
  // And it stays ended.
  clock_.advance(seconds(1));
  EXPECT_EQ(accounts_.authenticate(s->token).error().code, ErrorCode::unauthenticated);
}

TEST_F(ServicesTest, SessionEndsAtItsAbsoluteLimitHoweverActive) {
  person("anna");
  auto s = accounts_.login("anna@example.org", "correct horse battery", "4.4.4.6");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->expires_at, clock_.now() + days(90));
  for (int day = 10; day < 90; day += 10) {
    clock_.advance(days(10));
    EXPECT_TRUE(accounts_.authenticate(s->token)) << "day " << day;
  }
  clock_.advance(days(10));  // day 90
  EXPECT_EQ(accounts_.authenticate(s->token).error().code, ErrorCode::unauthenticated);
}

TEST_F(ServicesTest, LastSeenMovesAtMostOnceAMinute) {
  person("anna");
  auto s = accounts_.login("anna@example.org", "correct horse battery", "4.4.4.7");
  ASSERT_TRUE(s);
  const TimePoint start = clock_.now();
  const std::string hash = hash_secret(s->token);
  auto last_seen = [&] { return store_.find_session(hash, clock_.now())->last_seen_at; };
  clock_.advance(seconds(30));
  ASSERT_TRUE(accounts_.authenticate(s->token));
  EXPECT_EQ(last_seen(), start) << "no write within the minute";
  clock_.advance(seconds(30));
  ASSERT_TRUE(accounts_.authenticate(s->token));
  EXPECT_EQ(last_seen(), start + seconds(60));
}

TEST_F(ServicesTest, PasswordChangeChecksTheCurrentOneAndEndsOtherSessions) {
  const UserId anna = person("anna");
  auto here = accounts_.login("anna@example.org", "correct horse battery", "4.4.4.8");
  auto there = accounts_.login("anna@example.org", "correct horse battery", "4.4.4.8");
  ASSERT_TRUE(here && there);
  const std::string keep = hash_secret(here->token);

  auto wrong = accounts_.change_password(anna, keep, "not my password", "a new long passphrase");
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, ErrorCode::invalid_credentials);
  auto weak = accounts_.change_password(anna, keep, "correct horse battery", "password");
  ASSERT_FALSE(weak);
  EXPECT_EQ(weak.error().fields.at("new_password"), "too_common");

  ASSERT_TRUE(accounts_.change_password(anna, keep, "correct horse battery",
                                        "a new long passphrase"));
  EXPECT_TRUE(accounts_.authenticate(here->token));
  EXPECT_EQ(accounts_.authenticate(there->token).error().code, ErrorCode::unauthenticated);
  EXPECT_FALSE(accounts_.login("anna@example.org", "correct horse battery", "4.4.4.8"));
  EXPECT_TRUE(accounts_.login("anna@example.org", "a new long passphrase", "4.4.4.8"));
}

TEST_F(ServicesTest, WrongPasswordGuessesAreLimitedPerUser) {
  const UserId anna = person("anna");
  for (int i = 0; i < AccountPolicy{}.password_per_user.max_events; ++i)
    EXPECT_EQ(accounts_.delete_account(anna, "guess " + std::to_string(i)).error().code,
              ErrorCode::invalid_credentials);
  EXPECT_EQ(accounts_.delete_account(anna, "correct horse battery").error().code,
            ErrorCode::rate_limited);
  clock_.advance(minutes(5));
  EXPECT_TRUE(accounts_.delete_account(anna, "correct horse battery"));
  EXPECT_EQ(accounts_.login("anna@example.org", "correct horse battery", "4.4.4.9").error().code,
            ErrorCode::invalid_credentials);
}

TEST(RateLimiter, StaysBoundedUnderManyKeys) {
  ManualClock clock(sys_days{2026y / 1 / 1});
  RateLimiter limiter(clock, 1000);
  for (int i = 0; i < 50'000; ++i)
    ASSERT_TRUE(limiter.hit("ip:" + std::to_string(i), RateLimit{3, seconds(60)}));
  EXPECT_LE(limiter.size(), 1000u);
}

TEST(RateLimiter, WindowResets) {
  ManualClock clock(sys_days{2026y / 1 / 1});
  RateLimiter limiter(clock);
  const RateLimit limit{2, seconds(60)};
  EXPECT_TRUE(limiter.hit("k", limit));
  EXPECT_TRUE(limiter.hit("k", limit));
  auto third = limiter.hit("k", limit);
  ASSERT_FALSE(third);
  EXPECT_EQ(third.error().retry_after, 60);
  clock.advance(seconds(45));
  EXPECT_EQ(limiter.hit("k", limit).error().retry_after, 15);
  clock.advance(seconds(15));
  EXPECT_TRUE(limiter.hit("k", limit));
}

TEST(Tokens, SessionTokensAreLongRandomAndHashedForStorage) {
  SystemRandom random;
  const auto a = new_session_token(random);
  const auto b = new_session_token(random);
  EXPECT_EQ(a.size(), 43u);
  EXPECT_NE(a, b);
  EXPECT_EQ(hash_secret(a).size(), 64u);
  EXPECT_NE(hash_secret(a), hash_secret(b));
  EXPECT_NE(csrf_token_for(a), csrf_token_for(b));
  EXPECT_NE(csrf_token_for(a), hash_secret(a));
  const auto code = new_invite_code(random);
  EXPECT_EQ(code.size(), 10u);
  EXPECT_EQ(code.find_first_of("01ILO"), std::string::npos);
  EXPECT_EQ(normalize_invite_code("ab-cd ef"), "ABCDEF");
}

TEST_F(ServicesTest, PostChangesArePublishedAfterTheyAreStored) {
  std::vector<std::pair<PostEventType, PostId>> heard;
  auto subscription = events_.subscribe([&](const Event& event) {
    if (const auto* e = std::get_if<PostEvent>(&event)) heard.emplace_back(e->type, e->post_id);
  });
  const auto anna = person("anna");
  const auto n = found(anna, "Binnenstad");
  const auto bert = person("bert");
  join_verified(bert, n, anna);

  const auto post = ask(bert, n);
  ASSERT_EQ(heard.size(), 1u);
  EXPECT_EQ(heard.back(), std::pair(PostEventType::created, post));
  ASSERT_TRUE(market_.update_post(bert, post, PostChanges{"Nieuwe titel", {}, {}}));
  auto response = market_.respond(anna, post, "Ik help.");
  ASSERT_TRUE(response);
  ASSERT_TRUE(market_.accept(bert, response->id));
  ASSERT_TRUE(market_.complete(bert, post, {}));
  ASSERT_EQ(heard.size(), 4u);  // a response alone changes nothing a feed shows
  for (std::size_t i = 1; i < heard.size(); ++i)
    EXPECT_EQ(heard[i], std::pair(PostEventType::updated, post));

  // What fails publishes nothing.
  EXPECT_FALSE(market_.update_post(bert, post, PostChanges{"Te laat", {}, {}}));
  EXPECT_FALSE(market_.close_post(bert, post));
  EXPECT_FALSE(market_.create_post(bert, n, PostInput{"ask", "nonsense", "Titel", "", {}, {}}));
  EXPECT_EQ(heard.size(), 4u);

  const auto other = ask(bert, n);
  ASSERT_TRUE(market_.close_post(anna, other));  // a manager closes it
  ASSERT_EQ(heard.size(), 6u);
  EXPECT_EQ(heard.back(), std::pair(PostEventType::updated, other));
}

// A live-feed sink that hands the posts it gets to a function.
class PostSink final : public LiveFeedSink {
 public:
  explicit PostSink(std::function<void(const PostEvent&)> heard = {}) : heard_(std::move(heard)) {}
  void post(const PostEvent& e) override {
    if (heard_) heard_(e);
  }
  void post_hidden(PostEventType, PostId) override {}
  void notification(const Notification&) override {}
  void end() override {}

 private:
  std::function<void(const PostEvent&)> heard_;
};

std::unique_ptr<LiveFeedSink> posts_to(std::function<void(const PostEvent&)> heard = {}) {
  return std::make_unique<PostSink>(std::move(heard));
}

LiveFeedReader reader(UserId user) { return LiveFeedReader{user, ""}; }

TEST_F(ServicesTest, ALiveFeedHearsThePostsThatReachItsNeighbourhood) {
  LiveFeedService live(store_, clock_, events_, LiveFeedPolicy{});
  const auto anna = person("anna");
  const auto a = found(anna, "Binnenstad", 52.1395, 6.1960);
  const auto dora = person("dora");
  const auto near = found(dora, "De Hoven", 52.1420, 6.2010);  // within 2 km
  const auto erik = person("erik");
  const auto same_region = found(erik, "Warnsveld", 52.1330, 6.2800);  // ~6 km
  const auto carl = person("carl");
  auto far = neighbourhoods_.found(carl, NeighbourhoodInput{"Centrum", "Groningen", 53.2194,
                                                            6.5665});
  ASSERT_TRUE(far);

  std::vector<PostId> heard;
  auto feed =
      live.subscribe(reader(anna), a, posts_to([&](const PostEvent& e) { heard.push_back(e.post_id); }));
  ASSERT_TRUE(feed) << feed.error().message;
  EXPECT_EQ(live.open_subscriptions(), 1);

  std::vector<PostId> expected;
  expected.push_back(ask(anna, a, "care", "neighbourhood"));
  ask(dora, near, "care", "neighbourhood");
  expected.push_back(ask(dora, near, "care", "nearby"));
  expected.push_back(ask(dora, near, "care", "nearby"));  // the cached answer
  ask(erik, same_region, "care", "nearby");
  expected.push_back(ask(erik, same_region, "care", "region"));
  ask(carl, far->id, "care", "region");
  ask(carl, far->id, "care", "nearby");
  EXPECT_EQ(heard, expected);

  feed->reset();
  EXPECT_EQ(live.open_subscriptions(), 0);
  ask(anna, a);
  EXPECT_EQ(heard.size(), expected.size());
}

TEST_F(ServicesTest, OnlyVerifiedMembersGetALiveFeed) {
  LiveFeedService live(store_, clock_, events_, LiveFeedPolicy{});
  const auto anna = person("anna");
  const auto n = found(anna, "Binnenstad");
  const auto bert = person("bert");
  ASSERT_TRUE(neighbourhoods_.join(bert, n, std::nullopt));
  const auto carl = person("carl");
  EXPECT_EQ(live.subscribe(reader(bert), n, posts_to()).error().code, ErrorCode::not_verified);
  EXPECT_EQ(live.subscribe(reader(carl), n, posts_to()).error().code, ErrorCode::not_found);
  EXPECT_EQ(live.subscribe(reader(anna), NeighbourhoodId{n.value + 100}, posts_to()).error().code,
            ErrorCode::not_found);
  EXPECT_EQ(live.open_subscriptions(), 0);
}

TEST_F(ServicesTest, LiveFeedsAreBoundedPerUserAndPerProcess) {
  LiveFeedService live(store_, clock_, events_,
                       LiveFeedPolicy{.max_streams = 3, .max_streams_per_user = 2});
  const auto anna = person("anna");
  const auto n = found(anna, "Binnenstad");
  const auto bert = person("bert");
  join_verified(bert, n, anna);
  auto a1 = live.subscribe(reader(anna), n, posts_to());
  auto a2 = live.subscribe(reader(anna), n, posts_to());
  ASSERT_TRUE(a1 && a2);
  auto a3 = live.subscribe(reader(anna), n, posts_to());
  ASSERT_FALSE(a3);
  EXPECT_EQ(a3.error().code, ErrorCode::rate_limited);
  auto b1 = live.subscribe(reader(bert), n, posts_to());
  ASSERT_TRUE(b1);
  auto b2 = live.subscribe(reader(bert), n, posts_to());
  ASSERT_FALSE(b2);
  EXPECT_EQ(b2.error().code, ErrorCode::unavailable);
  a1->reset();
  EXPECT_TRUE(live.subscribe(reader(bert), n, posts_to()));
}

}  // namespace
}  // namespace noaber
