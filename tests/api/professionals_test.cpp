// Professionals alongside residents (issue 7, docs/professionals.md): the
// profile, asking for access, the manager rule, the buddy's sign-off, scope
// and the "not for professionals" switch, pause and revoke, lapse, the
// badge and the view log. Runs on both backends like every ApiTest.
//
// The world: manager M founded A (Zutphen); resident R joined A. P is a
// professional (profile: Wijkteam Zutphen) who lives in B, which P
// founded, so P is a resident of B and no member of A.

#include <set>

#include "core/clock.h"
#include "events/in_process_bus.h"
#include "services/market.h"
#include "services/professionals.h"
#include "support/api_fixture.h"

namespace noaber::test {
namespace {
namespace json = boost::json;

class ProfessionalsTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    if (IsSkipped()) return;
    manager_ = register_resident("Manager M");
    a_ = found(manager_, "Binnenstad", 52.1395, 6.196, "Zutphen");
    resident_ = register_resident("Resident R");
    join_verified(resident_, a_, manager_);
    pro_ = register_resident("Professional P");
    b_ = found(pro_, "Warnsveld", 52.1360, 6.2400, "Zutphen");
    ASSERT_TRUE(a_ && b_);
  }

  std::string hood(std::int64_t n = 0) const {
    return "/api/v1/neighbourhoods/" + std::to_string(n ? n : a_);
  }
  std::string access_path(const std::string& step) const {
    return hood() + "/professionals/" + std::to_string(pro_.id) + "/" + step;
  }
  std::string post_path(std::int64_t id) const { return "/api/v1/posts/" + std::to_string(id); }

  ClientResponse put(const std::string& target, const json::value& body, const Resident* who) {
    Headers h = who->bearer();
    h.emplace_back("Content-Type", "application/json");
    return http_->request("PUT", target, json::serialize(body), h);
  }

  void add_profile() {
    auto r = put("/api/v1/me/professional",
                 {{"organisation", "Wijkteam Zutphen"},
                  {"function", "Schuldhulpverlener"},
                  {"description", "Spreekuur voor vragen over geld en post."}},
                 &pro_);
    ASSERT_EQ(r.status, 200) << r.body;
  }
  void ask_access() {
    auto r = post(hood() + "/professionals",
                  {{"purpose", "Wekelijks spreekuur voor schuldvragen"}}, &pro_);
    ASSERT_EQ(r.status, 201) << r.body;
  }
  // Profile, request, the manager's approval, R as buddy and R's sign-off.
  void activate() {
    add_profile();
    ask_access();
    ASSERT_EQ(post_empty(access_path("approve"), &manager_).status, 200);
    ASSERT_EQ(post_empty(access_path("buddy"), &resident_).status, 200);
    auto r = post(access_path("sign-off"),
                  {{"introduced", true}, {"house_rules", true}, {"scope_explained", true}},
                  &resident_);
    ASSERT_EQ(r.status, 200) << r.body;
    ASSERT_EQ(r.json().at("access").at("status"), "active");
  }

  std::int64_t post_with(const Resident& author, const json::object& fields) {
    json::object body{{"kind", "ask"}, {"title", "Wie helpt er mee?"}, {"body", "Graag."}};
    for (const auto& [k, v] : fields) body[k] = v;
    auto r = post(hood() + "/posts", body, &author);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? r.json().at("post").at("id").as_int64() : 0;
  }

  std::set<std::int64_t> feed_ids(const Resident& who, const std::string& query = "") {
    std::set<std::int64_t> ids;
    auto r = get(hood() + "/feed" + query, &who);
    EXPECT_EQ(r.status, 200) << r.body;
    if (r.status != 200) return ids;
    const json::value body = r.json();
    for (const auto& p : body.at("posts").as_array()) ids.insert(p.at("id").as_int64());
    return ids;
  }

  Resident manager_, resident_, pro_;
  std::int64_t a_ = 0, b_ = 0;
};

TEST_F(ProfessionalsTest, ProfileIsValidatedShownInMeAndRemovable) {
  auto bad = put("/api/v1/me/professional",
                 {{"organisation", "X"}, {"description", std::string(501, 'a')}}, &pro_);
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(error_code(bad), "validation_failed");
  EXPECT_EQ(field_code(bad, "organisation"), "too_short");
  EXPECT_EQ(field_code(bad, "function"), "required");
  EXPECT_EQ(field_code(bad, "description"), "too_long");
  EXPECT_EQ(put("/api/v1/me/professional", {{"organisation", 7}}, &pro_).status, 400);

  auto me = get("/api/v1/me", &pro_);
  ASSERT_EQ(me.status, 200);
  EXPECT_TRUE(me.json().at("professional").is_null());
  EXPECT_TRUE(me.json().at("professional_access").as_array().empty());

  add_profile();
  me = get("/api/v1/me", &pro_);
  EXPECT_EQ(me.json().at("professional").at("organisation"), "Wijkteam Zutphen");
  EXPECT_EQ(me.json().at("professional").at("function"), "Schuldhulpverlener");
  auto exported = get("/api/v1/me/export", &pro_);
  ASSERT_EQ(exported.status, 200);
  EXPECT_EQ(exported.json().at("professional").at("organisation"), "Wijkteam Zutphen");
  EXPECT_TRUE(exported.json().at("professional_access").as_array().empty());

  EXPECT_EQ(del("/api/v1/me/professional", &pro_).status, 204);
  EXPECT_TRUE(get("/api/v1/me", &pro_).json().at("professional").is_null());
  auto again = del("/api/v1/me/professional", &pro_);
  EXPECT_EQ(again.status, 404);
  EXPECT_EQ(error_code(again), "not_found");
}

