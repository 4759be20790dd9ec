// Moderation through the API (docs/moderation.md): reports, the queue,
// hiding, warning, suspending, the public log and house rules, on both
// backends.

#include <string>

#include "support/api_fixture.h"

namespace noaber::test {
namespace {
namespace json = boost::json;

class ModerationApi : public ApiTest {
 protected:
  void configure(AppConfig& config) override {
    config.moderation.reports_per_user = RateLimit{4, std::chrono::hours(1)};
  }

  void SetUp() override {
    ApiTest::SetUp();
    if (IsSkipped()) return;
    manager_ = register_resident("Marijke");
    hood_ = found(manager_, "De Hoven", 52.13, 6.20);
    author_ = register_resident("Bert");
    join_verified(author_, hood_, manager_);
    reader_ = register_resident("Carla");
    join_verified(reader_, hood_, manager_);
    outsider_ = register_resident("Otto");
    found(outsider_, "Groningen Oost", 53.22, 6.58, "Groningen");
  }

  std::string path(const std::string& rest) const {
    return "/api/v1/neighbourhoods/" + std::to_string(hood_) + rest;
  }

  ClientResponse report(const Resident& who, const std::string& target, std::int64_t id,
                        const std::string& reason = "Past niet bij de huisregels") {
    return post(path("/reports"), json::object{{"target", target}, {"id", id}, {"reason", reason}},
                &who);
  }

  std::int64_t report_id(const ClientResponse& r) {
    EXPECT_EQ(r.status, 201) << r.body;
    if (r.status != 201) return 0;
    return r.json().at("report").at("id").as_int64();
  }

  ClientResponse act(const Resident& who, json::array reports, const std::string& action,
                     const std::string& reason = "Huisregel 2: vriendelijk blijven") {
    return post(path("/moderation"),
                json::object{{"reports", std::move(reports)}, {"action", action},
                             {"reason", reason}},
                &who);
  }

  ClientResponse put_rules(const Resident& who, const std::string& markdown) {
    Headers h = who.bearer();
    h.emplace_back("Content-Type", "application/json");
    return http_->request("PUT", path("/house-rules"),
                          json::serialize(json::object{{"markdown", markdown}}), h);
  }

  std::size_t feed_size(const Resident& who) {
    auto r = get(path("/feed"), &who);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json().at("posts").as_array().size();
  }

  Resident manager_, author_, reader_, outsider_;
  std::int64_t hood_ = 0;
};

TEST_F(ModerationApi, HiddenPostIsGoneForOthersButNotForItsAuthorOrManagers) {
  const auto kept = create_post(reader_, hood_, "offer", "goods", "Een ladder te leen");
  const auto bad = create_post(author_, hood_, "ask", "goods", "Iets onaardigs");
  const auto rid = report_id(report(reader_, "post", bad));

  // The queue is for managers, and shows the reporter to them.
  auto queue = get(path("/reports"), &manager_);
  ASSERT_EQ(queue.status, 200) << queue.body;
  const auto queue_json = queue.json();
  const auto& reports = queue_json.at("reports").as_array();
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].at("reporter").at("display_name"), "Carla");
  EXPECT_EQ(reports[0].at("target").at("type"), "post");
  EXPECT_EQ(reports[0].at("target").at("user").at("display_name"), "Bert");
  EXPECT_EQ(error_code(get(path("/reports"), &reader_)), "forbidden");

  auto acted = act(manager_, json::array{rid}, "hide");
  ASSERT_EQ(acted.status, 200) << acted.body;
  EXPECT_EQ(acted.json().at("entries").as_array().size(), 1u);
  EXPECT_EQ(get(path("/reports"), &manager_).json().at("reports").as_array().size(), 0u);

