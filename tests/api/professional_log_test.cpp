// The professional activity log, residents told of each request, renewal
// before lapse, and the figures for institutions (docs/professionals.md),
// on a clock the test moves. Runs on both backends like every ApiTest.
//
// The world: manager M founded A; residents R and S joined A. P is a
// professional (profile: Wijkteam Zutphen) who founded B, so no member of A.

#include "core/professionals.h"
#include "core/time_format.h"
#include "services/community_health.h"
#include "support/api_fixture.h"

namespace noaber::test {
namespace {
namespace json = boost::json;

class ProfessionalLogApi : public ApiTest {
 protected:
  const Clock* clock() override { return &clock_; }
  void SetUp() override {
    ApiTest::SetUp();
    if (IsSkipped()) return;
    manager_ = register_resident("Manager M");
    a_ = found(manager_, "Binnenstad", 52.1395, 6.196, "Zutphen");
    resident_ = register_resident("Resident R");
    join_verified(resident_, a_, manager_);
    second_ = register_resident("Resident S");
    join_verified(second_, a_, manager_);
    pro_ = register_resident("Professional P");
    b_ = found(pro_, "Warnsveld", 52.1360, 6.2400, "Zutphen");
    ASSERT_TRUE(a_ && b_);
    Headers h = pro_.bearer();
    h.emplace_back("Content-Type", "application/json");
    auto r = http_->request("PUT", "/api/v1/me/professional",
                            R"({"organisation":"Wijkteam Zutphen","function":"Buurtwerker"})", h);
    ASSERT_EQ(r.status, 200) << r.body;
  }

  std::string hood() const { return "/api/v1/neighbourhoods/" + std::to_string(a_); }
  std::string step(const std::string& s) const {
    return hood() + "/professionals/" + std::to_string(pro_.id) + "/" + s;
  }
  ClientResponse ask() {
    return post(hood() + "/professionals", {{"purpose", "Wekelijks spreekuur voor schuldvragen"}},
                &pro_);
  }
  void activate() {
    ASSERT_EQ(ask().status, 201);
    ASSERT_EQ(post_empty(step("approve"), &manager_).status, 200);
    ASSERT_EQ(post_empty(step("buddy"), &resident_).status, 200);
    auto r = post(step("sign-off"),
                  {{"introduced", true}, {"house_rules", true}, {"scope_explained", true}},
                  &resident_);
    ASSERT_EQ(r.status, 200) << r.body;
  }
  json::array notifications_of(const Resident& who, const std::string& kind) {
    auto r = get("/api/v1/me/notifications?limit=100", &who);
    EXPECT_EQ(r.status, 200) << r.body;
    json::array out;
    const json::value body = r.json();
    for (const auto& n : body.at("notifications").as_array())
      if (n.at("kind").as_string() == kind) out.push_back(n);
    return out;
  }
  std::vector<std::string> events(const json::value& log) {
    std::vector<std::string> out;
    for (const auto& e : log.at("events").as_array())
      out.push_back(json::value_to<std::string>(e.at("event")));
    return out;
  }
  // Months on, sessions have run out: everyone logs in again.
  void move_clock_to(TimePoint t) {
    clock_.set(t);
    for (Resident* who : {&manager_, &resident_, &second_, &pro_}) {
      auto in = post("/api/v1/auth/login",
                     {{"email", who->email}, {"password", "correct horse battery"}});
      ASSERT_EQ(in.status, 200) << in.body;
      who->token = json::value_to<std::string>(in.json().at("token"));
    }
  }
  json::value log_as(const Resident& who) {
    auto r = get(hood() + "/professionals/log", &who);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json();
  }

