// The story that matters most, through the real HTTP API: a first resident
// founds a neighbourhood and invites a second; a third asks to join and the
// founder approves; the second asks for care; the founder responds, the
// asker accepts and completes it with thanks; the exchange shows the founder
// as giver; a resident of another neighbourhood sees none of it.

#include "support/api_fixture.h"

namespace noaber::test {
namespace {
namespace json = boost::json;

class StoryTest : public ApiTest {};

TEST_F(StoryTest, NeighboursHelpEachOtherAndOutsidersSeeNothing) {
  // A first resident founds a neighbourhood.
  const Resident anna = register_resident("Anna de Vries");
  const auto n = found(anna, "Binnenstad", 52.1395, 6.1960);
  const std::string hood = "/api/v1/neighbourhoods/" + std::to_string(n);

  // She invites a second resident, who joins verified with the code.
  const Resident bert = register_resident("Bert Bos");
  join_verified(bert, n, anna);

  // A third asks to join without a code and waits; the founder approves.
  const Resident carla = register_resident("Carla Smit");
  auto asked = post(hood + "/join", json::object{}, &carla);
  ASSERT_EQ(asked.status, 201) << asked.body;
  EXPECT_EQ(asked.json().at("membership").at("status"), "pending");
  EXPECT_EQ(error_code(get(hood + "/feed", &carla)), "not_verified");
  auto pending = get(hood + "/members?status=pending", &anna);
  ASSERT_EQ(pending.status, 200);
  ASSERT_EQ(pending.json().at("members").as_array().size(), 1u);
  EXPECT_EQ(pending.json().at("members").at(0).at("user").at("id").as_int64(), carla.id);
  auto approved =
      post_empty(hood + "/members/" + std::to_string(carla.id) + "/approve", &anna);
  ASSERT_EQ(approved.status, 200) << approved.body;
  EXPECT_EQ(approved.json().at("membership").at("status"), "verified");
  EXPECT_EQ(get(hood + "/feed", &carla).status, 200);

  // The second resident asks for care.
  const auto ask = create_post(bert, n, "ask", "care", "Boodschappen deze week");
  const std::string post_path = "/api/v1/posts/" + std::to_string(ask);

  // The founder responds; the asker accepts.
  const auto response = respond(anna, ask, "Ik ga dinsdag, ik neem ze mee.");
  auto as_author = get(post_path, &bert);
  ASSERT_EQ(as_author.status, 200);
  ASSERT_EQ(as_author.json().at("post").at("responses").as_array().size(), 1u);
  EXPECT_EQ(as_author.json().at("post").at("response_count").as_int64(), 1);
  EXPECT_FALSE(get(post_path, &anna).json().at("post").as_object().contains("responses"));
  auto accepted = post_empty("/api/v1/responses/" + std::to_string(response) + "/accept", &bert);
  ASSERT_EQ(accepted.status, 200) << accepted.body;
  EXPECT_EQ(accepted.json().at("response").at("status"), "accepted");
  EXPECT_EQ(get(post_path, &bert).json().at("post").at("status"), "promised");

  // ... and completes it with thanks.
  auto done = post(post_path + "/complete",
                   {{"thanks", "Dank je wel Anna, wat fijn!"}, {"hours", 1.5}}, &bert);
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(done.json().at("post").at("status"), "done");
  const auto exchange = done.json().at("exchanges").at(0);
  EXPECT_EQ(exchange.at("giver").at("id").as_int64(), anna.id);
  EXPECT_EQ(exchange.at("receiver").at("id").as_int64(), bert.id);
  EXPECT_EQ(exchange.at("category"), "care");
  EXPECT_EQ(exchange.at("thanks"), "Dank je wel Anna, wat fijn!");
  EXPECT_EQ(exchange.at("hours").as_double(), 1.5);

  // The thank-you trail shows the founder as giver.
  auto trail = get(hood + "/exchanges", &carla);
  ASSERT_EQ(trail.status, 200);
  ASSERT_EQ(trail.json().at("exchanges").as_array().size(), 1u);
  EXPECT_EQ(trail.json().at("exchanges").at(0).at("giver").at("display_name"), "Anna de Vries");
  EXPECT_FALSE(trail.body.find("@example.org") != std::string::npos) << "emails leaked";

  // A resident of another neighbourhood sees none of it.
  const Resident dirk = register_resident("Dirk Meijer");
  found(dirk, "Leesten", 52.1210, 6.2230);
  for (const std::string& path :
       {post_path, hood + "/feed", hood + "/exchanges", hood + "/members",
        hood + "/members?status=pending"})
    EXPECT_EQ(get(path, &dirk).status, 404) << path;
  EXPECT_EQ(post(post_path + "/responses", {{"message", "hoi"}}, &dirk).status, 404);
  EXPECT_EQ(post_empty("/api/v1/responses/" + std::to_string(response) + "/accept", &dirk).status,
            404);
  EXPECT_EQ(post_empty(hood + "/invites", &dirk).status, 404);
  EXPECT_EQ(post(hood + "/posts",
                 {{"kind", "ask"}, {"category", "care"}, {"title", "Hallo daar"}, {"body", ""}},
                 &dirk)
                .status,
            404);
  // ... and neither does someone who is not logged in.
  EXPECT_EQ(error_code(get(post_path)), "unauthenticated");
}

}  // namespace
}  // namespace noaber::test
