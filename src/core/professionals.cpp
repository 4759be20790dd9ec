#include "core/professionals.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <utility>

namespace noaber {
namespace {

constexpr std::array<std::pair<AdmissionRule, std::string_view>, 3> kRules{
    {{AdmissionRule::manager, "manager"},
     {AdmissionRule::objection, "objection"},
     {AdmissionRule::vote, "vote"}}};
constexpr std::array<std::pair<AccessStatus, std::string_view>, 7> kAccessStatuses{
    {{AccessStatus::requested, "requested"},
     {AccessStatus::admitted_awaiting_buddy, "admitted_awaiting_buddy"},
     {AccessStatus::active, "active"},
     {AccessStatus::refused, "refused"},
     {AccessStatus::paused, "paused"},
     {AccessStatus::revoked, "revoked"},
     {AccessStatus::lapsed, "lapsed"}}};
constexpr std::array<std::pair<AccessEventKind, std::string_view>, 12> kEventKinds{
    {{AccessEventKind::requested, "requested"},
     {AccessEventKind::admitted, "admitted"},
     {AccessEventKind::refused, "refused"},
     {AccessEventKind::buddy, "buddy"},
     {AccessEventKind::active, "active"},
     {AccessEventKind::paused, "paused"},
     {AccessEventKind::resumed, "resumed"},
     {AccessEventKind::revoked, "revoked"},
     {AccessEventKind::lapsed, "lapsed"},
     {AccessEventKind::renewal_requested, "renewal_requested"},
     {AccessEventKind::renewed, "renewed"},
     {AccessEventKind::renewal_refused, "renewal_refused"}}};

template <typename Table, typename E>
std::string_view name_in(const Table& table, E value) {
  for (const auto& [v, name] : table)
    if (v == value) return name;
  return "";
}

template <typename Table>
auto value_in(const Table& table, std::string_view name)
    -> std::optional<typename Table::value_type::first_type> {
  for (const auto& [v, n] : table)
    if (n == name) return v;
  return std::nullopt;
}

}  // namespace

std::string_view to_string(AdmissionRule v) { return name_in(kRules, v); }
std::optional<AdmissionRule> parse_admission_rule(std::string_view s) {
  return value_in(kRules, s);
}
std::string_view to_string(AccessStatus v) { return name_in(kAccessStatuses, v); }
std::string_view to_string(AccessEventKind v) { return name_in(kEventKinds, v); }
std::optional<AccessEventKind> parse_access_event_kind(std::string_view s) {
  return value_in(kEventKinds, s);
}
std::optional<AccessStatus> parse_access_status(std::string_view s) {
  return value_in(kAccessStatuses, s);
}

bool ProfessionalSettings::in_scope(Category c) const {
  return std::ranges::find(scope, c) != scope.end();
}

TimePoint add_months(TimePoint at, int months) {
  using namespace std::chrono;
  const auto day = floor<days>(at);
  const seconds time_of_day = at - day;
  year_month_day ymd{day};
  year_month_day moved = ymd + std::chrono::months(months);
  if (!moved.ok()) moved = moved.year() / moved.month() / last;
  return TimePoint(sys_days(moved).time_since_epoch() + time_of_day);
}

}  // namespace noaber
