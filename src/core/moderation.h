#pragma once
// Moderation (issue #8; docs/moderation.md): reports by members about a
// post, a response or a member, what managers do about them, the log every
// member reads, and a neighbourhood's house rules.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/types.h"

namespace noaber {

using ReportId = Id<struct ReportTag>;
using ModerationEntryId = Id<struct ModerationEntryTag>;

enum class ReportTarget { post, response, member };
std::string_view to_string(ReportTarget);
std::optional<ReportTarget> parse_report_target(std::string_view);

// unhide and lift undo hide and suspend; they act on a thing, not on reports.
enum class ModerationAction { hide, warn, suspend, dismiss, unhide, lift };
std::string_view to_string(ModerationAction);
std::optional<ModerationAction> parse_moderation_action(std::string_view);

struct NewReport {
  NeighbourhoodId neighbourhood_id;
  UserId reporter;
  ReportTarget target_kind = ReportTarget::post;
  std::int64_t target_id = 0;  // a post, response or user id
  UserId target_user;          // whom it is about: author, responder or member
  std::string reason;
  TimePoint created_at;
};

// Only managers see reports, and with them the reporter.
struct Report {
  ReportId id;
  NeighbourhoodId neighbourhood_id;
  PersonRef reporter;
  ReportTarget target_kind = ReportTarget::post;
  std::int64_t target_id = 0;
  PersonRef target_user;
  std::string reason;
  TimePoint created_at;
  std::optional<TimePoint> resolved_at;  // when a manager acted; nullopt while open
};

// One manager's decision on one or more open reports of a neighbourhood.
struct ModerationDecision {
  NeighbourhoodId neighbourhood_id;
  UserId moderator;
  std::vector<ReportId> reports;
  ModerationAction action = ModerationAction::dismiss;
  std::string reason;
  TimePoint at;
};

// A manager undoes a hide (unhide a post or response) or a suspension (lift,
// of a member) of a neighbourhood.
struct ModerationUndo {
  NeighbourhoodId neighbourhood_id;
  UserId moderator;
  ModerationAction action = ModerationAction::unhide;
  ReportTarget target_kind = ReportTarget::post;
  std::int64_t target_id = 0;
  std::string reason;
  TimePoint at;
};

// A line of the public moderation log: never the reporter.
struct ModerationEntry {
  ModerationEntryId id;
  NeighbourhoodId neighbourhood_id;
  PersonRef moderator;
  ModerationAction action = ModerationAction::dismiss;
  ReportTarget target_kind = ReportTarget::post;
  std::int64_t target_id = 0;
  PersonRef target_user;
  std::string reason;
  TimePoint created_at;
};

struct HouseRules {
  NeighbourhoodId neighbourhood_id;
  std::string markdown;
  std::string html;  // rendered by core/markdown.h
  std::optional<UserId> updated_by;
  std::optional<TimePoint> updated_at;  // nullopt: never written
};

namespace limits {
inline constexpr std::size_t kReportReasonMin = 3;
inline constexpr std::size_t kReportReasonMax = 1000;
inline constexpr std::size_t kModerationReasonMax = 1000;
inline constexpr std::size_t kHouseRulesMax = 20000;
inline constexpr std::size_t kModerationBatchMax = 50;
}  // namespace limits

}  // namespace noaber
