// Privacy and account (AVG/GDPR, ../shared/API.md): changing the password,
// logging out everywhere, the export of everything held about me, and the
// erasure of my account while what I wrote stays as a former neighbour's.

#include "support/api_fixture.h"

namespace noaber::test {
namespace {
namespace json = boost::json;

constexpr const char* kPassword = "correct horse battery";

std::string str(const json::value& v) { return json::value_to<std::string>(v); }

class PrivacyApi : public ApiTest {
 protected:
  // A second session of `who`, by logging in again.
  Resident login_again(const Resident& who, const std::string& password = kPassword) {
    auto in = post("/api/v1/auth/login", {{"email", who.email}, {"password", password}});
    EXPECT_EQ(in.status, 200) << in.body;
    Resident again = who;
    if (in.status == 200) again.token = str(in.json().at("token"));
    return again;
  }

  ClientResponse delete_me(const Resident& who, const json::value& body) {
    Headers headers = who.bearer();
    headers.emplace_back("Content-Type", "application/json");
    return http_->request("DELETE", "/api/v1/me", json::serialize(body), headers);
  }

  int status_of_me(const Resident& who) { return get("/api/v1/me", &who).status; }
};

TEST_F(PrivacyApi, PasswordChangeEndsOtherSessionsButKeepsThisOne) {
  const Resident anna = register_resident("Anna");
  const Resident phone = login_again(anna);
  const Resident laptop = login_again(anna);
  EXPECT_NE(phone.token, laptop.token) << "every login gets a new token";

  auto changed = post("/api/v1/me/password",
                      {{"current_password", kPassword}, {"new_password", "a new long passphrase"}},
                      &laptop);
  ASSERT_EQ(changed.status, 204) << changed.body;
  EXPECT_EQ(status_of_me(laptop), 200);
  EXPECT_EQ(status_of_me(anna), 401);
  EXPECT_EQ(status_of_me(phone), 401);

  auto old = post("/api/v1/auth/login", {{"email", anna.email}, {"password", kPassword}});
  EXPECT_EQ(old.status, 401);
  EXPECT_EQ(error_code(old), "invalid_credentials");
  EXPECT_EQ(status_of_me(login_again(anna, "a new long passphrase")), 200);
}

TEST_F(PrivacyApi, PasswordChangeRefusesAWrongCurrentOrAWeakNewPassword) {
  const Resident anna = register_resident("Anna");
  const Resident other = login_again(anna);

  auto wrong = post("/api/v1/me/password",
                    {{"current_password", "not my password"}, {"new_password", "a new long one"}},
                    &anna);
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(error_code(wrong), "invalid_credentials");

  auto common = post("/api/v1/me/password",
                     {{"current_password", kPassword}, {"new_password", "password"}}, &anna);
  EXPECT_EQ(common.status, 400);
  EXPECT_EQ(error_code(common), "validation_failed");
  EXPECT_EQ(field_code(common, "new_password"), "too_common");

  auto missing = post("/api/v1/me/password", json::object{}, &anna);
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(field_code(missing, "current_password"), "required");
  EXPECT_EQ(field_code(missing, "new_password"), "required");

  auto short_one = post("/api/v1/me/password",
                        {{"current_password", kPassword}, {"new_password", "kort"}}, &anna);
  EXPECT_EQ(field_code(short_one, "new_password"), "too_short");

  auto typed = post("/api/v1/me/password", {{"current_password", 12}, {"new_password", true}},
                    &anna);
  EXPECT_EQ(typed.status, 400);

  // Nothing changed: both sessions live, the old password still works.
  EXPECT_EQ(status_of_me(anna), 200);
  EXPECT_EQ(status_of_me(other), 200);
  EXPECT_EQ(post("/api/v1/me/password", {{"current_password", kPassword},
                                         {"new_password", "a new long passphrase"}})
                .status,
            401);
}

TEST_F(PrivacyApi, LogoutEverywhereEndsEverySessionOfMineOnly) {
  const Resident anna = register_resident("Anna");
  const Resident phone = login_again(anna);
  const Resident bert = register_resident("Bert");
  auto out = post_empty("/api/v1/auth/logout-everywhere", &anna);
  ASSERT_EQ(out.status, 204) << out.body;
  EXPECT_NE(out.header("set-cookie").value_or("").find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(status_of_me(anna), 401);
  EXPECT_EQ(status_of_me(phone), 401);
  EXPECT_EQ(status_of_me(bert), 200);
  EXPECT_EQ(status_of_me(login_again(anna)), 200);
  EXPECT_EQ(post_empty("/api/v1/auth/logout-everywhere").status, 401);
}

TEST_F(PrivacyApi, ExportHoldsMyDataAndNotOtherPeoplesEmails) {
  const Resident anna = register_resident("Anna");
  const std::int64_t hood = found(anna, "Binnenstad", 52.1395, 6.196);
  const Resident bert = register_resident("Bert");
  join_verified(bert, hood, anna);
  const std::int64_t ask = create_post(anna, hood, "ask", "care", "Boodschappen doen");
  const std::int64_t response = respond(bert, ask, "Ik ga dinsdag.");
  ASSERT_EQ(post_empty("/api/v1/responses/" + std::to_string(response) + "/accept", &anna).status,
            200);
  ASSERT_EQ(post("/api/v1/posts/" + std::to_string(ask) + "/complete",
                 {{"thanks", "Dank je Bert!"}, {"hours", 1}}, &anna)
                .status,
            200);
  const std::int64_t offer = create_post(bert, hood, "offer", "goods", "Ladder te leen");
  respond(anna, offer, "Graag!");
  invite(anna, hood);

  auto r = get("/api/v1/me/export", &anna);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("content-disposition").value_or(""),
            "attachment; filename=\"noaber-export-" + std::to_string(anna.id) + ".json\"");
  const auto data = r.json();
  EXPECT_EQ(data.at("account").at("id").as_int64(), anna.id);
  EXPECT_EQ(str(data.at("account").at("email")), anna.email);
  EXPECT_EQ(data.at("account").at("display_name"), "Anna");
  EXPECT_TRUE(data.at("account").at("created_at").is_string());
  EXPECT_EQ(data.at("memberships").as_array().size(), 1u);
  ASSERT_EQ(data.at("posts").as_array().size(), 1u);
  EXPECT_EQ(data.at("posts").at(0).at("id").as_int64(), ask);
  ASSERT_EQ(data.at("posts").at(0).at("responses").as_array().size(), 1u);
  EXPECT_EQ(data.at("posts").at(0).at("responses").at(0).at("message"), "Ik ga dinsdag.");
  ASSERT_EQ(data.at("responses").as_array().size(), 1u);
  EXPECT_EQ(data.at("responses").at(0).at("message"), "Graag!");
  ASSERT_EQ(data.at("exchanges").as_array().size(), 1u);
  EXPECT_EQ(data.at("exchanges").at(0).at("thanks"), "Dank je Bert!");
  EXPECT_EQ(data.at("invites").as_array().size(), 2u);  // one for Bert, one now
  EXPECT_FALSE(data.at("invites").at(0).as_object().contains("code"));
  ASSERT_EQ(data.at("sessions").as_array().size(), 1u);
  EXPECT_TRUE(data.at("sessions").at(0).at("current").as_bool());
  EXPECT_TRUE(data.at("sessions").at(0).at("last_seen_at").is_string());

  EXPECT_EQ(r.body.find(bert.email), std::string::npos) << "another person's email leaked";
  EXPECT_EQ(r.body.find(anna.token), std::string::npos) << "a token leaked";
  EXPECT_EQ(r.body.find("token"), std::string::npos) << "tokens or their hashes leaked";
  EXPECT_EQ(r.body.find("hash"), std::string::npos) << "hashes leaked";

  EXPECT_EQ(get("/api/v1/me/export").status, 401);
}

TEST_F(PrivacyApi, DeletingMyAccountErasesMeAndKeepsTheHistory) {
  const Resident bert = register_resident("Bert");
  const std::int64_t hood = found(bert, "Binnenstad", 52.1395, 6.196);
  const Resident anna = register_resident("Anna de Vries");
  join_verified(anna, hood, bert);
  const Resident carla = register_resident("Carla");
  join_verified(carla, hood, bert);
  // Anna helped Bert; she also has an open ask of her own.
  const std::int64_t ask = create_post(bert, hood, "ask", "care", "Boodschappen doen");
  const std::int64_t response = respond(anna, ask, "Ik ga dinsdag.");
  ASSERT_EQ(post_empty("/api/v1/responses/" + std::to_string(response) + "/accept", &bert).status,
            200);
  ASSERT_EQ(post("/api/v1/posts/" + std::to_string(ask) + "/complete",
                 {{"thanks", "Dank je Anna!"}, {"hours", 2}}, &bert)
                .status,
            200);
  const std::int64_t own = create_post(anna, hood, "ask", "goods", "Wie leent een ladder?");
  const std::string hood_path = "/api/v1/neighbourhoods/" + std::to_string(hood);
  EXPECT_EQ(get(hood_path).json().at("neighbourhood").at("member_count").as_int64(), 3);

  // Refused without the right password; nothing happens then.
  auto wrong = delete_me(anna, {{"password", "not my password"}});
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(error_code(wrong), "invalid_credentials");
  auto missing = delete_me(anna, json::object{});
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(field_code(missing, "password"), "required");
  EXPECT_EQ(status_of_me(anna), 200);

  auto gone = delete_me(anna, {{"password", kPassword}});
  ASSERT_EQ(gone.status, 204) << gone.body;
  EXPECT_NE(gone.header("set-cookie").value_or("").find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(status_of_me(anna), 401);
  auto login = post("/api/v1/auth/login", {{"email", anna.email}, {"password", kPassword}});
  EXPECT_EQ(login.status, 401);
  EXPECT_EQ(error_code(login), "invalid_credentials");

  // Neighbours still see what she wrote, by a former neighbour.
  EXPECT_EQ(get(hood_path).json().at("neighbourhood").at("member_count").as_int64(), 2);
  auto kept = get("/api/v1/posts/" + std::to_string(own), &carla);
  ASSERT_EQ(kept.status, 200) << kept.body;
  EXPECT_EQ(kept.json().at("post").at("author").at("display_name"), "Former neighbour");
  EXPECT_EQ(kept.json().at("post").at("author").at("former_neighbour"), true);
  EXPECT_EQ(kept.json().at("post").at("status"), "closed");
  auto helped = get("/api/v1/posts/" + std::to_string(ask), &bert);
  ASSERT_EQ(helped.status, 200) << helped.body;
  EXPECT_EQ(helped.body.find("Anna de Vries"), std::string::npos) << "the name stayed";
  auto trail = get(hood_path + "/exchanges", &carla);
  ASSERT_EQ(trail.status, 200) << trail.body;
  ASSERT_EQ(trail.json().at("exchanges").as_array().size(), 1u);
  const auto exchange = trail.json().at("exchanges").at(0);
  EXPECT_EQ(exchange.at("giver").at("id").as_int64(), anna.id);
  EXPECT_EQ(exchange.at("giver").at("display_name"), "Former neighbour");
  EXPECT_EQ(exchange.at("receiver").at("display_name"), "Bert");
  EXPECT_EQ(exchange.at("thanks"), "Dank je Anna!");
  EXPECT_EQ(exchange.at("hours").as_double(), 2.0);
  auto members = get(hood_path + "/members", &carla);
  ASSERT_EQ(members.status, 200);
  EXPECT_EQ(members.json().at("members").as_array().size(), 2u);
  EXPECT_EQ(members.body.find("Anna de Vries"), std::string::npos);

  // The address is free again, for a new account.
  auto again = post("/api/v1/auth/register",
                    {{"email", anna.email}, {"password", kPassword}, {"display_name", "Anna"}});
  ASSERT_EQ(again.status, 201) << again.body;
  EXPECT_NE(again.json().at("user").at("id").as_int64(), anna.id);
}

TEST_F(PrivacyApi, DeleteNeedsASessionAndAJsonBody) {
  const Resident anna = register_resident("Anna");
  auto anonymous = http_->request("DELETE", "/api/v1/me", R"({"password":"x"})",
                                  {{"Content-Type", "application/json"}});
  EXPECT_EQ(anonymous.status, 401);
  EXPECT_EQ(error_code(anonymous), "unauthenticated");
  Headers headers = anna.bearer();
  headers.emplace_back("Content-Type", "application/json");
  auto malformed = http_->request("DELETE", "/api/v1/me", "{not json", headers);
  EXPECT_EQ(malformed.status, 400);
  auto typed = delete_me(anna, {{"password", 42}});
  EXPECT_EQ(typed.status, 400);
  EXPECT_EQ(status_of_me(anna), 200);
}

}  // namespace
}  // namespace noaber::test
