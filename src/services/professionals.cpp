#include "services/professionals.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>

#include "core/time_format.h"
#include "core/validation.h"
#include "services/access.h"

namespace noaber {
namespace {

// A whole number in [min, max] from a JSON number, or a field error.
void whole_number(const std::optional<double>& value, std::string_view field, int min, int max,
                  int& out, FieldErrors& errors) {
  if (!value) return;
  if (!std::isfinite(*value) || std::floor(*value) != *value)
    return errors.add(std::string(field), "invalid");
  if (*value < min || *value > max) return errors.add(std::string(field), "out_of_range");
  out = static_cast<int>(*value);
}

Error not_found() { return Error{ErrorCode::not_found, "Not found.", {}, 0}; }

NewAccessEvent by_manager(AccessEventKind kind, UserId manager) {
  return NewAccessEvent{.kind = kind, .rule = "manager", .actor = manager};
}

}  // namespace

ProfessionalService::ProfessionalService(Store& store, const Clock& clock, RateLimiter& limiter,
                                         EventBus& events, ProfessionalPolicy policy)
    : store_(store), clock_(clock), limiter_(limiter), events_(events), policy_(policy) {}

Result<ProfessionalAccess> ProfessionalService::transition(NeighbourhoodId n, UserId professional,
                                                           const AccessTransition& t) {
  auto moved = store_.transition_professional_access(n, professional, t);
  if (moved) {
    const bool shrank = t.to == AccessStatus::refused || t.to == AccessStatus::paused ||
                        t.to == AccessStatus::revoked;
    announce_to_professional(professional, shrank);
  }
  return moved;
}

Result<ProfessionalAccess> ProfessionalService::stored_access(NeighbourhoodId n,
                                                              UserId professional) {
  auto access = store_.get_professional_access(n, professional);
  if (!access && access.error().code == ErrorCode::not_found) return fail(not_found());
  return access;
}

void ProfessionalService::announce_to_professional(UserId professional, bool access_shrank) {
  events_.publish(NotificationEvent{professional});
  if (access_shrank) events_.publish(AccessChangedEvent{professional});
}

ProfessionalAccess ProfessionalService::shown(ProfessionalAccess access) const {
  access.status = effective_status(access, clock_.now());
  return access;
}

Result<ProfessionalProfile> ProfessionalService::put_profile(UserId user,
                                                             const ProfileInput& input) {
  const TimePoint now = clock_.now();
  ProfessionalProfile p{user, trim(input.organisation), trim(input.function),
                        trim(input.description), now, now};
  FieldErrors errors;
  check_line(p.organisation, "organisation", limits::kOrganisationMin, limits::kOrganisationMax,
             errors);
  check_line(p.function, "function", limits::kOrganisationMin, limits::kFunctionMax, errors);
  check_text(p.description, "description", 0, limits::kProfileDescriptionMax, errors);
  if (auto s = errors.status(); !s) return fail(s.error());
  return store_.put_professional_profile(p);
}

Result<std::optional<ProfessionalProfile>> ProfessionalService::profile(UserId user) {
  auto p = store_.get_professional_profile(user);
  if (p) return std::optional(std::move(*p));
  if (p.error().code == ErrorCode::not_found) return std::optional<ProfessionalProfile>{};
  return fail(p.error());
}

Status ProfessionalService::delete_profile(UserId user) {
  auto deleted = store_.delete_professional_profile(user);
  if (!deleted && deleted.error().code == ErrorCode::not_found)
    return fail(ErrorCode::not_found, "You have no professional profile.");
  return deleted;
}

Result<std::vector<ProfessionalAccess>> ProfessionalService::my_access(UserId user) {
  auto all = store_.professional_access_of(user);
  if (!all) return fail(all.error());
  for (auto& a : *all) {
    if (a.status != AccessStatus::requested && !a.renewal_requested_at) {
      a = shown(std::move(a));
      continue;
    }
    auto settings = store_.get_professional_settings(a.neighbourhood_id);
    if (!settings) return fail(settings.error());
    auto now = settle(std::move(a), *settings);
    if (!now) return fail(now.error());
    a = std::move(*now);
  }
  return all;
}

Result<ProfessionalAccess> ProfessionalService::settle(ProfessionalAccess access,
                                                       const ProfessionalSettings& settings) {
  if (access.status == AccessStatus::active && access.renewal_requested_at)
    return settle_renewal(std::move(access), settings);
  if (access.status != AccessStatus::requested || settings.admission == AdmissionRule::manager)
    return shown(std::move(access));
  const TimePoint due = access.requested_at + std::chrono::days(settings.objection_days);
  if (clock_.now() < due) {
    access.decision_due_at = due;
    return shown(std::move(access));
  }
  // The period passed. Under the objection rule fewer than
  // objection_count objections admit; the store checks the count again
  // under the same lock as objections take. Under the vote rule a quorum
  // and a majority in favour admit, anything else refuses; the store checks
  // the votes are still the ones counted. Admitted is not active: the buddy
  // step follows, as under every rule.
  bool blocked = false;
  AccessTransition t{.from = {AccessStatus::requested}, .at = due, .decided = true};
  if (settings.admission == AdmissionRule::objection) {
    blocked = access.objections >= settings.objection_count;
    if (!blocked) t.objections_below = settings.objection_count;
  } else {
    const int cast = access.votes_in_favour + access.votes_against;
    blocked = cast < settings.vote_quorum ||
              access.votes_in_favour * 100 < settings.vote_majority_percent * cast;
    t.votes_were = std::pair(access.votes_in_favour, access.votes_against);
  }
  t.to = blocked ? AccessStatus::refused : AccessStatus::admitted_awaiting_buddy;
  t.clear_objections = !blocked;
  t.event = NewAccessEvent{.kind = blocked ? AccessEventKind::refused : AccessEventKind::admitted,
                           .rule = std::string(to_string(settings.admission))};
  auto moved =
      transition(access.neighbourhood_id, access.professional.id, t);
  if (moved) return shown(std::move(*moved));
  if (moved.error().code != ErrorCode::conflict) return fail(moved.error());
  // Someone else decided (or objected) first: show what they stored.
  auto now = store_.get_professional_access(access.neighbourhood_id, access.professional.id);
  if (!now) return fail(now.error());
  if (now->status == AccessStatus::requested) return settle(std::move(*now), settings);
  return shown(std::move(*now));
}

Result<ProfessionalAccess> ProfessionalService::settle_renewal(
    ProfessionalAccess access, const ProfessionalSettings& settings) {
  if (settings.admission == AdmissionRule::manager) return shown(std::move(access));
  const TimePoint due = *access.renewal_requested_at + std::chrono::days(settings.objection_days);
  if (clock_.now() < due) {
    access.renewal_due_at = due;
    return shown(std::move(access));
  }
  // As for a request (settle): the objection rule renews unless
  // objection_count objections stand, the vote rule at a quorum and a
  // majority. Renewed access runs access_months on from its old end, so
  // deciding late costs the professional nothing.
  bool blocked = false;
  AccessTransition t{.from = {AccessStatus::active},
                     .to = AccessStatus::active,
                     .at = due,
                     .renewal_pending = true,
                     .end_renewal = true};
  if (settings.admission == AdmissionRule::objection) {
    blocked = access.objections >= settings.objection_count;
    if (!blocked) t.objections_below = settings.objection_count;
  } else {
    const int cast = access.votes_in_favour + access.votes_against;
    blocked = cast < settings.vote_quorum ||
              access.votes_in_favour * 100 < settings.vote_majority_percent * cast;
    t.votes_were = std::pair(access.votes_in_favour, access.votes_against);
  }
  if (!blocked) t.expires_at = add_months(*access.expires_at, settings.access_months);
  t.clear_objections = true;
  t.clear_votes = true;
  t.event = NewAccessEvent{
      .kind = blocked ? AccessEventKind::renewal_refused : AccessEventKind::renewed,
      .rule = std::string(to_string(settings.admission))};
  auto moved =
      transition(access.neighbourhood_id, access.professional.id, t);
  if (moved) return shown(std::move(*moved));
  if (moved.error().code != ErrorCode::conflict) return fail(moved.error());
  auto now = store_.get_professional_access(access.neighbourhood_id, access.professional.id);
  if (!now) return fail(now.error());
  if (now->status == AccessStatus::active && now->renewal_requested_at)
    return settle_renewal(std::move(*now), settings);
  return shown(std::move(*now));
}

Result<ProfessionalAccess> ProfessionalService::settled(NeighbourhoodId n,
                                                        UserId professional) {
  auto access = stored_access(n, professional);
  if (!access) return fail(access.error());
  auto settings = store_.get_professional_settings(n);
  if (!settings) return fail(settings.error());
  return settle(std::move(*access), *settings);
}

Result<ProfessionalSettings> ProfessionalService::settings(UserId viewer, NeighbourhoodId n) {
  if (auto m = require_verified_member(store_, viewer, n); !m) return fail(m.error());
  return store_.get_professional_settings(n);
}

Result<ProfessionalSettings> ProfessionalService::change_settings(UserId manager,
                                                                  NeighbourhoodId n,
                                                                  const SettingsChanges& c) {
  if (auto m = require_manager(store_, manager, n); !m) return fail(m.error());
  auto current = store_.get_professional_settings(n);
  if (!current) return fail(current.error());
  ProfessionalSettings s = std::move(*current);

  FieldErrors errors;
  if (c.admission) {
    if (auto rule = parse_admission_rule(*c.admission); !rule)
      errors.add("admission", "invalid");
    else
      s.admission = *rule;
  }
  whole_number(c.objection_days, "objection_days", 1, 60, s.objection_days, errors);
  whole_number(c.objection_count, "objection_count", 1, 100, s.objection_count, errors);
  whole_number(c.vote_quorum, "vote_quorum", 1, 1000, s.vote_quorum, errors);
  whole_number(c.vote_majority_percent, "vote_majority_percent", 50, 100,
               s.vote_majority_percent, errors);
  whole_number(c.access_months, "access_months", 1, 36, s.access_months, errors);
  if (c.scope) {
    std::vector<Category> scope;
    for (const auto& name : *c.scope) {
      auto category = parse_category(name);
      if (!category) {
        errors.add("scope", "invalid");
        break;
      }
      if (std::ranges::find(scope, *category) == scope.end()) scope.push_back(*category);
    }
    s.scope = std::move(scope);
  }
  if (auto st = errors.status(); !st) return fail(st.error());
  s.neighbourhood_id = n;
  s.updated_at = clock_.now();
  return store_.put_professional_settings(s);
}

Result<ProfessionalAccess> ProfessionalService::request(UserId user, NeighbourhoodId n,
                                                        const std::string& purpose) {
  if (auto hood = store_.get_neighbourhood(n); !hood) {
    if (hood.error().code == ErrorCode::not_found) return fail(not_found());
    return fail(hood.error());
  }
  if (auto m = store_.get_membership(n, user); m)
    return fail(ErrorCode::conflict,
                "You are a member of this neighbourhood; here you take part as a resident.");
  else if (m.error().code != ErrorCode::not_found)
    return fail(m.error());
  auto profile = store_.get_professional_profile(user);
  if (!profile) {
    if (profile.error().code == ErrorCode::not_found)
      return fail(ErrorCode::forbidden,
                  "Add a professional profile (PUT /api/v1/me/professional) before asking "
                  "for access.");
    return fail(profile.error());
  }

  const std::string text = trim(purpose);
  FieldErrors errors;
  check_text(text, "purpose", limits::kPurposeMin, limits::kPurposeMax, errors);
  if (auto s = errors.status(); !s) return fail(s.error());
  if (auto s = limiter_.hit("pro-request-user:" + std::to_string(user.value),
                            policy_.requests_per_user);
      !s)
    return fail(s.error());

  auto made =
      store_.request_professional_access(NewProfessionalAccess{n, user, text, clock_.now()});
  if (!made) {
    if (made.error().code == ErrorCode::conflict)
      return fail(ErrorCode::conflict,
                  "You asked this neighbourhood already, or have access to it.");
    return fail(made.error());
  }
  events_.publish(NotificationEvent::for_members_of(n));  // each was told, with the request
  return shown(std::move(*made));
}

Result<std::vector<ProfessionalAccess>> ProfessionalService::list(UserId viewer,
                                                                  NeighbourhoodId n) {
  if (auto m = require_verified_member(store_, viewer, n); !m) return fail(m.error());
  auto all = store_.professional_access_in(n);
  if (!all) return fail(all.error());
  auto settings = store_.get_professional_settings(n);
  if (!settings) return fail(settings.error());
  for (auto& a : *all) {
    auto now = settle(std::move(a), *settings);
    if (!now) return fail(now.error());
    a = std::move(*now);
  }
  return all;
}

Result<ProfessionalAccess> ProfessionalService::move(NeighbourhoodId n, UserId professional,
                                                     AccessTransition t,
                                                     std::string_view refused_message) {
  auto moved = transition(n, professional, t);
  if (!moved) {
    if (moved.error().code == ErrorCode::not_found) return fail(not_found());
    if (moved.error().code == ErrorCode::conflict)
      return fail(ErrorCode::conflict, std::string(refused_message));
    return fail(moved.error());
  }
  return shown(std::move(*moved));
}

Result<ProfessionalAccess> ProfessionalService::approve(UserId manager, NeighbourhoodId n,
                                                        UserId professional) {
  if (auto m = require_manager(store_, manager, n); !m) return fail(m.error());
  auto s = store_.get_professional_settings(n);
  if (!s) return fail(s.error());
  if (s->admission != AdmissionRule::manager)
    return fail(ErrorCode::conflict, "This neighbourhood does not admit professionals by a "
                                     "manager's decision.");
  auto access = stored_access(n, professional);
  if (!access) return fail(access.error());
  if (access->status == AccessStatus::active && access->renewal_requested_at && access->expires_at)
    return move(n, professional,
                AccessTransition{.from = {AccessStatus::active},
                                 .to = AccessStatus::active,
                                 .at = clock_.now(),
                                 .expires_at = add_months(*access->expires_at, s->access_months),
                                 .clear_objections = true,
                                 .event = by_manager(AccessEventKind::renewed, manager),
                                 .renewal_pending = true,
                                 .end_renewal = true,
                                 .clear_votes = true},
                "Only a request or a renewal that waits for a decision can be approved.");
  // Admitted is not active: a resident buddy's sign-off comes first.
  return move(n, professional,
              AccessTransition{.from = {AccessStatus::requested},
                               .to = AccessStatus::admitted_awaiting_buddy,
                               .at = clock_.now(),
                               .decided_by = manager,
                               .clear_objections = true,
                               .event = by_manager(AccessEventKind::admitted, manager)},
              "Only a request that waits for a decision can be approved.");
}

Result<ProfessionalAccess> ProfessionalService::refuse(UserId manager, NeighbourhoodId n,
                                                       UserId professional) {
  if (auto m = require_manager(store_, manager, n); !m) return fail(m.error());
  auto access = stored_access(n, professional);
  if (!access) return fail(access.error());
  if (access->status == AccessStatus::active && access->renewal_requested_at)
    return move(n, professional,
                AccessTransition{.from = {AccessStatus::active},
                                 .to = AccessStatus::active,
                                 .at = clock_.now(),
                                 .clear_objections = true,
                                 .event = by_manager(AccessEventKind::renewal_refused, manager),
                                 .renewal_pending = true,
                                 .end_renewal = true,
                                 .clear_votes = true},
                "Only a request or a renewal that waits for a decision can be refused.");
  return move(n, professional,
              AccessTransition{.from = {AccessStatus::requested},
                               .to = AccessStatus::refused,
                               .at = clock_.now(),
                               .decided_by = manager,
                               .event = by_manager(AccessEventKind::refused, manager)},
              "Only a request that waits for a decision can be refused.");
}

Result<ProfessionalAccess> ProfessionalService::pause(UserId manager, NeighbourhoodId n,
                                                      UserId professional) {
  if (auto m = require_manager(store_, manager, n); !m) return fail(m.error());
  return move(n, professional,
              AccessTransition{
                  .from = {AccessStatus::admitted_awaiting_buddy, AccessStatus::active},
                  .to = AccessStatus::paused,
                  .at = clock_.now(),
                  .event = by_manager(AccessEventKind::paused, manager)},
              "Only admitted or active access can be paused.");
}

Result<ProfessionalAccess> ProfessionalService::revoke(UserId manager, NeighbourhoodId n,
                                                       UserId professional) {
  if (auto m = require_manager(store_, manager, n); !m) return fail(m.error());
  return move(n, professional,
              AccessTransition{.from = {AccessStatus::requested,
                                        AccessStatus::admitted_awaiting_buddy,
                                        AccessStatus::active, AccessStatus::paused},
                               .to = AccessStatus::revoked,
                               .at = clock_.now(),
                               .event = by_manager(AccessEventKind::revoked, manager)},
              "This access is refused or revoked already.");
}

Result<ProfessionalAccess> ProfessionalService::resume(UserId manager, NeighbourhoodId n,
                                                       UserId professional) {
  if (auto m = require_manager(store_, manager, n); !m) return fail(m.error());
  auto access = stored_access(n, professional);
  if (!access) return fail(access.error());
  const AccessStatus back =
      access->active_since ? AccessStatus::active : AccessStatus::admitted_awaiting_buddy;
  return move(n, professional,
              AccessTransition{.from = {AccessStatus::paused},
                               .to = back,
                               .at = clock_.now(),
                               .clear_objections = true,
                               .event = by_manager(AccessEventKind::resumed, manager)},
              "Only paused access can be resumed.");
}

Result<ProfessionalAccess> ProfessionalService::volunteer_as_buddy(UserId resident,
                                                                   NeighbourhoodId n,
                                                                   UserId professional) {
  if (auto m = require_verified_member(store_, resident, n); !m) return fail(m.error());
  if (auto a = settled(n, professional); !a) return fail(a.error());
  return move(n, professional,
              AccessTransition{.from = {AccessStatus::admitted_awaiting_buddy},
                               .to = AccessStatus::admitted_awaiting_buddy,
                               .at = clock_.now(),
                               .buddy = resident,
                               .buddy_must_be_free = true,
                               .event = NewAccessEvent{.kind = AccessEventKind::buddy,
                                                       .actor = resident}},
              "Only an admitted professional without a buddy can get one.");
}

Result<ProfessionalAccess> ProfessionalService::sign_off(UserId buddy, NeighbourhoodId n,
                                                         UserId professional,
                                                         const BuddyChecklist& checklist) {
  if (auto m = require_verified_member(store_, buddy, n); !m) return fail(m.error());
  auto access = stored_access(n, professional);
  if (!access) return fail(access.error());
  if (!access->buddy || access->buddy->id != buddy)
    return fail(ErrorCode::forbidden, "Only the professional's buddy can sign off.");
  FieldErrors errors;
  if (!checklist.introduced) errors.add("introduced", "required");
  if (!checklist.house_rules) errors.add("house_rules", "required");
  if (!checklist.scope_explained) errors.add("scope_explained", "required");
  if (auto s = errors.status(); !s) return fail(s.error());
  auto settings = store_.get_professional_settings(n);
  if (!settings) return fail(settings.error());
  const TimePoint now = clock_.now();
  return move(n, professional,
              AccessTransition{.from = {AccessStatus::admitted_awaiting_buddy},
                               .to = AccessStatus::active,
                               .at = now,
                               .active_since = now,
                               .expires_at = add_months(now, settings->access_months),
                               .event = NewAccessEvent{.kind = AccessEventKind::active,
                                                       .actor = buddy}},
              "Only an admitted professional can be signed off.");
}

Result<ProfessionalAccess> ProfessionalService::object(UserId resident, NeighbourhoodId n,
                                                       UserId professional,
                                                       const std::string& reason) {
  if (auto m = require_verified_member(store_, resident, n); !m) return fail(m.error());
  const std::string text = trim(reason);
  FieldErrors errors;
  check_text(text, "reason", 0, limits::kObjectionReasonMax, errors);
  if (auto s = errors.status(); !s) return fail(s.error());
  auto settings = store_.get_professional_settings(n);
  if (!settings) return fail(settings.error());
  auto access = settled(n, professional);
  if (!access) return fail(access.error());

  std::vector<AccessStatus> allowed;
  switch (access->status) {
    case AccessStatus::requested:
      if (settings->admission != AdmissionRule::objection)
        return fail(ErrorCode::conflict,
                    "This neighbourhood does not decide requests by objection.");
      allowed = {AccessStatus::requested};
      break;
    case AccessStatus::admitted_awaiting_buddy:
    case AccessStatus::active:
      allowed = {AccessStatus::admitted_awaiting_buddy, AccessStatus::active};
      break;
    default:
      return fail(ErrorCode::conflict,
                  "Only a request that waits or admitted or active access can be objected to.");
  }
  const TimePoint now = clock_.now();
  auto count = store_.object_to_professional(
      ProfessionalObjection{n, professional, resident, text, now}, allowed);
  if (!count) {
    if (count.error().code == ErrorCode::not_found) return fail(not_found());
    return fail(count.error());
  }
  if (*count >= settings->objection_count) {
    // The last objection needed: a request is refused, access paused. A
    // conflict means a racing objection or a manager got there first.
    // Objections that pause access also end a renewal that waits.
    const bool request = access->status == AccessStatus::requested;
    AccessTransition t{
        .from = allowed,
        .to = request ? AccessStatus::refused : AccessStatus::paused,
        .at = now,
        .decided = request,
        .event = NewAccessEvent{.kind = request ? AccessEventKind::refused
                                                : AccessEventKind::paused,
                                .rule = "objections"},
        .end_renewal = !request};
    auto moved = transition(n, professional, t);
    if (!moved && moved.error().code != ErrorCode::conflict) return fail(moved.error());
  }
  return settled(n, professional);
}

Result<ProfessionalAccess> ProfessionalService::vote(UserId resident, NeighbourhoodId n,
                                                     UserId professional,
                                                     const std::optional<std::string>& choice) {
  if (auto m = require_verified_member(store_, resident, n); !m) return fail(m.error());
  if (!choice || (*choice != "yes" && *choice != "no")) {
    FieldErrors errors;
    errors.add("vote", choice ? "invalid" : "required");
    return fail(errors.status().error());
  }
  const bool in_favour = *choice == "yes";
  auto settings = store_.get_professional_settings(n);
  if (!settings) return fail(settings.error());
  auto access = settled(n, professional);
  if (!access) return fail(access.error());
  if (settings->admission != AdmissionRule::vote)
    return fail(ErrorCode::conflict, "This neighbourhood does not decide requests by vote.");
  const bool renewal = access->status == AccessStatus::active && access->renewal_requested_at;
  if (access->status != AccessStatus::requested && !renewal)
    return fail(ErrorCode::conflict, "Only a request or a renewal that waits can be voted on.");
  auto voted = store_.vote_on_professional(
      ProfessionalVote{n, professional, resident, in_favour, clock_.now()});
  if (!voted) {
    if (voted.error().code == ErrorCode::not_found) return fail(not_found());
    if (voted.error().code == ErrorCode::conflict)
      return fail(ErrorCode::conflict, "This request was decided meanwhile.");
    return fail(voted.error());
  }
  return settle(std::move(*voted), *settings);
}

Result<std::vector<ProfessionalView>> ProfessionalService::views_of(UserId author, PostId id) {
  auto post = store_.get_post(id);
  if (!post) {
    if (post.error().code == ErrorCode::not_found) return fail(not_found());
    return fail(post.error());
  }
  if (post->author.id != author) {
    if (auto s = require_can_read(store_, author, *post); !s) return fail(s.error());
    return fail(ErrorCode::forbidden, "Only the post's author sees who looked at it.");
  }
  return store_.professional_views_of(id);
}

}  // namespace noaber

