#include "core/moderation.h"

#include <array>
#include <utility>

namespace noaber {
namespace {

constexpr std::array<std::pair<ReportTarget, std::string_view>, 3> kTargets{{
    {ReportTarget::post, "post"},
    {ReportTarget::response, "response"},
    {ReportTarget::member, "member"},
}};
constexpr std::array<std::pair<ModerationAction, std::string_view>, 6> kActions{{
    {ModerationAction::hide, "hide"},
    {ModerationAction::warn, "warn"},
    {ModerationAction::suspend, "suspend"},
    {ModerationAction::dismiss, "dismiss"},
    {ModerationAction::unhide, "unhide"},
    {ModerationAction::lift, "lift"},
}};

template <typename Table, typename E>
std::string_view name_in(const Table& table, E value) {
  for (const auto& [v, name] : table)
    if (v == value) return name;
  return "";
}

template <typename E, typename Table>
std::optional<E> value_in(const Table& table, std::string_view name) {
  for (const auto& [v, n] : table)
    if (n == name) return v;
  return std::nullopt;
}

}  // namespace

std::string_view to_string(ReportTarget v) { return name_in(kTargets, v); }
std::optional<ReportTarget> parse_report_target(std::string_view s) {
  return value_in<ReportTarget>(kTargets, s);
}
std::string_view to_string(ModerationAction v) { return name_in(kActions, v); }
std::optional<ModerationAction> parse_moderation_action(std::string_view s) {
  return value_in<ModerationAction>(kActions, s);
}

}  // namespace noaber