TEST_F(ProfessionalsTest, RequestNeedsAProfileAndMembersSeeItsPurpose) {
  auto without = post(hood() + "/professionals", {{"purpose", "Spreekuur elke week"}}, &pro_);
  EXPECT_EQ(without.status, 403);
  EXPECT_EQ(error_code(without), "forbidden");
  add_profile();
  auto short_purpose = post(hood() + "/professionals", {{"purpose", "hoi"}}, &pro_);
  EXPECT_EQ(short_purpose.status, 400);
  EXPECT_EQ(field_code(short_purpose, "purpose"), "too_short");
  EXPECT_EQ(post(hood(999999) + "/professionals", {{"purpose", "Spreekuur elke week"}}, &pro_)
                .status,
            404);

  ask_access();
  auto twice = post(hood() + "/professionals", {{"purpose", "Spreekuur elke week"}}, &pro_);
  EXPECT_EQ(twice.status, 409);
  // P lives in B: there P is a resident and can't ask as a professional.
  auto home = post(hood(b_) + "/professionals", {{"purpose", "Spreekuur elke week"}}, &pro_);
  EXPECT_EQ(home.status, 409);

  auto list = get(hood() + "/professionals", &resident_);
  ASSERT_EQ(list.status, 200) << list.body;
  const json::value listed = list.json();
  const auto& entry = listed.at("professionals").at(0);
  EXPECT_EQ(entry.at("purpose"), "Wekelijks spreekuur voor schuldvragen");
  EXPECT_EQ(entry.at("status"), "requested");
  EXPECT_EQ(entry.at("professional").at("display_name"), "Professional P");
  EXPECT_EQ(entry.at("professional").at("professional").at("organisation"), "Wijkteam Zutphen");
  EXPECT_EQ(list.body.find("@example.org"), std::string::npos) << "no email in the list";
  // Not a member of A: the list does not exist for P.
  EXPECT_EQ(get(hood() + "/professionals", &pro_).status, 404);

  auto me = get("/api/v1/me", &pro_);
  EXPECT_EQ(me.json().at("professional_access").at(0).at("status"), "requested");
}

TEST_F(ProfessionalsTest, ManagerAdmitsButOnlyTheBuddySignOffMakesAccessActive) {
  add_profile();
  ask_access();
  EXPECT_EQ(get(hood() + "/feed", &pro_).status, 404) << "requested";
  EXPECT_EQ(post_empty(access_path("approve"), &resident_).status, 403);
  EXPECT_EQ(post_empty(access_path("approve"), &pro_).status, 404);
  auto approved = post_empty(access_path("approve"), &manager_);
  ASSERT_EQ(approved.status, 200) << approved.body;
  EXPECT_EQ(approved.json().at("access").at("status"), "admitted_awaiting_buddy");
  EXPECT_EQ(post_empty(access_path("approve"), &manager_).status, 409);
  EXPECT_EQ(get(hood() + "/feed", &pro_).status, 404) << "admitted, no buddy yet";
  ASSERT_EQ(post_empty(access_path("pause"), &manager_).status, 200);
  auto resumed = post_empty(access_path("resume"), &manager_);
  ASSERT_EQ(resumed.status, 200);
  EXPECT_EQ(resumed.json().at("access").at("status"), "admitted_awaiting_buddy");
  EXPECT_EQ(get(hood() + "/feed", &pro_).status, 404) << "resumed, still no buddy";

  const json::object ticked{{"introduced", true}, {"house_rules", true}, {"scope_explained", true}};
  EXPECT_EQ(post(access_path("sign-off"), ticked, &resident_).status, 403) << "no buddy yet";
  auto buddy = post_empty(access_path("buddy"), &resident_);
  ASSERT_EQ(buddy.status, 200) << buddy.body;
  EXPECT_EQ(buddy.json().at("access").at("buddy").at("display_name"), "Resident R");
  EXPECT_EQ(buddy.json().at("access").at("status"), "admitted_awaiting_buddy");
  EXPECT_EQ(post_empty(access_path("buddy"), &manager_).status, 409) << "one buddy";
  EXPECT_EQ(get(hood() + "/feed", &pro_).status, 404) << "buddy, not signed off";

  EXPECT_EQ(post(access_path("sign-off"), ticked, &manager_).status, 403) << "not the buddy";
  auto half = post(access_path("sign-off"), {{"introduced", true}}, &resident_);
  EXPECT_EQ(half.status, 400);
  EXPECT_EQ(field_code(half, "house_rules"), "required");
  EXPECT_EQ(field_code(half, "scope_explained"), "required");
  EXPECT_EQ(post(access_path("sign-off"), {{"introduced", "yes"}}, &resident_).status, 400);

  auto active = post(access_path("sign-off"), ticked, &resident_);
  ASSERT_EQ(active.status, 200) << active.body;
  EXPECT_EQ(active.json().at("access").at("status"), "active");
  EXPECT_FALSE(active.json().at("access").at("expires_at").is_null());
  EXPECT_EQ(get(hood() + "/feed", &pro_).status, 200);
}

