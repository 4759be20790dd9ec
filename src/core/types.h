#pragma once
// Plain domain types of Noaber: what residents, neighbourhoods, posts,
// responses and exchanges are. No I/O here; the store fills these, services
// decide on them, the http layer serialises them.

#include <chrono>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace noaber {

using TimePoint = std::chrono::sys_seconds;

// Strong ids: a PostId can't be passed where a UserId is meant.
template <typename Tag>
struct Id {
  std::int64_t value = 0;
  friend auto operator<=>(const Id&, const Id&) = default;
};
using UserId = Id<struct UserTag>;
using RegionId = Id<struct RegionTag>;
using NeighbourhoodId = Id<struct NeighbourhoodTag>;
using PostId = Id<struct PostTag>;
using ResponseId = Id<struct ResponseTag>;
using ExchangeId = Id<struct ExchangeTag>;
using InviteId = Id<struct InviteTag>;

enum class Locale { nl, en };
enum class Role { resident, manager, professional };
enum class MemberStatus { pending, verified, suspended };
enum class PostKind { ask, offer };
enum class Category { goods, knowledge, money, contacts, care };
enum class Visibility { neighbourhood, nearby, region };
enum class PostStatus { open, promised, done, closed, expired };
enum class ResponseStatus { pending, accepted };

// Wire names (also used in the database). parse_* return nullopt for an
// unknown name.
std::string_view to_string(Locale);
std::string_view to_string(Role);
std::string_view to_string(MemberStatus);
std::string_view to_string(PostKind);
std::string_view to_string(Category);
std::string_view to_string(Visibility);
std::string_view to_string(PostStatus);
std::string_view to_string(ResponseStatus);
std::optional<Locale> parse_locale(std::string_view);
std::optional<Role> parse_role(std::string_view);
std::optional<MemberStatus> parse_member_status(std::string_view);
std::optional<PostKind> parse_post_kind(std::string_view);
std::optional<Category> parse_category(std::string_view);
std::optional<Visibility> parse_visibility(std::string_view);
std::optional<PostStatus> parse_post_status(std::string_view);
std::optional<ResponseStatus> parse_response_status(std::string_view);

// How another person appears to a user: never their email or address.
// An erased account (DELETE /api/v1/me) keeps its id but its display_name
// is empty: the name is gone from the database, and the http layer shows
// such a person as a former neighbour (http/json_views.cpp).
struct PersonRef {
  UserId id;
  std::string display_name;
  // The organisation of a professional acting as one (issue 7): the badge.
  std::optional<std::string> organisation;
  bool former() const { return display_name.empty(); }
};

struct User {
  UserId id;
  std::string email;
  std::string display_name;
  Locale locale = Locale::nl;
  TimePoint created_at;
};

struct NewUser {
  std::string email;  // normalised (trimmed, lower case)
  std::string display_name;
  Locale locale = Locale::nl;
  std::string password_hash;
  TimePoint created_at;
};

struct UserCredentials {
  UserId id;
  std::string password_hash;
};

struct NewSession {
  std::string token_hash;  // hex of a hash of the token; the token itself is never stored
  UserId user_id;
  TimePoint created_at;  // also its first last_seen_at
  TimePoint expires_at;  // the absolute end, whatever the activity
};

// A session as shown to its owner (the export): never the token or its hash
// leaves the service layer.
struct SessionSummary {
  std::string token_hash;  // emptied by the service before it is shown
  TimePoint created_at;
  TimePoint last_seen_at;
  TimePoint expires_at;
  bool current = false;  // the session asking; set by the service, not stored
};

struct Neighbourhood {
  NeighbourhoodId id;
  std::string name;
  RegionId region_id;
  std::string region_name;
  double lat = 0;
  double lon = 0;
  std::int64_t member_count = 0;  // verified members
  TimePoint created_at;
};

struct NewNeighbourhood {
  std::string name;
  std::string region_name;  // created when it does not exist yet
  double lat = 0;
  double lon = 0;
  UserId founder;  // becomes a verified manager
  TimePoint created_at;
};

struct NeighbourhoodSearch {
  std::optional<std::string> name_contains;
  struct Near {
    double lat = 0;
    double lon = 0;
    double within_km = 0;
  };
  std::optional<Near> near;
  int limit = 50;
};

struct Membership {
  NeighbourhoodId neighbourhood_id;
  std::string neighbourhood_name;
  PersonRef member;
  Role role = Role::resident;
  MemberStatus status = MemberStatus::pending;
  TimePoint joined_at;
  // Since when this resident opted in as a connector (docs/managers.md);
  // managers are connectors by their role and have none.
  std::optional<TimePoint> connector_since;
};

// Whether the member is a connector of the neighbourhood now: a verified
// manager, or a verified resident who opted in. Suspended members aren't.
bool is_connector(const Membership& m);

struct NewMembership {
  NeighbourhoodId neighbourhood_id;
  UserId user_id;
  Role role = Role::resident;
  MemberStatus status = MemberStatus::pending;
  TimePoint joined_at;
};

struct Invite {
  InviteId id;
  NeighbourhoodId neighbourhood_id;
  UserId created_by;
  TimePoint created_at;
  TimePoint expires_at;
  std::optional<TimePoint> used_at;
};

struct NewInvite {
  NeighbourhoodId neighbourhood_id;
  UserId created_by;
  std::string code_hash;  // the code itself is shown once and never stored
  TimePoint created_at;
  TimePoint expires_at;
};

