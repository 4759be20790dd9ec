#pragma once
// Domain types from result rows, shared by the SQLite and PostgreSQL
// backends: both select these column lists (portable SQL) and give rows the
// same accessors (id<T>, text, int64, real, time, optional_*, enum_value),
// so one list and one reader serve both, and they can't drift apart.
// Private to src/store/.

#include <algorithm>
#include <cstddef>
#include <string>
#include <vector>
#include <string_view>

#include "core/types.h"
#include "store/store.h"

namespace noaber::store_rows {

// Joins string literals at compile time, so a column list written once can
// begin several queries that are still constants.
template <std::size_t N>
struct SqlText {
  char text[N]{};
  constexpr operator std::string_view() const { return {text, N - 1}; }
};

template <std::size_t... N>
consteval auto join(const char (&... parts)[N]) {
  SqlText<(N + ...) - sizeof...(N) + 1> out;
  std::size_t at = 0;
  ((std::copy_n(parts, N - 1, out.text + at), at += N - 1), ...);
  return out;
}

// Column lists, in the order the readers below expect. Each backend appends
// its own WHERE clause with its own placeholder style.
constexpr char kNeighbourhoodColumns[] =
    "SELECT n.id, n.name, n.region_id, r.name, n.lat, n.lon, n.member_count, n.created_at"
    " FROM neighbourhoods n JOIN regions r ON r.id = n.region_id";
constexpr char kMembershipColumns[] =
    "SELECT m.neighbourhood_id, nb.name, m.user_id, u.display_name, m.role, m.status,"
    " m.joined_at, m.connector_since"
    " FROM memberships m"
    " JOIN neighbourhoods nb ON nb.id = m.neighbourhood_id"
    " JOIN users u ON u.id = m.user_id";
constexpr char kPostColumns[] =
    "SELECT p.id, p.neighbourhood_id, p.region_id, p.author_id, u.display_name, p.kind,"
    " p.category, p.title, p.body, p.body_html, p.visibility, p.status, p.created_at,"
    " p.expires_at, p.updated_at, p.response_count,"
    " p.not_for_professionals, p.professional_organisation, p.hidden_at"
    " FROM posts p JOIN users u ON u.id = p.author_id";
constexpr char kResponseColumns[] =
    "SELECT r.id, r.post_id, r.neighbourhood_id, r.responder_id, u.display_name, r.message,"
    " r.status, r.created_at, r.professional_organisation, r.hidden_at"
    " FROM responses r JOIN users u ON u.id = r.responder_id";
constexpr char kExchangeColumns[] =
    "SELECT e.id, e.post_id, e.neighbourhood_id, e.giver_id, g.display_name, e.receiver_id,"
    " rc.display_name, e.category, e.hours, e.thanks, e.completed_at"
    " FROM exchanges e"
    " JOIN users g ON g.id = e.giver_id"
    " JOIN users rc ON rc.id = e.receiver_id";
// Professionals (core/professionals.h).
constexpr char kProfileColumns[] =
    "SELECT user_id, organisation, function, description, created_at, updated_at"
    " FROM professional_profiles";
constexpr char kSettingsColumns[] =
    "SELECT neighbourhood_id, admission, objection_days, objection_count, vote_quorum,"
    " vote_majority_percent, scope, access_months, updated_at FROM professional_settings";
constexpr char kAccessColumns[] =
    "SELECT a.neighbourhood_id, a.user_id, u.display_name, pp.organisation, pp.function,"
    " a.purpose, a.status, a.requested_at, a.decided_at, a.decided_by, a.buddy_id,"
    " b.display_name, a.active_since, a.expires_at, a.updated_at,"
    " (SELECT count(*) FROM professional_objections o WHERE o.neighbourhood_id ="
    "  a.neighbourhood_id AND o.professional_id = a.user_id),"
    " (SELECT count(*) FROM professional_votes v WHERE v.neighbourhood_id ="
    "  a.neighbourhood_id AND v.professional_id = a.user_id AND v.in_favour = 1),"
    " (SELECT count(*) FROM professional_votes v WHERE v.neighbourhood_id ="
    "  a.neighbourhood_id AND v.professional_id = a.user_id AND v.in_favour = 0),"
    " a.renewal_requested_at"
    " FROM professional_access a JOIN users u ON u.id = a.user_id"
    " LEFT JOIN professional_profiles pp ON pp.user_id = a.user_id"
    " LEFT JOIN users b ON b.id = a.buddy_id";
constexpr char kViewColumns[] =
    "SELECT v.post_id, v.professional_id, u.display_name, v.organisation, v.viewed_at"
    " FROM professional_views v JOIN users u ON u.id = v.professional_id";

constexpr char kNotificationColumns[] =
    "SELECT nt.id, nt.user_id, nt.kind, nt.post_id, p.title, nt.actor_id, a.display_name,"
    " nt.created_at, nt.read_at,"
    " nt.event_id, ev.neighbourhood_id, evn.name, ev.professional_id, evu.display_name,"
    " ev.organisation, ev.kind, ev.rule, ev.purpose"
    " FROM notifications nt"
    " LEFT JOIN posts p ON p.id = nt.post_id"
    " LEFT JOIN users a ON a.id = nt.actor_id"
    " LEFT JOIN professional_events ev ON ev.id = nt.event_id"
    " LEFT JOIN neighbourhoods evn ON evn.id = ev.neighbourhood_id"
    " LEFT JOIN users evu ON evu.id = ev.professional_id";
// The professional activity log (docs/professionals.md#the-activity-log).
constexpr char kAccessEventColumns[] =
    "SELECT ev.id, ev.neighbourhood_id, ev.professional_id, pu.display_name, ev.organisation,"
    " ev.kind, ev.rule, ev.actor_id, au.display_name, ev.purpose, ev.objections,"
    " ev.votes_in_favour, ev.votes_against, ev.at"
    " FROM professional_events ev JOIN users pu ON pu.id = ev.professional_id"
    " LEFT JOIN users au ON au.id = ev.actor_id";
// Counts only: never whose posts were opened.
constexpr char kActivityColumns[] =
    "SELECT a.user_id, u.display_name, pp.organisation, a.status, a.expires_at,"
    " a.renewal_requested_at,"
    " (SELECT count(*) FROM posts p WHERE p.neighbourhood_id = a.neighbourhood_id"
    "  AND p.author_id = a.user_id AND p.professional_organisation IS NOT NULL),"
    " (SELECT count(*) FROM responses r WHERE r.neighbourhood_id = a.neighbourhood_id"
    "  AND r.responder_id = a.user_id AND r.professional_organisation IS NOT NULL),"
    " (SELECT count(*) FROM professional_views v JOIN posts p ON p.id = v.post_id"
    "  WHERE v.professional_id = a.user_id AND p.neighbourhood_id = a.neighbourhood_id),"
    " (SELECT max(v.viewed_at) FROM professional_views v JOIN posts p ON p.id = v.post_id"
    "  WHERE v.professional_id = a.user_id AND p.neighbourhood_id = a.neighbourhood_id),"
    " CASE WHEN EXISTS (SELECT 1 FROM professional_events ev"
    "  WHERE ev.neighbourhood_id = a.neighbourhood_id AND ev.professional_id = a.user_id"
    "  AND ev.kind = 'lapsed' AND ev.at = a.expires_at) THEN 1 ELSE 0 END"
    " FROM professional_access a JOIN users u ON u.id = a.user_id"
    " LEFT JOIN professional_profiles pp ON pp.user_id = a.user_id";
constexpr char kOpenedPostColumns[] =
    "SELECT v.post_id, p.neighbourhood_id, v.organisation, v.viewed_at"
    " FROM professional_views v JOIN posts p ON p.id = v.post_id";


template <typename R>
User read_user(const R& q) {
  return User{
      .id = q.template id<UserId>(0),
      .email = q.text(1),
      .display_name = q.text(2),
      .locale = q.enum_value(3, parse_locale),
      .created_at = q.time(4),
  };
}

template <typename R>
Neighbourhood read_neighbourhood(const R& q) {
  return Neighbourhood{
      .id = q.template id<NeighbourhoodId>(0),
      .name = q.text(1),
      .region_id = q.template id<RegionId>(2),
      .region_name = q.text(3),
      .lat = q.real(4),
      .lon = q.real(5),
      .member_count = q.int64(6),
      .created_at = q.time(7),
  };
}

template <typename R>
Membership read_membership(const R& q) {
  return Membership{
      .neighbourhood_id = q.template id<NeighbourhoodId>(0),
      .neighbourhood_name = q.text(1),
      .member = PersonRef{q.template id<UserId>(2), q.text(3)},
      .role = q.enum_value(4, parse_role),
      .status = q.enum_value(5, parse_member_status),
      .joined_at = q.time(6),
      .connector_since = q.optional_time(7),
  };
}

template <typename R>
Post read_post(const R& q) {
  Post post{
      .id = q.template id<PostId>(0),
      .neighbourhood_id = q.template id<NeighbourhoodId>(1),
      .region_id = q.template id<RegionId>(2),
      .author = PersonRef{q.template id<UserId>(3), q.text(4)},
      .kind = q.enum_value(5, parse_post_kind),
      .category = q.enum_value(6, parse_category),
      .title = q.text(7),
      .body = q.text(8),
      .body_html = q.text(9),
      .visibility = q.enum_value(10, parse_visibility),
      .status = q.enum_value(11, parse_post_status),
      .created_at = q.time(12),
      .expires_at = q.optional_time(13),
      .updated_at = q.time(14),
      .response_count = q.int64(15),
      .not_for_professionals = q.int64(16) != 0,
  };
  post.author.organisation = q.optional_text(17);
  post.hidden_at = q.optional_time(18);
  return post;
}

template <typename R>
PostResponse read_response(const R& q) {
  return PostResponse{
      .id = q.template id<ResponseId>(0),
      .post_id = q.template id<PostId>(1),
      .neighbourhood_id = q.template id<NeighbourhoodId>(2),
      .responder = PersonRef{q.template id<UserId>(3), q.text(4), q.optional_text(8)},
      .message = q.text(5),
      .status = q.enum_value(6, parse_response_status),
      .created_at = q.time(7),
      .hidden_at = q.optional_time(9),
  };
}

template <typename R>
Exchange read_exchange(const R& q) {
  return Exchange{
      .id = q.template id<ExchangeId>(0),
      .post_id = q.template id<PostId>(1),
      .neighbourhood_id = q.template id<NeighbourhoodId>(2),
      .giver = PersonRef{q.template id<UserId>(3), q.text(4)},
      .receiver = PersonRef{q.template id<UserId>(5), q.text(6)},
      .category = q.enum_value(7, parse_category),
      .hours = q.optional_real(8),
      .thanks = q.optional_text(9),
      .completed_at = q.time(10),
  };
}

template <typename R>
Invite read_invite(const R& q) {
  return Invite{
      .id = q.template id<InviteId>(0),
      .neighbourhood_id = q.template id<NeighbourhoodId>(1),
      .created_by = q.template id<UserId>(2),
      .created_at = q.time(3),
      .expires_at = q.time(4),
      .used_at = q.optional_time(5),
  };
}

template <typename R>
SessionSummary read_session_summary(const R& q) {
  return SessionSummary{
      .token_hash = q.text(0),
      .created_at = q.time(1),
      .last_seen_at = q.time(2),
      .expires_at = q.time(3),
  };
}

// --- community health (issue #8) ---------------------------------------------
// Each party's home is their resident or manager membership, of which there
// is at most one (memberships_one_home); an erased person has none left.
constexpr char kTieExchangeColumns[] =
    "SELECT e.id, e.giver_id, e.receiver_id, e.category, e.completed_at,"
    " gh.neighbourhood_id, rh.neighbourhood_id"
    " FROM exchanges e"
    " LEFT JOIN memberships gh ON gh.user_id = e.giver_id"
    " AND gh.role IN ('resident', 'manager')"
    " LEFT JOIN memberships rh ON rh.user_id = e.receiver_id"
    " AND rh.role IN ('resident', 'manager')";
constexpr char kPostOutcomeColumns[] =
    "SELECT p.id, p.kind, p.category, p.created_at,"
    " (SELECT MIN(r.created_at) FROM responses r WHERE r.post_id = p.id), p.status"
    " FROM posts p";

template <typename R, typename IdT>
std::optional<IdT> optional_id(const R& q, int column) {
  if (q.is_null(column)) return std::nullopt;
  return q.template id<IdT>(column);
}

template <typename R>
TieExchange read_tie_exchange(const R& q) {
  return TieExchange{
      .id = q.template id<ExchangeId>(0),
      .giver = q.template id<UserId>(1),
      .receiver = q.template id<UserId>(2),
      .category = q.enum_value(3, parse_category),
      .completed_at = q.time(4),
      .giver_home = optional_id<R, NeighbourhoodId>(q, 5),
      .receiver_home = optional_id<R, NeighbourhoodId>(q, 6),
  };
}

template <typename R>
ProfessionalProfile read_profile(const R& q) {
  return ProfessionalProfile{
      .user_id = q.template id<UserId>(0),
      .organisation = q.text(1),
      .function = q.text(2),
      .description = q.text(3),
      .created_at = q.time(4),
      .updated_at = q.time(5),
  };
}

// Categories stored as "care,contacts"; unknown names are skipped.
inline std::vector<Category> parse_scope(std::string_view text) {
  std::vector<Category> scope;
  while (!text.empty()) {
    const auto comma = text.find(',');
    if (auto c = parse_category(text.substr(0, comma))) scope.push_back(*c);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return scope;
}

inline std::string format_scope(const std::vector<Category>& scope) {
  std::string text;
  for (Category c : scope) {
    if (!text.empty()) text += ',';
    text += to_string(c);
  }
  return text;
}

template <typename R>
ProfessionalSettings read_settings(const R& q) {
  return ProfessionalSettings{
      .neighbourhood_id = q.template id<NeighbourhoodId>(0),
      .admission = q.enum_value(1, parse_admission_rule),
      .objection_days = static_cast<int>(q.int64(2)),
      .objection_count = static_cast<int>(q.int64(3)),
      .vote_quorum = static_cast<int>(q.int64(4)),
      .vote_majority_percent = static_cast<int>(q.int64(5)),
      .scope = parse_scope(q.text(6)),
      .access_months = static_cast<int>(q.int64(7)),
      .updated_at = q.time(8),
  };
}

template <typename R>
PostOutcome read_post_outcome(const R& q) {
  return PostOutcome{
      .id = q.template id<PostId>(0),
      .kind = q.enum_value(1, parse_post_kind),
      .category = q.enum_value(2, parse_category),
      .created_at = q.time(3),
      .first_response_at = q.optional_time(4),
      .status = q.enum_value(5, parse_post_status),
  };
}

template <typename R>
ProfessionalAccess read_access(const R& q) {
  ProfessionalAccess a{
      .neighbourhood_id = q.template id<NeighbourhoodId>(0),
      .professional = PersonRef{q.template id<UserId>(1), q.text(2)},
      .organisation = q.optional_text(3).value_or(""),
      .function = q.optional_text(4).value_or(""),
      .purpose = q.text(5),
      .status = q.enum_value(6, parse_access_status),
      .requested_at = q.time(7),
      .decided_at = q.optional_time(8),
      .active_since = q.optional_time(12),
      .expires_at = q.optional_time(13),
      .updated_at = q.time(14),
      .objections = static_cast<int>(q.int64(15)),
      .votes_in_favour = static_cast<int>(q.int64(16)),
      .votes_against = static_cast<int>(q.int64(17)),
  };
  if (!q.is_null(9)) a.decided_by = q.template id<UserId>(9);
  if (!q.is_null(10)) a.buddy = PersonRef{q.template id<UserId>(10), q.text(11)};
  a.renewal_requested_at = q.optional_time(18);
  return a;
}

template <typename R>
AccessEvent read_access_event(const R& q) {
  AccessEvent e{
      .id = q.int64(0),
      .neighbourhood_id = q.template id<NeighbourhoodId>(1),
      .professional = PersonRef{q.template id<UserId>(2), q.text(3)},
      .kind = q.enum_value(5, parse_access_event_kind),
      .rule = q.text(6),
      .actor = std::nullopt,
      .purpose = q.text(9),
      .objections = static_cast<int>(q.int64(10)),
      .votes_in_favour = static_cast<int>(q.int64(11)),
      .votes_against = static_cast<int>(q.int64(12)),
      .at = q.time(13),
  };
  if (auto org = q.text(4); !org.empty()) e.professional.organisation = std::move(org);
  if (!q.is_null(7)) e.actor = PersonRef{q.template id<UserId>(7), q.text(8)};
  return e;
}

template <typename R>
ProfessionalActivity read_activity(const R& q) {
  ProfessionalActivity a{
      .professional = PersonRef{q.template id<UserId>(0), q.text(1), q.optional_text(2)},
      .status = q.enum_value(3, parse_access_status),
      .expires_at = q.optional_time(4),
      .renewal_requested_at = q.optional_time(5),
      .posts = static_cast<int>(q.int64(6)),
      .responses = static_cast<int>(q.int64(7)),
      .views = static_cast<int>(q.int64(8)),
      .last_view_at = q.optional_time(9),
      .lapse_logged = q.int64(10) != 0,
  };
  return a;
}

template <typename R>
OpenedPost read_opened_post(const R& q) {
  return OpenedPost{
      .post_id = q.template id<PostId>(0),
      .neighbourhood_id = q.template id<NeighbourhoodId>(1),
      .organisation = q.text(2),
      .viewed_at = q.time(3),
  };
}

template <typename R>
ProfessionalView read_view(const R& q) {
  return ProfessionalView{
      .post_id = q.template id<PostId>(0),
      .professional = PersonRef{q.template id<UserId>(1), q.text(2)},
      .organisation = q.text(3),
      .viewed_at = q.time(4),
  };
}

template <typename R>
Notification read_notification(const R& q) {
  Notification n{
      .id = q.template id<NotificationId>(0),
      .user_id = q.template id<UserId>(1),
      .kind = q.enum_value(2, parse_notification_kind),
      .post_id = std::nullopt,
      .post_title = q.optional_text(4).value_or(""),
      .actor = std::nullopt,
      .created_at = q.time(7),
      .read_at = q.optional_time(8),
  };
  if (!q.is_null(3)) n.post_id = q.template id<PostId>(3);
  if (!q.is_null(5)) n.actor = PersonRef{q.template id<UserId>(5), q.text(6)};
  if (!q.is_null(9)) {
    NotificationAccessEvent e{
        .event_id = q.int64(9),
        .neighbourhood_id = q.template id<NeighbourhoodId>(10),
        .neighbourhood_name = q.text(11),
        .professional = PersonRef{q.template id<UserId>(12), q.text(13)},
        .event = q.text(15),
        .rule = q.text(16),
        .purpose = q.text(17),
    };
    if (auto org = q.text(14); !org.empty()) e.professional.organisation = std::move(org);
    n.access_event = std::move(e);
  }
  return n;
}

// --- moderation (issue #8; docs/moderation.md) --------------------------------
constexpr char kReportColumns[] =
    "SELECT r.id, r.neighbourhood_id, r.reporter_id, ru.display_name, r.target_kind,"
    " r.target_id, r.target_user_id, tu.display_name, r.reason, r.created_at, r.resolved_at"
    " FROM reports r JOIN users ru ON ru.id = r.reporter_id"
    " JOIN users tu ON tu.id = r.target_user_id";
constexpr char kModerationEntryColumns[] =
    "SELECT l.id, l.neighbourhood_id, l.moderator_id, mu.display_name, l.action,"
    " l.target_kind, l.target_id, l.target_user_id, tu.display_name, l.reason, l.created_at"
    " FROM moderation_log l JOIN users mu ON mu.id = l.moderator_id"
    " JOIN users tu ON tu.id = l.target_user_id";
constexpr char kHouseRulesColumns[] =
    "SELECT neighbourhood_id, markdown, html, updated_by, updated_at FROM house_rules";

template <typename R>
Report read_report(const R& q) {
  return Report{
      .id = q.template id<ReportId>(0),
      .neighbourhood_id = q.template id<NeighbourhoodId>(1),
      .reporter = PersonRef{q.template id<UserId>(2), q.text(3)},
      .target_kind = q.enum_value(4, parse_report_target),
      .target_id = q.int64(5),
      .target_user = PersonRef{q.template id<UserId>(6), q.text(7)},
      .reason = q.text(8),
      .created_at = q.time(9),
      .resolved_at = q.optional_time(10),
  };
}

template <typename R>
ModerationEntry read_moderation_entry(const R& q) {
  return ModerationEntry{
      .id = q.template id<ModerationEntryId>(0),
      .neighbourhood_id = q.template id<NeighbourhoodId>(1),
      .moderator = PersonRef{q.template id<UserId>(2), q.text(3)},
      .action = q.enum_value(4, parse_moderation_action),
      .target_kind = q.enum_value(5, parse_report_target),
      .target_id = q.int64(6),
      .target_user = PersonRef{q.template id<UserId>(7), q.text(8)},
      .reason = q.text(9),
      .created_at = q.time(10),
  };
}

template <typename R>
HouseRules read_house_rules(const R& q) {
  return HouseRules{
      .neighbourhood_id = q.template id<NeighbourhoodId>(0),
      .markdown = q.text(1),
      .html = q.text(2),
      .updated_by = q.template id<UserId>(3),
      .updated_at = q.time(4),
  };
}

}  // namespace noaber::store_rows
