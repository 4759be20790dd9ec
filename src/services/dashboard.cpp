#include "services/dashboard.h"

#include "services/access.h"

namespace noaber {

DashboardService::DashboardService(Store& store, const Clock& clock, DashboardPolicy policy)
    : store_(store), clock_(clock), policy_(policy) {}

Result<Membership> DashboardService::set_connector(UserId user, NeighbourhoodId n,
                                                   bool connector) {
  auto me = require_verified_member(store_, user, n);
  if (!me) return me;
  if (me->role == Role::manager) {
    if (connector) return me;
    return fail(ErrorCode::conflict,
                "Managers are connectors by their role; they can't opt out.");
  }
  if (me->role != Role::resident)
    return fail(ErrorCode::forbidden, "Only residents of the neighbourhood can be connectors.");
  std::optional<TimePoint> since;
  if (connector) since = clock_.now();
  auto changed = store_.set_connector(n, user, since);
  // The membership changed (suspended) between the check and the change.
  if (!changed && changed.error().code == ErrorCode::conflict)
    return fail(ErrorCode::forbidden, "Your membership of this neighbourhood is suspended.");
  return changed;
}

Result<Dashboard> DashboardService::dashboard(UserId reader, NeighbourhoodId n) {
  auto me = require_connector(store_, reader, n);
  if (!me) return fail(me.error());
  const TimePoint now = clock_.now();
  auto data = store_.dashboard(
      DashboardQuery{n, now, now - policy_.newcomer_period, policy_.list_limit});
  if (!data) return fail(data.error());
  auto posts = store_.post_outcomes(n, now - kNeedsWindow, now + std::chrono::seconds(1));
  if (!posts) return fail(posts.error());

  Dashboard out{n, now, me->role == Role::manager, std::move(*data), needs_signals(*posts, now)};
  if (!out.manager) {
    // Approving members and handling reports are a manager's job.
    out.data.pending.clear();
    out.data.open_reports = 0;
  }
  return out;
}

}  // namespace noaber