  ManualClock clock_{std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now())};
  Resident manager_, resident_, second_, pro_;
  std::int64_t a_ = 0, b_ = 0;
};

TEST_F(ProfessionalLogApi, TheRequestSaysViewsAreLoggedAndEveryVerifiedMemberIsToldOnce) {
  const Resident pending = register_resident("Pending Q");
  ASSERT_EQ(post_empty(hood() + "/join", &pending).status, 201);
  auto asked = ask();
  ASSERT_EQ(asked.status, 201) << asked.body;
  EXPECT_EQ(asked.json().at("transparency").at("views_logged"), true);

  for (const Resident* who : {&manager_, &resident_, &second_}) {
    auto told = notifications_of(*who, "professional_request");
    ASSERT_EQ(told.size(), 1u) << who->display_name;
    const auto& e = told[0].at("access_event");
    EXPECT_TRUE(told[0].at("post").is_null());
    EXPECT_EQ(e.at("event"), "requested");
    EXPECT_EQ(e.at("purpose"), "Wekelijks spreekuur voor schuldvragen");
    EXPECT_EQ(e.at("neighbourhood").at("id").as_int64(), a_);
    EXPECT_EQ(e.at("professional").at("professional").at("organisation"), "Wijkteam Zutphen");
    EXPECT_EQ(told[0].at("actor").at("id").as_int64(), pro_.id);
  }
  EXPECT_TRUE(notifications_of(pending, "professional_request").empty()) << "verified only";
  EXPECT_TRUE(notifications_of(pro_, "professional_request").empty());

  // The professional hears of each step of their own access.
  ASSERT_EQ(post_empty(step("approve"), &manager_).status, 200);
  ASSERT_EQ(post_empty(step("pause"), &manager_).status, 200);
  auto mine = notifications_of(pro_, "professional_access");
  ASSERT_EQ(mine.size(), 2u);
  EXPECT_EQ(mine[0].at("access_event").at("event"), "paused");
  EXPECT_EQ(mine[1].at("access_event").at("event"), "admitted");
  EXPECT_EQ(mine[1].at("access_event").at("rule"), "manager");
  EXPECT_EQ(mine[1].at("actor").at("id").as_int64(), manager_.id);
  EXPECT_EQ(notifications_of(resident_, "professional_request").size(), 1u) << "still once";
}

TEST_F(ProfessionalLogApi, MembersReadTheLogWithCountsNeverWhoWasViewed) {
  activate();
  auto care = post(hood() + "/posts",
                   {{"kind", "ask"}, {"category", "care"}, {"title", "Wie helpt met papieren?"},
                    {"body", "Graag."}},
                   &second_);
  ASSERT_EQ(care.status, 201) << care.body;
  const auto care_id = care.json().at("post").at("id").as_int64();
  EXPECT_EQ(get("/api/v1/posts/" + std::to_string(care_id), &pro_).status, 200);
  EXPECT_EQ(get("/api/v1/posts/" + std::to_string(care_id), &pro_).status, 200);
  ASSERT_EQ(post("/api/v1/posts/" + std::to_string(care_id) + "/responses",
                 {{"message", "Ik kan dinsdag helpen."}}, &pro_)
                .status,
            201);
  ASSERT_EQ(post(hood() + "/posts",
                 {{"kind", "offer"}, {"category", "knowledge"}, {"title", "Spreekuur geldzaken"},
                  {"body", "Elke dinsdag."}},
                 &pro_)
                .status,
            201);
  ASSERT_EQ(post_empty(step("pause"), &manager_).status, 200);
  ASSERT_EQ(post_empty(step("resume"), &manager_).status, 200);
  ASSERT_EQ(post_empty(step("revoke"), &manager_).status, 200);

  const json::value log = log_as(second_);
  EXPECT_EQ(events(log), (std::vector<std::string>{"revoked", "resumed", "paused", "active",
                                                   "buddy", "admitted", "requested"}));
  const auto& requested = log.at("events").as_array().back();
  EXPECT_EQ(requested.at("purpose"), "Wekelijks spreekuur voor schuldvragen");
  const auto& admitted = log.at("events").at(5);
  EXPECT_EQ(admitted.at("rule"), "manager");
  EXPECT_EQ(admitted.at("actor").at("id").as_int64(), manager_.id);
  EXPECT_EQ(log.at("events").at(4).at("actor").at("id").as_int64(), resident_.id) << "buddy";
  const auto& pro = log.at("professionals").at(0);
  EXPECT_EQ(pro.at("professional").at("id").as_int64(), pro_.id);
  EXPECT_EQ(pro.at("status"), "revoked");
  EXPECT_EQ(pro.at("posts").as_int64(), 1);
  EXPECT_EQ(pro.at("responses").as_int64(), 1);
  EXPECT_EQ(pro.at("views").as_int64(), 2);
  const std::string text = json::serialize(log);
  EXPECT_EQ(text.find("Wie helpt met papieren"), std::string::npos) << "counts, not posts";
  EXPECT_EQ(text.find("post_id"), std::string::npos);

  // Paging, newest first.
  auto page = get(hood() + "/professionals/log?limit=3", &resident_);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_EQ(events(page.json()), (std::vector<std::string>{"revoked", "resumed", "paused"}));
  EXPECT_FALSE(page.json().at("next_cursor").is_null());

  // Not for outsiders, pending members or the professional.
  const Resident pending = register_resident("Pending Q");
  ASSERT_EQ(post_empty(hood() + "/join", &pending).status, 201);
  EXPECT_EQ(get(hood() + "/professionals/log", &pending).status, 403);
  EXPECT_EQ(get(hood() + "/professionals/log", &pro_).status, 404);
  EXPECT_EQ(get("/api/v1/neighbourhoods/999999/professionals/log", &resident_).status, 404);
  EXPECT_EQ(get(hood() + "/professionals/log?limit=0", &resident_).status, 400);

  // The professional's export holds the posts they opened.
  auto exported = get("/api/v1/me/export", &pro_);
  ASSERT_EQ(exported.status, 200);
  const json::value exported_body = exported.json();
  const auto& opened = exported_body.at("professional_posts_opened").as_array();
  ASSERT_EQ(opened.size(), 2u);
  EXPECT_EQ(opened[0].at("post_id").as_int64(), care_id);
  EXPECT_EQ(opened[0].at("organisation"), "Wijkteam Zutphen");
}

TEST_F(ProfessionalLogApi, AccessIsRenewedByTheRuleBeforeItLapses) {
  ASSERT_EQ(patch(hood() + "/settings",
                  {{"professional_admission", "vote"}, {"professional_vote_quorum", 2},
                   {"professional_objection_days", 7}},
                  &manager_)
                .status,
            200);
  ASSERT_EQ(ask().status, 201);
  ASSERT_EQ(post(step("vote"), {{"vote", "yes"}}, &resident_).status, 200);
  ASSERT_EQ(post(step("vote"), {{"vote", "yes"}}, &second_).status, 200);
  move_clock_to(clock_.now() + std::chrono::days(8));
  ASSERT_EQ(post_empty(step("buddy"), &resident_).status, 200);
  auto active = post(step("sign-off"),
                     {{"introduced", true}, {"house_rules", true}, {"scope_explained", true}},
                     &resident_);
  ASSERT_EQ(active.status, 200) << active.body;
  const auto first_end =
      parse_rfc3339(json::value_to<std::string>(active.json().at("access").at("expires_at")));
  ASSERT_TRUE(first_end);

  // Too early: renewal opens 30 days before the end.
  EXPECT_EQ(post_empty(hood() + "/professionals/renew", &pro_).status, 409);
  EXPECT_EQ(post_empty(hood() + "/professionals/renew", &resident_).status, 404) << "no access";
  move_clock_to(*first_end - std::chrono::days(3));
  auto renewing = post_empty(hood() + "/professionals/renew", &pro_);
  ASSERT_EQ(renewing.status, 200) << renewing.body;
  EXPECT_FALSE(renewing.json().at("access").at("renewal_requested_at").is_null());
  EXPECT_EQ(post_empty(hood() + "/professionals/renew", &pro_).status, 409) << "once";
  EXPECT_EQ(notifications_of(second_, "professional_request").size(), 2u) << "told again";

  // Past the old end while residents vote: still active.
  move_clock_to(*first_end + std::chrono::days(1));
  EXPECT_EQ(post(step("vote"), {{"vote", "yes"}}, &resident_).status, 200);
  EXPECT_EQ(post(step("vote"), {{"vote", "yes"}}, &manager_).status, 200);
  auto list = get(hood() + "/professionals", &resident_);
  EXPECT_EQ(list.json().at("professionals").at(0).at("status"), "active");
  // The period ends: renewed, the end moved on by access_months.
  move_clock_to(*first_end + std::chrono::days(5));
  list = get(hood() + "/professionals", &resident_);
  const json::value list_body = list.json();
  const auto& renewed = list_body.at("professionals").at(0);
  EXPECT_EQ(renewed.at("status"), "active");
  EXPECT_TRUE(renewed.at("renewal_requested_at").is_null());
  const auto second_end = parse_rfc3339(json::value_to<std::string>(renewed.at("expires_at")));
  ASSERT_TRUE(second_end);
  EXPECT_EQ(*second_end, add_months(*first_end, 12));
  auto log = log_as(resident_);
  EXPECT_EQ(events(log)[0], "renewed");
  EXPECT_EQ(log.at("events").at(0).at("rule"), "vote");
  EXPECT_EQ(log.at("events").at(0).at("votes").at("in_favour").as_int64(), 2);
  EXPECT_EQ(notifications_of(pro_, "professional_access")[0].at("access_event").at("event"),
            "renewed");

  // Without a renewal it lapses, and the lapse is logged once.
  move_clock_to(*second_end + std::chrono::days(1));
  EXPECT_EQ(post_empty(hood() + "/professionals/renew", &pro_).status, 409) << "lapsed";
  log = log_as(resident_);
  EXPECT_EQ(events(log)[0], "lapsed");
  EXPECT_EQ(log.at("professionals").at(0).at("status"), "lapsed");
  log = log_as(second_);
  EXPECT_EQ(events(log)[1], "renewed") << "one lapse entry";
  EXPECT_EQ(notifications_of(pro_, "professional_access")[0].at("access_event").at("event"),
            "lapsed");
}

TEST_F(ProfessionalLogApi, AManagerDecidesARenewalUnderTheManagerRule) {
  activate();
  auto me = get("/api/v1/me", &pro_);
  const auto end = parse_rfc3339(json::value_to<std::string>(
      me.json().at("professional_access").at(0).at("expires_at")));
  ASSERT_TRUE(end);
  move_clock_to(*end - std::chrono::days(10));
  ASSERT_EQ(post_empty(hood() + "/professionals/renew", &pro_).status, 200);
  move_clock_to(*end + std::chrono::days(10));
  EXPECT_EQ(get(hood() + "/professionals/figures", &pro_).status, 200) << "active meanwhile";
  EXPECT_EQ(post_empty(step("refuse"), &resident_).status, 403);
  auto refused = post_empty(step("refuse"), &manager_);
  ASSERT_EQ(refused.status, 200) << refused.body;
  EXPECT_EQ(refused.json().at("access").at("status"), "lapsed") << "the old end has passed";
  EXPECT_EQ(get(hood() + "/professionals/figures", &pro_).status, 404);
  EXPECT_EQ(events(log_as(resident_))[0], "lapsed");
  EXPECT_EQ(events(log_as(resident_))[1], "renewal_refused");
}

// Under the objection rule a renewal passes when its window ends with
// fewer than objection_count objections; that many pause the access at
// once and end the renewal.
TEST_F(ProfessionalLogApi, UnderTheObjectionRuleARenewalPassesUnlessResidentsObject) {
  activate();
  ASSERT_EQ(patch(hood() + "/settings",
                  {{"professional_admission", "objection"}, {"professional_objection_count", 2},
                   {"professional_objection_days", 7}},
                  &manager_)
                .status,
            200);
  auto me = get("/api/v1/me", &pro_);
  const auto end = parse_rfc3339(json::value_to<std::string>(
      me.json().at("professional_access").at(0).at("expires_at")));
  ASSERT_TRUE(end);
  move_clock_to(*end - std::chrono::days(20));
  auto asked = post_empty(hood() + "/professionals/renew", &pro_);
  ASSERT_EQ(asked.status, 200) << asked.body;
  EXPECT_FALSE(asked.json().at("access").at("renewal_due_at").is_null());
  ASSERT_EQ(post(step("object"), {{"reason", "Nog niet overtuigd."}}, &resident_).status, 200);
  move_clock_to(*end - std::chrono::days(12));
  auto list = get(hood() + "/professionals", &second_);
  const json::value renewed = list.json().at("professionals").at(0);
  EXPECT_EQ(renewed.at("status"), "active");
  EXPECT_TRUE(renewed.at("renewal_requested_at").is_null());
  EXPECT_EQ(parse_rfc3339(json::value_to<std::string>(renewed.at("expires_at"))),
            add_months(*end, 12));
  EXPECT_EQ(log_as(second_).at("events").at(0).at("rule"), "objection");

  // The next renewal meets two objections: paused at once, renewal ended.
  move_clock_to(add_months(*end, 12) - std::chrono::days(5));
  ASSERT_EQ(post_empty(hood() + "/professionals/renew", &pro_).status, 200);
  ASSERT_EQ(post_empty(step("object"), &resident_).status, 200);
  auto paused = post_empty(step("object"), &second_);
  ASSERT_EQ(paused.status, 200) << paused.body;
  EXPECT_EQ(paused.json().at("access").at("status"), "paused");
  EXPECT_TRUE(paused.json().at("access").at("renewal_requested_at").is_null());
  const json::value log = log_as(manager_);
  EXPECT_EQ(events(log)[0], "paused");
  EXPECT_EQ(log.at("events").at(0).at("rule"), "objections");
  EXPECT_EQ(log.at("events").at(0).at("objections").as_int64(), 2);
}

TEST_F(ProfessionalLogApi, FiguresAreSuppressedUnderTenForProfessionals) {
  activate();
  for (int i = 0; i < 12; ++i)
    ASSERT_EQ(post(hood() + "/posts",
                   {{"kind", "ask"}, {"category", "care"},
                    {"title", "Vraag nummer " + std::to_string(i)}, {"body", "Graag."}},
                   i % 2 ? &resident_ : &second_)
                  .status,
              201);
  ASSERT_EQ(post(hood() + "/posts",
                 {{"kind", "offer"}, {"category", "goods"}, {"title", "Ladder te leen"},
                  {"body", "Zo mee te nemen."}},
                 &resident_)
                .status,
            201);
  const std::string month = format_year_month(month_of(clock_.now()));
  auto member = get(hood() + "/professionals/figures", &resident_);
  ASSERT_EQ(member.status, 200) << member.body;
  EXPECT_TRUE(member.json().at("suppressed_below").is_null());
  const json::value member_body = member.json();
  const auto& mine = member_body.at("months").as_array().back();
  EXPECT_EQ(mine.at("month").as_string(), month);
  EXPECT_EQ(mine.at("categories").at("care").at("asks").as_int64(), 12);
  EXPECT_EQ(mine.at("categories").at("goods").at("offers").as_int64(), 1);
  EXPECT_EQ(mine.at("asks_answered").at("denominator").as_int64(), 12);
  EXPECT_EQ(mine.at("asks_answered").at("numerator").as_int64(), 0);
  EXPECT_EQ(mine.at("exchanges").as_int64(), 0);

  auto pro = get(hood() + "/professionals/figures", &pro_);
  ASSERT_EQ(pro.status, 200) << pro.body;
  EXPECT_EQ(pro.json().at("suppressed_below").as_int64(), 10);
  const json::value pro_body = pro.json();
  const auto& theirs = pro_body.at("months").as_array().back();
  EXPECT_EQ(theirs.at("categories").at("care").at("asks").as_int64(), 12);
  EXPECT_TRUE(theirs.at("categories").at("goods").at("offers").is_null());
  EXPECT_TRUE(theirs.at("asks_answered").at("numerator").is_null());
  EXPECT_TRUE(theirs.at("exchanges").is_null());
  EXPECT_EQ(pro.body.find("display_name"), std::string::npos) << "never a list of people";

  EXPECT_EQ(get(hood() + "/professionals/figures?from=2020-13", &resident_).status, 400);
  const Resident outsider = register_resident("Outsider O");
  EXPECT_EQ(get(hood() + "/professionals/figures", &outsider).status, 404);
}

}  // namespace
}  // namespace noaber::test
