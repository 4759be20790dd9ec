#include "services/follow_ups.h"

namespace noaber {
namespace {

// Calls `step` (one store transaction of at most `batch` posts) until a
// batch comes back short: nothing due is left (another process may have
// taken some). Adds up how many it did.
template <typename Step>
Status drain(int batch, int& count, Step&& step) {
  for (;;) {
    auto done = step();
    if (!done) return fail(done.error());
    count += static_cast<int>(done->size());
    if (static_cast<int>(done->size()) < batch) return {};
  }
}

}  // namespace

FollowUpService::FollowUpService(Store& store, const Clock& clock, FollowUpPolicy policy)
    : store_(store), clock_(clock), policy_(policy) {}

Result<FollowUpReport> FollowUpService::run_due() {
  FollowUpReport report;
  const TimePoint now = clock_.now();
  const int batch = policy_.batch;
  // Expiry first, so an ask that expires now is not escalated as well.
  if (auto s = drain(batch, report.expired,
                     [&] { return store_.expire_due_posts(now, batch); });
      !s)
    return fail(s.error());
  if (auto s = drain(batch, report.escalated,
                     [&] {
                       return store_.escalate_unanswered_asks(now, now - policy_.unanswered_after,
                                                              batch);
                     });
      !s)
    return fail(s.error());
  if (auto s = drain(batch, report.checked_in,
                     [&] {
                       return store_.check_in_on_promised(now, now - policy_.check_in_after,
                                                          batch);
                     });
      !s)
    return fail(s.error());
  return report;
}

}  // namespace noaber
