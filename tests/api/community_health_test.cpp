// GET /api/v1/neighbourhoods/{id}/health through the real server: figures
// from exchanges made through the API, who may see them, and bad ranges.

#include <string>

#include "support/api_fixture.h"

namespace noaber::test {
namespace {
namespace json = boost::json;

class HealthApi : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    if (IsSkipped()) return;
    anna = register_resident("Anna");
    bert = register_resident("Bert");
    carla = register_resident("Carla");
    dirk = register_resident("Dirk");
    lombok = found(anna, "Lombok", 52.1386, 6.2016);
    oost = found(carla, "Oost", 52.1386, 6.2160);  // about 1 km away: nearby
    join_verified(bert, lombok, anna);
    ASSERT_EQ(post_empty(path(lombok, "/join"), &dirk).status, 201);  // pending
  }

  static std::string path(std::int64_t n, const std::string& rest) {
    return "/api/v1/neighbourhoods/" + std::to_string(n) + rest;
  }

  // `author` posts, `helper` responds, the author accepts and completes.
  void exchange(const Resident& author, const Resident& helper, const std::string& kind,
                const std::string& category, const std::string& visibility = "neighbourhood") {
    const auto id = create_post(author, lombok, kind, category, "Samen doen", visibility);
    const auto rid = respond(helper, id, "Ik doe mee");
    ASSERT_EQ(post_empty("/api/v1/responses/" + std::to_string(rid) + "/accept", &author).status, 200);
    ASSERT_EQ(post("/api/v1/posts/" + std::to_string(id) + "/complete", {{"thanks", "Dank!"}}, &author)
                  .status,
              200);
  }

  // A figure summed over every month of the answer (the test doesn't
  // depend on which month it runs in).
  static std::int64_t total(const json::value& body, const std::string& figure) {
    std::int64_t sum = 0;
    for (const auto& m : body.at("months").as_array()) sum += m.at(figure).as_int64();
    return sum;
  }
  static std::int64_t total(const json::value& body, const std::string& share,
                            const std::string& part) {
    std::int64_t sum = 0;
    for (const auto& m : body.at("months").as_array()) sum += m.at(share).at(part).as_int64();
    return sum;
  }

  Resident anna, bert, carla, dirk;
  std::int64_t lombok = 0, oost = 0;
};

TEST_F(HealthApi, FiguresFromExchangesMadeThroughTheApi) {
  exchange(bert, anna, "ask", "care");                 // anna helps bert: a new tie
  exchange(anna, carla, "offer", "goods", "nearby");   // anna gives to Oost's carla: bridging
  exchange(anna, bert, "ask", "knowledge");            // bert helps anna: kept and deepened
  create_post(bert, lombok, "ask", "money", "Wie leent mij een tientje?");  // 48 h still to run

  auto r = get(path(lombok, "/health"), &bert);
  ASSERT_EQ(r.status, 200) << r.body;
  const json::value body = r.json();
  EXPECT_EQ(body.at("neighbourhood_id").as_int64(), lombok);
  EXPECT_TRUE(body.at("suppressed_below").is_null());
  ASSERT_EQ(body.at("months").as_array().size(), 12u) << "the last 12 months by default";
  EXPECT_EQ(body.at("months").as_array().back().at("month"), body.at("to"));

  EXPECT_EQ(total(body, "new_ties"), 2);
  EXPECT_EQ(total(body, "kept_ties"), 1);
  EXPECT_EQ(total(body, "deepened_ties"), 1);
  EXPECT_EQ(total(body, "bridging_ties"), 1);
  EXPECT_EQ(total(body, "newcomers_reached"), 2) << "anna and bert; carla lives in Oost";
  EXPECT_EQ(total(body, "asks_answered_within_48h", "numerator"), 2);
  EXPECT_EQ(total(body, "asks_answered_within_48h", "denominator"), 2);
  EXPECT_EQ(total(body, "asks_completed", "numerator"), 2);
  EXPECT_EQ(total(body, "asks_completed", "denominator"), 3);
  for (const auto& m : body.at("months").as_array()) {
    const auto& completed = m.at("asks_completed");
    if (completed.at("denominator").as_int64() == 3) {
      EXPECT_NEAR(completed.at("share").as_double(), 2.0 / 3.0, 1e-9);
    } else {
      EXPECT_TRUE(completed.at("share").is_null()) << "no asks, no share";
    }
  }

  // The exchange belongs to the post's neighbourhood: Oost counts none.
  auto oost_figures = get(path(oost, "/health"), &carla);
  ASSERT_EQ(oost_figures.status, 200) << oost_figures.body;
  EXPECT_EQ(total(oost_figures.json(), "new_ties"), 0);
  EXPECT_EQ(total(oost_figures.json(), "bridging_ties"), 0);
}

