// In-app notifications through the API: made by responding, accepting and
// completing; listed newest first with paging and an unread count; marked
// read by their owner only; never showing an email.

#include <string>
#include <vector>

#include "support/api_fixture.h"

namespace noaber::test {
namespace {

namespace json = boost::json;

class NotificationsApi : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    if (IsSkipped()) return;
    anna = register_resident("Anna");
    n = found(anna, "Binnenstad", 52.1395, 6.196);
    bert = register_resident("Bert");
    join_verified(bert, n, anna);
    cor = register_resident("Cor");
    join_verified(cor, n, anna);
  }

  json::object page(const Resident& who, const std::string& query = "") {
    auto r = get("/api/v1/me/notifications" + query, &who);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json().as_object();
  }

  Resident anna, bert, cor;
  std::int64_t n = 0;
};

TEST_F(NotificationsApi, RespondAcceptCompleteEachTellTheOtherSide) {
  const auto p = create_post(anna, n, "ask", "goods", "Ladder lenen");
  const auto rid = respond(bert, p, "Ik heb er een.");
  respond(cor, p, "Ik ook.");

  auto mine = page(anna);
  EXPECT_EQ(mine.at("unread").as_int64(), 2);
  const auto& list = mine.at("notifications").as_array();
  ASSERT_EQ(list.size(), 2u);
  const auto& newest = list[0].as_object();
  EXPECT_EQ(newest.at("kind"), "response");
  EXPECT_EQ(newest.at("actor").at("display_name"), "Cor");
  EXPECT_EQ(newest.at("actor").at("id").as_int64(), cor.id);
  EXPECT_FALSE(newest.at("actor").as_object().contains("email"));
  EXPECT_EQ(newest.at("post").at("id").as_int64(), p);
  EXPECT_EQ(newest.at("post").at("title"), "Ladder lenen");
  EXPECT_FALSE(newest.at("read").as_bool());
  EXPECT_TRUE(newest.at("created_at").is_string());
  EXPECT_EQ(list[1].at("actor").at("display_name"), "Bert");
  EXPECT_TRUE(mine.at("next_cursor").is_null());
  // No email anywhere in the answer.
  EXPECT_EQ(json::serialize(mine).find("@"), std::string::npos);

  ASSERT_EQ(post_empty("/api/v1/responses/" + std::to_string(rid) + "/accept", &anna).status, 200);
  ASSERT_EQ(post("/api/v1/posts/" + std::to_string(p) + "/complete", {{"thanks", "Top!"}}, &anna)
                .status,
            200);
  auto berts = page(bert);
  const auto& blist = berts.at("notifications").as_array();
  ASSERT_EQ(blist.size(), 2u);
  EXPECT_EQ(blist[0].at("kind"), "thanks");
  EXPECT_EQ(blist[1].at("kind"), "accepted");
  EXPECT_EQ(blist[0].at("actor").at("display_name"), "Anna");
  EXPECT_EQ(berts.at("unread").as_int64(), 2);
  EXPECT_EQ(page(cor).at("notifications").as_array().size(), 0u) << "cor was not accepted";
}

TEST_F(NotificationsApi, PagesWithTheCursorNewestFirst) {
  for (int i = 0; i < 5; ++i)
    respond(bert, create_post(anna, n, "offer", "knowledge", "Bijles nummer " + std::to_string(i)),
            "Graag!");
  auto first = page(anna, "?limit=2");
  ASSERT_EQ(first.at("notifications").as_array().size(), 2u);
  EXPECT_EQ(first.at("unread").as_int64(), 5) << "the count is of all, not of the page";
  EXPECT_EQ(first.at("notifications").as_array()[0].at("post").at("title"), "Bijles nummer 4");
  std::vector<std::string> titles;
  std::string cursor = json::value_to<std::string>(first.at("next_cursor"));
  for (int guard = 0; guard < 5 && !cursor.empty(); ++guard) {
    auto next = page(anna, "?limit=2&cursor=" + cursor);
    for (const auto& item : next.at("notifications").as_array())
      titles.push_back(json::value_to<std::string>(item.at("post").at("title")));
    cursor = next.at("next_cursor").is_null() ? ""
                                              : json::value_to<std::string>(next.at("next_cursor"));
  }
  EXPECT_EQ(titles, (std::vector<std::string>{"Bijles nummer 2", "Bijles nummer 1",
                                               "Bijles nummer 0"}));
  EXPECT_EQ(get("/api/v1/me/notifications?cursor=nonsense", &anna).status, 400);
  EXPECT_EQ(get("/api/v1/me/notifications?limit=0", &anna).status, 400);
}

