// Community managers through the API (docs/managers.md): connectors opting
// in and out, unanswered asks brought to them, the dashboard, un-hiding and
// lifting a suspension, and what the export holds of it. On a clock the test
// moves; on both backends.

#include <string>
#include <thread>

#include "core/time_format.h"
#include "events/in_process_bus.h"
#include "services/follow_ups.h"
#include "support/api_fixture.h"

namespace noaber::test {
namespace {
namespace json = boost::json;

class ManagersApi : public ApiTest {
 protected:
  const Clock* clock() override { return &clock_; }

  void SetUp() override {
    ApiTest::SetUp();
    if (IsSkipped()) return;
    manager_ = register_resident("Marijke");
    hood_ = found(manager_, "De Hoven", 52.13, 6.20);
    asker_ = register_resident("Bert");
    join_verified(asker_, hood_, manager_);
    connector_ = register_resident("Carla");
    join_verified(connector_, hood_, manager_);
    quiet_ = register_resident("Daan");
    join_verified(quiet_, hood_, manager_);
    outsider_ = register_resident("Otto");
    found(outsider_, "Groningen Oost", 53.22, 6.58, "Groningen");
  }

  std::string path(const std::string& rest) const {
    return "/api/v1/neighbourhoods/" + std::to_string(hood_) + rest;
  }

  ClientResponse put(const std::string& target, const Resident* who) {
    return http_->request("PUT", target, "", who->bearer());
  }

  std::size_t unanswered_of(const Resident& who) {
    auto r = get("/api/v1/me/notifications?limit=100", &who);
    EXPECT_EQ(r.status, 200) << r.body;
    std::size_t n = 0;
    const auto page = r.json();
    for (const auto& item : page.at("notifications").as_array())
      if (item.at("kind") == "unanswered") ++n;
    return n;
  }

  json::object dashboard(const Resident& who) {
    auto r = get(path("/dashboard"), &who);
    EXPECT_EQ(r.status, 200) << r.body;
    if (r.status != 200) return {};
    return r.json().at("dashboard").as_object();
  }

  ClientResponse moderate(const Resident& who, const json::object& body) {
    return post(path("/moderation"), body, &who);
  }