TEST_F(HealthApi, AFormerNeighbourStillCounts) {
  exchange(bert, anna, "ask", "care");
  Headers headers = bert.bearer();
  headers.emplace_back("Content-Type", "application/json");
  auto erased = http_->request(
      "DELETE", "/api/v1/me",
      json::serialize(json::object{{"password", "correct horse battery"}}), headers);
  ASSERT_EQ(erased.status, 204) << erased.body;

  auto r = get(path(lombok, "/health"), &anna);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(total(r.json(), "new_ties"), 1);
  EXPECT_EQ(total(r.json(), "newcomers_reached"), 1) << "only anna: bert's membership is gone";
}

TEST_F(HealthApi, OnlyTheNeighbourhoodsMembersSeeIt) {
  EXPECT_EQ(get(path(lombok, "/health")).status, 401);
  auto outsider = get(path(lombok, "/health"), &carla);
  EXPECT_EQ(outsider.status, 404);
  EXPECT_EQ(error_code(outsider), "not_found");
  auto pending = get(path(lombok, "/health"), &dirk);
  EXPECT_EQ(pending.status, 403);
  EXPECT_EQ(error_code(pending), "not_verified");
  EXPECT_EQ(get(path(lombok, "/health"), &anna).status, 200);
  EXPECT_EQ(error_code(get(path(987654, "/health"), &anna)), "not_found");
}

TEST_F(HealthApi, ChosenMonths) {
  auto r = get(path(lombok, "/health?from=2025-01&to=2025-03"), &anna);
  ASSERT_EQ(r.status, 200) << r.body;
  const json::value body = r.json();
  const auto& months = body.at("months").as_array();
  ASSERT_EQ(months.size(), 3u);
  EXPECT_EQ(months[0].at("month"), "2025-01");
  EXPECT_EQ(months[2].at("month"), "2025-03");
  EXPECT_EQ(body.at("from"), "2025-01");
  EXPECT_EQ(body.at("to"), "2025-03");
  EXPECT_EQ(months[1].at("new_ties").as_int64(), 0);
  EXPECT_TRUE(months[1].at("asks_completed").at("share").is_null());
}

TEST_F(HealthApi, BadRangesAreFieldErrors) {
  auto check = [&](const std::string& query, const std::string& field, const std::string& code) {
    auto r = get(path(lombok, "/health" + query), &anna);
    EXPECT_EQ(r.status, 400) << query;
    EXPECT_EQ(error_code(r), "validation_failed") << query;
    EXPECT_EQ(field_code(r, field), code) << query;
  };
  check("?from=2025-13", "from", "invalid");
  check("?from=", "from", "invalid");
  check("?to=2025-1", "to", "invalid");
  check("?to=9999-12", "to", "in_future");
  check("?from=2025-06&to=2025-05", "from", "after_to");
  check("?from=2020-01&to=2025-01", "from", "too_long");
  // The rules come after membership: an outsider learns nothing from a bad range.
  EXPECT_EQ(get(path(lombok, "/health?from=x"), &carla).status, 404);
}

}  // namespace
}  // namespace noaber::test
