// Every endpoint of ../shared/API.md (but privacy and live updates): the
// success path and each error code it can give.

#include <fstream>

#include "support/api_fixture.h"

namespace noaber::test {
namespace {
namespace json = boost::json;

std::string str(const json::value& v) { return json::value_to<std::string>(v); }

class AccountsApi : public ApiTest {};

TEST_F(AccountsApi, RegisterGivesUserTokenCsrfAndCookie) {
  auto r = post("/api/v1/auth/register", {{"email", " Anna@Example.org "},
                                          {"password", "correct horse battery"},
                                          {"display_name", "Anna"},
                                          {"locale", "en"}});
  ASSERT_EQ(r.status, 201) << r.body;
  const auto user = r.json().at("user");
  EXPECT_EQ(user.at("email"), "anna@example.org");
  EXPECT_EQ(user.at("display_name"), "Anna");
  EXPECT_EQ(user.at("locale"), "en");
  EXPECT_EQ(str(r.json().at("token")).size(), 43u);
  EXPECT_FALSE(str(r.json().at("csrf_token")).empty());
  const auto cookie = r.header("set-cookie").value_or("");
  EXPECT_NE(cookie.find("noaber_session=" + str(r.json().at("token"))), std::string::npos);
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Lax"), std::string::npos);
  EXPECT_NE(cookie.find("Path=/"), std::string::npos);
  EXPECT_EQ(cookie.find("Secure"), std::string::npos);

  auto again = post("/api/v1/auth/register", {{"email", "anna@example.org"},
                                              {"password", "another password"},
                                              {"display_name", "Anna 2"}});
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(error_code(again), "email_taken");

  auto invalid = post("/api/v1/auth/register",
                      {{"email", "anna"}, {"password", "kort"}, {"display_name", ""}});
  EXPECT_EQ(invalid.status, 400);
  EXPECT_EQ(error_code(invalid), "validation_failed");
  EXPECT_EQ(field_code(invalid, "email"), "invalid");
  EXPECT_EQ(field_code(invalid, "password"), "too_short");
  EXPECT_EQ(field_code(invalid, "display_name"), "required");
}

TEST_F(AccountsApi, LoginMeAndLogout) {
  const Resident anna = register_resident("Anna");
  auto bad = post("/api/v1/auth/login", {{"email", anna.email}, {"password", "wrong password"}});
  EXPECT_EQ(bad.status, 401);
  EXPECT_EQ(error_code(bad), "invalid_credentials");

  auto ok = post("/api/v1/auth/login", {{"email", anna.email}, {"password", "correct horse battery"}});
  ASSERT_EQ(ok.status, 200) << ok.body;
  Resident session = anna;
  session.token = str(ok.json().at("token"));
  EXPECT_NE(session.token, anna.token) << "every login gets a new token";

  auto me = get("/api/v1/me", &session);
  ASSERT_EQ(me.status, 200);
  EXPECT_EQ(str(me.json().at("user").at("email")), anna.email);
  EXPECT_EQ(str(me.json().at("csrf_token")), str(ok.json().at("csrf_token")));
  EXPECT_TRUE(me.json().at("memberships").as_array().empty());

  auto out = post_empty("/api/v1/auth/logout", &session);
  EXPECT_EQ(out.status, 204);
  EXPECT_EQ(error_code(get("/api/v1/me", &session)), "unauthenticated");
  EXPECT_EQ(get("/api/v1/me", &anna).status, 200) << "other sessions stay";
  EXPECT_EQ(error_code(get("/api/v1/me")), "unauthenticated");
}

TEST_F(AccountsApi, CookieSessionsNeedTheCsrfTokenForChanges) {
  const Resident anna = register_resident("Anna");
  const Headers cookie{{"Cookie", "theme=dark; noaber_session=" + anna.token}};
  auto c = client();
  EXPECT_EQ(c.get("/api/v1/me", cookie).status, 200);

  const json::value body{{"name", "Binnenstad"}, {"region", "Zutphen"}, {"lat", 52.1}, {"lon", 6.2}};
  auto without = c.post_json("/api/v1/neighbourhoods", body, cookie);
  EXPECT_EQ(without.status, 403);
  EXPECT_EQ(error_code(without), "csrf_failed");
  Headers wrong = cookie;
  wrong.emplace_back("X-CSRF-Token", "not-the-token");
  EXPECT_EQ(error_code(c.post_json("/api/v1/neighbourhoods", body, wrong)), "csrf_failed");
  Headers right = cookie;
  right.emplace_back("X-CSRF-Token", anna.csrf_token);
  EXPECT_EQ(c.post_json("/api/v1/neighbourhoods", body, right).status, 201);
}

class NeighbourhoodsApi : public ApiTest {};

TEST_F(NeighbourhoodsApi, FoundSearchAndGet) {
  const Resident anna = register_resident("Anna");
  auto created = post("/api/v1/neighbourhoods",
                      {{"name", "Binnenstad"}, {"region", "Zutphen"}, {"lat", 52.1395}, {"lon", 6.196}},
                      &anna);
  ASSERT_EQ(created.status, 201) << created.body;
  const auto id = created.json().at("neighbourhood").at("id").as_int64();
  EXPECT_EQ(created.json().at("neighbourhood").at("member_count").as_int64(), 1);
  auto me = get("/api/v1/me", &anna);
  EXPECT_EQ(me.json().at("memberships").at(0).at("role"), "manager");
  EXPECT_EQ(me.json().at("memberships").at(0).at("status"), "verified");

  auto second = post("/api/v1/neighbourhoods",
                     {{"name", "Leesten"}, {"region", "Zutphen"}, {"lat", 52.12}, {"lon", 6.22}}, &anna);
  EXPECT_EQ(second.status, 409);
  EXPECT_EQ(error_code(second), "conflict");

  auto invalid = post("/api/v1/neighbourhoods", {{"name", "X"}, {"region", ""}, {"lat", 95}}, &anna);
  EXPECT_EQ(error_code(invalid), "validation_failed");
  EXPECT_EQ(field_code(invalid, "name"), "too_short");
  EXPECT_EQ(field_code(invalid, "lon"), "required");
  auto out_of_range = post("/api/v1/neighbourhoods",
                           {{"name", "Ergens"}, {"region", "Nergens"}, {"lat", 95}, {"lon", 200}},
                           &anna);
  EXPECT_EQ(field_code(out_of_range, "lat"), "out_of_range");
  EXPECT_EQ(field_code(out_of_range, "lon"), "out_of_range");
  EXPECT_EQ(error_code(post("/api/v1/neighbourhoods", {{"name", "Ergens"}})), "unauthenticated");

  // Search is public: by name (case-insensitive), by region and near a point.
  auto by_name = get("/api/v1/neighbourhoods?q=BINNEN");
  ASSERT_EQ(by_name.status, 200);
  ASSERT_EQ(by_name.json().at("neighbourhoods").as_array().size(), 1u);
  EXPECT_EQ(by_name.json().at("neighbourhoods").at(0).at("name"), "Binnenstad");
  EXPECT_EQ(get("/api/v1/neighbourhoods?q=zutphen").json().at("neighbourhoods").as_array().size(), 1u);
  EXPECT_TRUE(get("/api/v1/neighbourhoods?q=%25").json().at("neighbourhoods").as_array().empty())
      << "LIKE wildcards in the search text are literal";
  EXPECT_EQ(get("/api/v1/neighbourhoods?near=52.14,6.19").json().at("neighbourhoods").as_array().size(),
            1u);
  EXPECT_TRUE(get("/api/v1/neighbourhoods?near=53.2,5.8").json().at("neighbourhoods").as_array().empty());

  auto one = get("/api/v1/neighbourhoods/" + std::to_string(id));
  ASSERT_EQ(one.status, 200);
  EXPECT_EQ(one.json().at("neighbourhood").at("region"), "Zutphen");
  auto mine = get("/api/v1/neighbourhoods/" + std::to_string(id), &anna);
  EXPECT_EQ(mine.json().at("neighbourhood").at("my_membership").at("role"), "manager");
  EXPECT_EQ(error_code(get("/api/v1/neighbourhoods/999")), "not_found");
}

TEST_F(NeighbourhoodsApi, InvitesJoiningMembersAndApproval) {
  const Resident anna = register_resident("Anna");
  const auto n = found(anna, "Binnenstad", 52.1395, 6.196);
  const std::string hood = "/api/v1/neighbourhoods/" + std::to_string(n);

  auto inv = post_empty(hood + "/invites", &anna);
  ASSERT_EQ(inv.status, 201);
  EXPECT_EQ(str(inv.json().at("code")).size(), 10u);
  EXPECT_FALSE(str(inv.json().at("expires_at")).empty());

  const Resident bert = register_resident("Bert");
  auto joined = post(hood + "/join", {{"invite_code", str(inv.json().at("code"))}}, &bert);
  ASSERT_EQ(joined.status, 201);
  EXPECT_EQ(joined.json().at("membership").at("status"), "verified");
  EXPECT_EQ(joined.json().at("membership").at("role"), "resident");
  EXPECT_EQ(error_code(post(hood + "/join", json::object{}, &bert)), "conflict");

  // A used code turns the join into a request to join, and says so.
  const Resident carla = register_resident("Carla");
  auto reused = post(hood + "/join", {{"invite_code", str(inv.json().at("code"))}}, &carla);
  ASSERT_EQ(reused.status, 201) << reused.body;
  EXPECT_EQ(reused.json().at("membership").at("status"), "pending");
  EXPECT_EQ(reused.json().at("invite_code"), "invalid");
  // Joining without a body asks to join too.
  const Resident dora = register_resident("Dora");
  auto asked = post_empty(hood + "/join", &dora);
  ASSERT_EQ(asked.status, 201) << asked.body;
  EXPECT_EQ(asked.json().at("membership").at("status"), "pending");
  EXPECT_FALSE(asked.json().as_object().contains("invite_code"));
  EXPECT_EQ(error_code(post_empty(hood + "/invites", &carla)), "not_verified");
  EXPECT_EQ(error_code(post_empty("/api/v1/neighbourhoods/424242/join", &carla)), "not_found");

  // Members: verified ones for residents; pending ones only for managers.
  auto members = get(hood + "/members", &bert);
  ASSERT_EQ(members.status, 200);
  EXPECT_EQ(members.json().at("members").as_array().size(), 2u);
  EXPECT_EQ(members.body.find("@example.org"), std::string::npos) << "emails leaked";
  EXPECT_EQ(error_code(get(hood + "/members?status=pending", &bert)), "forbidden");
  EXPECT_EQ(error_code(get(hood + "/members", &carla)), "not_verified");
  EXPECT_EQ(get(hood + "/members?status=pending", &anna).json().at("members").as_array().size(), 2u);

  const std::string approve = hood + "/members/" + std::to_string(carla.id) + "/approve";
  EXPECT_EQ(error_code(post_empty(approve, &bert)), "forbidden");
  EXPECT_EQ(post_empty(approve, &anna).status, 200);
  EXPECT_EQ(error_code(post_empty(approve, &anna)), "conflict");
  EXPECT_EQ(error_code(post_empty(hood + "/members/999/approve", &anna)), "not_found");
  EXPECT_EQ(get("/api/v1/neighbourhoods/" + std::to_string(n)).json().at("neighbourhood")
                .at("member_count").as_int64(), 3);
}

class PostsApi : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    if (IsSkipped()) return;
    anna = register_resident("Anna");
    n = found(anna, "Binnenstad", 52.1395, 6.196);
    hood = "/api/v1/neighbourhoods/" + std::to_string(n);
    bert = register_resident("Bert");
    join_verified(bert, n, anna);
  }
  Resident anna, bert;
  std::int64_t n = 0;
  std::string hood;
};