TEST_F(ProfessionalsTest, RefusedRequestGivesNoAccessAndMayBeAskedAgain) {
  add_profile();
  ask_access();
  auto refused = post_empty(access_path("refuse"), &manager_);
  ASSERT_EQ(refused.status, 200);
  EXPECT_EQ(refused.json().at("access").at("status"), "refused");
  EXPECT_EQ(post_empty(access_path("approve"), &manager_).status, 409);
  EXPECT_EQ(get(hood() + "/feed", &pro_).status, 404);
  ask_access();
}

TEST_F(ProfessionalsTest, ScopeAndTheSwitchDecideWhatAProfessionalSees) {
  activate();
  const auto care = post_with(resident_, {{"category", "care"}});
  const auto knowledge = post_with(resident_, {{"category", "knowledge"}});
  const auto goods = post_with(resident_, {{"category", "goods"}});
  const auto hidden_care =
      post_with(resident_, {{"category", "care"}, {"not_for_professionals", true}});
  const auto money_shared =
      post_with(resident_, {{"category", "money"}, {"not_for_professionals", false}});

  // The service's defaults: off in scope, on outside it.
  auto as_author = get(post_path(goods), &resident_);
  EXPECT_EQ(as_author.json().at("post").at("not_for_professionals"), true);
  EXPECT_EQ(get(post_path(care), &resident_).json().at("post").at("not_for_professionals"),
            false);

  EXPECT_EQ(get(post_path(care), &pro_).status, 200);
  EXPECT_EQ(get(post_path(knowledge), &pro_).status, 200);
  for (auto id : {goods, hidden_care, money_shared}) {
    auto r = get(post_path(id), &pro_);
    EXPECT_EQ(r.status, 404) << id;
    EXPECT_EQ(error_code(r), "not_found");
  }
  EXPECT_EQ(feed_ids(pro_), (std::set<std::int64_t>{care, knowledge}));
  EXPECT_EQ(feed_ids(pro_, "?category=goods"), std::set<std::int64_t>{});
  // Filtered in the query: a page of one is never empty while more follow.
  auto page = get(hood() + "/feed?limit=1", &pro_);
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.json().at("posts").as_array().size(), 1u);
  EXPECT_FALSE(page.json().at("next_cursor").is_null());
  // Residents still see everything.
  EXPECT_EQ(feed_ids(resident_).size(), 5u);

  // The author switches it on: gone for the professional at once.
  auto patched = patch(post_path(care), {{"not_for_professionals", true}}, &resident_);
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(get(post_path(care), &pro_).status, 404);
  EXPECT_EQ(post(post_path(care) + "/responses", {{"message", "Ik help"}}, &pro_).status, 404);
  EXPECT_EQ(feed_ids(pro_), (std::set<std::int64_t>{knowledge}));

  // Managers narrow the scope: knowledge goes out of sight too.
  auto narrowed = patch(hood() + "/settings", {{"professional_scope", json::array{"care"}}},
                        &manager_);
  ASSERT_EQ(narrowed.status, 200) << narrowed.body;
  EXPECT_EQ(get(post_path(knowledge), &pro_).status, 404);
  EXPECT_TRUE(feed_ids(pro_).empty());
}

