#pragma once
// Community managers and connectors (issue #8; docs/managers.md).
//
// A connector is a neighbour who keeps an eye out: unanswered asks are
// brought to them (services/follow_ups.h) and they read the dashboard.
// Verified managers are connectors by their role; a verified resident opts
// in or out. The dashboard says what needs attention now: asks nobody
// answered, promises not yet completed, newcomers to welcome, join requests,
// open reports and the needs signals (docs/community-health.md).

#include <chrono>
#include <cstdint>
#include <optional>
#include <vector>

#include "core/clock.h"
#include "core/error.h"
#include "services/community_health.h"
#include "store/store.h"

namespace noaber {

struct DashboardPolicy {
  std::chrono::seconds newcomer_period = std::chrono::days(14);
  int list_limit = 20;  // entries of each list; the totals count all
};

// What the reader may see: a connector who is not a manager gets the
// number of join requests but not the list (approving is a manager's job)
// and nothing about reports.
struct Dashboard {
  NeighbourhoodId neighbourhood_id;
  TimePoint now;
  bool manager = false;
  DashboardData data;                 // pending and open_reports emptied for non-managers
  std::vector<NeedSignal> needs;
};

class DashboardService {
 public:
  DashboardService(Store& store, const Clock& clock, DashboardPolicy policy = {});

  // A verified resident opts in (true) or out (false) as a connector of n.
  // Both may be repeated. Managers are connectors by their role: opting in
  // answers their membership, opting out is a conflict. forbidden for
  // professionals; not_found, not_verified, forbidden as require_verified_member.
  Result<Membership> set_connector(UserId user, NeighbourhoodId n, bool connector);

  // For connectors of n (require_connector).
  Result<Dashboard> dashboard(UserId reader, NeighbourhoodId n);

 private:
  Store& store_;
  const Clock& clock_;
  DashboardPolicy policy_;
};

}  // namespace noaber
