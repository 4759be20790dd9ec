#pragma once
// Professionals alongside residents (issue 7): a person's professional
// profile, a neighbourhood's rules for admitting professionals, and a
// professional's access to one neighbourhood. Professional access is not a
// membership: it never makes anyone a resident, and a resident of a
// neighbourhood acts there as a resident, without a badge.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/types.h"

namespace noaber {

struct ProfessionalProfile {
  UserId user_id;
  std::string organisation;  // the badge shown wherever they act as a professional
  std::string function;      // "debt counsellor", "district nurse"
  std::string description;
  TimePoint created_at;
  TimePoint updated_at;
};

// How a neighbourhood admits professionals.
enum class AdmissionRule { manager, objection, vote };
std::string_view to_string(AdmissionRule);
std::optional<AdmissionRule> parse_admission_rule(std::string_view);

// A neighbourhood's settings for professionals; a neighbourhood that never
// changed them has these defaults.
struct ProfessionalSettings {
  NeighbourhoodId neighbourhood_id;
  AdmissionRule admission = AdmissionRule::manager;
  int objection_days = 7;   // objection rule: the window
  int objection_count = 3;  // objection rule: this many objections block
  int vote_quorum = 5;      // vote rule: at least this many votes
  int vote_majority_percent = 60;  // vote rule: this share in favour
  // Categories professionals may read and respond in.
  std::vector<Category> scope{Category::knowledge, Category::contacts, Category::care};
  int access_months = 12;  // access lapses this long after it became active
  std::optional<TimePoint> updated_at;  // nullopt: never changed
  bool in_scope(Category c) const;
};

// requested -> admitted_awaiting_buddy (the rule admitted them) -> active
// (a resident buddy signed off the introduction). refused ends a request;
// paused and revoked end access (a manager). An active access whose
// expires_at has passed is shown as lapsed; lapsed is never stored.
enum class AccessStatus {
  requested,
  admitted_awaiting_buddy,
  active,
  refused,
  paused,
  revoked,
  lapsed,
};
std::string_view to_string(AccessStatus);
std::optional<AccessStatus> parse_access_status(std::string_view);

struct ProfessionalAccess {
  NeighbourhoodId neighbourhood_id;
  PersonRef professional;
  std::string organisation;  // from the profile; empty when it was removed
  std::string function;
  std::string purpose;
  AccessStatus status = AccessStatus::requested;
  TimePoint requested_at;
  std::optional<TimePoint> decided_at;  // admitted or refused
  std::optional<UserId> decided_by;
  std::optional<PersonRef> buddy;
  std::optional<TimePoint> active_since;  // the buddy's sign-off
  std::optional<TimePoint> expires_at;
  TimePoint updated_at;
  int objections = 0;  // residents' objections standing at this stage
  int votes_in_favour = 0;  // the vote rule: this request's votes
  int votes_against = 0;
  // Not stored: when a request under the objection or vote rule is decided
  // (requested_at + objection_days); set by the service while it waits.
  std::optional<TimePoint> decision_due_at;
  // An active access's renewal waiting for the community's decision: the
  // access stays active past expires_at until it is decided.
  std::optional<TimePoint> renewal_requested_at;
  std::optional<TimePoint> renewal_due_at;  // not stored, as decision_due_at
};

// --- the professional activity log (docs/professionals.md#the-activity-log)

// What happened to an access. Each is written by the store in the
// transaction of the change itself (AccessTransition::event), except lapsed,
// which is written by whoever first reads a lapsed access.
enum class AccessEventKind {
  requested,          // the professional asked, with a purpose
  admitted,           // the rule admitted them (rule: manager, objection, vote)
  refused,            // the rule refused them (rule: manager, objection, vote, objections)
  buddy,              // a resident volunteered as buddy (actor)
  active,             // the buddy signed the checklist off (actor)
  paused,             // a manager (actor) or residents' objections (rule objections)
  resumed,            // a manager (actor)
  revoked,            // a manager (actor), or the account ended
  lapsed,             // expires_at passed without a renewal
  renewal_requested,  // the professional asked to renew active access
  renewed,            // the rule renewed it (rule), expires_at moved on
  renewal_refused,    // the rule refused the renewal; access runs out at expires_at
};
std::string_view to_string(AccessEventKind);
std::optional<AccessEventKind> parse_access_event_kind(std::string_view);

struct AccessEvent {
  std::int64_t id = 0;
  NeighbourhoodId neighbourhood_id;
  PersonRef professional;  // organisation: their current badge, if any
  AccessEventKind kind = AccessEventKind::requested;
  std::string rule;  // manager, objection, vote, objections; "" when not a decision
  std::optional<PersonRef> actor;  // the manager or buddy who acted
  std::string purpose;             // requests and renewal requests
  int objections = 0;              // standing at that moment
  int votes_in_favour = 0;
  int votes_against = 0;
  TimePoint at;
};

// A log entry to write with a change (AccessTransition) or on its own.
struct NewAccessEvent {
  AccessEventKind kind = AccessEventKind::requested;
  std::string rule;
  std::optional<UserId> actor;
};

// What one professional did in a neighbourhood, in counts: never whom they
// looked at (the authors see that on their own posts).
struct ProfessionalActivity {
  PersonRef professional;  // with their current badge
  AccessStatus status = AccessStatus::requested;  // as stored; the service shows lapse
  std::optional<TimePoint> expires_at;
  std::optional<TimePoint> renewal_requested_at;
  int posts = 0;      // written as a professional in this neighbourhood
  int responses = 0;  // written as a professional to posts of this neighbourhood
  int views = 0;      // openings of residents' posts of this neighbourhood
  std::optional<TimePoint> last_view_at;
  bool lapse_logged = false;  // the lapse at expires_at is in the log
};

// One post a professional opened, for their own export.
struct OpenedPost {
  PostId post_id;
  NeighbourhoodId neighbourhood_id;
  std::string organisation;  // as at the time of the look
  TimePoint viewed_at;
};

struct NewProfessionalAccess {
  NeighbourhoodId neighbourhood_id;
  UserId professional;
  std::string purpose;
  TimePoint requested_at;
};

// A change of an access's status. Fields left empty are not changed.
struct AccessTransition {
  std::vector<AccessStatus> from;  // conflict unless the stored status is one of these
  AccessStatus to = AccessStatus::requested;
  TimePoint at;
  std::optional<UserId> decided_by;
  std::optional<UserId> buddy;
  std::optional<TimePoint> active_since;
  std::optional<TimePoint> expires_at;
  bool buddy_must_be_free = false;
  // A decision (admitted or refused) without a deciding manager: the
  // community's rule. decided_at becomes `at` either way.
  bool decided = false;
  // conflict unless fewer objections than this stand (checked in the same
  // transaction, so a late objection and the decision can't both win).
  std::optional<int> objections_below;
  bool clear_objections = false;  // a new stage: admission, resume
  // conflict unless the request's votes are still these (in favour,
  // against), so a vote cast while the decision is made can't be lost.
  std::optional<std::pair<int, int>> votes_were;
  // The log entry written with the change, in its transaction; for every
  // kind but `requested` the professional is notified of it as well.
  std::optional<NewAccessEvent> event;
  // Renewal (docs/professionals.md#renewal): renewal_pending says whether
  // one must be waiting (conflict otherwise); end_renewal clears it.
  std::optional<bool> renewal_pending;
  bool end_renewal = false;
  bool clear_votes = false;
};

// A verified resident's vote on a request under the vote rule.
struct ProfessionalVote {
  NeighbourhoodId neighbourhood_id;
  UserId professional;
  UserId resident;
  bool in_favour = false;
  TimePoint at;
};

// A verified resident's objection to a professional (docs/professionals.md).
struct ProfessionalObjection {
  NeighbourhoodId neighbourhood_id;
  UserId professional;
  UserId resident;
  std::string reason;
  TimePoint at;
};

// What a professional may read of one neighbourhood: its own posts in
// these categories whose author did not mark them not for professionals.
struct ProfessionalFeedQuery {
  NeighbourhoodId neighbourhood_id;
  std::vector<Category> scope;
  std::optional<PostKind> kind;
  std::optional<Category> category;
  std::optional<PostStatus> status;  // effective status, as in FeedQuery
  TimePoint now;
  std::optional<PostId> before;
  int limit = 20;
};

// One look a professional took at a resident's post.
struct ProfessionalView {
  PostId post_id;
  PersonRef professional;
  std::string organisation;  // as at the time of the look
  TimePoint viewed_at;
};

// `at` moved on by whole calendar months; a day past the end of the target
// month becomes its last day (31 January + 1 month = 28/29 February).
TimePoint add_months(TimePoint at, int months);

}  // namespace noaber