TEST_F(ProfessionalsTest, ProfessionalsOfferAndRespondBadgedInScopeOnly) {
  activate();
  auto offer = post(hood() + "/posts",
                    {{"kind", "offer"},
                     {"category", "care"},
                     {"title", "Spreekuur geldzaken"},
                     {"body", "Elke dinsdag in het buurthuis."}},
                    &pro_);
  ASSERT_EQ(offer.status, 201) << offer.body;
  const auto offer_id = offer.json().at("post").at("id").as_int64();
  EXPECT_EQ(offer.json().at("post").at("author").at("professional").at("organisation"),
            "Wijkteam Zutphen");
  // Residents see the badge too, in the post and in their feed.
  auto seen = get(post_path(offer_id), &resident_);
  EXPECT_EQ(seen.json().at("post").at("author").at("professional").at("organisation"),
            "Wijkteam Zutphen");

  auto ask = post(hood() + "/posts",
                  {{"kind", "ask"}, {"category", "care"}, {"title", "Vraag van P"}, {"body", ""}},
                  &pro_);
  EXPECT_EQ(ask.status, 400);
  EXPECT_EQ(field_code(ask, "kind"), "offers_only");
  auto goods = post(hood() + "/posts",
                    {{"kind", "offer"}, {"category", "goods"}, {"title", "Ladder"}, {"body", ""}},
                    &pro_);
  EXPECT_EQ(goods.status, 400);
  EXPECT_EQ(field_code(goods, "category"), "out_of_scope");

  const auto resident_ask = post_with(resident_, {{"category", "care"}});
  auto answer = post(post_path(resident_ask) + "/responses", {{"message", "Ik kan helpen."}},
                     &pro_);
  ASSERT_EQ(answer.status, 201) << answer.body;
  EXPECT_EQ(answer.json().at("response").at("responder").at("professional").at("organisation"),
            "Wijkteam Zutphen");
  auto for_author = get(post_path(resident_ask), &resident_);
  EXPECT_EQ(for_author.json()
                .at("post")
                .at("responses")
                .at(0)
                .at("responder")
                .at("professional")
                .at("organisation"),
            "Wijkteam Zutphen");
  json::object offer_fields{{"kind", "offer"}, {"category", "care"}};
  const auto resident_offer = post_with(resident_, offer_fields);
  EXPECT_EQ(post(post_path(resident_offer) + "/responses", {{"message", "Graag"}}, &pro_).status,
            403)
      << "professionals respond to asks";

  // In B, where P lives, P is a resident: no badge.
  auto at_home = post(hood(b_) + "/posts",
                      {{"kind", "offer"}, {"category", "goods"}, {"title", "Fiets"}, {"body", ""}},
                      &pro_);
  ASSERT_EQ(at_home.status, 201);
  EXPECT_FALSE(at_home.json().at("post").at("author").as_object().contains("professional"));
}

TEST_F(ProfessionalsTest, ProfessionalsNeverSeeMembersExchangesSettingsOrEmails) {
  activate();
  for (const std::string path :
       {"/members", "/members?status=pending", "/exchanges", "/settings", "/professionals"}) {
    auto r = get(hood() + path, &pro_);
    EXPECT_EQ(r.status, 404) << path << ": " << r.body;
  }
  EXPECT_EQ(post_empty(hood() + "/invites", &pro_).status, 404);
  const auto care = post_with(resident_, {{"category", "care"}});
  for (const auto& r : {get(hood() + "/feed", &pro_), get(post_path(care), &pro_)})
    EXPECT_EQ(r.body.find("@example.org"), std::string::npos) << r.body;
  // The members' own list shows P's badge, and no email.
  auto list = get(hood() + "/professionals", &manager_);
  EXPECT_EQ(list.json().at("professionals").at(0).at("status"), "active");
  EXPECT_EQ(list.json().at("professionals").at(0).at("buddy").at("display_name"), "Resident R");
  EXPECT_EQ(list.body.find("@example.org"), std::string::npos);
  // Access is no membership: P is in no member list and no member count.
  auto members = get(hood() + "/members", &manager_);
  ASSERT_EQ(members.status, 200);
  const json::value members_body = members.json();
  for (const auto& m : members_body.at("members").as_array())
    EXPECT_NE(m.at("user").at("id").as_int64(), pro_.id);
  EXPECT_EQ(get(hood(), &manager_).json().at("neighbourhood").at("member_count").as_int64(), 2);
  const json::value me = get("/api/v1/me", &pro_).json();
  ASSERT_EQ(me.at("memberships").as_array().size(), 1u);
  EXPECT_EQ(me.at("memberships").at(0).at("neighbourhood").at("id").as_int64(), b_);
}

TEST_F(ProfessionalsTest, PauseAndRevokeTakeEverythingAwayButTheirPostsStay) {
  activate();
  const auto care = post_with(resident_, {{"category", "care"}});
  auto offer = post(hood() + "/posts",
                    {{"kind", "offer"}, {"category", "care"}, {"title", "Spreekuur"}, {"body", ""}},
                    &pro_);
  ASSERT_EQ(offer.status, 201);
  const auto offer_id = offer.json().at("post").at("id").as_int64();

  EXPECT_EQ(post_empty(access_path("pause"), &resident_).status, 403);
  auto paused = post_empty(access_path("pause"), &manager_);
  ASSERT_EQ(paused.status, 200);
  EXPECT_EQ(paused.json().at("access").at("status"), "paused");
  EXPECT_EQ(get(hood() + "/feed", &pro_).status, 404);
  EXPECT_EQ(get(post_path(care), &pro_).status, 404);
  EXPECT_EQ(get(post_path(offer_id), &pro_).status, 404) << "even their own";
  EXPECT_EQ(post(post_path(care) + "/responses", {{"message", "Hallo"}}, &pro_).status, 404);
  EXPECT_EQ(post(hood() + "/posts",
                 {{"kind", "offer"}, {"category", "care"}, {"title", "Nog een"}, {"body", ""}},
                 &pro_)
                .status,
            404);
  // Their earlier post stays, badged.
  auto stays = get(post_path(offer_id), &resident_);
  ASSERT_EQ(stays.status, 200);
  EXPECT_EQ(stays.json().at("post").at("author").at("professional").at("organisation"),
            "Wijkteam Zutphen");

  EXPECT_EQ(post_empty(access_path("resume"), &resident_).status, 403);
  auto resumed = post_empty(access_path("resume"), &manager_);
  ASSERT_EQ(resumed.status, 200) << resumed.body;
  EXPECT_EQ(resumed.json().at("access").at("status"), "active") << "the buddy had signed off";
  EXPECT_EQ(get(post_path(care), &pro_).status, 200);
  EXPECT_EQ(post_empty(access_path("resume"), &manager_).status, 409) << "not paused";
  ASSERT_EQ(post_empty(access_path("pause"), &manager_).status, 200);

  auto revoked = post_empty(access_path("revoke"), &manager_);
  ASSERT_EQ(revoked.status, 200);
  EXPECT_EQ(revoked.json().at("access").at("status"), "revoked");
  EXPECT_EQ(get(hood() + "/feed", &pro_).status, 404);
  EXPECT_EQ(post_empty(access_path("revoke"), &manager_).status, 409);
  EXPECT_EQ(post_empty(access_path("pause"), &manager_).status, 409);
}