struct Post {
  PostId id;
  NeighbourhoodId neighbourhood_id;
  RegionId region_id;
  PersonRef author;
  PostKind kind = PostKind::ask;
  Category category = Category::goods;
  std::string title;
  std::string body;
  std::string body_html;
  Visibility visibility = Visibility::neighbourhood;
  PostStatus status = PostStatus::open;
  TimePoint created_at;
  std::optional<TimePoint> expires_at;
  TimePoint updated_at;
  std::int64_t response_count = 0;
  // Set while a manager has it hidden (docs/moderation.md).
  std::optional<TimePoint> hidden_at;
  // Professionals never see it (core/professionals.h).
  bool not_for_professionals = false;
};

struct NewPost {
  NeighbourhoodId neighbourhood_id;
  UserId author_id;
  PostKind kind = PostKind::ask;
  Category category = Category::goods;
  std::string title;
  std::string body;
  std::string body_html;
  Visibility visibility = Visibility::neighbourhood;
  TimePoint created_at;
  std::optional<TimePoint> expires_at;
  bool not_for_professionals = false;
  // Set when written by a professional acting as one: their badge.
  std::optional<std::string> professional_organisation;
};

// Fields left empty are not changed.
struct PostPatch {
  std::optional<std::string> title;
  std::optional<std::string> body;
  std::optional<std::string> body_html;  // set together with body
  std::optional<TimePoint> expires_at;
  TimePoint updated_at;
  std::optional<bool> not_for_professionals;
};

struct FeedQuery {
  NeighbourhoodId neighbourhood_id;  // the reader's neighbourhood
  std::optional<PostKind> kind;
  std::optional<Category> category;
  // Compared with the effective status: an open post whose expiry is at or
  // before `now` counts as expired.
  std::optional<PostStatus> status;
  TimePoint now;
  std::optional<PostId> before;  // keyset cursor: only posts with a smaller id
  int limit = 20;
  // Hidden posts (docs/moderation.md) are left out, except the reader's own
  // and, for a manager of neighbourhood_id, that neighbourhood's.
  std::optional<UserId> reader;
  bool reader_manages = false;
};

struct PostResponse {
  ResponseId id;
  PostId post_id;
  NeighbourhoodId neighbourhood_id;  // the post's neighbourhood
  PersonRef responder;
  std::string message;
  ResponseStatus status = ResponseStatus::pending;
  TimePoint created_at;
  std::optional<TimePoint> hidden_at;  // docs/moderation.md
};

struct NewResponse {
  PostId post_id;
  UserId responder_id;
  std::string message;
  TimePoint created_at;
  std::optional<std::string> professional_organisation;  // as in NewPost
};

struct Exchange {
  ExchangeId id;
  PostId post_id;
  NeighbourhoodId neighbourhood_id;
  PersonRef giver;
  PersonRef receiver;
  Category category = Category::goods;
  std::optional<double> hours;
  std::optional<std::string> thanks;
  TimePoint completed_at;
};

struct Completion {
  PostId post_id;
  std::optional<std::string> thanks;
  std::optional<double> hours;
  TimePoint completed_at;
};

// Everything the store holds about one person (GET /api/v1/me/export),
// read from one snapshot.
// --- in-app notifications ---------------------------------------------------
// Something happened that a person should hear about. A notification names
// its post and the person who acted by id; the title and the actor's display
// name are read when it is listed, so an edited title or an erased actor
// (display name "") shows as it is now. Definitions: core/notification.cpp.

using NotificationId = Id<struct NotificationTag>;

enum class NotificationKind {
  response,  // someone responded to my post
  accepted,  // the author accepted my response
  thanks,    // the author completed the post I helped with (thanks optional)
  expired,   // my post reached its expiry and was closed
  unanswered,  // (to managers) an ask in my neighbourhood has had no response for a while
  check_in,    // my post was promised a while ago and isn't completed: did it work out?
  // Professionals (issue 7; docs/professionals.md). These point at an entry
  // of the neighbourhood's professional activity log, not at a post.
  professional_request,  // (to verified members) a professional asks for access or renewal
  professional_access,   // (to the professional) a step of their own access: admitted, paused, ...
};

std::string_view to_string(NotificationKind);
std::optional<NotificationKind> parse_notification_kind(std::string_view);

// What a notification about professional access tells: the log entry it
// points at (docs/professionals.md#the-activity-log).
struct NotificationAccessEvent {
  std::int64_t event_id = 0;
  NeighbourhoodId neighbourhood_id;
  std::string neighbourhood_name;
  PersonRef professional;  // with their badge (organisation) when they have a profile
  std::string event;       // requested, admitted, refused, buddy, active, paused, ...
  std::string rule;        // how it was decided: manager, objection, vote, objections; or ""
  std::string purpose;     // for requests
};

struct Notification {
  NotificationId id;
  UserId user_id;  // who is told
  NotificationKind kind;
  // The post it is about; nullopt for the professional_* kinds, which carry
  // access_event instead.
  std::optional<PostId> post_id;
  std::string post_title;
  // Who acted, as others see them; nullopt when nobody did (expired). An
  // erased actor's display name is "".
  std::optional<PersonRef> actor;
  TimePoint created_at;
  std::optional<TimePoint> read_at;
  std::optional<NotificationAccessEvent> access_event;
};

struct UserExport {
  User user;
  std::vector<Membership> memberships;
  std::vector<Post> posts;                         // written by the user
  std::vector<PostResponse> responses_to_posts;    // to those posts, by anyone
  std::vector<PostResponse> responses;             // written by the user
  std::vector<Exchange> exchanges;                 // the user gave or received
  std::vector<Invite> invites;                     // created by the user
  std::vector<SessionSummary> sessions;            // unexpired ones
  std::vector<Notification> notifications;         // to the user, oldest first
};

}  // namespace noaber
