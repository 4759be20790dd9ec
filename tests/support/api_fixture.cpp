#include "support/api_fixture.h"

#include <unistd.h>

#include <cstdlib>
#include <random>

#include <fmt/format.h>

#include "store/postgres/postgres_admin.h"

namespace noaber::test {
namespace json = boost::json;

void ApiTest::configure(AppConfig&) {}

namespace {

std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

// The server's URL with another database: postgresql://user@/NAME?host=...
std::string url_for_database(const std::string& admin_url, const std::string& name) {
  const auto slash = admin_url.find('/', admin_url.find("://") + 3);
  const auto query = admin_url.find('?', slash);
  return admin_url.substr(0, slash + 1) + name +
         (query == std::string::npos ? "" : admin_url.substr(query));
}

}  // namespace

void ApiTest::SetUp() {
  dir_ = std::make_unique<TempDir>();
  AppConfig config;
  config.db = dir_->file("noaber.db").string();
  if (env("NOABER_API_BACKEND") == "postgres") {
    const std::string admin = env("NOABER_TEST_POSTGRES_URL");
    if (admin.empty())
      GTEST_SKIP() << "NOABER_TEST_POSTGRES_URL is not set; run under scripts/test-postgres";
    std::random_device random;
    postgres_database_ = fmt::format("noaber_api_{}_{:08x}", getpid(), random());
    postgres::create_database(admin, postgres_database_);
    config.db = url_for_database(admin, postgres_database_);
  }
  config.port = 0;
  config.io_threads = 2;
  config.handle_signals = false;
  // Tests sign up many people from one address; the rate-limit tests set
  // their own limits in configure().
  config.accounts.register_per_ip.max_events = 100'000;
  config.accounts.login_per_ip.max_events = 100'000;
  config.market.posts_per_ip.max_events = 100'000;
  config.market.responses_per_ip.max_events = 100'000;
  config.neighbourhoods.invites_per_ip.max_events = 100'000;
  // Follow-ups run when a test calls app_->follow_ups().run_due().
  config.follow_up_interval = std::chrono::seconds(0);
  configure(config);
  app_ = std::make_unique<App>(config, clock());
  port_ = app_->start();
  http_ = std::make_unique<HttpClient>("127.0.0.1", port_);
}

void ApiTest::TearDown() {
  http_.reset();
  if (app_) app_->stop();
  app_.reset();
  dir_.reset();
  if (!postgres_database_.empty()) {
    postgres::drop_database(env("NOABER_TEST_POSTGRES_URL"), postgres_database_);
    postgres_database_.clear();
  }
}

namespace {
Headers with_auth(const Resident* who) { return who ? who->bearer() : Headers{}; }
}  // namespace

ClientResponse ApiTest::get(const std::string& target, const Resident* who) {
  return http_->get(target, with_auth(who));
}

ClientResponse ApiTest::post(const std::string& target, const json::value& body,
                             const Resident* who) {
  return http_->post_json(target, body, with_auth(who));
}

ClientResponse ApiTest::post_empty(const std::string& target, const Resident* who) {
  return http_->request("POST", target, "", with_auth(who));
}

ClientResponse ApiTest::patch(const std::string& target, const json::value& body,
                              const Resident* who) {
  Headers h = with_auth(who);
  h.emplace_back("Content-Type", "application/json");
  return http_->request("PATCH", target, json::serialize(body), h);
}

ClientResponse ApiTest::del(const std::string& target, const Resident* who) {
  return http_->request("DELETE", target, "", with_auth(who));
}

Resident ApiTest::register_resident(const std::string& name) {
  Resident r;
  r.display_name = name;
  r.email = "user" + std::to_string(++next_user_) + "@example.org";
  auto res = post("/api/v1/auth/register",
                  {{"email", r.email}, {"password", "correct horse battery"},
                   {"display_name", name}});
  EXPECT_EQ(res.status, 201) << res.body;
  if (res.status != 201) return r;
  const auto body = res.json().as_object();
  r.id = body.at("user").at("id").as_int64();
  r.token = json::value_to<std::string>(body.at("token"));
  r.csrf_token = json::value_to<std::string>(body.at("csrf_token"));
  return r;
}

std::int64_t ApiTest::found(const Resident& founder, const std::string& name, double lat,
                            double lon, const std::string& region) {
  auto res = post("/api/v1/neighbourhoods",
                  {{"name", name}, {"region", region}, {"lat", lat}, {"lon", lon}}, &founder);
  EXPECT_EQ(res.status, 201) << res.body;
  if (res.status != 201) return 0;
  return res.json().at("neighbourhood").at("id").as_int64();
}

std::string ApiTest::invite(const Resident& member, std::int64_t neighbourhood) {
  auto res =
      post_empty("/api/v1/neighbourhoods/" + std::to_string(neighbourhood) + "/invites", &member);
  EXPECT_EQ(res.status, 201) << res.body;
  if (res.status != 201) return "";
  return json::value_to<std::string>(res.json().at("code"));
}

void ApiTest::join_verified(const Resident& who, std::int64_t neighbourhood,
                            const Resident& inviter) {
  const std::string code = invite(inviter, neighbourhood);
  auto res = post("/api/v1/neighbourhoods/" + std::to_string(neighbourhood) + "/join",
                  {{"invite_code", code}}, &who);
  ASSERT_EQ(res.status, 201) << res.body;
  ASSERT_EQ(res.json().at("membership").at("status").as_string(), "verified");
}

std::int64_t ApiTest::create_post(const Resident& author, std::int64_t neighbourhood,
                                  const std::string& kind, const std::string& category,
                                  const std::string& title, const std::string& visibility) {
  auto res = post("/api/v1/neighbourhoods/" + std::to_string(neighbourhood) + "/posts",
                  {{"kind", kind},
                   {"category", category},
                   {"title", title},
                   {"body", "Details for *" + title + "*."},
                   {"visibility", visibility}},
                  &author);
  EXPECT_EQ(res.status, 201) << res.body;
  if (res.status != 201) return 0;
  return res.json().at("post").at("id").as_int64();
}

std::int64_t ApiTest::respond(const Resident& responder, std::int64_t post_id,
                              const std::string& message) {
  auto res = post("/api/v1/posts/" + std::to_string(post_id) + "/responses",
                  {{"message", message}}, &responder);
  EXPECT_EQ(res.status, 201) << res.body;
  if (res.status != 201) return 0;
  return res.json().at("response").at("id").as_int64();
}

std::string ApiTest::error_code(const ClientResponse& r) {
  try {
    return json::value_to<std::string>(r.json().at("error").at("code"));
  } catch (const std::exception&) {
    return "<no error body: " + r.body + ">";
  }
}

std::string ApiTest::field_code(const ClientResponse& r, const std::string& field) {
  try {
    return json::value_to<std::string>(r.json().at("error").at("fields").at(field));
  } catch (const std::exception&) {
    return "<no field " + field + ": " + r.body + ">";
  }
}

}  // namespace noaber::test