  ManualClock clock_{std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now())};
  Resident manager_, asker_, connector_, quiet_, outsider_;
  std::int64_t hood_ = 0;
};

TEST_F(ManagersApi, AResidentOptsInAsConnectorAndIsToldOfUnansweredAsks) {
  auto in = put(path("/connector"), &connector_);
  ASSERT_EQ(in.status, 200) << in.body;
  EXPECT_EQ(in.json().at("membership").at("connector"), true);
  EXPECT_FALSE(in.json().at("membership").at("connector_since").is_null());
  EXPECT_EQ(put(path("/connector"), &connector_).status, 200) << "again: still in";

  // Shown to members: on the caller's membership and in the members list.
  auto hood = get(path(""), &connector_).json();
  EXPECT_EQ(hood.at("neighbourhood").at("my_membership").at("connector"), true);
  EXPECT_EQ(get(path(""), &quiet_).json().at("neighbourhood").at("my_membership").at("connector"),
            false);
  EXPECT_EQ(get(path(""), &manager_).json().at("neighbourhood").at("my_membership").at("connector"),
            true)
      << "managers are connectors by their role";
  int connectors = 0;
  const auto members = get(path("/members"), &quiet_).json();
  for (const auto& m : members.at("members").as_array())
    if (m.at("connector") == true) ++connectors;
  EXPECT_EQ(connectors, 2);

  // Managers can't opt out; outsiders are not members.
  auto out = del(path("/connector"), &manager_);
  EXPECT_EQ(out.status, 409);
  EXPECT_EQ(error_code(out), "conflict");
  EXPECT_EQ(put(path("/connector"), &outsider_).status, 404);
  EXPECT_EQ(del(path("/connector"), &outsider_).status, 404);
  EXPECT_EQ(put("/api/v1/neighbourhoods/abc/connector", &connector_).status, 404);

  // An ask left unanswered for 48 hours reaches both connectors, once, and
  // not its author nor a resident who didn't opt in.
  create_post(asker_, hood_, "ask", "care", "Wie kan koken?");
  clock_.advance(std::chrono::hours(48));
  ASSERT_EQ(app_->follow_ups().run_due()->escalated, 1);
  EXPECT_EQ(unanswered_of(manager_), 1u);
  EXPECT_EQ(unanswered_of(connector_), 1u);
  EXPECT_EQ(unanswered_of(asker_), 0u);
  EXPECT_EQ(unanswered_of(quiet_), 0u);

  // Opted out: the next one doesn't reach her.
  auto left = del(path("/connector"), &connector_);
  ASSERT_EQ(left.status, 200) << left.body;
  EXPECT_EQ(left.json().at("membership").at("connector"), false);
  create_post(asker_, hood_, "ask", "goods", "Wie heeft een ladder?");
  clock_.advance(std::chrono::hours(48));
  ASSERT_EQ(app_->follow_ups().run_due()->escalated, 1);
  EXPECT_EQ(unanswered_of(manager_), 2u);
  EXPECT_EQ(unanswered_of(connector_), 1u);
}

TEST_F(ManagersApi, TheDashboardShowsWhatWaits) {
  // Three asks for care nobody answers; one answered; an offer promised.
  const auto first = create_post(asker_, hood_, "ask", "care", "Boodschappen doen");
  clock_.advance(std::chrono::hours(2));
  create_post(asker_, hood_, "ask", "care", "Hond uitlaten");
  create_post(asker_, hood_, "ask", "care", "Samen koken");
  const auto answered = create_post(asker_, hood_, "ask", "goods", "Ladder lenen");
  respond(quiet_, answered, "Ik heb er een.");
  const auto offer = create_post(quiet_, hood_, "offer", "goods", "Aanhanger te leen");
  const auto rid = respond(asker_, offer, "Graag!");
  ASSERT_EQ(post_empty("/api/v1/responses/" + std::to_string(rid) + "/accept", &quiet_).status,
            200);
  // A join request and an open report.
  const Resident eva = register_resident("Eva");
  ASSERT_EQ(post_empty(path("/join"), &eva).status, 201);
  ASSERT_EQ(post(path("/reports"),
                 json::object{{"target", "post"}, {"id", answered}, {"reason", "Dubbel geplaatst"}},
                 &quiet_)
                .status,
            201);
  clock_.advance(std::chrono::hours(49) + std::chrono::days(2));

  const auto d = dashboard(manager_);
  const auto& asks = d.at("unanswered_asks").as_object();
  EXPECT_EQ(asks.at("total").as_int64(), 3);
  ASSERT_EQ(asks.at("posts").as_array().size(), 3u);
  const auto& oldest = asks.at("posts").as_array()[0];
  EXPECT_EQ(oldest.at("id").as_int64(), first) << "oldest first";
  EXPECT_EQ(oldest.at("age_hours").as_int64(), 2 + 49 + 48);
  EXPECT_EQ(oldest.at("author").at("display_name"), "Bert");
  EXPECT_EQ(asks.at("posts").as_array()[1].at("age_hours").as_int64(), 49 + 48);

  const auto& promised = d.at("promised_posts").as_object();
  ASSERT_EQ(promised.at("total").as_int64(), 1);
  EXPECT_EQ(promised.at("posts").as_array()[0].at("id").as_int64(), offer);
  EXPECT_EQ(promised.at("posts").as_array()[0].at("days_since_promised").as_int64(), 4);

  // Newcomers: everyone who joined in the last two weeks, name and date.
  EXPECT_EQ(d.at("newcomers").at("total").as_int64(), 4);
  const auto& newcomer = d.at("newcomers").at("members").as_array()[0].as_object();
  EXPECT_EQ(newcomer.size(), 2u) << json::serialize(newcomer);
  EXPECT_TRUE(newcomer.contains("joined_at"));
  EXPECT_EQ(newcomer.at("user").as_object().size(), 2u) << "id and display name";

  EXPECT_EQ(d.at("join_requests").at("total").as_int64(), 1);
  ASSERT_EQ(d.at("join_requests").at("members").as_array().size(), 1u);
  EXPECT_EQ(d.at("join_requests").at("members").as_array()[0].at("user").at("display_name"),
            "Eva");
  EXPECT_EQ(d.at("open_reports").as_int64(), 1);

  ASSERT_EQ(d.at("needs").as_array().size(), 1u);
  const auto& need = d.at("needs").as_array()[0];
  EXPECT_EQ(need.at("kind"), "ask");
  EXPECT_EQ(need.at("category"), "care");
  EXPECT_EQ(need.at("posts").as_int64(), 3);
  EXPECT_EQ(need.at("without_response").as_int64(), 3);

  auto raw = get(path("/dashboard"), &manager_);
  EXPECT_EQ(raw.body.find("@example.org"), std::string::npos) << "no email address";

  // A connector who isn't a manager: the count of join requests only, and
  // nothing of reports.
  ASSERT_EQ(put(path("/connector"), &connector_).status, 200);
  const auto c = dashboard(connector_);
  EXPECT_EQ(c.at("unanswered_asks").at("total").as_int64(), 3);
  EXPECT_EQ(c.at("join_requests").at("total").as_int64(), 1);
  EXPECT_FALSE(c.at("join_requests").as_object().contains("members"));
  EXPECT_FALSE(c.contains("open_reports"));
  EXPECT_EQ(c.at("needs").as_array().size(), 1u);

  // Others: members 403, non-members 404, anonymous 401.
  EXPECT_EQ(error_code(get(path("/dashboard"), &quiet_)), "forbidden");
  EXPECT_EQ(get(path("/dashboard"), &outsider_).status, 404);
  EXPECT_EQ(get(path("/dashboard"), &eva).status, 403);
  EXPECT_EQ(error_code(get(path("/dashboard"), &eva)), "not_verified");
  EXPECT_EQ(get(path("/dashboard")).status, 401);
  EXPECT_EQ(get("/api/v1/neighbourhoods/999999/dashboard", &manager_).status, 404);

  // Two weeks after they joined, nobody is new any more.
  clock_.advance(std::chrono::days(14));
  EXPECT_EQ(dashboard(manager_).at("newcomers").at("total").as_int64(), 0);
}

TEST_F(ManagersApi, UnhideAndLiftUndoAndAreLogged) {
  const auto bad = create_post(asker_, hood_, "ask", "goods", "Iets onaardigs");
  auto filed = post(path("/reports"),
                    json::object{{"target", "post"}, {"id", bad}, {"reason", "Onaardig"}}, &quiet_);
  ASSERT_EQ(filed.status, 201) << filed.body;
  const auto rid = filed.json().at("report").at("id").as_int64();
  ASSERT_EQ(moderate(manager_, {{"reports", json::array{rid}}, {"action", "hide"},
                                {"reason", "Huisregel 2"}})
                .status,
            200);
  EXPECT_EQ(get("/api/v1/posts/" + std::to_string(bad), &quiet_).status, 404);

  // Only managers; the reason is required; a thing, not reports.
  EXPECT_EQ(error_code(moderate(connector_, {{"action", "unhide"}, {"target", "post"},
                                             {"id", bad}, {"reason", "Toch goed"}})),
            "forbidden");
  auto invalid = moderate(manager_, {{"action", "unhide"}, {"target", "member"}, {"id", bad},
                                     {"reports", json::array{rid}}});
  EXPECT_EQ(invalid.status, 400);
  EXPECT_EQ(field_code(invalid, "target"), "invalid");
  EXPECT_EQ(field_code(invalid, "reports"), "not_allowed");
  EXPECT_EQ(field_code(invalid, "reason"), "required");
  EXPECT_EQ(field_code(moderate(manager_, {{"action", "lift"}, {"target", "post"}, {"id", 2.5},
                                           {"reason", "Toch goed"}}),
                       "id"),
            "invalid");
  EXPECT_EQ(field_code(moderate(manager_, {{"action", "hide"}, {"reports", json::array{rid}},
                                           {"target", "post"}, {"reason", "Toch goed"}}),
                       "target"),
            "not_allowed");
  EXPECT_EQ(moderate(manager_, {{"action", "unhide"}, {"target", "post"}, {"id", 999999},
                                {"reason", "Toch goed"}})
                .status,
            404);

  auto shown = moderate(manager_, {{"action", "unhide"}, {"target", "post"}, {"id", bad},
                                   {"reason", "Bij nader inzien in orde"}});
  ASSERT_EQ(shown.status, 200) << shown.body;
  EXPECT_EQ(shown.json().at("entries").as_array()[0].at("action"), "unhide");
  EXPECT_EQ(get("/api/v1/posts/" + std::to_string(bad), &quiet_).status, 200);
  auto again = moderate(manager_, {{"action", "unhide"}, {"target", "post"}, {"id", bad},
                                   {"reason", "Nog eens"}});
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(error_code(again), "conflict");

  // Suspend Bert, then lift it: he can post again.
  auto about = post(path("/reports"),
                    json::object{{"target", "member"}, {"id", asker_.id}, {"reason", "Grof"}},
                    &quiet_);
  ASSERT_EQ(about.status, 201) << about.body;
  ASSERT_EQ(moderate(manager_, {{"action", "suspend"},
                                {"reports", json::array{about.json().at("report").at("id")}},
                                {"reason", "Huisregel 1"}})
                .status,
            200);
  EXPECT_EQ(get(path("/feed"), &asker_).status, 403);
  auto lifted = moderate(manager_, {{"action", "lift"}, {"target", "member"}, {"id", asker_.id},
                                    {"reason", "Excuses aangeboden"}});
  ASSERT_EQ(lifted.status, 200) << lifted.body;
  EXPECT_EQ(get(path("/feed"), &asker_).status, 200);
  EXPECT_EQ(moderate(manager_, {{"action", "lift"}, {"target", "member"}, {"id", asker_.id},
                                {"reason", "Nog eens"}})
                .status,
            409);

  const auto page = get(path("/moderation-log"), &asker_).json();
  const auto& log = page.at("entries").as_array();
  ASSERT_EQ(log.size(), 4u) << "hide, unhide, suspend, lift";
  EXPECT_EQ(log[0].at("action"), "lift");
  EXPECT_EQ(log[0].at("about_you"), true);
  EXPECT_EQ(log[0].at("reason"), "Excuses aangeboden");
  EXPECT_EQ(log[2].at("action"), "unhide");
}

TEST_F(ManagersApi, TheExportHoldsMyReportsWhatWasDoneAboutMeAndMyOptIns) {
  ASSERT_EQ(put(path("/connector"), &quiet_).status, 200);
  const auto p = create_post(asker_, hood_, "ask", "goods", "Iets onaardigs");
  auto filed = post(path("/reports"),
                    json::object{{"target", "post"}, {"id", p}, {"reason", "Onaardig"}}, &quiet_);
  ASSERT_EQ(filed.status, 201) << filed.body;
  clock_.advance(std::chrono::hours(1));
  ASSERT_EQ(moderate(manager_, {{"action", "warn"},
                                {"reports", json::array{filed.json().at("report").at("id")}},
                                {"reason", "Huisregel 2"}})
                .status,
            200);

  auto mine = get("/api/v1/me/export", &quiet_).json();
  const auto& reports = mine.at("reports_filed").as_array();
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].at("reason"), "Onaardig");
  EXPECT_EQ(reports[0].at("status"), "handled");
  EXPECT_EQ(reports[0].at("target").at("type"), "post");
  EXPECT_EQ(reports[0].at("target").at("id").as_int64(), p);
  EXPECT_FALSE(reports[0].at("handled_at").is_null());
  EXPECT_TRUE(mine.at("moderation_about_me").as_array().empty());
  ASSERT_EQ(mine.at("connector_opt_ins").as_array().size(), 1u);
  EXPECT_EQ(mine.at("connector_opt_ins").as_array()[0].at("neighbourhood").at("id").as_int64(),
            hood_);

  auto bert = get("/api/v1/me/export", &asker_).json();
  EXPECT_TRUE(bert.at("reports_filed").as_array().empty()) << "not the reports about him";
  ASSERT_EQ(bert.at("moderation_about_me").as_array().size(), 1u);
  EXPECT_EQ(bert.at("moderation_about_me").as_array()[0].at("action"), "warn");
  EXPECT_EQ(bert.at("moderation_about_me").as_array()[0].at("about_you"), true);
  EXPECT_TRUE(bert.at("connector_opt_ins").as_array().empty());
  EXPECT_EQ(get("/api/v1/me/export", &asker_).body.find("Onaardig"), std::string::npos)
      << "never the reporter's reason";
}

