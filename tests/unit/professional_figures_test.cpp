// The figures for institutions (docs/professionals.md#figures-for-institutions)
// on hand-built posts and exchanges: what each month counts, and what a
// professional's copy withholds.

#include <gtest/gtest.h>

#include <vector>

#include "services/professionals.h"

namespace noaber {
namespace {

using namespace std::chrono;

TimePoint on(year_month_day day) { return TimePoint{sys_days{day}} + hours(12); }

PostOutcome outcome(std::int64_t id, PostKind kind, Category category, TimePoint created,
                    bool answered) {
  PostOutcome p{.id = PostId{id}, .kind = kind, .category = category, .created_at = created};
  if (answered) p.first_response_at = created + hours(1);
  return p;
}

TieExchange exchange(std::int64_t id, TimePoint completed) {
  return TieExchange{.id = ExchangeId{id},
                     .giver = UserId{1},
                     .receiver = UserId{2},
                     .category = Category::care,
                     .completed_at = completed};
}

const CategoryCounts& in(const NeighbourhoodMonth& m, Category c) {
  return m.categories.at(static_cast<std::size_t>(c));
}

// November: 15 care asks (11 answered, 4 not), 2 goods offers, 12 exchanges.
// December: nothing. An ask of October and an exchange of January fall
// outside the range.
struct Figures : ::testing::Test {
  void SetUp() override {
    std::int64_t id = 0;
    for (int i = 0; i < 15; ++i)
      posts.push_back(outcome(++id, PostKind::ask, Category::care,
                              on(2026y / November / (1 + i)), i < 11));
    posts.push_back(outcome(++id, PostKind::offer, Category::goods, on(2026y / November / 3), false));
    posts.push_back(outcome(++id, PostKind::offer, Category::goods, on(2026y / November / 4), true));
    posts.push_back(outcome(++id, PostKind::ask, Category::money, on(2026y / October / 30), true));
    for (int i = 0; i < 12; ++i) exchanges.push_back(exchange(i + 1, on(2026y / November / 20)));
    exchanges.push_back(exchange(13, on(2027y / January / 2)));
  }
  std::vector<PostOutcome> posts;
  std::vector<TieExchange> exchanges;
};

TEST_F(Figures, MembersSeeEveryCountOfEveryMonth) {
  const auto months = neighbourhood_months(posts, exchanges, 2026y / November, 2026y / December,
                                           HealthAudience::member);
  ASSERT_EQ(months.size(), 2u);
  const auto& nov = months[0];
  EXPECT_EQ(nov.month, 2026y / November);
  ASSERT_EQ(nov.categories.size(), 5u);
  EXPECT_EQ(in(nov, Category::care).asks, 15);
  EXPECT_EQ(in(nov, Category::care).offers, 0);
  EXPECT_EQ(in(nov, Category::goods).offers, 2);
  EXPECT_EQ(in(nov, Category::money).asks, 0) << "October's ask is outside";
  EXPECT_EQ(nov.asks_answered.numerator, 11);
  EXPECT_EQ(nov.asks_answered.denominator, 15);
  EXPECT_EQ(nov.exchanges, 12) << "January's exchange is outside";
  EXPECT_EQ(months[1].exchanges, 0);
  EXPECT_EQ(months[1].asks_answered.denominator, 0);
}

TEST_F(Figures, ProfessionalsSeeNoCountUnderTen) {
  const auto months = neighbourhood_months(posts, exchanges, 2026y / November, 2026y / December,
                                           HealthAudience::professional);
  const auto& nov = months[0];
  EXPECT_EQ(in(nov, Category::care).asks, 15);
  EXPECT_EQ(in(nov, Category::care).offers, std::nullopt);
  EXPECT_EQ(in(nov, Category::goods).offers, std::nullopt);
  EXPECT_EQ(nov.exchanges, 12);
  // 11 of 15 answered: 11 is not small, but the 4 unanswered are, and they
  // follow from the two counts; so the numerator is withheld too.
  EXPECT_EQ(nov.asks_answered.numerator, std::nullopt);
  EXPECT_EQ(nov.asks_answered.denominator, 15);
  EXPECT_EQ(months[1].exchanges, std::nullopt) << "zero is under ten too";
  EXPECT_EQ(months[1].asks_answered.denominator, std::nullopt);
}

}  // namespace
}  // namespace noaber