TEST_F(NotificationsApi, OnlyMyOwnAreMarkedRead) {
  const auto p1 = create_post(anna, n, "ask", "goods", "Boormachine lenen");
  const auto p2 = create_post(anna, n, "ask", "goods", "Steiger lenen");
  const auto p3 = create_post(anna, n, "ask", "goods", "Aanhanger lenen");
  respond(bert, p1, "Ja.");
  respond(bert, p2, "Ja.");
  respond(bert, p3, "Ja.");
  const auto listed = page(anna);
  const auto& annas = listed.at("notifications").as_array();  // p3, p2, p1
  const std::int64_t newest = annas[0].at("id").as_int64();
  const std::int64_t middle = annas[1].at("id").as_int64();

  // Cor names Anna's notifications and "all up to" the newest: nothing of
  // Anna's changes.
  auto foreign = post("/api/v1/me/notifications/read",
                      {{"ids", json::array{newest, middle}}, {"up_to", newest}}, &cor);
  ASSERT_EQ(foreign.status, 200) << foreign.body;
  EXPECT_EQ(foreign.json().at("marked").as_int64(), 0);
  EXPECT_EQ(page(anna).at("unread").as_int64(), 3);

  auto one = post("/api/v1/me/notifications/read", {{"ids", json::array{newest}}}, &anna);
  ASSERT_EQ(one.status, 200) << one.body;
  EXPECT_EQ(one.json().at("marked").as_int64(), 1);
  EXPECT_EQ(one.json().at("unread").as_int64(), 2);
  auto after = page(anna);
  EXPECT_TRUE(after.at("notifications").as_array()[0].at("read").as_bool());
  EXPECT_FALSE(after.at("notifications").as_array()[1].at("read").as_bool());

  auto rest = post("/api/v1/me/notifications/read", {{"up_to", middle}}, &anna);
  EXPECT_EQ(rest.json().at("marked").as_int64(), 2);
  EXPECT_EQ(rest.json().at("unread").as_int64(), 0);
}

TEST_F(NotificationsApi, BadMarkReadBodiesAreRefused) {
  const std::string path = "/api/v1/me/notifications/read";
  EXPECT_EQ(field_code(post(path, json::object{}, &anna), "ids"), "required");
  EXPECT_EQ(field_code(post(path, {{"ids", json::array{}}}, &anna), "ids"), "required");
  EXPECT_EQ(field_code(post(path, {{"ids", json::array{0}}}, &anna), "ids"), "invalid");
  EXPECT_EQ(field_code(post(path, {{"up_to", 1.5}}, &anna), "up_to"), "invalid");
  EXPECT_EQ(field_code(post(path, {{"up_to", -3}}, &anna), "up_to"), "invalid");
  json::array many;
  for (int i = 1; i <= 101; ++i) many.push_back(i);
  EXPECT_EQ(field_code(post(path, {{"ids", many}}, &anna), "ids"), "too_many");
  EXPECT_EQ(post(path, {{"ids", "1,2"}}, &anna).status, 400);
  EXPECT_EQ(post(path, {{"ids", json::array{"a"}}}, &anna).status, 400);
}

TEST_F(NotificationsApi, ExportedAndGoneWithTheAccount) {
  respond(bert, create_post(anna, n, "ask", "care", "Boodschappen doen"), "Ik ga morgen.");
  auto exported = get("/api/v1/me/export", &anna);
  ASSERT_EQ(exported.status, 200);
  const auto data = exported.json();
  const auto& list = data.at("notifications").as_array();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].at("kind"), "response");
  EXPECT_EQ(list[0].at("actor").at("display_name"), "Bert");
}

}  // namespace
}  // namespace noaber::test