  const std::string post_path = "/api/v1/posts/" + std::to_string(bad);
  EXPECT_EQ(get(post_path, &reader_).status, 404);
  auto own = get(post_path, &author_);
  ASSERT_EQ(own.status, 200);
  EXPECT_EQ(own.json().at("post").at("hidden"), true);
  EXPECT_EQ(get(post_path, &manager_).status, 200);
  EXPECT_EQ(feed_size(reader_), 1u);
  EXPECT_EQ(feed_size(author_), 2u);
  EXPECT_EQ(feed_size(manager_), 2u);
  // Nobody responds to a post they can't see.
  EXPECT_EQ(post(post_path + "/responses", json::object{{"message", "Hoi"}}, &reader_).status, 404);
  (void)kept;

  // The log: every member reads it, never with the reporter.
  auto log = get(path("/moderation-log"), &reader_);
  ASSERT_EQ(log.status, 200) << log.body;
  const auto log_json = log.json();
  const auto& entries = log_json.at("entries").as_array();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].at("action"), "hide");
  EXPECT_EQ(entries[0].at("moderator").at("display_name"), "Marijke");
  EXPECT_EQ(entries[0].at("reason"), "Huisregel 2: vriendelijk blijven");
  EXPECT_EQ(entries[0].at("target").at("id").as_int64(), bad);
  EXPECT_EQ(log.body.find("Carla"), std::string::npos);
  EXPECT_EQ(log.body.find("Past niet"), std::string::npos);
  EXPECT_EQ(get(path("/moderation-log"), &outsider_).status, 404);
}

TEST_F(ModerationApi, HiddenResponseLeavesTheAuthorsList) {
  const auto p = create_post(author_, hood_, "ask", "care", "Wie haalt boodschappen?");
  const auto response = respond(reader_, p, "Iets onaardigs");
  const auto rid = report_id(report(author_, "response", response));
  ASSERT_EQ(act(manager_, json::array{rid}, "hide").status, 200);
  auto own = get("/api/v1/posts/" + std::to_string(p), &author_);
  ASSERT_EQ(own.status, 200);
  EXPECT_EQ(own.json().at("post").at("responses").as_array().size(), 0u);
}

TEST_F(ModerationApi, SuspendedMemberKeepsTheAccountButCannotAct) {
  const auto p = create_post(author_, hood_, "ask", "goods", "Een boor lenen");
  const auto rid = report_id(report(manager_, "member", author_.id));
  ASSERT_EQ(act(manager_, json::array{rid}, "suspend").status, 200);

  EXPECT_EQ(get("/api/v1/me", &author_).status, 200);
  auto create = post(path("/posts"),
                     json::object{{"kind", "ask"}, {"category", "goods"}, {"title", "Nog een"}},
                     &author_);
  EXPECT_EQ(create.status, 403);
  EXPECT_EQ(error_code(create), "forbidden");
  EXPECT_EQ(patch("/api/v1/posts/" + std::to_string(p), json::object{{"title", "Anders"}},
                  &author_).status,
            404);
  EXPECT_EQ(error_code(get(path("/feed"), &author_)), "forbidden");
  EXPECT_EQ(error_code(report(author_, "member", reader_.id)), "forbidden");
  EXPECT_EQ(error_code(post_empty(path("/invites"), &author_)), "forbidden");
  // Suspended twice is not a second suspension: the report is handled.
  EXPECT_EQ(act(manager_, json::array{rid}, "suspend").status, 404);
}

TEST_F(ModerationApi, WarningIsInTheLogAboutTheWarnedMember) {
  const auto rid = report_id(report(reader_, "member", author_.id));
  ASSERT_EQ(act(manager_, json::array{rid}, "warn").status, 200);
  auto mine = get(path("/moderation-log"), &author_);
  ASSERT_EQ(mine.status, 200);
  EXPECT_EQ(mine.json().at("entries").at(0).at("about_you"), true);
  EXPECT_EQ(mine.json().at("entries").at(0).at("action"), "warn");
  auto theirs = get(path("/moderation-log"), &reader_);
  EXPECT_EQ(theirs.json().at("entries").at(0).at("about_you"), false);
}

