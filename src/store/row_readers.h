#pragma once
// Domain types from result rows, shared by the SQLite and PostgreSQL
// backends: both select these column lists (portable SQL) and give rows the
// same accessors (id<T>, text, int64, real, time, optional_*, enum_value),
// so one list and one reader serve both, and they can't drift apart.
// Private to src/store/.

#include <algorithm>
#include <cstddef>
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
    " m.joined_at"
    " FROM memberships m"
    " JOIN neighbourhoods nb ON nb.id = m.neighbourhood_id"
    " JOIN users u ON u.id = m.user_id";
constexpr char kPostColumns[] =
    "SELECT p.id, p.neighbourhood_id, p.region_id, p.author_id, u.display_name, p.kind,"
    " p.category, p.title, p.body, p.body_html, p.visibility, p.status, p.created_at,"
    " p.expires_at, p.updated_at, p.response_count"
    " FROM posts p JOIN users u ON u.id = p.author_id";
constexpr char kResponseColumns[] =
    "SELECT r.id, r.post_id, r.neighbourhood_id, r.responder_id, u.display_name, r.message,"
    " r.status, r.created_at"
    " FROM responses r JOIN users u ON u.id = r.responder_id";
constexpr char kExchangeColumns[] =
    "SELECT e.id, e.post_id, e.neighbourhood_id, e.giver_id, g.display_name, e.receiver_id,"
    " rc.display_name, e.category, e.hours, e.thanks, e.completed_at"
    " FROM exchanges e"
    " JOIN users g ON g.id = e.giver_id"
    " JOIN users rc ON rc.id = e.receiver_id";
constexpr char kNotificationColumns[] =
    "SELECT nt.id, nt.user_id, nt.kind, nt.post_id, p.title, nt.actor_id, a.display_name,"
    " nt.created_at, nt.read_at"
    " FROM notifications nt"
    " JOIN posts p ON p.id = nt.post_id"
    " LEFT JOIN users a ON a.id = nt.actor_id";


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
  };
}

template <typename R>
Post read_post(const R& q) {
  return Post{
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
  };
}

template <typename R>
PostResponse read_response(const R& q) {
  return PostResponse{
      .id = q.template id<ResponseId>(0),
      .post_id = q.template id<PostId>(1),
      .neighbourhood_id = q.template id<NeighbourhoodId>(2),
      .responder = PersonRef{q.template id<UserId>(3), q.text(4)},
      .message = q.text(5),
      .status = q.enum_value(6, parse_response_status),
      .created_at = q.time(7),
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

template <typename R>
Notification read_notification(const R& q) {
  Notification n{
      .id = q.template id<NotificationId>(0),
      .user_id = q.template id<UserId>(1),
      .kind = q.enum_value(2, parse_notification_kind),
      .post_id = q.template id<PostId>(3),
      .post_title = q.text(4),
      .actor = std::nullopt,
      .created_at = q.time(7),
      .read_at = q.optional_time(8),
  };
  if (!q.is_null(5)) n.actor = PersonRef{q.template id<UserId>(5), q.text(6)};
  return n;
}

}  // namespace noaber::store_rows