TEST_F(ProfessionalsTest, RemovingTheProfileEndsActingAsAProfessional) {
  activate();
  const auto care = post_with(resident_, {{"category", "care"}});
  EXPECT_EQ(get(post_path(care), &pro_).status, 200);
  EXPECT_EQ(del("/api/v1/me/professional", &pro_).status, 204);
  EXPECT_EQ(get(post_path(care), &pro_).status, 404);
  EXPECT_EQ(get(hood() + "/feed", &pro_).status, 404);
}

TEST_F(ProfessionalsTest, SettingsAreReadByMembersAndChangedByManagers) {
  auto read = get(hood() + "/settings", &resident_);
  ASSERT_EQ(read.status, 200) << read.body;
  const json::value read_body = read.json();
  const auto& s = read_body.at("settings").at("professionals");
  EXPECT_EQ(s.at("admission"), "manager");
  EXPECT_EQ(s.at("objection_days").as_int64(), 7);
  EXPECT_EQ(s.at("objection_count").as_int64(), 3);
  EXPECT_EQ(s.at("access_months").as_int64(), 12);
  EXPECT_EQ(s.at("scope"), (json::array{"knowledge", "contacts", "care"}));

  EXPECT_EQ(patch(hood() + "/settings", {{"professional_access_months", 6}}, &resident_).status,
            403);
  auto vote = patch(hood() + "/settings", {{"professional_admission", "vote"}}, &manager_);
  EXPECT_EQ(vote.status, 200) << vote.body;
  EXPECT_EQ(vote.json().at("settings").at("professionals").at("admission"), "vote");
  auto bad = patch(hood() + "/settings",
                   {{"professional_admission", "lottery"},
                    {"professional_objection_days", 0},
                    {"professional_vote_majority_percent", 60.5},
                    {"professional_scope", json::array{"care", "gossip"}},
                    {"professional_access_months", 99}},
                   &manager_);
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(field_code(bad, "professional_admission"), "invalid");
  EXPECT_EQ(field_code(bad, "professional_objection_days"), "out_of_range");
  EXPECT_EQ(field_code(bad, "professional_vote_majority_percent"), "invalid");
  EXPECT_EQ(field_code(bad, "professional_scope"), "invalid");
  EXPECT_EQ(field_code(bad, "professional_access_months"), "out_of_range");
  EXPECT_EQ(patch(hood() + "/settings", {{"professional_scope", "care"}}, &manager_).status, 400);
  EXPECT_EQ(patch(hood() + "/settings", {{"professional_scope", json::array{1}}}, &manager_)
                .status,
            400);

  auto changed = patch(hood() + "/settings",
                       {{"professional_admission", "manager"},
                        {"professional_objection_days", 14},
                        {"professional_vote_quorum", 10},
                        {"professional_scope", json::array{"care", "care", "contacts"}},
                        {"professional_access_months", 6}},
                       &manager_);
  ASSERT_EQ(changed.status, 200) << changed.body;
  const json::value changed_body = changed.json();
  const auto& c = changed_body.at("settings").at("professionals");
  EXPECT_EQ(c.at("objection_days").as_int64(), 14);
  EXPECT_EQ(c.at("vote_quorum").as_int64(), 10);
  EXPECT_EQ(c.at("scope"), (json::array{"care", "contacts"}));
  EXPECT_EQ(c.at("access_months").as_int64(), 6);
  EXPECT_EQ(get(hood() + "/settings", &resident_).json().at("settings").at("professionals"), c);
  EXPECT_EQ(get(hood() + "/settings", &pro_).status, 404);
}

