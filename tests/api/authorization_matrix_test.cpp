// The authorization matrix (issues 6 and 7): every route of the routes table, asked
// by each kind of actor, with the status and error code each one must get.
//
// The table below is the written-down access policy of the API
// (../shared/API.md, docs/api.md). A route in routes() without a row fails
// the test, and so does a row naming a route that no longer exists: no new
// endpoint can skip the matrix.
//
// The world, built once per test in SetUp:
//   neighbourhood A (Zutphen): manager M founded it; author R1 and resident
//     R2 joined with invites (verified); P asked to join (pending).
//   neighbourhood B (Groningen, ~130 km away, another region): founded by
//     outsider O.
//   post X by R1 in A (visibility neighbourhood), with a response by R2.
//   O has a professional profile (docs/professionals.md).
//   professional Q: founded C (Maastricht, far from A), has a profile and is
//     an active professional of A (approved by M, introduced by buddy R2).
//     Post X (goods) is outside A's default scope, so to Q it does not exist.
// Routes that change state get a fresh target for every (route, actor) cell
// (a new post, response, pending member or session), so one actor's success
// can't change what the next actor sees; the shared post X and the pending
// member P are checked to be untouched at the end. Routes that change or
// erase the account itself (password, logout everywhere, erasure) act as a
// fresh user of their own for every logged-in actor.

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "http/router.h"
#include "support/api_fixture.h"
#include "support/event_stream_client.h"

