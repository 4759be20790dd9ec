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
//
// After each store transaction the changes go on the event bus: a
// post_updated for every expired post, and a doorbell for everyone who got
// a notification, so open live feeds hear of them.

#include <chrono>
#include <functional>

#include <vector>

#include "core/clock.h"
#include "core/error.h"
#include "events/event_bus.h"
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
  FollowUpService(Store& store, const Clock& clock, EventBus& events,
                  FollowUpPolicy policy = {});

  // Runs every follow-up that is due at the clock's now.
  // `go_on`, when given, is asked before every batch; once it says no the
  // run stops there (a stopping server doesn't wait for a large backlog)
  // and the next run takes up what is left.
  Result<FollowUpReport> run_due(const std::function<bool()>& go_on = {});

 private:
  // What a job did, told on the bus once its transaction committed. A post
  // read fails only when the database does; that post's events are skipped
  // (best effort, as all delivery on the bus).
  void announce_expired(const std::vector<PostId>& posts);
  void announce_to_connectors(const std::vector<PostId>& posts);
  void announce_to_authors(const std::vector<PostId>& posts);

  Store& store_;
  const Clock& clock_;
  EventBus& events_;
  FollowUpPolicy policy_;
};

}  // namespace noaber