namespace noaber {

Status ProfessionalService::note_lapses(NeighbourhoodId n,
                                        const std::vector<ProfessionalActivity>& activity) {
  const TimePoint now = clock_.now();
  for (const auto& a : activity) {
    if (a.status != AccessStatus::active || !a.expires_at || *a.expires_at > now ||
        a.renewal_requested_at || a.lapse_logged)
      continue;
    if (auto r = store_.record_professional_lapse(n, a.professional.id, *a.expires_at); !r)
      return fail(r.error());
    announce_to_professional(a.professional.id, true);
  }
  return {};
}

Result<ProfessionalLog> ProfessionalService::log(UserId viewer, NeighbourhoodId n,
                                                 std::optional<std::int64_t> before,
                                                 int limit) {
  if (auto m = require_verified_member(store_, viewer, n); !m) return fail(m.error());
  // Decisions that are due are stored first (as the list does), then the
  // lapses, so the log is complete as of now.
  if (auto all = list(viewer, n); !all) return fail(all.error());
  auto activity = store_.professional_activity(n);
  if (!activity) return fail(activity.error());
  if (auto s = note_lapses(n, *activity); !s) return fail(s.error());
  auto events = store_.professional_events(n, before, limit);
  if (!events) return fail(events.error());
  ProfessionalLog out;
  if (!events->empty() && static_cast<int>(events->size()) == limit)
    out.next_before = events->back().id;
  out.events = std::move(*events);
  const TimePoint now = clock_.now();
  for (auto& a : *activity) {
    if (a.status == AccessStatus::active && a.expires_at && *a.expires_at <= now &&
        !a.renewal_requested_at)
      a.status = AccessStatus::lapsed;
  }
  out.professionals = std::move(*activity);
  return out;
}

Result<ProfessionalAccess> ProfessionalService::renew(UserId professional, NeighbourhoodId n) {
  auto access = settled(n, professional);
  if (!access) return fail(access.error());
  if (access->status != AccessStatus::active || !access->expires_at)
    return fail(ErrorCode::conflict,
                "Only active access can be renewed; after a lapse, ask for access again.");
  if (access->renewal_requested_at)
    return fail(ErrorCode::conflict, "A renewal waits for the neighbourhood's decision already.");
  const TimePoint now = clock_.now();
  const TimePoint opens = *access->expires_at - std::chrono::days(kRenewalWindowDays);
  if (now < opens)
    return fail(ErrorCode::conflict,
                "Renewal opens " + std::to_string(kRenewalWindowDays) +
                    " days before access ends (" + format_rfc3339(opens) + ").");
  auto asked = store_.request_professional_renewal(n, professional, now);
  if (!asked) {
    if (asked.error().code == ErrorCode::not_found) return fail(not_found());
    if (asked.error().code == ErrorCode::conflict)
      return fail(ErrorCode::conflict, "This access can't be renewed now.");
    return fail(asked.error());
  }
  events_.publish(NotificationEvent::for_members_of(n));
  auto settings = store_.get_professional_settings(n);
  if (!settings) return fail(settings.error());
  return settle(std::move(*asked), *settings);
}

std::vector<NeighbourhoodMonth> neighbourhood_months(const std::vector<PostOutcome>& posts,
                                                     const std::vector<TieExchange>& exchanges,
                                                     std::chrono::year_month from,
                                                     std::chrono::year_month to,
                                                     HealthAudience audience) {
  constexpr std::array kAll{Category::goods, Category::knowledge, Category::money,
                            Category::contacts, Category::care};
  std::vector<NeighbourhoodMonth> months;
  for (auto m = from; m <= to; m += std::chrono::months{1}) {
    NeighbourhoodMonth month{.month = m};
    for (Category c : kAll) month.categories.push_back(CategoryCounts{.category = c});
    months.push_back(std::move(month));
  }
  auto find = [&](TimePoint at) -> NeighbourhoodMonth* {
    const auto m = month_of(at);
    if (m < from || m > to) return nullptr;
    for (auto& month : months)
      if (month.month == m) return &month;
    return nullptr;
  };
  for (const auto& p : posts) {
    NeighbourhoodMonth* month = find(p.created_at);
    if (!month) continue;
    auto& counts = month->categories[static_cast<std::size_t>(p.category)];
    if (p.kind == PostKind::ask) {
      ++*counts.asks;
      ++*month->asks_answered.denominator;
      if (p.first_response_at) ++*month->asks_answered.numerator;
    } else {
      ++*counts.offers;
    }
  }
  for (const auto& e : exchanges)
    if (NeighbourhoodMonth* month = find(e.completed_at)) ++*month->exchanges;
  if (audience == HealthAudience::member) return months;
  auto withhold = [](std::optional<std::int64_t>& count) {
    if (count && *count < kSuppressBelow) count.reset();
  };
  for (auto& month : months) {
    for (auto& c : month.categories) {
      withhold(c.asks);
      withhold(c.offers);
    }
    withhold(month.exchanges);
    auto& share = month.asks_answered;
    const std::int64_t complement = *share.denominator - *share.numerator;
    if (*share.numerator < kSuppressBelow || complement < kSuppressBelow) share.numerator.reset();
    withhold(share.denominator);
  }
  return months;
}

Result<NeighbourhoodFigures> ProfessionalService::figures(UserId reader, NeighbourhoodId n,
                                                          const HealthQuery& query) {
  HealthAudience audience = HealthAudience::member;
  if (auto m = require_verified_member(store_, reader, n); !m) {
    if (m.error().code != ErrorCode::not_found) return fail(m.error());
    // Not a member: an active professional of n sees the figures suppressed.
    if (auto g = require_active_professional(store_, reader, n, clock_.now()); !g)
      return fail(g.error());
    audience = HealthAudience::professional;
  } else if (m->role == Role::professional) {
    audience = HealthAudience::professional;
  }
  auto range = resolve_health_range(query, clock_.now());
  if (!range) return fail(range.error());
  const TimePoint start = month_start(range->from);
  const TimePoint end = month_start(range->to + std::chrono::months{1});
  auto posts = store_.post_outcomes(n, start, end);
  if (!posts) return fail(posts.error());
  auto exchanges = store_.tie_exchanges(n, end);
  if (!exchanges) return fail(exchanges.error());
  return NeighbourhoodFigures{
      n, *range, audience,
      neighbourhood_months(*posts, *exchanges, range->from, range->to, audience)};
}

Result<std::vector<OpenedPost>> ProfessionalService::opened_by(UserId professional) {
  return store_.posts_opened_by(professional);
}

}  // namespace noaber