namespace noaber::test {
namespace {
namespace json = boost::json;

enum class Actor { anonymous, outsider, pending, resident, manager, author, professional };
constexpr std::array kActors = {Actor::anonymous, Actor::outsider, Actor::pending,
                                Actor::resident,  Actor::manager,  Actor::author,
                                Actor::professional};
constexpr int kActorCount = 7;

std::string_view actor_name(Actor a) {
  switch (a) {
    case Actor::anonymous: return "anonymous";
    case Actor::outsider: return "outsider (verified member of B)";
    case Actor::pending: return "pending member of A";
    case Actor::resident: return "resident of A (not the author)";
    case Actor::manager: return "manager of A";
    case Actor::author: return "the post's author";
    case Actor::professional: return "active professional of A (resident of C)";
  }
  return "?";
}

// An expected answer: the status, and the error code ("" for a success, which
// must then carry no error body).
struct Expect {
  int status;
  std::string_view code;
};
constexpr Expect k200{200, ""};
constexpr Expect k201{201, ""};
constexpr Expect k204{204, ""};
constexpr Expect kUnauth{401, "unauthenticated"};
constexpr Expect kForbidden{403, "forbidden"};
constexpr Expect kNotVerified{403, "not_verified"};
constexpr Expect kNotFound{404, "not_found"};
constexpr Expect kConflict{409, "conflict"};
constexpr Expect kInvalid{400, "validation_failed"};

// What fills the path parameters. The fresh_* targets are built anew for
// every cell.
enum class Target {
  none,            // no path parameters
  hood,            // {id} = neighbourhood A
  post,            // {id} = the shared post X (routes that only read)
  fresh_post,      // {id} = a new open post by R1 in A
  fresh_response,  // {id} = a new pending response by R2 to a new post by R1
  fresh_promised,  // {id} = a new post by R1 whose response by R2 R1 accepted
  fresh_pending,   // {id} = A, {user_id} = a newly registered user who asked to join A
  fresh_session,   // no parameters; the actor acts with a new session of its own
  fresh_user,      // no parameters; a logged-in actor is replaced by a newly registered user
  // {id} = A, {user_id} = a new professional who asked A for access ...
  fresh_professional,
  fresh_admitted,  // ... and was approved by M
  fresh_buddied,   // ... and has R2 as buddy
  fresh_paused,    // ... approved by M and paused by M
};

// The request body: valid for the route, so that only authorization decides.
enum class Body {
  none,
  register_new,  // a never-used email
  login_self,    // the actor's own credentials (anonymous: R2's)
  found,         // a valid new neighbourhood
  post,          // a valid new ask
  patch,         // a valid new title
  respond,       // a valid message
  complete,      // thanks and hours
  new_password,  // the actor's current password and a valid new one
  password_self, // the actor's own password
  profile,       // a valid professional profile
  settings,      // a valid change of the professional settings
  purpose,       // a valid purpose for professional access
  checklist,     // the buddy's checklist, all ticked
  mark_read,     // every notification of the actor up to a high id
  // --- moderation (docs/moderation.md) ---
  report,        // a report about a fresh post by R1
  decision,      // dismiss a fresh open report (R2 about a fresh post by R1)
  house_rules,   // valid house rules
  vote,          // a vote in favour of a professional
};

struct Row {
  std::string_view route;  // "METHOD /pattern", exactly as in routes()
  std::string_view query;  // appended to the path: variants of one route
  Target target;
  Body body;
  // anonymous, outsider, pending, resident, manager, author, professional.
  // A row written before the professional column existed leaves it
  // {0, ""}; the test then fails and says to fill it in.
  std::array<Expect, kActorCount> expect;
};

// clang-format off
constexpr Row kMatrix[] = {
  // route                                                          query              target                  body                anonymous outsider    pending       resident    manager     author      professional
  // -- accounts: register and login are public; they answer everyone.
  {"POST /api/v1/auth/register",                                    "",                Target::none,           Body::register_new, {k201,    k201,       k201,         k201,       k201,       k201, k201}},
  {"POST /api/v1/auth/login",                                       "",                Target::none,           Body::login_self,   {k200,    k200,       k200,         k200,       k200,       k200, k200}},
  // Each actor logs out a fresh session of its own, so its main token lives on.
  {"POST /api/v1/auth/logout",                                      "",                Target::fresh_session,  Body::none,         {kUnauth, k204,       k204,         k204,       k204,       k204, k204}},
  {"POST /api/v1/auth/logout-everywhere",                           "",                Target::fresh_user,     Body::none,         {kUnauth, k204,       k204,         k204,       k204,       k204, k204}},
  {"GET /api/v1/me",                                                "",                Target::none,           Body::none,         {kUnauth, k200,       k200,         k200,       k200,       k200, k200}},
  // -- privacy and account: every logged-in person, about themselves only
  {"POST /api/v1/me/password",                                      "",                Target::fresh_user,     Body::new_password, {kUnauth, k204,       k204,         k204,       k204,       k204, k204}},
  {"GET /api/v1/me/export",                                         "",                Target::none,           Body::none,         {kUnauth, k200,       k200,         k200,       k200,       k200, k200}},
  {"DELETE /api/v1/me",                                             "",                Target::fresh_user,     Body::password_self, {kUnauth, k204,      k204,         k204,       k204,       k204, k204}},
  // -- notifications: every logged-in person, their own only
  {"GET /api/v1/me/notifications",                                  "",                Target::none,           Body::none,         {kUnauth, k200,       k200,         k200,       k200,       k200, k200}},
  {"POST /api/v1/me/notifications/read",                            "",                Target::none,           Body::mark_read,    {kUnauth, k200,       k200,         k200,       k200,       k200, k200}},
  // -- neighbourhoods and membership
  // Founding is open to every logged-in user, but each of ours has a home
  // already (pending P included: one home per resident), so past the 401 the
  // answer is the one-home rule's 409 — never 403/404.
  {"POST /api/v1/neighbourhoods",                                   "",                Target::none,           Body::found,        {kUnauth, kConflict,  kConflict,    kConflict,  kConflict,  kConflict, kConflict}},
  {"GET /api/v1/neighbourhoods",                                    "?q=Binnenstad",   Target::none,           Body::none,         {k200,    k200,       k200,         k200,       k200,       k200, k200}},
  {"GET /api/v1/neighbourhoods/{id}",                               "",                Target::hood,           Body::none,         {k200,    k200,       k200,         k200,       k200,       k200, k200}},
  {"POST /api/v1/neighbourhoods/{id}/invites",                      "",                Target::hood,           Body::none,         {kUnauth, kNotFound,  kNotVerified, k201,       k201,       k201, kNotFound}},
  // Asking to join is open to every logged-in user and a neighbourhood is
  // public, so the outsider gets no 404; all our actors have a home (or are
  // members of A already), so the state answers 409.
  {"POST /api/v1/neighbourhoods/{id}/join",                         "",                Target::hood,           Body::none,         {kUnauth, kConflict,  kConflict,    kConflict,  kConflict,  kConflict, kConflict}},
  {"GET /api/v1/neighbourhoods/{id}/members",                       "",                Target::hood,           Body::none,         {kUnauth, kNotFound,  kNotVerified, k200,       k200,       k200, kNotFound}},
  // Only managers see members who are not verified.
  {"GET /api/v1/neighbourhoods/{id}/members",                       "?status=pending", Target::hood,           Body::none,         {kUnauth, kNotFound,  kNotVerified, kForbidden, k200,       kForbidden, kNotFound}},
  {"POST /api/v1/neighbourhoods/{id}/members/{user_id}/approve",    "",                Target::fresh_pending,  Body::none,         {kUnauth, kNotFound,  kNotVerified, kForbidden, k200,       kForbidden, kNotFound}},
  // -- asks and offers (neighbourhood-scoped: pending members get not_verified)
  {"POST /api/v1/neighbourhoods/{id}/posts",                        "",                Target::hood,           Body::post,         {kUnauth, kNotFound,  kNotVerified, k201,       k201,       k201, kInvalid}},
  {"GET /api/v1/neighbourhoods/{id}/feed",                          "",                Target::hood,           Body::none,         {kUnauth, kNotFound,  kNotVerified, k200,       k200,       k200, k200}},
  // A post reaches verified members only: to a pending member it does not
  // exist (404), like to any other non-reader.
  {"GET /api/v1/posts/{id}",                                        "",                Target::post,           Body::none,         {kUnauth, kNotFound,  kNotFound,    k200,       k200,       k200, kNotFound}},
  {"PATCH /api/v1/posts/{id}",                                      "",                Target::fresh_post,     Body::patch,        {kUnauth, kNotFound,  kNotFound,    kForbidden, kForbidden, k200, kForbidden}},
  {"POST /api/v1/posts/{id}/close",                                 "",                Target::fresh_post,     Body::none,         {kUnauth, kNotFound,  kNotFound,    kForbidden, k200,       k200, kForbidden}},
  // The author can't respond to their own post.
  {"POST /api/v1/posts/{id}/responses",                             "",                Target::fresh_post,     Body::respond,      {kUnauth, kNotFound,  kNotFound,    k201,       k201,       kForbidden, kForbidden}},
  // The resident here is R2, who wrote the response: still not allowed to accept it.
  {"POST /api/v1/responses/{id}/accept",                            "",                Target::fresh_response, Body::none,         {kUnauth, kNotFound,  kNotFound,    kForbidden, kForbidden, k200, kForbidden}},
  {"POST /api/v1/posts/{id}/complete",                              "",                Target::fresh_promised, Body::complete,     {kUnauth, kNotFound,  kNotFound,    kForbidden, kForbidden, k200, kForbidden}},
  {"GET /api/v1/neighbourhoods/{id}/exchanges",                     "",                Target::hood,           Body::none,         {kUnauth, kNotFound,  kNotVerified, k200,       k200,       k200, kNotFound}},
  // A stream: only its status and headers are read (see send()).
  // An active professional streams what its feed shows (docs/api.md, Live updates).
  {"GET /api/v1/neighbourhoods/{id}/events",                        "",                Target::hood,           Body::none,         {kUnauth, kNotFound,  kNotVerified, k200,       k200,       k200, k200}},
  // -- community health: the neighbourhood's members, like its feed
  {"GET /api/v1/neighbourhoods/{id}/health",                        "",                Target::hood,           Body::none,         {kUnauth, kNotFound,  kNotVerified, k200,       k200,       k200, kNotFound}},
  {"GET /api/v1/neighbourhoods/{id}/health",                        "?from=2025-01&to=2025-12", Target::hood,  Body::none,         {kUnauth, kNotFound,  kNotVerified, k200,       k200,       k200, kNotFound}},
  // -- professionals (docs/professionals.md). A fresh user has no profile to delete.
  {"PUT /api/v1/me/professional",                                   "",                Target::none,           Body::profile,      {kUnauth, k200,       k200,         k200,       k200,       k200, k200}},
  {"DELETE /api/v1/me/professional",                                "",                Target::fresh_user,     Body::none,         {kUnauth, kNotFound,  kNotFound,    kNotFound,  kNotFound,  kNotFound, kNotFound}},
  {"GET /api/v1/neighbourhoods/{id}/settings",                      "",                Target::hood,           Body::none,         {kUnauth, kNotFound,  kNotVerified, k200,       k200,       k200, kNotFound}},
  {"PATCH /api/v1/neighbourhoods/{id}/settings",                    "",                Target::hood,           Body::settings,     {kUnauth, kNotFound,  kNotVerified, kForbidden, k200,       kForbidden, kNotFound}},
  // O (profile, no member of A) may ask; members of A take part as residents.
  {"POST /api/v1/neighbourhoods/{id}/professionals",                "",                Target::hood,           Body::purpose,      {kUnauth, k201,       kConflict,    kConflict,  kConflict,  kConflict, kConflict}},
  {"GET /api/v1/neighbourhoods/{id}/professionals",                 "",                Target::hood,           Body::none,         {kUnauth, kNotFound,  kNotVerified, k200,       k200,       k200, kNotFound}},
  {"POST /api/v1/neighbourhoods/{id}/professionals/{user_id}/approve", "",             Target::fresh_professional, Body::none,     {kUnauth, kNotFound,  kNotVerified, kForbidden, k200,       kForbidden, kNotFound}},
  {"POST /api/v1/neighbourhoods/{id}/professionals/{user_id}/refuse", "",              Target::fresh_professional, Body::none,     {kUnauth, kNotFound,  kNotVerified, kForbidden, k200,       kForbidden, kNotFound}},
  {"POST /api/v1/neighbourhoods/{id}/professionals/{user_id}/pause", "",               Target::fresh_admitted, Body::none,         {kUnauth, kNotFound,  kNotVerified, kForbidden, k200,       kForbidden, kNotFound}},
  {"POST /api/v1/neighbourhoods/{id}/professionals/{user_id}/revoke", "",              Target::fresh_professional, Body::none,     {kUnauth, kNotFound,  kNotVerified, kForbidden, k200,       kForbidden, kNotFound}},
  {"POST /api/v1/neighbourhoods/{id}/professionals/{user_id}/resume", "",              Target::fresh_paused,   Body::none,         {kUnauth, kNotFound,  kNotVerified, kForbidden, k200,       kForbidden, kNotFound}},
  // Any verified member may be the buddy ...
  {"POST /api/v1/neighbourhoods/{id}/professionals/{user_id}/buddy", "",               Target::fresh_admitted, Body::none,         {kUnauth, kNotFound,  kNotVerified, k200,       k200,       k200, kNotFound}},
  // ... and only the buddy (R2) signs off.
  {"POST /api/v1/neighbourhoods/{id}/professionals/{user_id}/sign-off", "",            Target::fresh_buddied,  Body::checklist,    {kUnauth, kNotFound,  kNotVerified, k200,       kForbidden, kForbidden, kNotFound}},
  // Any verified member may object, once (one objection of three pauses nothing).
  {"POST /api/v1/neighbourhoods/{id}/professionals/{user_id}/object", "",              Target::fresh_admitted, Body::none,         {kUnauth, kNotFound,  kNotVerified, k200,       k200,       k200, kNotFound}},
  // Members may vote only under the vote rule; A decides by its managers.
  {"POST /api/v1/neighbourhoods/{id}/professionals/{user_id}/vote", "",                Target::fresh_professional, Body::vote,     {kUnauth, kNotFound,  kNotVerified, kConflict,  kConflict,  kConflict, kNotFound}},
  // Who looked at post X: its author only.
  // The activity log: every verified member, not the professionals it is about.
  {"GET /api/v1/neighbourhoods/{id}/professionals/log",             "",                Target::hood,           Body::none,         {kUnauth, kNotFound,  kNotVerified, k200,       k200,       k200,       kNotFound}},
  // Renewal: a professional's own active access, only in its last 30 days.
  // Without access 404; O's request (made by the row above) is not active.
  {"POST /api/v1/neighbourhoods/{id}/professionals/renew",          "",                Target::hood,           Body::none,         {kUnauth, kConflict,  kNotFound,    kNotFound,  kNotFound,  kNotFound,  kConflict}},
  // The figures: members in full, active professionals suppressed.
  {"GET /api/v1/neighbourhoods/{id}/professionals/figures",         "",                Target::hood,           Body::none,         {kUnauth, kNotFound,  kNotVerified, k200,       k200,       k200,       k200}},
  {"GET /api/v1/posts/{id}/views",                                  "",                Target::post,           Body::none,         {kUnauth, kNotFound,  kNotFound,    kForbidden, kForbidden, k200, kNotFound}},
  // -- moderation (docs/moderation.md). Like the feed for non-members and
  // pending members; R1 may not report their own post.
  {"POST /api/v1/neighbourhoods/{id}/reports",                      "",                Target::hood,           Body::report,       {kUnauth, kNotFound,  kNotVerified, k201,       k201,       kForbidden, kNotFound}},
  {"GET /api/v1/neighbourhoods/{id}/reports",                       "",                Target::hood,           Body::none,         {kUnauth, kNotFound,  kNotVerified, kForbidden, k200,       kForbidden, kNotFound}},
  {"POST /api/v1/neighbourhoods/{id}/moderation",                   "",                Target::hood,           Body::decision,     {kUnauth, kNotFound,  kNotVerified, kForbidden, k200,       kForbidden, kNotFound}},
  {"GET /api/v1/neighbourhoods/{id}/moderation-log",                "",                Target::hood,           Body::none,         {kUnauth, kNotFound,  kNotVerified, k200,       k200,       k200, kNotFound}},
  {"PUT /api/v1/neighbourhoods/{id}/house-rules",                   "",                Target::hood,           Body::house_rules,  {kUnauth, kNotFound,  kNotVerified, kForbidden, k200,       kForbidden, kNotFound}},
  // -- connectors and the dashboard (docs/managers.md). Residents opt in and
  // out (rows run in routes order: the resident and the author are opted
  // out again before the dashboard row); managers are connectors by their
  // role and can't opt out. The dashboard is for connectors: managers here.
  {"PUT /api/v1/neighbourhoods/{id}/connector",                     "",                Target::hood,           Body::none,         {kUnauth, kNotFound,  kNotVerified, k200,       k200,       k200,       kNotFound}},
  {"DELETE /api/v1/neighbourhoods/{id}/connector",                  "",                Target::hood,           Body::none,         {kUnauth, kNotFound,  kNotVerified, k200,       kConflict,  k200,       kNotFound}},
  {"GET /api/v1/neighbourhoods/{id}/dashboard",                     "",                Target::hood,           Body::none,         {kUnauth, kNotFound,  kNotVerified, kForbidden, k200,       kForbidden, kNotFound}},
  // -- operations (the test client connects from loopback, where /metrics is served)
  {"GET /healthz",                                                  "",                Target::none,           Body::none,         {k200,    k200,       k200,         k200,       k200,       k200, k200}},
  {"GET /metrics",                                                  "",                Target::none,           Body::none,         {k200,    k200,       k200,         k200,       k200,       k200, k200}},
};
// clang-format on

std::string route_key(const http::Route& r) {
  return std::string(r.method) + " " + std::string(r.pattern);
}

std::set<std::string> route_keys() {
  std::set<std::string> keys;
  for (const auto& r : http::routes()) keys.insert(route_key(r));
  return keys;
}

TEST(AuthorizationMatrixTable, HasARowForEveryRouteAndOnlyForRoutes) {
  std::set<std::string_view> in_matrix;
  for (const auto& row : kMatrix) in_matrix.insert(row.route);
  for (const auto& r : http::routes())
    EXPECT_TRUE(in_matrix.contains(route_key(r)))
        << "route " << route_key(r) << " has no authorization matrix entry — add one to kMatrix in "
        << "tests/api/authorization_matrix_test.cpp";
  const auto keys = route_keys();
  EXPECT_EQ(keys.size(), http::routes().size()) << "the routes table lists a route twice";
  for (const auto& row : kMatrix)
    EXPECT_TRUE(keys.contains(std::string(row.route)))
        << "the authorization matrix names " << row.route
        << ", which is not in routes() any more — update or remove its row";
}

class AuthorizationMatrix : public ApiTest {
 protected:
  static constexpr const char* kPassword = "correct horse battery";