TEST_F(PostsApi, CreateRendersMarkdownSafely) {
  auto r = post(hood + "/posts",
                {{"kind", "offer"},
                 {"category", "knowledge"},
                 {"title", "  Bijles Engels  "},
                 {"body", "**Gratis** voor buren <script>alert(1)</script> [x](javascript:alert(1))"},
                 {"visibility", "nearby"},
                 {"expires_at", "2099-01-01T00:00:00Z"}},
                &anna);
  EXPECT_EQ(r.status, 400) << "expiry more than a year ahead";
  EXPECT_EQ(field_code(r, "expires_at"), "too_far");

  auto ok = post(hood + "/posts",
                 {{"kind", "offer"},
                  {"category", "knowledge"},
                  {"title", "  Bijles Engels  "},
                  {"body", "**Gratis** voor buren <script>alert(1)</script> [x](javascript:alert(1))"},
                  {"visibility", "nearby"}},
                 &anna);
  ASSERT_EQ(ok.status, 201) << ok.body;
  const auto p = ok.json().at("post");
  EXPECT_EQ(p.at("title"), "Bijles Engels");
  EXPECT_EQ(p.at("kind"), "offer");
  EXPECT_EQ(p.at("visibility"), "nearby");
  EXPECT_EQ(p.at("status"), "open");
  EXPECT_EQ(p.at("neighbourhood_id").as_int64(), n);
  EXPECT_EQ(p.at("author").at("display_name"), "Anna");
  EXPECT_FALSE(p.at("author").as_object().contains("email"));
  const std::string html = str(p.at("body_html"));
  EXPECT_NE(html.find("<strong>Gratis</strong>"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("javascript:"), std::string::npos);
  EXPECT_FALSE(p.at("expires_at").is_null()) << "a default expiry applies";
  EXPECT_EQ(p.at("response_count").as_int64(), 0);

  auto invalid = post(hood + "/posts", {{"kind", "ask"}, {"category", "care"}, {"title", "Hi"}}, &anna);
  EXPECT_EQ(field_code(invalid, "title"), "too_short");
}

TEST_F(PostsApi, FeedFiltersAndPages) {
  std::vector<std::int64_t> ids;
  const char* categories[] = {"goods", "knowledge", "money", "contacts", "care"};
  for (int i = 0; i < 25; ++i)
    ids.push_back(create_post(i % 2 ? bert : anna, n, i % 3 ? "ask" : "offer", categories[i % 5],
                              "Bericht nummer " + std::to_string(i)));

  auto first = get(hood + "/feed", &bert);
  ASSERT_EQ(first.status, 200);
  ASSERT_EQ(first.json().at("posts").as_array().size(), 20u);
  EXPECT_EQ(first.json().at("posts").at(0).at("id").as_int64(), ids.back()) << "newest first";
  ASSERT_TRUE(first.json().at("next_cursor").is_string());
  auto second = get(hood + "/feed?cursor=" + str(first.json().at("next_cursor")), &bert);
  ASSERT_EQ(second.json().at("posts").as_array().size(), 5u);
  EXPECT_TRUE(second.json().at("next_cursor").is_null());
  EXPECT_EQ(second.json().at("posts").at(4).at("id").as_int64(), ids.front());

  auto care = get(hood + "/feed?category=care&limit=100", &bert);
  EXPECT_EQ(care.json().at("posts").as_array().size(), 5u);
  const auto care_posts = care.json().at("posts").as_array();
  for (const auto& p : care_posts) EXPECT_EQ(p.at("category"), "care");
  auto offers = get(hood + "/feed?kind=offer&limit=100", &bert);
  const auto offer_posts = offers.json().at("posts").as_array();
  for (const auto& p : offer_posts) EXPECT_EQ(p.at("kind"), "offer");
  EXPECT_EQ(offers.json().at("posts").as_array().size(), 9u);
  auto three = get(hood + "/feed?limit=3&kind=ask&category=goods", &bert);
  EXPECT_LE(three.json().at("posts").as_array().size(), 3u);

  post_empty("/api/v1/posts/" + std::to_string(ids[0]) + "/close", &anna);
  auto closed = get(hood + "/feed?status=closed", &bert);
  ASSERT_EQ(closed.json().at("posts").as_array().size(), 1u);
  EXPECT_EQ(closed.json().at("posts").at(0).at("id").as_int64(), ids[0]);
}

TEST_F(PostsApi, EditAndCloseByTheRightPeople) {
  const auto id = create_post(bert, n, "ask", "goods", "Boormachine lenen");
  const std::string path = "/api/v1/posts/" + std::to_string(id);
  auto edited = patch(path, {{"title", "Klopboormachine lenen"}, {"body", "Voor _beton_."}}, &bert);
  ASSERT_EQ(edited.status, 200) << edited.body;
  EXPECT_EQ(edited.json().at("post").at("title"), "Klopboormachine lenen");
  EXPECT_NE(str(edited.json().at("post").at("body_html")).find("<em>beton</em>"), std::string::npos);
  EXPECT_EQ(error_code(patch(path, {{"title", "Van mij"}}, &anna)), "forbidden");
  EXPECT_EQ(field_code(patch(path, {{"expires_at", "2020-01-01T00:00:00Z"}}, &bert), "expires_at"),
            "in_past");
  EXPECT_EQ(patch(path, {{"expires_at", "2026-12-31T12:00:00+01:00"}}, &bert).status, 200);

  const Resident carla = register_resident("Carla");
  join_verified(carla, n, anna);
  EXPECT_EQ(error_code(post_empty(path + "/close", &carla)), "forbidden");
  auto closed = post_empty(path + "/close", &anna);  // a manager may close
  ASSERT_EQ(closed.status, 200);
  EXPECT_EQ(closed.json().at("post").at("status"), "closed");
  EXPECT_EQ(error_code(post_empty(path + "/close", &bert)), "conflict");
  EXPECT_EQ(error_code(patch(path, {{"title", "Toch nog"}}, &bert)), "conflict");
  EXPECT_EQ(error_code(post(path + "/responses", {{"message", "Hier!"}}, &carla)), "conflict");
}

TEST_F(PostsApi, RespondAcceptComplete) {
  const auto id = create_post(bert, n, "offer", "goods", "Ladder te leen");
  const std::string path = "/api/v1/posts/" + std::to_string(id);
  EXPECT_EQ(error_code(post(path + "/responses", {{"message", "Zelf"}}, &bert)), "forbidden");
  EXPECT_EQ(field_code(post(path + "/responses", {{"message", ""}}, &anna), "message"), "required");
  EXPECT_EQ(field_code(post(path + "/responses", {{"message", std::string(2001, 'x')}}, &anna),
                       "message"),
            "too_long");
  EXPECT_EQ(error_code(post_empty(path + "/complete", &bert)), "conflict") << "nothing accepted yet";

  const auto rid = respond(anna, id, "Mag ik hem zaterdag lenen?");
  EXPECT_EQ(error_code(post(path + "/responses", {{"message", "Nog eens"}}, &anna)), "conflict");
  const std::string accept = "/api/v1/responses/" + std::to_string(rid) + "/accept";
  EXPECT_EQ(error_code(post_empty(accept, &anna)), "forbidden");
  EXPECT_EQ(post_empty(accept, &bert).status, 200);
  EXPECT_EQ(error_code(post_empty(accept, &bert)), "conflict");
  EXPECT_EQ(error_code(post_empty("/api/v1/responses/987654/accept", &bert)), "not_found");

  EXPECT_EQ(error_code(post_empty(path + "/complete", &anna)), "forbidden");
  EXPECT_EQ(field_code(post(path + "/complete", {{"thanks", std::string(501, 'x')}}, &bert), "thanks"),
            "too_long");
  auto done = post_empty(path + "/complete", &bert);  // thanks and hours are optional
  ASSERT_EQ(done.status, 200) << done.body;
  const auto ex = done.json().at("exchanges").at(0);
  EXPECT_EQ(ex.at("giver").at("id").as_int64(), bert.id) << "an offer's author gives";
  EXPECT_EQ(ex.at("receiver").at("id").as_int64(), anna.id);
  EXPECT_TRUE(ex.at("thanks").is_null());
  EXPECT_TRUE(ex.at("hours").is_null());
  EXPECT_EQ(error_code(post_empty(path + "/complete", &bert)), "conflict");

  auto trail = get(hood + "/exchanges?limit=1", &anna);
  ASSERT_EQ(trail.status, 200);
  EXPECT_EQ(trail.json().at("exchanges").as_array().size(), 1u);
}

TEST_F(PostsApi, ExchangesPage) {
  for (int i = 0; i < 3; ++i) {
    const auto id = create_post(bert, n, "ask", "care", "Hulp nodig " + std::to_string(i));
    const auto rid = respond(anna, id, "Ik kom");
    ASSERT_EQ(post_empty("/api/v1/responses/" + std::to_string(rid) + "/accept", &bert).status, 200);
    ASSERT_EQ(post(("/api/v1/posts/" + std::to_string(id)) + "/complete", {{"thanks", "Dank!"}}, &bert)
                  .status,
              200);
  }
  auto page1 = get(hood + "/exchanges?limit=2", &anna);
  ASSERT_EQ(page1.json().at("exchanges").as_array().size(), 2u);
  auto page2 = get(hood + "/exchanges?limit=2&cursor=" + str(page1.json().at("next_cursor")), &anna);
  ASSERT_EQ(page2.json().at("exchanges").as_array().size(), 1u);
  EXPECT_TRUE(page2.json().at("next_cursor").is_null());
  EXPECT_LT(page2.json().at("exchanges").at(0).at("id").as_int64(),
            page1.json().at("exchanges").at(1).at("id").as_int64());
}

class OperationsApi : public ApiTest {};

TEST_F(OperationsApi, HealthMetricsAndHeaders) {
  auto health = get("/healthz");
  ASSERT_EQ(health.status, 200);
  EXPECT_EQ(health.json().at("status"), "ok");
  for (const char* h : {"content-security-policy", "x-content-type-options", "referrer-policy",
                        "x-request-id"})
    EXPECT_TRUE(health.header(h).has_value()) << h;
  EXPECT_NE(health.header("content-security-policy")->find("default-src 'self'"), std::string::npos);
  EXPECT_NE(health.header("content-security-policy")->find("frame-ancestors 'none'"),
            std::string::npos);

  get("/api/v1/posts/5");
  auto metrics = get("/metrics");
  ASSERT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.body.find("noaber_http_requests_total{route=\"/api/v1/posts/{id}\",status=\"401\"} 1"),
            std::string::npos)
      << metrics.body;
  EXPECT_NE(metrics.body.find("noaber_http_request_duration_seconds_bucket"), std::string::npos);
}