// Two server processes (two stores on one database, two follow-up
// services) escalate at the same moment: each connector is told once per ask.
TEST_F(ManagersApi, TwoProcessesTellEachConnectorOncePerAsk) {
  ASSERT_EQ(put(path("/connector"), &connector_).status, 200);
  constexpr int kAsks = 12;
  for (int i = 0; i < kAsks; ++i)
    create_post(asker_, hood_, "ask", "goods", "Vraag nummer " + std::to_string(i));
  clock_.advance(std::chrono::hours(49));

  auto other_store = open_store(app_->config().db, 2).store;
  FollowUpService first(app_->store(), clock_, app_->events(), FollowUpPolicy{.batch = 3});
  InProcessEventBus other_events;  // the second process's own bus
  FollowUpService second(*other_store, clock_, other_events, FollowUpPolicy{.batch = 3});
  int by_first = 0, by_second = 0;
  std::thread a([&] {
    for (int tries = 0; tries < 50; ++tries)
      if (auto r = first.run_due()) { by_first += r->escalated; break; }
  });
  std::thread b([&] {
    for (int tries = 0; tries < 50; ++tries)
      if (auto r = second.run_due()) { by_second += r->escalated; break; }
  });
  a.join();
  b.join();
  EXPECT_EQ(by_first + by_second, kAsks) << by_first << " + " << by_second;
  EXPECT_EQ(app_->follow_ups().run_due()->escalated, 0);
  EXPECT_EQ(unanswered_of(connector_), static_cast<std::size_t>(kAsks));
  EXPECT_EQ(unanswered_of(manager_), static_cast<std::size_t>(kAsks));
  EXPECT_EQ(unanswered_of(asker_), 0u);
  EXPECT_EQ(unanswered_of(quiet_), 0u);
}

}  // namespace
}  // namespace noaber::test