TEST_F(ModerationApi, SeveralReportsAtOnceAndTheirValidation) {
  const auto a = create_post(author_, hood_, "ask", "goods", "Een");
  const auto b = create_post(author_, hood_, "ask", "goods", "Twee");
  const auto r1 = report_id(report(reader_, "post", a));
  const auto r2 = report_id(report(reader_, "post", b));
  const auto r3 = report_id(report(manager_, "post", b));
  auto acted = act(manager_, json::array{r1, r2, r3}, "dismiss", "");
  ASSERT_EQ(acted.status, 200) << acted.body;
  EXPECT_EQ(acted.json().at("entries").as_array().size(), 2u);  // two things

  EXPECT_EQ(field_code(report(reader_, "post", a, "x"), "reason"), "too_short");
  EXPECT_EQ(field_code(report(reader_, "comment", a), "target"), "invalid");
  EXPECT_EQ(error_code(report(reader_, "post", 999999)), "not_found");
  EXPECT_EQ(error_code(report(author_, "post", a)), "forbidden");  // their own
  report_id(report(reader_, "post", a));
  EXPECT_EQ(error_code(report(reader_, "post", a)), "conflict");
  EXPECT_EQ(field_code(act(manager_, json::array{}, "hide"), "reports"), "required");
  EXPECT_EQ(field_code(act(manager_, json::array{1}, "ban"), "action"), "invalid");
  EXPECT_EQ(field_code(act(manager_, json::array{1}, "warn", ""), "reason"), "required");
  // A post of another neighbourhood can't be reported here.
  const Resident fenna = register_resident("Fenna");
  const auto elsewhere =
      create_post(fenna, found(fenna, "Zwolle", 52.51, 6.09, "Zwolle"), "ask", "goods", "Elders");
  EXPECT_EQ(error_code(report(reader_, "post", elsewhere)), "not_found");
}

TEST_F(ModerationApi, ReportsAreRateLimited) {
  const auto p = create_post(author_, hood_, "ask", "goods", "Iets");
  int created = 0, limited = 0;
  for (int i = 0; i < 6; ++i) {
    auto r = report(reader_, "post", p);
    if (r.status == 201) {
      ++created;
      // Dismissed, so the next one is a fresh report, not a duplicate.
      act(manager_, json::array{r.json().at("report").at("id")}, "dismiss", "");
    } else if (r.status == 429) {
      ++limited;
    }
  }
  EXPECT_EQ(created, 4);
  EXPECT_EQ(limited, 2);
}

TEST_F(ModerationApi, HouseRulesForMembersAndNewcomers) {
  auto put = put_rules(manager_, "# Huisregels\n\nWees *aardig*. <script>alert(1)</script>");
  ASSERT_EQ(put.status, 200) << put.body;
  const std::string html = json::value_to<std::string>(put.json().at("house_rules").at("html"));
  EXPECT_NE(html.find("<em>aardig</em>"), std::string::npos);
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_EQ(error_code(put_rules(reader_, "Alles mag")), "forbidden");
  EXPECT_EQ(put_rules(outsider_, "Alles mag").status, 404);

  auto mine = get(path(""), &reader_);
  ASSERT_EQ(mine.status, 200);
  EXPECT_EQ(
      json::value_to<std::string>(mine.json().at("neighbourhood").at("house_rules").at("html")),
      html);
  auto theirs = get(path(""), &outsider_);
  ASSERT_EQ(theirs.status, 200);
  EXPECT_FALSE(theirs.json().at("neighbourhood").as_object().contains("house_rules"));

  // A newcomer reads them in the answer to joining.
  const Resident newcomer = register_resident("Nina");
  auto joined = post(path("/join"), json::object{{"invite_code", invite(reader_, hood_)}},
                     &newcomer);
  ASSERT_EQ(joined.status, 201) << joined.body;
  EXPECT_EQ(json::value_to<std::string>(joined.json().at("house_rules").at("html")), html);
}

}  // namespace
}  // namespace noaber::test
