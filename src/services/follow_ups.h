#pragma once
// Follow-ups that run by themselves (issue #8): the scheduler
// (app/scheduler.h) calls run_due() every minute. Each job claims its work
// with a conditional change in the store, so several server processes can
// run it at once and each follow-up still happens exactly once.
//
// Jobs so far: an open ask or offer that reaches its expiry is closed as
// `expired` and its author is told (a notification).

#include "core/clock.h"
#include "core/error.h"
#include "store/store.h"

namespace noaber {

struct FollowUpPolicy {
  int batch = 200;  // posts per store transaction; a run repeats until none is left
};

struct FollowUpReport {
  int expired = 0;  // posts this run closed as expired
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
