#pragma once
// Community health: whether ties between neighbours are made, kept and
// deepened, month by month (issue #8). docs/community-health.md defines each
// figure; the functions below are those definitions, pure and unit-tested,
// and CommunityHealthService feeds them from the store for one reader.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/error.h"
#include "core/types.h"
#include "store/store.h"

namespace noaber {

// Who looks decides how much detail they get. Members and managers see
// every count; professionals and institutions see counts under
// kSuppressBelow withheld, so figures about a handful of people can't be
// traced back to them.
enum class HealthAudience { member, professional };
inline constexpr std::int64_t kSuppressBelow = 10;

// The windows of the definitions.
inline constexpr auto kKeptWithin = std::chrono::days(183);     // "6 months"
inline constexpr auto kNewcomerFor = std::chrono::days(92);     // "first 3 months"
inline constexpr auto kAnsweredWithin = std::chrono::hours(48);
inline constexpr int kMaxHealthMonths = 36;
inline constexpr int kDefaultHealthMonths = 12;

// A part of a whole: numerator of denominator. A withheld part is nullopt.
struct HealthShare {
  std::optional<std::int64_t> numerator = 0;
  std::optional<std::int64_t> denominator = 0;
};

// The figures of one calendar month (UTC). A withheld count is nullopt.
struct MonthFigures {
  std::chrono::year_month month;
  std::optional<std::int64_t> new_ties = 0;
  std::optional<std::int64_t> kept_ties = 0;
  std::optional<std::int64_t> deepened_ties = 0;
  std::optional<std::int64_t> bridging_ties = 0;
  std::optional<std::int64_t> newcomers_reached = 0;
  HealthShare asks_answered_within_48h;
  HealthShare asks_completed;
};

// When a member of the neighbourhood arrived (joined_at).
struct MemberArrival {
  UserId user;
  TimePoint joined_at;
};

// Everything the figures are computed from, for one neighbourhood.
struct HealthHistory {
  // Every exchange of the neighbourhood's posts up to the end of the last
  // month, also those before the first: a tie is new only once ever.
  std::vector<TieExchange> exchanges;
  // The neighbourhood's posts created within the months (offers are
  // skipped by the tie figures).
  std::vector<PostOutcome> posts;
  // Its residents and managers (not professionals).
  std::vector<MemberArrival> members;
};

// The first instant of a month and of the month after it (UTC).
TimePoint month_start(std::chrono::year_month month);
std::chrono::year_month month_of(TimePoint t);

// The figures of each month from `from` to `to` (inclusive), in order.
// `now` decides which asks have had their full 48 hours yet.
std::vector<MonthFigures> compute_health(const HealthHistory& history,
                                         std::chrono::year_month from,
                                         std::chrono::year_month to, TimePoint now);

// The figures as `audience` may see them: unchanged for members; for
// professionals every count under kSuppressBelow withheld, and a share's
// numerator withheld when it or its complement (denominator - numerator)
// is under kSuppressBelow.
MonthFigures for_audience(const MonthFigures& figures, HealthAudience audience);

// "YYYY-MM" -> month; nullopt for anything else.
std::optional<std::chrono::year_month> parse_year_month(std::string_view text);
std::string format_year_month(std::chrono::year_month month);

// The query as it arrived (from and to as text, both optional).
struct HealthQuery {
  std::optional<std::string> from;
  std::optional<std::string> to;
};

struct HealthRange {
  std::chrono::year_month from;
  std::chrono::year_month to;
};

// Validates the range: each "YYYY-MM" (field code `invalid`), to not after
// the current month (`in_future`), from not after to (`after_to`), at most
// kMaxHealthMonths months (`too_long`). Defaults: to = the current month,
// from = kDefaultHealthMonths months ending at to.
Result<HealthRange> resolve_health_range(const HealthQuery& query, TimePoint now);

// --- needs signals ----------------------------------------------------------
// For the manager's dashboard: categories where asks keep going unanswered,
// and offers nobody takes up (docs/community-health.md, "Needs signals").
inline constexpr auto kNeedsWindow = std::chrono::days(90);
inline constexpr auto kOfferFairChance = std::chrono::days(7);
inline constexpr std::int64_t kNeedsMinPosts = 3;

struct NeedSignal {
  PostKind kind = PostKind::ask;  // ask: unanswered asks; offer: offers not taken up
  Category category = Category::goods;
  std::int64_t posts = 0;             // judged posts of this kind and category
  std::int64_t without_response = 0;  // of those, the ones left without a response
};

// The signals from the posts created in the kNeedsWindow before `now`: per
// kind and category with at least kNeedsMinPosts judged posts of which at
// least half went without a response. Asks are judged once their 48 hours
// have passed (without a response within them); offers once kOfferFairChance
// has passed (without any response by now). Strongest signal first.
std::vector<NeedSignal> needs_signals(const std::vector<PostOutcome>& posts, TimePoint now);

struct HealthReport {
  NeighbourhoodId neighbourhood_id;
  HealthRange range;
  HealthAudience audience = HealthAudience::member;
  std::vector<MonthFigures> months;
};

class CommunityHealthService {
 public:
  CommunityHealthService(Store& store, const Clock& clock);

  // For verified members (and managers) of the neighbourhood: not_found for
  // non-members, not_verified while pending, forbidden while suspended.
  // Members with the professional role get the suppressed figures.
  Result<HealthReport> figures(UserId reader, NeighbourhoodId n, const HealthQuery& query);

  // The needs signals of the neighbourhood now, for its connectors (its
  // managers and the residents who opted in: the dashboard's readers);
  // forbidden for other members.
  Result<std::vector<NeedSignal>> needs(UserId reader, NeighbourhoodId n);

 private:
  Store& store_;
  const Clock& clock_;
};

}  // namespace noaber
