// The community health figures on hand-built histories: every expected
// number below is worked out in the comments beside it
// (docs/community-health.md has the definitions).

#include <gtest/gtest.h>

#include <vector>

#include "services/community_health.h"
#include "store/sqlite/sqlite_store.h"
#include "support/temp_dir.h"

namespace noaber {
namespace {

using namespace std::chrono;

TimePoint t(year_month_day day, seconds time_of_day = seconds{0}) {
  return TimePoint{sys_days{day}} + time_of_day;
}
TimePoint noon(year_month_day day) { return t(day, hours(12)); }

std::optional<NeighbourhoodId> home(std::int64_t id) { return NeighbourhoodId{id}; }
constexpr std::optional<NeighbourhoodId> kNoHome = std::nullopt;

// Builds a history one exchange at a time; ids increase in call order.
struct History {
  HealthHistory h;
  History& gave(std::int64_t giver, std::int64_t receiver, TimePoint when,
                Category category = Category::goods,
                std::optional<NeighbourhoodId> giver_home = home(1),
                std::optional<NeighbourhoodId> receiver_home = home(1)) {
    h.exchanges.push_back(TieExchange{
        .id = ExchangeId{static_cast<std::int64_t>(h.exchanges.size()) + 1},
        .giver = UserId{giver},
        .receiver = UserId{receiver},
        .category = category,
        .completed_at = when,
        .giver_home = giver_home,
        .receiver_home = receiver_home,
    });
    return *this;
  }
  History& joined(std::int64_t user, TimePoint when) {
    h.members.push_back({UserId{user}, when});
    return *this;
  }
  History& ask(TimePoint created, std::optional<TimePoint> first_response, PostStatus status) {
    h.posts.push_back(PostOutcome{.id = PostId{static_cast<std::int64_t>(h.posts.size()) + 1},
                                  .kind = PostKind::ask,
                                  .created_at = created,
                                  .first_response_at = first_response,
                                  .status = status});
    return *this;
  }
};

const TimePoint kLater = t(2030y / 1 / 1);

std::vector<std::int64_t> column(const std::vector<MonthFigures>& months,
                                 std::optional<std::int64_t> MonthFigures::*field) {
  std::vector<std::int64_t> out;
  for (const auto& m : months) out.push_back((m.*field).value_or(-1));
  return out;
}

using V = std::vector<std::int64_t>;

TEST(CommunityHealth, MonthsAreCalendarMonthsInUtc) {
  EXPECT_EQ(month_of(t(2026y / 1 / 31, hours(23) + minutes(59) + seconds(59))), 2026y / January);
  EXPECT_EQ(month_of(t(2026y / 2 / 1)), 2026y / February);
  EXPECT_EQ(month_start(2026y / March), t(2026y / 3 / 1));
  EXPECT_EQ(month_start(2026y / December + months{1}), t(2027y / 1 / 1));

  const auto months = compute_health({}, 2025y / November, 2026y / February, kLater);
  ASSERT_EQ(months.size(), 4u);
  EXPECT_EQ(months[0].month, 2025y / November);
  EXPECT_EQ(months[3].month, 2026y / February);
  EXPECT_EQ(column(months, &MonthFigures::new_ties), (V{0, 0, 0, 0}));
}

TEST(CommunityHealth, NewKeptAndDeepenedTies) {
  History h;
  h.gave(1, 2, noon(2025y / 12 / 10))  // pair 1-2 is new in December, before the range
      .gave(2, 1, noon(2026y / 1 / 5))  // 1-2: kept (26 days), deepened (both directions)
      .gave(1, 3, t(2026y / 1 / 31, hours(23) + minutes(59) + seconds(59)))  // 1-3 new in January
      .gave(3, 1, t(2026y / 2 / 1))     // 1-3: kept and deepened in February, one second later
      .gave(4, 5, noon(2026y / 3 / 15)) // 4-5 new in March
      .gave(5, 4, noon(2026y / 3 / 16)) // 4-5 kept and deepened in March too
      .gave(4, 5, noon(2026y / 3 / 17)) // 4-5 again: kept once per month, deepened once ever
      .gave(5, 4, noon(2026y / 4 / 1)); // after the range: not counted anywhere

  const auto months = compute_health(h.h, 2026y / January, 2026y / March, kLater);
  EXPECT_EQ(column(months, &MonthFigures::new_ties), (V{1, 0, 1}));
  EXPECT_EQ(column(months, &MonthFigures::kept_ties), (V{1, 1, 1}));
  EXPECT_EQ(column(months, &MonthFigures::deepened_ties), (V{1, 1, 1}));
}

TEST(CommunityHealth, ATieIsNewOnlyOnceWhicheverWayItGoes) {
  History h;
  h.gave(1, 2, noon(2026y / 1 / 1)).gave(2, 1, noon(2026y / 2 / 1));
  const auto months = compute_health(h.h, 2026y / January, 2026y / February, kLater);
  EXPECT_EQ(column(months, &MonthFigures::new_ties), (V{1, 0}));
}

TEST(CommunityHealth, KeptMeansWithin183DaysOfTheLatestEarlierExchange) {
  History h;
  // 1 January + 183 days = 3 July.
  h.gave(1, 2, t(2026y / 1 / 1)).gave(1, 2, t(2026y / 7 / 3));              // exactly 183 days: kept
  h.gave(3, 4, t(2026y / 1 / 1)).gave(3, 4, t(2026y / 7 / 3, seconds(1)));  // one second more: not
  // A long gap, then two close together: the latter is kept.
  h.gave(5, 6, t(2025y / 1 / 1)).gave(5, 6, t(2026y / 5 / 1)).gave(5, 6, t(2026y / 7 / 1));

  const auto months = compute_health(h.h, 2026y / January, 2026y / July, kLater);
  EXPECT_EQ(column(months, &MonthFigures::kept_ties), (V{0, 0, 0, 0, 0, 0, 2}));
  EXPECT_EQ(column(months, &MonthFigures::new_ties), (V{2, 0, 0, 0, 0, 0, 0}));
}

TEST(CommunityHealth, DeepenedByASecondCategoryAndCountedOnce) {
  History h;
  h.gave(1, 2, noon(2026y / 1 / 1), Category::goods)
      .gave(1, 2, noon(2026y / 2 / 1), Category::care)       // second category: deepened in Feb
      .gave(2, 1, noon(2026y / 3 / 1), Category::knowledge)  // already deepened: not again
      .gave(3, 4, noon(2026y / 1 / 1), Category::care)
      .gave(3, 4, noon(2026y / 2 / 1), Category::care)       // same way, same kind: not deepened
      .gave(3, 4, noon(2026y / 3 / 1), Category::care);
  const auto months = compute_health(h.h, 2026y / January, 2026y / March, kLater);
  EXPECT_EQ(column(months, &MonthFigures::deepened_ties), (V{0, 1, 0}));
}

TEST(CommunityHealth, ATieDeepenedBeforeTheRangeIsNotCountedInIt) {
  History h;
  h.gave(1, 2, noon(2025y / 6 / 1)).gave(2, 1, noon(2025y / 7 / 1)).gave(1, 2, noon(2026y / 1 / 2),
                                                                          Category::care);
  const auto months = compute_health(h.h, 2026y / January, 2026y / January, kLater);
  EXPECT_EQ(column(months, &MonthFigures::deepened_ties), (V{0}));
  EXPECT_EQ(column(months, &MonthFigures::new_ties), (V{0}));
  EXPECT_EQ(column(months, &MonthFigures::kept_ties), (V{0}));  // 185 days after July 1
}

TEST(CommunityHealth, BridgingTiesJoinResidentsOfDifferentNeighbourhoods) {
  History h;
  h.gave(1, 2, noon(2026y / 1 / 2), Category::goods, home(1), home(2))   // bridging
      .gave(2, 1, noon(2026y / 1 / 3), Category::goods, home(2), home(1)) // same pair, same month
      .gave(1, 3, noon(2026y / 1 / 4), Category::goods, home(1), home(1)) // same neighbourhood
      .gave(1, 4, noon(2026y / 1 / 5), Category::goods, home(1), kNoHome) // erased: unknown
      .gave(5, 6, noon(2026y / 1 / 6), Category::goods, kNoHome, kNoHome)
      .gave(1, 2, noon(2026y / 2 / 2), Category::goods, home(1), home(2)); // again in February
  const auto months = compute_health(h.h, 2026y / January, 2026y / February, kLater);
  EXPECT_EQ(column(months, &MonthFigures::bridging_ties), (V{1, 1}));
}

TEST(CommunityHealth, AFormerNeighbourStillCountsAsAPartyByTheirId) {
  History h;
  // 99 erased their account: no home, no membership, but the id stays.
  h.gave(1, 99, noon(2026y / 1 / 2), Category::goods, home(1), kNoHome)
      .gave(99, 1, noon(2026y / 1 / 20), Category::goods, kNoHome, home(1));
  h.joined(1, t(2025y / 1 / 1));
  const auto months = compute_health(h.h, 2026y / January, 2026y / January, kLater);
  EXPECT_EQ(column(months, &MonthFigures::new_ties), (V{1}));
  EXPECT_EQ(column(months, &MonthFigures::kept_ties), (V{1}));
  EXPECT_EQ(column(months, &MonthFigures::deepened_ties), (V{1}));
  EXPECT_EQ(column(months, &MonthFigures::newcomers_reached), (V{0}));
}

TEST(CommunityHealth, HelpingOneselfCountsForNothing) {
  History h;
  h.joined(1, t(2026y / 1 / 1)).gave(1, 1, noon(2026y / 1 / 2)).gave(1, 1, noon(2026y / 1 / 3),
                                                                     Category::care);
  const auto months = compute_health(h.h, 2026y / January, 2026y / January, kLater);
  EXPECT_EQ(column(months, &MonthFigures::new_ties), (V{0}));
  EXPECT_EQ(column(months, &MonthFigures::kept_ties), (V{0}));
  EXPECT_EQ(column(months, &MonthFigures::deepened_ties), (V{0}));
  EXPECT_EQ(column(months, &MonthFigures::newcomers_reached), (V{0}));
}

TEST(CommunityHealth, NewcomersReachedInTheir92FirstDays) {
  History h;
  h.joined(1, t(2026y / 1 / 15))   // newcomer until 17 April 00:00 (15 January + 92 days)
      .joined(2, t(2025y / 6 / 1)) // long-standing
      .joined(3, t(2026y / 3 / 1));
  h.gave(1, 2, noon(2026y / 1 / 20))              // January: 1
      .gave(2, 1, noon(2026y / 1 / 25))           // 1 again in January: still one person
      .gave(2, 3, noon(2026y / 2 / 20))           // 3 has not joined yet: nobody in February
      .gave(8, 1, t(2026y / 4 / 16, hours(23) + minutes(59) + seconds(59)))  // 1's last second
      .gave(1, 3, t(2026y / 4 / 17));             // 1 no longer; 3 still: April counts 1 and 3
  const auto months = compute_health(h.h, 2026y / January, 2026y / April, kLater);
  EXPECT_EQ(column(months, &MonthFigures::newcomers_reached), (V{1, 0, 0, 2}));
}

TEST(CommunityHealth, AsksAnsweredWithin48HoursAndCompleted) {
  const TimePoint now = t(2026y / 3 / 31, hours(12));
  History h;
  h.ask(t(2026y / 2 / 28, hours(23) + minutes(59) + seconds(59)), std::nullopt,
        PostStatus::done)                                              // February: outside
      .ask(t(2026y / 3 / 1), t(2026y / 3 / 3), PostStatus::done)        // answered at exactly 48 h
      .ask(t(2026y / 3 / 2), t(2026y / 3 / 5), PostStatus::closed)      // answered too late
      .ask(t(2026y / 3 / 3), std::nullopt, PostStatus::expired)         // never answered
      .ask(t(2026y / 3 / 31), std::nullopt, PostStatus::open)           // its 48 h still run
      .ask(t(2026y / 3 / 30, hours(13)), t(2026y / 3 / 31, hours(10)),  // answered, still in 48 h
           PostStatus::promised);
  const auto months = compute_health(h.h, 2026y / March, 2026y / March, now);
  ASSERT_EQ(months.size(), 1u);
  EXPECT_EQ(months[0].asks_answered_within_48h.numerator, 2);
  EXPECT_EQ(months[0].asks_answered_within_48h.denominator, 4);
  EXPECT_EQ(months[0].asks_completed.numerator, 1);
  EXPECT_EQ(months[0].asks_completed.denominator, 5);

  // Two days later every ask has had its 48 hours.
  const auto later = compute_health(h.h, 2026y / March, 2026y / March, now + hours(48));
  EXPECT_EQ(later[0].asks_answered_within_48h.numerator, 2);
  EXPECT_EQ(later[0].asks_answered_within_48h.denominator, 5);
}

TEST(CommunityHealth, MembersSeeEveryCount) {
  MonthFigures m{.month = 2026y / January};
  m.new_ties = 3;
  m.asks_completed = {2, 5};
  const MonthFigures seen = for_audience(m, HealthAudience::member);
  EXPECT_EQ(seen.new_ties, 3);
  EXPECT_EQ(seen.kept_ties, 0);
  EXPECT_EQ(seen.asks_completed.numerator, 2);
  EXPECT_EQ(seen.asks_completed.denominator, 5);
}

TEST(CommunityHealth, ProfessionalsSeeNoCountUnderTen) {
  MonthFigures m{.month = 2026y / January};
  m.new_ties = 9;
  m.kept_ties = 10;
  m.deepened_ties = 0;
  m.bridging_ties = 250;
  m.newcomers_reached = 1;
  m.asks_answered_within_48h = {12, 30};  // 12 and 18 not answered: both shown
  m.asks_completed = {25, 30};            // only 5 not completed: the part is withheld
  const MonthFigures seen = for_audience(m, HealthAudience::professional);
  EXPECT_EQ(seen.month, 2026y / January);
  EXPECT_EQ(seen.new_ties, std::nullopt);
  EXPECT_EQ(seen.kept_ties, 10);
  EXPECT_EQ(seen.deepened_ties, std::nullopt);  // zero is "under ten" too: it tells nothing
  EXPECT_EQ(seen.bridging_ties, 250);
  EXPECT_EQ(seen.newcomers_reached, std::nullopt);
  EXPECT_EQ(seen.asks_answered_within_48h.numerator, 12);
  EXPECT_EQ(seen.asks_answered_within_48h.denominator, 30);
  EXPECT_EQ(seen.asks_completed.numerator, std::nullopt);
  EXPECT_EQ(seen.asks_completed.denominator, 30);

  MonthFigures small{.month = 2026y / February};
  small.asks_completed = {5, 8};
  const MonthFigures hidden = for_audience(small, HealthAudience::professional);
  EXPECT_EQ(hidden.asks_completed.numerator, std::nullopt);
  EXPECT_EQ(hidden.asks_completed.denominator, std::nullopt);
}

TEST(CommunityHealth, YearMonthsParseStrictly) {
  EXPECT_EQ(parse_year_month("2026-03"), 2026y / March);
  EXPECT_EQ(parse_year_month("1970-01"), 1970y / January);
  for (std::string_view bad : {"", "2026-3", "2026-13", "2026-00", "26-03", "2026/03", "2026-03-01",
                               "abcd-ef", "1969-12", " 2026-03", "２026-03"})
    EXPECT_EQ(parse_year_month(bad), std::nullopt) << bad;
  EXPECT_EQ(format_year_month(2026y / March), "2026-03");
}

TEST(CommunityHealth, RangeDefaultsToTheLastTwelveMonths) {
  const TimePoint now = t(2026y / 11 / 29, hours(22));
  const auto range = resolve_health_range({}, now);
  ASSERT_TRUE(range);
  EXPECT_EQ(range->from, 2025y / December);
  EXPECT_EQ(range->to, 2026y / November);

  const auto only_from = resolve_health_range({.from = "2026-02"}, now);
  ASSERT_TRUE(only_from);
  EXPECT_EQ(only_from->from, 2026y / February);
  EXPECT_EQ(only_from->to, 2026y / November);

  const auto only_to = resolve_health_range({.to = "2026-03"}, now);
  ASSERT_TRUE(only_to);
  EXPECT_EQ(only_to->from, 2025y / April);
  EXPECT_EQ(only_to->to, 2026y / March);

  const auto longest = resolve_health_range({.from = "2023-12", .to = "2026-11"}, now);
  ASSERT_TRUE(longest);  // 36 months
}

TEST(CommunityHealth, BadRangesAreFieldErrors) {
  const TimePoint now = t(2026y / 11 / 29, hours(22));
  auto fields = [&](HealthQuery q) {
    auto r = resolve_health_range(q, now);
    EXPECT_FALSE(r);
    if (r) return std::map<std::string, std::string>{};
    EXPECT_EQ(r.error().code, ErrorCode::validation_failed);
    return r.error().fields;
  };
  using F = std::map<std::string, std::string>;
  EXPECT_EQ(fields({.from = "2026-1", .to = "soon"}), (F{{"from", "invalid"}, {"to", "invalid"}}));
  EXPECT_EQ(fields({.to = "2026-12"}), (F{{"to", "in_future"}}));
  EXPECT_EQ(fields({.from = "2026-05", .to = "2026-04"}), (F{{"from", "after_to"}}));
  EXPECT_EQ(fields({.from = "2023-11", .to = "2026-11"}), (F{{"from", "too_long"}}));
  EXPECT_EQ(fields({.from = "2026-12"}), (F{{"from", "after_to"}}));
}

PostOutcome outcome(PostKind kind, Category category, TimePoint created,
                    std::optional<TimePoint> first_response = std::nullopt) {
  return PostOutcome{.kind = kind, .category = category, .created_at = created,
                     .first_response_at = first_response};
}

TEST(NeedsSignals, AsksLeftUnansweredAndOffersNobodyTakesUp) {
  const TimePoint now = t(2026y / 11 / 29, hours(12));
  const TimePoint ten_days_ago = now - days(10);
  using enum PostKind;
  std::vector<PostOutcome> posts;
  auto add = [&](int times, PostKind kind, Category c, TimePoint created,
                 std::optional<TimePoint> response = std::nullopt) {
    for (int i = 0; i < times; ++i) posts.push_back(outcome(kind, c, created, response));
  };
  // care: 3 of 4 asks without a response: a signal.
  add(3, ask, Category::care, ten_days_ago);
  add(1, ask, Category::care, ten_days_ago, ten_days_ago + hours(1));
  // contacts: 2 never answered, 2 answered after 50 hours: 4 of 4, the strongest.
  add(2, ask, Category::contacts, ten_days_ago);
  add(2, ask, Category::contacts, ten_days_ago, ten_days_ago + hours(50));
  // goods: 1 of 3 asks unanswered: no signal.
  add(1, ask, Category::goods, ten_days_ago);
  add(2, ask, Category::goods, ten_days_ago, ten_days_ago + hours(47));
  // knowledge: both unanswered, but 2 asks are too few to say anything.
  add(2, ask, Category::knowledge, ten_days_ago);
  // money: still within their 48 hours, or older than the 90-day window.
  add(3, ask, Category::money, now - hours(47));
  add(3, ask, Category::money, now - days(91));
  // offers of goods: half of them nobody took up: a signal.
  add(2, offer, Category::goods, ten_days_ago);
  add(2, offer, Category::goods, ten_days_ago, now - days(1));
  // offers of care: nobody yet, but they are only 3 days old.
  add(3, offer, Category::care, now - days(3));

  const auto signals = needs_signals(posts, now);
  ASSERT_EQ(signals.size(), 3u);
  EXPECT_EQ(signals[0].kind, ask);
  EXPECT_EQ(signals[0].category, Category::contacts);
  EXPECT_EQ(signals[0].posts, 4);
  EXPECT_EQ(signals[0].without_response, 4);
  EXPECT_EQ(signals[1].kind, ask);
  EXPECT_EQ(signals[1].category, Category::care);
  EXPECT_EQ(signals[1].posts, 4);
  EXPECT_EQ(signals[1].without_response, 3);
  EXPECT_EQ(signals[2].kind, offer);
  EXPECT_EQ(signals[2].category, Category::goods);
  EXPECT_EQ(signals[2].posts, 4);
  EXPECT_EQ(signals[2].without_response, 2);
}

TEST(NeedsSignals, NothingToSignalInAQuietNeighbourhood) {
  EXPECT_TRUE(needs_signals({}, t(2026y / 11 / 29)).empty());
}

// The service reads the store and lets only managers see the signals.
TEST(NeedsSignals, ForTheNeighbourhoodsManagers) {
  test::TempDir dir;
  SqliteStore store(SqliteOptions{dir.file("needs.db").string()});
  store.migrate();
  const TimePoint now = t(2026y / 11 / 29, hours(12));
  ManualClock clock(now);
  auto person = [&](const std::string& name) {
    return store.create_user(NewUser{.email = name + "@example.org", .display_name = name,
                                     .password_hash = "x", .created_at = now - days(30)})->id;
  };
  const UserId anna = person("anna"), bert = person("bert"), cor = person("cor");
  const auto lombok = store.create_neighbourhood(
      NewNeighbourhood{.name = "Lombok", .region_name = "Utrecht", .lat = 52.09, .lon = 5.10,
                       .founder = anna, .created_at = now - days(30)}, 2.0)->id;
  store.create_neighbourhood(NewNeighbourhood{.name = "Oost", .region_name = "Elders", .lat = 53.0,
                                              .lon = 6.0, .founder = cor, .created_at = now - days(30)},
                             2.0);
  ASSERT_TRUE(store.add_member(NewMembership{.neighbourhood_id = lombok, .user_id = bert,
                                             .status = MemberStatus::verified,
                                             .joined_at = now - days(20)}));
  for (int i = 0; i < 3; ++i)
    ASSERT_TRUE(store.create_post(NewPost{.neighbourhood_id = lombok, .author_id = bert,
                                          .kind = PostKind::ask, .category = Category::care,
                                          .title = "Boodschappen", .body = "Wie?", .body_html = "<p>Wie?</p>",
                                          .created_at = now - days(5)}));

  CommunityHealthService service(store, clock);
  const auto signals = service.needs(anna, lombok);
  ASSERT_TRUE(signals) << signals.error().message;
  ASSERT_EQ(signals->size(), 1u);
  EXPECT_EQ((*signals)[0].category, Category::care);
  EXPECT_EQ((*signals)[0].without_response, 3);
  EXPECT_EQ(service.needs(bert, lombok).error().code, ErrorCode::forbidden);
  EXPECT_EQ(service.needs(cor, lombok).error().code, ErrorCode::not_found);
}

}  // namespace
}  // namespace noaber