TEST_F(ProfessionalsTest, EveryOpeningOfAResidentsPostIsLoggedForItsAuthor) {
  activate();
  const auto care = post_with(resident_, {{"category", "care"}});
  auto none = get(post_path(care) + "/views", &resident_);
  ASSERT_EQ(none.status, 200);
  EXPECT_TRUE(none.json().at("views").as_array().empty());

  feed_ids(pro_);  // the feed is not an opening
  ASSERT_EQ(get(post_path(care), &pro_).status, 200);
  ASSERT_EQ(get(post_path(care), &pro_).status, 200);
  get(post_path(care), &manager_);  // residents' looks are not logged

  auto views = get(post_path(care) + "/views", &resident_);
  ASSERT_EQ(views.status, 200) << views.body;
  const json::value views_body = views.json();
  const auto& list = views_body.at("views").as_array();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].at("professional").at("display_name"), "Professional P");
  EXPECT_EQ(list[0].at("professional").at("professional").at("organisation"),
            "Wijkteam Zutphen");
  EXPECT_EQ(get(post_path(care) + "/views", &manager_).status, 403);
  EXPECT_EQ(get(post_path(care) + "/views", &pro_).status, 404);
}

// Lapse is computed on read, so a clock a year on shows it; the services
// run on the same store as the app.
TEST_F(ProfessionalsTest, AccessLapsesAfterTheConfiguredMonths) {
  activate();
  const auto care = post_with(resident_, {{"category", "care"}});
  ManualClock later(SystemClock().now() + std::chrono::days(367));
  RateLimiter limiter(later);
  InProcessEventBus events;
  MarketService market(app_->store(), later, limiter, events, MarketPolicy{});
  ProfessionalService professionals(app_->store(), later, limiter, app_->events(), ProfessionalPolicy{});
  const UserId p{pro_.id};
  const NeighbourhoodId a{a_};

  EXPECT_EQ(get(post_path(care), &pro_).status, 200) << "active in the app's now";
  auto feed = market.feed(p, FeedRequest{.neighbourhood_id = a});
  ASSERT_FALSE(feed.has_value());
  EXPECT_EQ(feed.error().code, ErrorCode::not_found);
  auto read = market.get_post(p, PostId{care});
  ASSERT_FALSE(read.has_value());
  EXPECT_EQ(read.error().code, ErrorCode::not_found);
  auto mine = professionals.my_access(p);
  ASSERT_TRUE(mine.has_value());
  EXPECT_EQ(mine->at(0).status, AccessStatus::lapsed);
  // Renewal goes through the rule again.
  auto renewed = professionals.request(p, a, "Graag nog een jaar spreekuur");
  ASSERT_TRUE(renewed.has_value()) << renewed.error().message;
  EXPECT_EQ(renewed->status, AccessStatus::requested);
}

// The objection rule: a request waits objection_days; fewer than
// objection_count objections by then admit it, decided when it is next read
// and stored then, so every later reader sees the same decision.
TEST_F(ProfessionalsTest, ObjectionRuleAdmitsWhenThePeriodPassesWithoutEnoughObjections) {
  auto rule = patch(hood() + "/settings",
                    {{"professional_admission", "objection"},
                     {"professional_objection_days", 7},
                     {"professional_objection_count", 2}},
                    &manager_);
  ASSERT_EQ(rule.status, 200) << rule.body;
  add_profile();
  ask_access();
  auto listed = get(hood() + "/professionals", &resident_);
  ASSERT_EQ(listed.status, 200);
  const json::value listed_body = listed.json();
  const auto& waiting = listed_body.at("professionals").at(0);
  EXPECT_EQ(waiting.at("status"), "requested");
  EXPECT_EQ(waiting.at("objections").as_int64(), 0);
  EXPECT_FALSE(waiting.at("decision_due_at").is_null());

  EXPECT_EQ(post_empty(access_path("approve"), &manager_).status, 409) << "not the manager rule";
  EXPECT_EQ(post(access_path("object"), {{"reason", std::string(501, 'x')}}, &resident_).status,
            400);
  auto objected = post(access_path("object"), {{"reason", "Ik ken deze organisatie niet."}},
                       &resident_);
  ASSERT_EQ(objected.status, 200) << objected.body;
  EXPECT_EQ(objected.json().at("access").at("objections").as_int64(), 1);
  EXPECT_EQ(objected.json().at("access").at("status"), "requested");
  EXPECT_EQ(post_empty(access_path("object"), &resident_).status, 409) << "once each";
  EXPECT_EQ(post_empty(access_path("object"), &pro_).status, 404) << "not a member";
  EXPECT_EQ(post_empty(access_path("buddy"), &resident_).status, 409) << "not admitted yet";

  const UserId p{pro_.id};
  const NeighbourhoodId a{a_};
  const SystemClock system_clock;
  RateLimiter unlimited(system_clock);
  {
    ManualClock six_days(SystemClock().now() + std::chrono::days(6));
    ProfessionalService professionals(app_->store(), six_days, unlimited, app_->events(), ProfessionalPolicy{});
    auto list = professionals.list(UserId{resident_.id}, a);
    ASSERT_TRUE(list.has_value());
    EXPECT_EQ(list->at(0).status, AccessStatus::requested) << "the period runs";
  }
  ManualClock eight_days(SystemClock().now() + std::chrono::days(8));
  ProfessionalService professionals(app_->store(), eight_days, unlimited, app_->events(), ProfessionalPolicy{});
  auto mine = professionals.my_access(p);
  ASSERT_TRUE(mine.has_value());
  EXPECT_EQ(mine->at(0).status, AccessStatus::admitted_awaiting_buddy);
  ASSERT_TRUE(mine->at(0).decided_at.has_value());
  EXPECT_EQ(*mine->at(0).decided_at, mine->at(0).requested_at + std::chrono::days(7));
  EXPECT_FALSE(mine->at(0).decided_by.has_value()) << "the community decided";
  EXPECT_EQ(mine->at(0).objections, 0) << "a new stage";

  // Stored: the app, still in today's clock, reads the same decision.
  auto after = get(hood() + "/professionals", &resident_);
  EXPECT_EQ(after.json().at("professionals").at(0).at("status"), "admitted_awaiting_buddy");
  EXPECT_TRUE(after.json().at("professionals").at(0).at("decision_due_at").is_null());
  ASSERT_EQ(post_empty(access_path("buddy"), &resident_).status, 200);
  auto active = post(access_path("sign-off"),
                     {{"introduced", true}, {"house_rules", true}, {"scope_explained", true}},
                     &resident_);
  ASSERT_EQ(active.status, 200) << active.body;
  EXPECT_EQ(active.json().at("access").at("status"), "active");
  EXPECT_EQ(get(hood() + "/feed", &pro_).status, 200);
}

