#include "services/moderation.h"

#include "core/markdown.h"
#include "core/validation.h"
#include "services/access.h"

namespace noaber {
namespace {

std::unexpected<Error> hidden_not_found(const Error& e) {
  if (e.code == ErrorCode::not_found) return fail(ErrorCode::not_found, "Not found.");
  return fail(e);
}

}  // namespace

ModerationService::ModerationService(Store& store, const Clock& clock, RateLimiter& limiter,
                                     EventBus& events, ModerationPolicy policy)
    : store_(store), clock_(clock), limiter_(limiter), events_(events), policy_(policy) {}

void ModerationService::announce(const std::vector<ModerationEntry>& entries) {
  for (const ModerationEntry& e : entries) {
    const bool shown_again = e.action == ModerationAction::unhide;
    if ((e.action == ModerationAction::hide || shown_again) &&
        e.target_kind == ReportTarget::post) {
      // Read back, so the event says what the post is now (hidden, or in
      // full again once it is not).
      if (auto post = store_.get_post(PostId{e.target_id}))
        events_.publish(PostEvent::about(PostEventType::updated, *post));
    } else if (e.action == ModerationAction::suspend) {
      events_.publish(AccessChangedEvent{e.target_user.id});
    }
  }
}

Result<Report> ModerationService::report(UserId reporter, NeighbourhoodId n,
                                         const ReportInput& input, std::string_view client_ip) {
  if (auto m = require_verified_member(store_, reporter, n); !m) return fail(m.error());
  NewReport report{n, reporter, ReportTarget::post, 0, UserId{}, trim(input.reason),
                   clock_.now()};
  FieldErrors errors;
  const auto kind = parse_report_target(input.target);
  if (kind) report.target_kind = *kind;
  else errors.add("target", input.target.empty() ? "required" : "invalid");
  if (!input.id) errors.add("id", "required");
  else if (*input.id < 1) errors.add("id", "invalid");
  check_text(report.reason, "reason", limits::kReportReasonMin, limits::kReportReasonMax, errors);
  if (auto s = errors.status(); !s) return fail(s.error());
  report.target_id = *input.id;

  // The thing must belong to this neighbourhood; anything else is not found.
  switch (report.target_kind) {
    case ReportTarget::post: {
      auto post = store_.get_post(PostId{report.target_id});
      if (!post) return hidden_not_found(post.error());
      if (post->neighbourhood_id != n) return fail(ErrorCode::not_found, "Not found.");
      report.target_user = post->author.id;
      break;
    }
    case ReportTarget::response: {
      auto response = store_.get_response(ResponseId{report.target_id});
      if (!response) return hidden_not_found(response.error());
      if (response->neighbourhood_id != n) return fail(ErrorCode::not_found, "Not found.");
      report.target_user = response->responder.id;
      break;
    }
    case ReportTarget::member: {
      auto member = store_.get_membership(n, UserId{report.target_id});
      if (!member) return hidden_not_found(member.error());
      report.target_user = member->member.id;
      break;
    }
  }
  if (report.target_user == reporter)
    return fail(ErrorCode::forbidden, "You can't report yourself or what you wrote.");

  if (auto s = limiter_.hit("report-user:" + std::to_string(reporter.value),
                            policy_.reports_per_user);
      !s)
    return fail(s.error());
  if (!client_ip.empty())
    if (auto s = limiter_.hit("report-ip:" + std::string(client_ip), policy_.reports_per_ip); !s)
      return fail(s.error());
  auto created = store_.create_report(report);
  if (!created && created.error().code == ErrorCode::conflict)
    return fail(ErrorCode::conflict,
                "You reported this already; a manager will look at your report.");
  return created;
}

Result<std::vector<Report>> ModerationService::queue(UserId manager, NeighbourhoodId n) {
  if (auto m = require_manager(store_, manager, n); !m) return fail(m.error());
  return store_.open_reports(n);
}

Result<std::vector<ModerationEntry>> ModerationService::act(UserId manager, NeighbourhoodId n,
                                                           const ModerationInput& input) {
  if (auto m = require_manager(store_, manager, n); !m) return fail(m.error());
  ModerationDecision decision{n, manager, {}, ModerationAction::dismiss, trim(input.reason),
                              clock_.now()};
  FieldErrors errors;
  const auto action = parse_moderation_action(input.action);
  if (action == ModerationAction::unhide || action == ModerationAction::lift)
    return undo(manager, n, *action, input);
  if (action) decision.action = *action;
  else errors.add("action", input.action.empty() ? "required" : "invalid");
  if (!input.target.empty()) errors.add("target", "not_allowed");
  if (input.id) errors.add("id", "not_allowed");
  if (input.reports.empty()) errors.add("reports", "required");
  else if (input.reports.size() > limits::kModerationBatchMax) errors.add("reports", "too_long");
  for (std::int64_t id : input.reports) {
    if (id < 1) {
      errors.add("reports", "invalid");
      break;
    }
    decision.reports.push_back(ReportId{id});
  }
  // Dismissing needs no words; every other action says why in the log.
  const std::size_t reason_min = decision.action == ModerationAction::dismiss ? 0 : 3;
  check_text(decision.reason, "reason", reason_min, limits::kModerationReasonMax, errors);
  if (auto s = errors.status(); !s) return fail(s.error());

  auto entries = store_.moderate(decision);
  if (!entries) {
    if (entries.error().code == ErrorCode::not_found)
      return fail(ErrorCode::not_found,
                  "One of these reports is not open here (it may have been handled already).");
    if (entries.error().code == ErrorCode::conflict)
      return fail(ErrorCode::conflict,
                  decision.action == ModerationAction::hide
                      ? "Only posts and responses can be hidden; nothing was changed."
                      : "A manager can't be suspended; nothing was changed.");
  }
  if (entries) announce(*entries);
  return entries;
}

Result<std::vector<ModerationEntry>> ModerationService::undo(UserId manager, NeighbourhoodId n,
                                                            ModerationAction action,
                                                            const ModerationInput& input) {
  ModerationUndo undo{n, manager, action, ReportTarget::post, 0, trim(input.reason),
                      clock_.now()};
  FieldErrors errors;
  if (!input.reports.empty()) errors.add("reports", "not_allowed");
  const auto kind = parse_report_target(input.target);
  if (!kind) errors.add("target", input.target.empty() ? "required" : "invalid");
  else if (action == ModerationAction::unhide && *kind == ReportTarget::member)
    errors.add("target", "invalid");  // posts and responses are hidden, members not
  else if (action == ModerationAction::lift && *kind != ReportTarget::member)
    errors.add("target", "invalid");  // only a member is suspended
  if (kind) undo.target_kind = *kind;
  if (!input.id) errors.add("id", "required");
  else if (*input.id < 1) errors.add("id", "invalid");
  check_text(undo.reason, "reason", 3, limits::kModerationReasonMax, errors);
  if (auto s = errors.status(); !s) return fail(s.error());
  undo.target_id = *input.id;

  auto entry = store_.undo_moderation(undo);
  if (!entry) {
    if (entry.error().code == ErrorCode::not_found) return fail(ErrorCode::not_found, "Not found.");
    if (entry.error().code == ErrorCode::conflict)
      return fail(ErrorCode::conflict, action == ModerationAction::unhide
                                           ? "This is not hidden; nothing was changed."
                                           : "This member is not suspended; nothing was changed.");
    return fail(entry.error());
  }
  std::vector<ModerationEntry> entries{std::move(*entry)};
  announce(entries);
  return entries;
}

Result<ModerationExport> ModerationService::export_of(UserId user) {
  return store_.export_moderation(user);
}

Result<ModerationLogPage> ModerationService::log(UserId reader, NeighbourhoodId n,
                                                 std::optional<ModerationEntryId> before,
                                                 int limit) {
  if (auto m = require_verified_member(store_, reader, n); !m) return fail(m.error());
  auto entries = store_.moderation_log(n, before, limit);
  if (!entries) return fail(entries.error());
  ModerationLogPage page{std::move(*entries), std::nullopt};
  if (static_cast<int>(page.entries.size()) == limit && !page.entries.empty())
    page.next_before = page.entries.back().id;
  return page;
}

Result<HouseRules> ModerationService::house_rules(UserId reader, NeighbourhoodId n) {
  auto m = store_.get_membership(n, reader);
  if (!m) return hidden_not_found(m.error());
  return store_.get_house_rules(n);
}

Result<HouseRules> ModerationService::put_house_rules(UserId manager, NeighbourhoodId n,
                                                      const std::string& markdown) {
  if (auto m = require_manager(store_, manager, n); !m) return fail(m.error());
  FieldErrors errors;
  check_text(markdown, "markdown", 0, limits::kHouseRulesMax, errors);
  if (auto s = errors.status(); !s) return fail(s.error());
  return store_.put_house_rules(
      HouseRules{n, markdown, render_markdown(markdown), manager, clock_.now()});
}

}  // namespace noaber