TEST_F(OperationsApi, BuiltInPageWithoutAWebApp) {
  auto page = get("/");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.header("content-type")->find("text/html"), std::string::npos);
  EXPECT_NE(page.body.find("Noaber"), std::string::npos);
  EXPECT_EQ(get("/some/app/route").status, 404);
}

class StaticFilesApi : public ApiTest {
 protected:
  void configure(AppConfig& config) override {
    web_ = std::make_unique<TempDir>();
    std::filesystem::create_directories(web_->path() / "assets");
    std::ofstream(web_->path() / "index.html") << "<!doctype html><title>app</title>";
    std::ofstream(web_->path() / "assets" / "app-3f2a1b.js") << "console.log('plain')";
    std::ofstream(web_->path() / "assets" / "app-3f2a1b.js.gz") << "GZIPPED";
    std::ofstream(web_->path() / "assets" / "app-3f2a1b.js.br") << "BROTLI";
    std::ofstream(web_->path() / "favicon.svg") << "<svg/>";
    config.web_dir = web_->path();
  }
  std::unique_ptr<TempDir> web_;
};

TEST_F(StaticFilesApi, ServesTheAppWithFallbackCachingAndCompression) {
  auto index = get("/");
  ASSERT_EQ(index.status, 200);
  EXPECT_NE(index.body.find("<title>app</title>"), std::string::npos);
  EXPECT_EQ(index.header("cache-control"), "no-cache");
  auto route = get("/buurt/12/vraag/3");
  EXPECT_EQ(route.status, 200) << "the app routes itself";
  EXPECT_NE(route.body.find("<title>app</title>"), std::string::npos);

  auto js = get("/assets/app-3f2a1b.js");
  ASSERT_EQ(js.status, 200);
  EXPECT_EQ(js.body, "console.log('plain')");
  EXPECT_NE(js.header("content-type")->find("text/javascript"), std::string::npos);
  EXPECT_NE(js.header("cache-control")->find("max-age=31536000"), std::string::npos);
  EXPECT_EQ(js.header("vary"), "Accept-Encoding");
  auto br = http_->get("/assets/app-3f2a1b.js", {{"Accept-Encoding", "gzip, deflate, br"}});
  EXPECT_EQ(br.body, "BROTLI");
  EXPECT_EQ(br.header("content-encoding"), "br");
  auto gz = http_->get("/assets/app-3f2a1b.js", {{"Accept-Encoding", "gzip"}});
  EXPECT_EQ(gz.body, "GZIPPED");
  EXPECT_EQ(get("/favicon.svg").header("content-type"), "image/svg+xml");

  EXPECT_EQ(get("/assets/missing-123.js").status, 404);
  EXPECT_EQ(get("/missing.png").status, 404);
  for (const char* sneaky : {"/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/assets/..%2f..%2fetc%2fpasswd",
                             "/.hidden", "/assets/%00.js"}) {
    auto r = get(sneaky);
    EXPECT_EQ(r.body.find("root:"), std::string::npos) << sneaky;
    EXPECT_TRUE(r.status == 404 || r.status == 400 || r.body.find("<title>app</title>") != std::string::npos)
        << sneaky << " " << r.status;
  }
  auto api = get("/api/v1/nothing-here");
  EXPECT_EQ(api.status, 404);
  EXPECT_EQ(error_code(api), "not_found") << "API paths never fall back to the app";
  EXPECT_EQ(client().request("POST", "/index.html", "x").status, 405);
}

}  // namespace
}  // namespace noaber::test