TEST_F(ProfessionalsTest, ObjectionCountObjectionsBlockARequestAtOnce) {
  ASSERT_EQ(patch(hood() + "/settings",
                  {{"professional_admission", "objection"}, {"professional_objection_count", 2}},
                  &manager_)
                .status,
            200);
  add_profile();
  ask_access();
  ASSERT_EQ(post_empty(access_path("object"), &resident_).status, 200);
  auto blocked = post_empty(access_path("object"), &manager_);
  ASSERT_EQ(blocked.status, 200) << blocked.body;
  EXPECT_EQ(blocked.json().at("access").at("status"), "refused");
  EXPECT_FALSE(blocked.json().at("access").at("decided_at").is_null());
  EXPECT_EQ(get(hood() + "/feed", &pro_).status, 404);
  const Resident late = register_resident("Resident L");
  join_verified(late, a_, manager_);
  EXPECT_EQ(post_empty(access_path("object"), &late).status, 409) << "decided";

  // A refused professional may ask again; the old objections don't count.
  ask_access();
  auto again = get(hood() + "/professionals", &resident_);
  EXPECT_EQ(again.json().at("professionals").at(0).at("status"), "requested");
  EXPECT_EQ(again.json().at("professionals").at(0).at("objections").as_int64(), 0);
  EXPECT_EQ(post_empty(access_path("object"), &resident_).status, 200);
}

// Under any rule, objection_count residents' objections pause admitted or
// active access; a manager's resume starts the count afresh.
TEST_F(ProfessionalsTest, ObjectionsPauseActiveAccessUntilAManagerResumes) {
  activate();
  ASSERT_EQ(patch(hood() + "/settings", {{"professional_objection_count", 2}}, &manager_).status,
            200);
  const auto care = post_with(resident_, {{"category", "care"}});
  auto first = post(access_path("object"), {{"reason", "Kwam ongevraagd langs."}}, &resident_);
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(first.json().at("access").at("status"), "active");
  EXPECT_EQ(get(post_path(care), &pro_).status, 200);

  auto paused = post_empty(access_path("object"), &manager_);
  ASSERT_EQ(paused.status, 200) << paused.body;
  EXPECT_EQ(paused.json().at("access").at("status"), "paused");
  EXPECT_EQ(get(post_path(care), &pro_).status, 404);
  EXPECT_EQ(get(hood() + "/feed", &pro_).status, 404);
  EXPECT_EQ(post_empty(access_path("object"), &resident_).status, 409) << "paused already";

  auto resumed = post_empty(access_path("resume"), &manager_);
  ASSERT_EQ(resumed.status, 200) << resumed.body;
  EXPECT_EQ(resumed.json().at("access").at("status"), "active");
  EXPECT_EQ(resumed.json().at("access").at("objections").as_int64(), 0);
  EXPECT_EQ(get(post_path(care), &pro_).status, 200);
  auto again = post_empty(access_path("object"), &resident_);
  ASSERT_EQ(again.status, 200) << "a new stage";
  EXPECT_EQ(again.json().at("access").at("status"), "active");
}

