#include "services/follow_ups.h"

namespace noaber {

FollowUpService::FollowUpService(Store& store, const Clock& clock, FollowUpPolicy policy)
    : store_(store), clock_(clock), policy_(policy) {}

Result<FollowUpReport> FollowUpService::run_due() {
  FollowUpReport report;
  const TimePoint now = clock_.now();
  // Batches keep each transaction short; a batch smaller than asked means
  // nothing due is left (another process may have taken some).
  for (;;) {
    auto expired = store_.expire_due_posts(now, policy_.batch);
    if (!expired) return fail(expired.error());
    report.expired += static_cast<int>(expired->size());
    if (static_cast<int>(expired->size()) < policy_.batch) break;
  }
  return report;
}

}  // namespace noaber
