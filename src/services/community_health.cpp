#include "services/community_health.h"

#include <algorithm>
#include <bit>
#include <unordered_map>
#include <utility>

#include <fmt/format.h>

#include "services/access.h"

namespace noaber {
namespace {

using std::chrono::year_month;

int month_index(year_month m) {
  return static_cast<int>(m.year()) * 12 + static_cast<int>(static_cast<unsigned>(m.month())) - 1;
}

year_month month_from_index(int index) {
  return year_month{std::chrono::year{index / 12}, std::chrono::month{static_cast<unsigned>(index % 12) + 1}};
}

// An unordered pair of people, smaller id first.
struct PairKey {
  std::int64_t low = 0;
  std::int64_t high = 0;
  bool operator==(const PairKey&) const = default;
};

struct PairKeyHash {
  std::size_t operator()(const PairKey& k) const noexcept {
    const auto mixed = static_cast<std::uint64_t>(k.low) * 0x9E3779B97F4A7C15ULL ^
                       static_cast<std::uint64_t>(k.high);
    return static_cast<std::size_t>(mixed ^ (mixed >> 29));
  }
};

// What the history so far says about one pair.
struct PairState {
  TimePoint last;                // their latest exchange
  bool low_gave = false;         // the lower id helped the higher one
  bool high_gave = false;        // and the other way round
  unsigned categories = 0;       // a bit per Category
  bool deepened = false;
  int kept_month = -1;           // the last month index counted as kept
  int bridging_month = -1;       // the last month index counted as bridging
};

std::optional<std::int64_t> withheld_if_small(std::optional<std::int64_t> count) {
  if (!count || *count < kSuppressBelow) return std::nullopt;
  return count;
}

HealthShare share_for_professionals(const HealthShare& share) {
  HealthShare out;
  out.denominator = withheld_if_small(share.denominator);
  const bool small_part = !share.numerator || !share.denominator ||
                          *share.numerator < kSuppressBelow ||
                          *share.denominator - *share.numerator < kSuppressBelow;
  out.numerator = small_part || !out.denominator ? std::nullopt : share.numerator;
  return out;
}

}  // namespace

TimePoint month_start(year_month month) {
  return TimePoint{std::chrono::sys_days{month / std::chrono::day{1}}};
}

year_month month_of(TimePoint t) {
  const std::chrono::year_month_day d{std::chrono::floor<std::chrono::days>(t)};
  return d.year() / d.month();
}

std::vector<MonthFigures> compute_health(const HealthHistory& history, year_month from,
                                         year_month to, TimePoint now) {
  const int first = month_index(from);
  const int count = month_index(to) - first + 1;
  if (count <= 0) return {};
  std::vector<MonthFigures> months(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) months[static_cast<std::size_t>(i)].month = month_from_index(first + i);
  auto in_range = [&](int m) { return m >= 0 && m < count; };
  auto at = [&](int m) -> MonthFigures& { return months[static_cast<std::size_t>(m)]; };

  // Oldest first; at the same second, the lower id (recorded first) first.
  std::vector<const TieExchange*> ordered;
  ordered.reserve(history.exchanges.size());
  for (const auto& e : history.exchanges) ordered.push_back(&e);
  std::stable_sort(ordered.begin(), ordered.end(), [](const TieExchange* a, const TieExchange* b) {
    return std::pair(a->completed_at, a->id) < std::pair(b->completed_at, b->id);
  });

  std::unordered_map<std::int64_t, TimePoint> arrived;
  arrived.reserve(history.members.size());
  for (const auto& m : history.members) arrived.emplace(m.user.value, m.joined_at);
  std::unordered_map<std::int64_t, int> reached_month;  // person -> last month counted

  std::unordered_map<PairKey, PairState, PairKeyHash> pairs;
  pairs.reserve(ordered.size());
  const int end_index = month_index(to);
  for (const TieExchange* e : ordered) {
    // Helping oneself makes no tie (the store never records it; a damaged
    // row must not count either).
    if (e->giver == e->receiver) continue;
    const int absolute = month_index(month_of(e->completed_at));
    if (absolute > end_index) break;
    const int m = absolute - first;

    const PairKey key{std::min(e->giver.value, e->receiver.value),
                      std::max(e->giver.value, e->receiver.value)};
    auto [it, first_exchange] = pairs.try_emplace(key);
    PairState& pair = it->second;
    if (first_exchange) {
      if (in_range(m)) ++*at(m).new_ties;
    } else if (e->completed_at - pair.last <= kKeptWithin && in_range(m) &&
               pair.kept_month != m) {
      ++*at(m).kept_ties;
      pair.kept_month = m;
    }
    pair.last = e->completed_at;

    (e->giver.value == key.low ? pair.low_gave : pair.high_gave) = true;
    pair.categories |= 1u << static_cast<unsigned>(e->category);
    if (!pair.deepened &&
        ((pair.low_gave && pair.high_gave) || std::popcount(pair.categories) > 1)) {
      pair.deepened = true;
      if (in_range(m)) ++*at(m).deepened_ties;
    }

    if (e->giver_home && e->receiver_home && *e->giver_home != *e->receiver_home &&
        in_range(m) && pair.bridging_month != m) {
      ++*at(m).bridging_ties;
      pair.bridging_month = m;
    }

    if (!in_range(m)) continue;
    for (UserId person : {e->giver, e->receiver}) {
      auto joined = arrived.find(person.value);
      if (joined == arrived.end()) continue;
      if (e->completed_at < joined->second || e->completed_at >= joined->second + kNewcomerFor)
        continue;
      auto [seen, added] = reached_month.try_emplace(person.value, m);
      if (!added) {
        if (seen->second == m) continue;
        seen->second = m;
      }
      ++*at(m).newcomers_reached;
    }
  }

  for (const auto& ask : history.posts) {
    if (ask.kind != PostKind::ask) continue;
    const int m = month_index(month_of(ask.created_at)) - first;
    if (!in_range(m)) continue;
    MonthFigures& figures = at(m);
    ++*figures.asks_completed.denominator;
    if (ask.status == PostStatus::done) ++*figures.asks_completed.numerator;

    const auto deadline = ask.created_at + kAnsweredWithin;
    if (ask.first_response_at && *ask.first_response_at <= deadline) {
      ++*figures.asks_answered_within_48h.numerator;
      ++*figures.asks_answered_within_48h.denominator;
    } else if (ask.first_response_at || now >= deadline) {
      ++*figures.asks_answered_within_48h.denominator;
    }
    // Otherwise its 48 hours are still running: it counts once they end.
  }
  return months;
}

std::vector<NeedSignal> needs_signals(const std::vector<PostOutcome>& posts, TimePoint now) {
  constexpr std::size_t kCategories = 5;
  NeedSignal tally[2][kCategories];
  for (std::size_t c = 0; c < kCategories; ++c) {
    tally[0][c] = {PostKind::ask, static_cast<Category>(c), 0, 0};
    tally[1][c] = {PostKind::offer, static_cast<Category>(c), 0, 0};
  }
  for (const auto& p : posts) {
    if (p.created_at < now - kNeedsWindow || p.created_at > now) continue;
    const bool ask = p.kind == PostKind::ask;
    const auto judged_after = ask ? std::chrono::seconds(kAnsweredWithin) : std::chrono::seconds(kOfferFairChance);
    if (now - p.created_at < judged_after) continue;  // not had its chance yet
    NeedSignal& t = tally[ask ? 0 : 1][static_cast<std::size_t>(p.category)];
    ++t.posts;
    const bool answered = ask ? p.first_response_at && *p.first_response_at <= p.created_at + kAnsweredWithin
                              : p.first_response_at.has_value();
    if (!answered) ++t.without_response;
  }
  std::vector<NeedSignal> out;
  for (const auto& kind : tally)
    for (const auto& t : kind)
      if (t.posts >= kNeedsMinPosts && 2 * t.without_response >= t.posts) out.push_back(t);
  // Strongest first: the larger share left alone (compared without
  // division), then the more posts.
  std::stable_sort(out.begin(), out.end(), [](const NeedSignal& a, const NeedSignal& b) {
    const auto left_a = a.without_response * b.posts;
    const auto left_b = b.without_response * a.posts;
    if (left_a != left_b) return left_a > left_b;
    return a.posts > b.posts;
  });
  return out;
}

MonthFigures for_audience(const MonthFigures& figures, HealthAudience audience) {
  if (audience == HealthAudience::member) return figures;
  MonthFigures out{.month = figures.month};
  out.new_ties = withheld_if_small(figures.new_ties);
  out.kept_ties = withheld_if_small(figures.kept_ties);
  out.deepened_ties = withheld_if_small(figures.deepened_ties);
  out.bridging_ties = withheld_if_small(figures.bridging_ties);
  out.newcomers_reached = withheld_if_small(figures.newcomers_reached);
  out.asks_answered_within_48h = share_for_professionals(figures.asks_answered_within_48h);
  out.asks_completed = share_for_professionals(figures.asks_completed);
  return out;
}

std::optional<year_month> parse_year_month(std::string_view text) {
  if (text.size() != 7 || text[4] != '-') return std::nullopt;
  int year = 0;
  unsigned month = 0;
  for (std::size_t i = 0; i < 7; ++i) {
    if (i == 4) continue;
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    const int digit = text[i] - '0';
    if (i < 4) year = year * 10 + digit;
    else month = month * 10 + static_cast<unsigned>(digit);
  }
  if (year < 1970 || month < 1 || month > 12) return std::nullopt;
  return std::chrono::year{year} / std::chrono::month{month};
}

std::string format_year_month(year_month month) {
  return fmt::format("{:04}-{:02}", static_cast<int>(month.year()),
                     static_cast<unsigned>(month.month()));
}

Result<HealthRange> resolve_health_range(const HealthQuery& query, TimePoint now) {
  const year_month current = month_of(now);
  FieldErrors errors;
  std::optional<year_month> from;
  std::optional<year_month> to;
  if (query.from) {
    from = parse_year_month(*query.from);
    if (!from) errors.add("from", "invalid");
  }
  if (query.to) {
    to = parse_year_month(*query.to);
    if (!to) errors.add("to", "invalid");
    else if (*to > current) errors.add("to", "in_future");
  }
  if (!errors.empty()) return fail(errors.to_error());

  const year_month end = to.value_or(current);
  const year_month start =
      from.value_or(month_from_index(month_index(end) - (kDefaultHealthMonths - 1)));
  if (start > end) errors.add("from", "after_to");
  else if (month_index(end) - month_index(start) + 1 > kMaxHealthMonths) errors.add("from", "too_long");
  if (!errors.empty()) return fail(errors.to_error());
  return HealthRange{start, end};
}

CommunityHealthService::CommunityHealthService(Store& store, const Clock& clock)
    : store_(store), clock_(clock) {}

Result<HealthReport> CommunityHealthService::figures(UserId reader, NeighbourhoodId n,
                                                     const HealthQuery& query) {
  auto membership = require_verified_member(store_, reader, n);
  if (!membership) return fail(membership.error());
  const TimePoint now = clock_.now();
  auto range = resolve_health_range(query, now);
  if (!range) return fail(range.error());

  const TimePoint start = month_start(range->from);
  const TimePoint end = month_start(range->to + std::chrono::months{1});
  HealthHistory history;
  auto exchanges = store_.tie_exchanges(n, end);
  if (!exchanges) return fail(exchanges.error());
  history.exchanges = std::move(*exchanges);
  auto posts = store_.post_outcomes(n, start, end);
  if (!posts) return fail(posts.error());
  history.posts = std::move(*posts);
  auto members = store_.list_members(n, std::nullopt);
  if (!members) return fail(members.error());
  for (const auto& m : *members)
    if (m.role != Role::professional) history.members.push_back({m.member.id, m.joined_at});

  HealthReport report{n, *range,
                      membership->role == Role::professional ? HealthAudience::professional
                                                             : HealthAudience::member,
                      {}};
  for (auto& month : compute_health(history, range->from, range->to, now))
    report.months.push_back(for_audience(month, report.audience));
  return report;
}

Result<std::vector<NeedSignal>> CommunityHealthService::needs(UserId reader, NeighbourhoodId n) {
  if (auto m = require_connector(store_, reader, n); !m) return fail(m.error());
  const TimePoint now = clock_.now();
  auto posts = store_.post_outcomes(n, now - kNeedsWindow, now + std::chrono::seconds(1));
  if (!posts) return fail(posts.error());
  return needs_signals(*posts, now);
}

}  // namespace noaber