// The vote rule: votes are cast and changed while the request waits
// objection_days; then a quorum and a majority in favour admit it.
TEST_F(ProfessionalsTest, VoteRuleAdmitsAtQuorumAndMajorityWhenThePeriodEnds) {
  ASSERT_EQ(patch(hood() + "/settings",
                  {{"professional_admission", "vote"},
                   {"professional_vote_quorum", 3},
                   {"professional_vote_majority_percent", 60}},
                  &manager_)
                .status,
            200);
  const Resident third = register_resident("Resident T");
  join_verified(third, a_, manager_);
  add_profile();
  ask_access();
  EXPECT_EQ(post(access_path("vote"), {{"vote", "maybe"}}, &resident_).status, 400);
  EXPECT_EQ(post(access_path("vote"), json::object{}, &resident_).status, 400);
  EXPECT_EQ(post(access_path("vote"), {{"vote", "yes"}}, &pro_).status, 404) << "not a member";
  EXPECT_EQ(post_empty(access_path("object"), &resident_).status, 409) << "vote no instead";
  EXPECT_EQ(post_empty(access_path("approve"), &manager_).status, 409);

  ASSERT_EQ(post(access_path("vote"), {{"vote", "yes"}}, &resident_).status, 200);
  ASSERT_EQ(post(access_path("vote"), {{"vote", "no"}}, &manager_).status, 200);
  auto changed = post(access_path("vote"), {{"vote", "yes"}}, &manager_);
  ASSERT_EQ(changed.status, 200) << changed.body;
  const json::value votes = changed.json().at("access").at("votes");
  EXPECT_EQ(votes.at("in_favour").as_int64(), 2) << "changed, not added";
  EXPECT_EQ(votes.at("against").as_int64(), 0);
  ASSERT_EQ(post(access_path("vote"), {{"vote", "no"}}, &third).status, 200);

  const SystemClock system_clock;
  RateLimiter unlimited(system_clock);
  {
    ManualClock six_days(SystemClock().now() + std::chrono::days(6));
    ProfessionalService professionals(app_->store(), six_days, unlimited, app_->events(), ProfessionalPolicy{});
    auto list = professionals.list(UserId{resident_.id}, NeighbourhoodId{a_});
    ASSERT_TRUE(list.has_value());
    EXPECT_EQ(list->at(0).status, AccessStatus::requested) << "quorum, but the period runs";
  }
  ManualClock eight_days(SystemClock().now() + std::chrono::days(8));
  ProfessionalService professionals(app_->store(), eight_days, unlimited, app_->events(), ProfessionalPolicy{});
  auto list = professionals.list(UserId{resident_.id}, NeighbourhoodId{a_});
  ASSERT_TRUE(list.has_value());
  EXPECT_EQ(list->at(0).status, AccessStatus::admitted_awaiting_buddy) << "2 of 3 in favour";
  EXPECT_FALSE(list->at(0).decided_by.has_value());

  auto after = get(hood() + "/professionals", &resident_);
  EXPECT_EQ(after.json().at("professionals").at(0).at("status"), "admitted_awaiting_buddy");
  EXPECT_EQ(post(access_path("vote"), {{"vote", "no"}}, &resident_).status, 409) << "decided";
  EXPECT_EQ(get(hood() + "/feed", &pro_).status, 404) << "admitted, no buddy yet";
  ASSERT_EQ(post_empty(access_path("buddy"), &third).status, 200);
}

TEST_F(ProfessionalsTest, VoteMissingMajorityOrQuorumIsRefusedWhenThePeriodEnds) {
  ASSERT_EQ(patch(hood() + "/settings",
                  {{"professional_admission", "vote"},
                   {"professional_vote_quorum", 2},
                   {"professional_vote_majority_percent", 60}},
                  &manager_)
                .status,
            200);
  add_profile();
  const SystemClock system_clock;
  RateLimiter unlimited(system_clock);
  ManualClock eight_days(SystemClock().now() + std::chrono::days(8));
  ProfessionalService professionals(app_->store(), eight_days, unlimited, app_->events(), ProfessionalPolicy{});
  const UserId p{pro_.id};

  // Quorum reached, half in favour: no majority.
  ask_access();
  ASSERT_EQ(post(access_path("vote"), {{"vote", "yes"}}, &resident_).status, 200);
  ASSERT_EQ(post(access_path("vote"), {{"vote", "no"}}, &manager_).status, 200);
  auto mine = professionals.my_access(p);
  ASSERT_TRUE(mine.has_value());
  EXPECT_EQ(mine->at(0).status, AccessStatus::refused);

  // Asked again, the old votes are gone; one vote in favour misses quorum.
  ask_access();
  auto fresh = get(hood() + "/professionals", &resident_);
  EXPECT_EQ(fresh.json().at("professionals").at(0).at("votes").at("in_favour").as_int64(), 0);
  ASSERT_EQ(post(access_path("vote"), {{"vote", "yes"}}, &resident_).status, 200);
  mine = professionals.my_access(p);
  ASSERT_TRUE(mine.has_value());
  EXPECT_EQ(mine->at(0).status, AccessStatus::refused);
  EXPECT_EQ(get("/api/v1/me", &pro_).json().at("professional_access").at(0).at("status"),
            "refused");
}

}  // namespace
}  // namespace noaber::test