  void configure(AppConfig& config) override {
    // The fresh targets take more posts, responses and invites than the
    // default per-user limits allow in an hour; the limits are not under test.
    config.market.posts_per_user = {100'000, std::chrono::hours(1)};
    config.market.responses_per_user = {100'000, std::chrono::hours(1)};
    config.neighbourhoods.invites_per_user = {100'000, std::chrono::hours(1)};
    config.accounts.login_per_email = {100'000, std::chrono::minutes(5)};
  }

  void SetUp() override {
    ApiTest::SetUp();
    if (IsSkipped()) return;
    manager_ = register_resident("Manager M");
    a_ = found(manager_, "Binnenstad", 52.1395, 6.196, "Zutphen");
    author_ = register_resident("Author R1");
    join_verified(author_, a_, manager_);
    resident_ = register_resident("Resident R2");
    join_verified(resident_, a_, manager_);
    pending_ = register_resident("Pending P");
    auto asked = post_empty(hood_path() + "/join", &pending_);
    ASSERT_EQ(asked.status, 201) << asked.body;
    ASSERT_EQ(asked.json().at("membership").at("status"), "pending");
    outsider_ = register_resident("Outsider O");
    b_ = found(outsider_, "Binnenstad Groningen", 53.2194, 6.5665, "Groningen");
    give_profile(outsider_);
    // The professional actor: a resident of C (far from A), active in A by
    // the manager's approval and R2's sign-off.
    professional_ = register_resident("Professional Q");
    ASSERT_TRUE(found(professional_, "Centrum Maastricht", 50.8514, 5.6910, "Maastricht"));
    give_profile(professional_);
    {
      auto asked = post(hood_path() + "/professionals", {{"purpose", "Spreekuur in de buurt"}},
                        &professional_);
      ASSERT_EQ(asked.status, 201) << asked.body;
      const std::string base = hood_path() + "/professionals/" + std::to_string(professional_.id);
      ASSERT_EQ(post_empty(base + "/approve", &manager_).status, 200);
      ASSERT_EQ(post_empty(base + "/buddy", &resident_).status, 200);
      auto signed_off = post(base + "/sign-off",
                             {{"introduced", true}, {"house_rules", true}, {"scope_explained", true}},
                             &resident_);
      ASSERT_EQ(signed_off.status, 200) << signed_off.body;
    }
    post_x_ = create_post(author_, a_, "ask", "goods", "Wie leent mij een ladder?");
    response_x_ = respond(resident_, post_x_, "Ik heb er een.");
    ASSERT_TRUE(a_ && b_ && post_x_ && response_x_);
  }

  std::string hood_path() const { return "/api/v1/neighbourhoods/" + std::to_string(a_); }

  void give_profile(const Resident& who) {
    Headers h = who.bearer();
    h.emplace_back("Content-Type", "application/json");
    auto r = http_->request("PUT", "/api/v1/me/professional",
                            R"({"organisation":"Wijkteam","function":"Buurtwerker"})", h);
    EXPECT_EQ(r.status, 200) << r.body;
  }
  // A new professional who asked A for access, taken `steps` further:
  // 1 approved by M, 2 with R2 as buddy, 3 approved and paused by M.
  std::int64_t fresh_professional(int steps) {
    const Resident pro = register_resident("Professional " + std::to_string(++fresh_));
    give_profile(pro);
    auto asked = post(hood_path() + "/professionals", {{"purpose", "Spreekuur in de buurt"}}, &pro);
    EXPECT_EQ(asked.status, 201) << asked.body;
    const std::string base = hood_path() + "/professionals/" + std::to_string(pro.id);
    if (steps >= 1) {
      EXPECT_EQ(post_empty(base + "/approve", &manager_).status, 200);
    }
    if (steps == 2) {
      EXPECT_EQ(post_empty(base + "/buddy", &resident_).status, 200);
    }
    if (steps == 3) {
      EXPECT_EQ(post_empty(base + "/pause", &manager_).status, 200);
    }
    return pro.id;
  }

  // The actor's identity; nullptr for anonymous.
  const Resident* who(Actor a) const {
    switch (a) {
      case Actor::anonymous: return nullptr;
      case Actor::outsider: return stand_in_ ? stand_in_ : &outsider_;
      case Actor::pending: return &pending_;
      case Actor::resident: return &resident_;
      case Actor::manager: return &manager_;
      case Actor::author: return &author_;
      case Actor::professional: return &professional_;
    }
    return nullptr;
  }

  std::int64_t fresh_post() {
    return create_post(author_, a_, "offer", "knowledge", "Matrix: hulp bij de computer " +
                                                             std::to_string(++fresh_));
  }
  std::int64_t fresh_response(std::int64_t post_id) {
    return respond(resident_, post_id, "Ja graag, " + std::to_string(++fresh_));
  }

  // One cell's request: the target with its parameters filled in, the body,
  // and the credentials (which differ from the actor's main session only for
  // fresh_session).
  struct Cell {
    std::string target;
    std::string body;
    std::optional<Resident> as;
    std::string note;  // what filled the parameters, for failure messages
  };

  Cell build(const Row& row, Actor actor) {
    Cell cell;
    if (const Resident* r = who(actor)) cell.as = *r;
    const std::string_view key = row.route;
    std::string path(key.substr(key.find(' ') + 1));
    std::int64_t id = 0, user_id = 0;
    switch (row.target) {
      case Target::none: break;
      case Target::hood: id = a_; cell.note = "A"; break;
      case Target::post: id = post_x_; cell.note = "post X"; break;
      case Target::fresh_post: id = fresh_post(); cell.note = "fresh post"; break;
      case Target::fresh_response:
        id = fresh_response(fresh_post());
        cell.note = "fresh response";
        break;
      case Target::fresh_promised: {
        id = fresh_post();
        const auto rid = fresh_response(id);
        auto accepted =
            post_empty("/api/v1/responses/" + std::to_string(rid) + "/accept", &author_);
        EXPECT_EQ(accepted.status, 200) << accepted.body;
        cell.note = "fresh promised post";
        break;
      }
      case Target::fresh_pending: {
        const Resident newcomer = register_resident("Nieuwkomer " + std::to_string(++fresh_));
        auto asked = post_empty(hood_path() + "/join", &newcomer);
        EXPECT_EQ(asked.status, 201) << asked.body;
        id = a_;
        user_id = newcomer.id;
        cell.note = "A, fresh pending member";
        break;
      }
      case Target::fresh_professional:
      case Target::fresh_admitted:
      case Target::fresh_buddied:
      case Target::fresh_paused:
        id = a_;
        user_id = fresh_professional(row.target == Target::fresh_professional ? 0
                                     : row.target == Target::fresh_admitted   ? 1
                                     : row.target == Target::fresh_buddied    ? 2
                                                                               : 3);
        cell.note = "A, fresh professional";
        break;
      case Target::fresh_session:
        if (cell.as) {
          auto in = post("/api/v1/auth/login", {{"email", cell.as->email}, {"password", kPassword}});
          EXPECT_EQ(in.status, 200) << in.body;
          cell.as->token = json::value_to<std::string>(in.json().at("token"));
          cell.note = "fresh session";
        }
        break;
      case Target::fresh_user:
        if (cell.as) {
          cell.as = register_resident("Matrix " + std::to_string(++fresh_));
          cell.note = "fresh user";
        }
        break;
    }
    auto fill = [&](std::string_view name, std::int64_t value) {
      if (auto at = path.find(name); at != std::string::npos)
        path.replace(at, name.size(), std::to_string(value));
    };
    fill("{user_id}", user_id);
    fill("{id}", id);
    EXPECT_EQ(path.find('{'), std::string::npos) << row.route << ": unfilled parameter in " << path;
    cell.target = path + std::string(row.query);

    json::object body;
    switch (row.body) {
      case Body::none: break;
      case Body::register_new:
        body = {{"email", "matrix" + std::to_string(++fresh_) + "@example.org"},
                {"password", kPassword},
                {"display_name", "Nieuwe buur"}};
        break;
      case Body::login_self:
        body = {{"email", cell.as ? cell.as->email : resident_.email}, {"password", kPassword}};
        break;
      case Body::found:
        body = {{"name", "Nieuwe Buurt"}, {"region", "Zutphen"}, {"lat", 52.15}, {"lon", 6.21}};
        break;
      case Body::post:
        body = {{"kind", "ask"},
                {"category", "care"},
                {"title", "Matrix: boodschappen doen"},
                {"body", "Wie kan *dinsdag* helpen?"}};
        break;
      case Body::patch: body = {{"title", "Matrix: bijgewerkte titel"}}; break;
      case Body::respond: body = {{"message", "Ik kan helpen."}}; break;
      case Body::complete: body = {{"thanks", "Dank je wel!"}, {"hours", 1.5}}; break;
      case Body::new_password:
        body = {{"current_password", kPassword}, {"new_password", "a new long passphrase"}};
        break;
      case Body::password_self: body = {{"password", kPassword}}; break;
      case Body::profile:
        body = {{"organisation", "Wijkteam"}, {"function", "Buurtwerker"}, {"description", ""}};
        break;
      case Body::settings: body = {{"professional_access_months", 12}}; break;
      case Body::purpose: body = {{"purpose", "Wekelijks spreekuur voor schuldvragen"}}; break;
      case Body::checklist:
        body = {{"introduced", true}, {"house_rules", true}, {"scope_explained", true}};
        break;
      case Body::mark_read: body = {{"up_to", 1'000'000'000}}; break;
      case Body::report:
        body = {{"target", "post"}, {"id", fresh_post()}, {"reason", "Matrix: past niet hier"}};
        break;
      case Body::decision: {
        const auto made = post("/api/v1/neighbourhoods/" + std::to_string(a_) + "/reports",
                               json::object{{"target", "post"},
                                            {"id", fresh_post()},
                                            {"reason", "Matrix: past niet hier"}},
                               &resident_);
        EXPECT_EQ(made.status, 201) << made.body;
        const auto report_id = json::parse(made.body).at("report").at("id").as_int64();
        body = {{"reports", json::array{report_id}}, {"action", "dismiss"}};
        break;
      }
      case Body::house_rules: body = {{"markdown", "Wees *aardig*."}}; break;
      case Body::vote: body = {{"vote", "yes"}}; break;
    }
    if (row.body != Body::none) cell.body = json::serialize(body);
    return cell;
  }

  ClientResponse send(const Row& row, const Cell& cell) {
    const std::string_view key = row.route;
    const std::string method(key.substr(0, key.find(' ')));
    Headers headers = cell.as ? cell.as->bearer() : Headers{};
    // A streamed answer never completes: read its status and headers (the
    // whole body when it is an error) and hang up.
    if (key == "GET /api/v1/neighbourhoods/{id}/events")
      return EventStreamClient("127.0.0.1", port_, cell.target, headers).response();
    if (!cell.body.empty()) headers.emplace_back("Content-Type", "application/json");
    return http_->request(method, cell.target, cell.body, headers);
  }

  Resident manager_, author_, resident_, pending_, outsider_, professional_;
  std::int64_t a_ = 0, b_ = 0, post_x_ = 0, response_x_ = 0;
  int fresh_ = 0;
  // When set, acts in the outsider's cells instead of O (see
  // ProfessionalStatesMatrix).
  const Resident* stand_in_ = nullptr;
};

TEST_F(AuthorizationMatrix, EveryActorGetsTheExpectedAnswerOnEveryRoute) {
  int cells = 0;
  for (const auto& route : http::routes()) {
    const std::string key = route_key(route);
    bool has_row = false;
    for (const auto& row : kMatrix) {
      if (row.route != key) continue;
      has_row = true;
      for (const Actor actor : kActors) {
        const Expect expect = row.expect[static_cast<std::size_t>(actor)];
        if (expect.status == 0) {
          ADD_FAILURE() << key << std::string(row.query) << ": the row has no answer for "
                        << actor_name(actor) << " — fill in its last column";
          continue;
        }
        const Cell cell = build(row, actor);
        const auto r = send(row, cell);
        ++cells;
        const std::string where = key + std::string(row.query) + " as " +
                                  std::string(actor_name(actor)) + " → " + cell.target +
                                  (cell.note.empty() ? "" : " (" + cell.note + ")");
        EXPECT_EQ(r.status, expect.status) << where << "\n  body: " << r.body;
        if (!expect.code.empty())
          EXPECT_EQ(error_code(r), expect.code) << where;
        else
          EXPECT_EQ(r.body.find("\"error\":{"), std::string::npos) << where << "\n  body: " << r.body;
      }
    }
    if (!has_row)
      ADD_FAILURE() << "route " << key << " has no authorization matrix entry — add one";
  }
  EXPECT_EQ(cells, static_cast<int>(std::size(kMatrix)) * kActorCount);
  // The professional is still active: no cell changed their access.
  auto log = get(hood_path() + "/professionals", &manager_);
  ASSERT_EQ(log.status, 200) << log.body;
  EXPECT_EQ(log.json().at("professionals").at(0).at("status"), "active");

  // The fresh targets kept the shared world as it was: post X is still open
  // with its one response, and P is still waiting for approval.
  auto x = get("/api/v1/posts/" + std::to_string(post_x_), &author_);
  ASSERT_EQ(x.status, 200) << x.body;
  EXPECT_EQ(x.json().at("post").at("status"), "open");
  EXPECT_EQ(x.json().at("post").at("title"), "Wie leent mij een ladder?");
  EXPECT_EQ(x.json().at("post").at("response_count").as_int64(), 1);
  auto me = get("/api/v1/me", &pending_);
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(me.json().at("memberships").at(0).at("status"), "pending");
}

// A professional of A in any state but active is an outsider to A
// (docs/professionals.md): requested, admitted and waiting for a buddy,
// paused, revoked, and lapsed. Each is put in the outsider's place on every
// route of the matrix and must get the outsider's answer, except where its
// own access record makes the difference (kStateOverrides).
class ProfessionalStatesMatrix : public AuthorizationMatrix {
 protected:
  const Clock* clock() override { return &clock_; }

  void SetUp() override {
    AuthorizationMatrix::SetUp();
    if (IsSkipped()) return;
    // Accesses admitted from now on last one month, so one can lapse.
    auto months = patch(hood_path() + "/settings", {{"professional_access_months", 1}}, &manager_);
    ASSERT_EQ(months.status, 200) << months.body;
    requested_ = state_professional("aangevraagd", 0);
    admitted_ = state_professional("toegelaten", 1);
    paused_ = state_professional("gepauzeerd", 1, "/pause");
    revoked_ = state_professional("ingetrokken", 1, "/revoke");
    lapsed_ = state_professional("verlopen", 2);
    // Past the lapsed one's month (Q's twelve months still run). Sessions
    // ended meanwhile: everybody logs in again.
    clock_.advance(std::chrono::days(40));
    for (Resident* r : {&manager_, &author_, &resident_, &pending_, &outsider_, &professional_,
                        &requested_, &admitted_, &paused_, &revoked_, &lapsed_})
      login_again(*r);
  }

  // A professional with a home of its own (the n-th far corner) who asked A;
  // steps: 1 approved by M, 2 also introduced by R2; then `then`, by M.
  Resident state_professional(const std::string& name, int steps, const std::string& then = "") {
    Resident pro = register_resident("Professional " + name);
    const double lat = 51.0 + 0.1 * static_cast<double>(++homes_);
    EXPECT_TRUE(found(pro, "Thuis " + name, lat, 4.0, "Zeeland"));
    give_profile(pro);
    auto asked = post(hood_path() + "/professionals", {{"purpose", "Spreekuur in de buurt"}}, &pro);
    EXPECT_EQ(asked.status, 201) << asked.body;
    const std::string base = hood_path() + "/professionals/" + std::to_string(pro.id);
    if (steps >= 1) {
      EXPECT_EQ(post_empty(base + "/approve", &manager_).status, 200);
    }
    if (steps >= 2) {
      EXPECT_EQ(post_empty(base + "/buddy", &resident_).status, 200);
      EXPECT_EQ(post(base + "/sign-off",
                     {{"introduced", true}, {"house_rules", true}, {"scope_explained", true}},
                     &resident_)
                    .status,
                200);
    }
    if (!then.empty()) {
      EXPECT_EQ(post_empty(base + then, &manager_).status, 200);
    }
    return pro;
  }

  void login_again(Resident& who) {
    auto in = post("/api/v1/auth/login", {{"email", who.email}, {"password", kPassword}});
    ASSERT_EQ(in.status, 200) << who.display_name << ": " << in.body;
    who.token = json::value_to<std::string>(in.json().at("token"));
  }

  ManualClock clock_{std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now())};
  Resident requested_, admitted_, paused_, revoked_, lapsed_;
  int homes_ = 0;
};

// Where a professional's own access record answers differently from O's
// (who has none in A when its own row runs): while a request or an access
// stands, asking again is refused; after a revocation or a lapse it is a
// new request, which the community's rule decides again.
constexpr std::string_view kAskAgain = "POST /api/v1/neighbourhoods/{id}/professionals";

TEST_F(ProfessionalStatesMatrix, EveryStateButActiveIsAnOutsiderToTheNeighbourhood) {
  struct State {
    const char* name;
    const Resident* pro;
    Expect asking_again;
  };
  const State states[] = {{"requested", &requested_, kConflict},
                          {"admitted, waiting for a buddy", &admitted_, kConflict},
                          {"paused", &paused_, kConflict},
                          {"revoked", &revoked_, k201},
                          {"lapsed", &lapsed_, k201}};
  // The states are what their names say.
  auto list = get(hood_path() + "/professionals", &manager_);
  ASSERT_EQ(list.status, 200) << list.body;
  std::map<std::int64_t, std::string> status_of;
  const json::value listed = list.json();
  for (const auto& a : listed.at("professionals").as_array())
    status_of[a.at("professional").at("id").as_int64()] =
        json::value_to<std::string>(a.at("status"));
  EXPECT_EQ(status_of[requested_.id], "requested");
  EXPECT_EQ(status_of[admitted_.id], "admitted_awaiting_buddy");
  EXPECT_EQ(status_of[paused_.id], "paused");
  EXPECT_EQ(status_of[revoked_.id], "revoked");
  EXPECT_EQ(status_of[lapsed_.id], "lapsed");
  EXPECT_EQ(status_of[professional_.id], "active");

  int cells = 0;
  for (const auto& [state, pro, asking_again] : states) {
    stand_in_ = pro;
    for (const auto& row : kMatrix) {
      const Expect expect = row.route == kAskAgain
                                ? asking_again
                                : row.expect[static_cast<std::size_t>(Actor::outsider)];
      const Cell cell = build(row, Actor::outsider);
      const auto r = send(row, cell);
      ++cells;
      const std::string where = std::string(row.route) + std::string(row.query) + " as a " +
                                state + " professional of A → " + cell.target;
      EXPECT_EQ(r.status, expect.status) << where << "\n  body: " << r.body;
      if (!expect.code.empty()) {
        EXPECT_EQ(error_code(r), expect.code) << where;
      }
    }
  }
  stand_in_ = nullptr;
  EXPECT_EQ(cells, static_cast<int>(std::size(kMatrix)) * 5);
}

}  // namespace
}  // namespace noaber::test
