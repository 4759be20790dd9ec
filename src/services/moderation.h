#pragma once
// Moderation (issue #8; docs/moderation.md): members report posts,
// responses and members; managers hide, warn, suspend or dismiss, one report
// or several at once; every member reads the log of what was done (never
// who reported); managers keep the house rules.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/error.h"
#include "core/moderation.h"
#include "events/event_bus.h"
#include "services/rate_limiter.h"
#include "store/store.h"

namespace noaber {

struct ModerationPolicy {
  RateLimit reports_per_user{20, std::chrono::hours(1)};
  RateLimit reports_per_ip{60, std::chrono::hours(1)};
};

struct ReportInput {
  std::string target;               // post, response or member
  std::optional<std::int64_t> id;   // the post, response or user id
  std::string reason;
};

struct ModerationInput {
  std::vector<std::int64_t> reports;
  std::string action;  // hide, warn, suspend, dismiss; or unhide, lift (below)
  std::string reason;
  // unhide and lift act on a thing, not on reports: a post or response to
  // show again, or a member whose suspension ends.
  std::string target;
  std::optional<std::int64_t> id;
};

struct ModerationLogPage {
  std::vector<ModerationEntry> entries;
  std::optional<ModerationEntryId> next_before;
};

class ModerationService {
 public:
  ModerationService(Store& store, const Clock& clock, RateLimiter& limiter, EventBus& events,
                    ModerationPolicy policy);

  // A verified member reports something of neighbourhood n. client_ip as
  // for MarketService::create_post.
  Result<Report> report(UserId reporter, NeighbourhoodId n, const ReportInput& input,
                        std::string_view client_ip = {});
  // Managers only: the open reports, oldest first.
  Result<std::vector<Report>> queue(UserId manager, NeighbourhoodId n);
  // Managers only: one action on each thing the reports are about; or, for
  // unhide and lift, the one thing input.target and input.id name.
  Result<std::vector<ModerationEntry>> act(UserId manager, NeighbourhoodId n,
                                           const ModerationInput& input);
  // What the records hold about the user, for their export: reports they
  // filed and log entries about them.
  Result<ModerationExport> export_of(UserId user);
  // Verified members: newest first.
  Result<ModerationLogPage> log(UserId reader, NeighbourhoodId n,
                                std::optional<ModerationEntryId> before, int limit);
  // Members of any status (so a pending member reads them while waiting).
  Result<HouseRules> house_rules(UserId reader, NeighbourhoodId n);
  // Managers only.
  Result<HouseRules> put_house_rules(UserId manager, NeighbourhoodId n,
                                     const std::string& markdown);

 private:
  Result<std::vector<ModerationEntry>> undo(UserId manager, NeighbourhoodId n,
                                            ModerationAction action,
                                            const ModerationInput& input);
  // Tells open live feeds what a committed decision changed: a hidden post
  // is updated (its stream event shows only its id to those who may no
  // longer see it), a suspended member's streams of n end.
  void announce(const std::vector<ModerationEntry>& entries);

  Store& store_;
  const Clock& clock_;
  RateLimiter& limiter_;
  EventBus& events_;
  ModerationPolicy policy_;
};

}  // namespace noaber
