#pragma once
// Follow-ups that run by themselves (issue #8): the scheduler
// (app/scheduler.h) calls run_due() every minute. Each job claims its work
// with a conditional change in the store, so several server processes can
// run it at once and each follow-up still happens exactly once.
//
// Jobs:
// - an open ask or offer that reaches its expiry is closed as `expired` and
//   its author is told;
// - an ask without any response after `unanswered_after` (48 hours) is
//   brought to the neighbourhood's connectors (its managers and the
//   residents who opted in; not the asker), docs/managers.md;
// - a post promised `check_in_after` (7 days) ago and not completed asks
//   its author whether it worked out.

#include <chrono>

#include "core/clock.h"
#include "core/error.h"
#include "store/store.h"

namespace noaber {

struct FollowUpPolicy {
  std::chrono::seconds unanswered_after = std::chrono::hours(48);
  std::chrono::seconds check_in_after = std::chrono::days(7);
  int batch = 200;  // posts per store transaction; a run repeats until none is left
};

struct FollowUpReport {
  int expired = 0;      // posts this run closed as expired
  int escalated = 0;    // unanswered asks brought to connectors
  int checked_in = 0;   // authors of long-promised posts asked
};

class FollowUpService {
 public:
  FollowUpService(Store& store, const Clock& clock, FollowUpPolicy policy = {});

  // Runs every follow-up that is due at the clock's now.
  Result<FollowUpReport> run_due();

 private:
  Store& store_;
  const Clock& clock_;
  FollowUpPolicy policy_;
};

}  // namespace noaber
