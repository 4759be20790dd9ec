// What the event stream (GET /api/v1/neighbourhoods/{id}/events) carries
// besides new and edited posts: the reader's own notifications, posts the
// scheduler expires, posts a manager hides (shown only by id to those who
// may no longer see them), a professional's stream, and the end of a stream
// whose reader may no longer listen. Absence is shown by order: a stream
// keeps the order of events, so when a later marker arrives first, the
// earlier event never came. Waits have generous deadlines; nothing here
// measures time.

#include <boost/json.hpp>

#include "core/time_format.h"
#include "support/api_fixture.h"
#include "support/event_stream_client.h"

namespace noaber::test {
namespace {
namespace json = boost::json;
using namespace std::chrono_literals;

constexpr auto kPatience = 15s;
constexpr const char* kPassword = "correct horse battery";

class LiveUpdatesTest : public ApiTest {
 protected:
  const Clock* clock() override { return &clock_; }
  void SetUp() override {
    ApiTest::SetUp();
    if (IsSkipped()) return;
    anna_ = register_resident("Anna");  // founder: a manager
    a_ = found(anna_, "Binnenstad", 52.1395, 6.196, "Zutphen");
    bert_ = register_resident("Bert");
    join_verified(bert_, a_, anna_);
    cor_ = register_resident("Cor");
    join_verified(cor_, a_, anna_);
  }

  std::string hood(const std::string& rest = "") const {
    return "/api/v1/neighbourhoods/" + std::to_string(a_) + rest;
  }

  std::unique_ptr<EventStreamClient> open(const Resident& who, std::int64_t n = 0) {
    return std::make_unique<EventStreamClient>(
        "127.0.0.1", port_, "/api/v1/neighbourhoods/" + std::to_string(n ? n : a_) + "/events",
        who.bearer());
  }

  // The next event, which must be `name`.
  static SseEvent expect_next(EventStreamClient& stream, const std::string& name) {
    auto event = stream.next_event(kPatience);
    EXPECT_TRUE(event) << "no " << name << "; received: " << stream.body_so_far();
    if (!event) return {};
    EXPECT_EQ(event->name, name) << event->data;
    return *event;
  }

  // A post that every member's stream hears; arriving next shows that
  // nothing else came before it.
  std::int64_t marker(const std::string& title = "Markering") {
    return create_post(anna_, a_, "offer", "goods", title);
  }
  static void expect_marker_next(EventStreamClient& stream, std::int64_t marker_id) {
    const auto event = expect_next(stream, "post_created");
    EXPECT_EQ(event.id, std::to_string(marker_id)) << event.data;
  }
  // Events published just before a stream opened may still arrive on it:
  // on PostgreSQL they travel through the database. A marker published now
  // comes after all of them; this skips everything up to it.
  void settle(std::initializer_list<EventStreamClient*> streams) {
    const auto start = marker("Begin");
    for (auto* stream : streams) {
      ASSERT_EQ(stream->response().status, 200) << stream->response().body;
      for (;;) {
        const auto event = stream->next_event(kPatience);
        ASSERT_TRUE(event) << "no marker; received: " << stream->body_so_far();
        if (event->name == "post_created" && event->id == std::to_string(start)) break;
      }
    }
  }

  Resident login_again(const Resident& who) {
    auto in = post("/api/v1/auth/login", {{"email", who.email}, {"password", kPassword}});
    EXPECT_EQ(in.status, 200) << in.body;
    Resident again = who;
    if (in.status == 200) again.token = json::value_to<std::string>(in.json().at("token"));
    return again;
  }

  json::value newest_notification(const Resident& who) {
    auto r = get("/api/v1/me/notifications", &who);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json().at("notifications").at(0);
  }

  // A professional who lives in Warnsveld (`home`) with a profile and a
  // request to A for a weekly surgery hour.
  Resident requesting_professional(std::int64_t* home = nullptr) {
    const Resident pro = register_resident("Professional P");
    const auto warnsveld = found(pro, "Warnsveld", 52.1360, 6.2400, "Zutphen");
    if (home) *home = warnsveld;
    Headers h = pro.bearer();
    h.emplace_back("Content-Type", "application/json");
    EXPECT_EQ(http_->request("PUT", "/api/v1/me/professional",
                             json::serialize(json::object{{"organisation", "Wijkteam Zutphen"},
                                                          {"function", "Schuldhulpverlener"},
                                                          {"description", "Spreekuur over geld."}}),
                             h)
                  .status,
              200);
    EXPECT_EQ(post(hood("/professionals"), {{"purpose", "Wekelijks spreekuur voor schuldvragen"}},
                   &pro)
                  .status,
              201);
    return pro;
  }

  // ... admitted by Anna (A decides by its managers) and signed off by Bert.
  void admit(const Resident& pro) {
    const auto access = hood("/professionals/" + std::to_string(pro.id));
    ASSERT_EQ(post_empty(access + "/approve", &anna_).status, 200);
    ASSERT_EQ(post_empty(access + "/buddy", &bert_).status, 200);
    ASSERT_EQ(post(access + "/sign-off",
                   {{"introduced", true}, {"house_rules", true}, {"scope_explained", true}},
                   &bert_)
                  .status,
              200);
  }

  ManualClock clock_{std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now())};
  Resident anna_, bert_, cor_;
  std::int64_t a_ = 0;
};

TEST_F(LiveUpdatesTest, ANotificationReachesEveryStreamOfItsOwnerAndNoOtherStream) {
  auto annas_tab = open(anna_);
  auto annas_phone = open(anna_);
  auto berts = open(bert_);
  auto cors = open(cor_);
  for (auto* s : {annas_tab.get(), annas_phone.get(), berts.get(), cors.get()})
    ASSERT_EQ(s->response().status, 200) << s->response().body;

  const auto asked = create_post(anna_, a_, "ask", "goods", "Wie leent mij een ladder?");
  for (auto* s : {annas_tab.get(), annas_phone.get(), berts.get(), cors.get()})
    expect_next(*s, "post_created");

  const auto response = respond(bert_, asked, "Ik heb er een.");
  const json::value listed = newest_notification(anna_);
  for (auto* s : {annas_tab.get(), annas_phone.get()}) {
    const auto told = expect_next(*s, "notification");
    // What the list shows, field for field (no email anywhere).
    EXPECT_EQ(json::parse(told.data), listed);
    EXPECT_EQ(told.id, std::to_string(listed.at("id").as_int64()));
    EXPECT_EQ(listed.at("kind"), "response");
    EXPECT_EQ(listed.at("actor").at("display_name"), "Bert");
    EXPECT_EQ(listed.at("post").at("title"), "Wie leent mij een ladder?");
    EXPECT_EQ(told.data.find('@'), std::string::npos);
  }
  // Bert and Cor were not told Anna's notification.
  auto first = marker();
  for (auto* s : {annas_tab.get(), annas_phone.get(), berts.get(), cors.get()})
    expect_marker_next(*s, first);

  // Accepting tells Bert (and everyone the post is promised); Cor and Anna
  // get no notification.
  ASSERT_EQ(post_empty("/api/v1/responses/" + std::to_string(response) + "/accept", &anna_).status,
            200);
  const auto promised = expect_next(*berts, "post_updated");
  EXPECT_EQ(json::parse(promised.data).at("status"), "promised");
  const auto accepted = expect_next(*berts, "notification");
  EXPECT_EQ(json::parse(accepted.data), newest_notification(bert_));
  EXPECT_EQ(json::parse(accepted.data).at("kind"), "accepted");
  auto second = marker("Tweede markering");
  for (auto* s : {annas_tab.get(), cors.get()}) {
    expect_next(*s, "post_updated");
    expect_marker_next(*s, second);
  }
  expect_marker_next(*berts, second);

  // Completing thanks Bert, live too.
  ASSERT_EQ(post("/api/v1/posts/" + std::to_string(asked) + "/complete", {{"thanks", "Dank!"}},
                 &anna_)
                .status,
            200);
  expect_next(*berts, "post_updated");
  EXPECT_EQ(json::parse(expect_next(*berts, "notification").data).at("kind"), "thanks");
}

TEST_F(LiveUpdatesTest, APostTheSchedulerExpiresIsUpdatedLiveAndItsAuthorTold) {
  auto r = post(hood("/posts"),
                {{"kind", "ask"},
                 {"category", "goods"},
                 {"title", "Ladder voor vandaag"},
                 {"expires_at", format_rfc3339(clock_.now() + 1h)}},
                &anna_);
  ASSERT_EQ(r.status, 201) << r.body;
  const auto expiring = r.json().at("post").at("id").as_int64();
  auto annas = open(anna_);
  auto berts = open(bert_);
  settle({annas.get(), berts.get()});

  clock_.advance(2h);
  ASSERT_EQ(app_->follow_ups().run_due()->expired, 1);
  for (auto* s : {annas.get(), berts.get()}) {
    const auto updated = expect_next(*s, "post_updated");
    EXPECT_EQ(updated.id, std::to_string(expiring));
    EXPECT_EQ(json::parse(updated.data).at("status"), "expired");
  }
  const auto told = expect_next(*annas, "notification");
  EXPECT_EQ(json::parse(told.data).at("kind"), "expired");
  EXPECT_EQ(json::parse(told.data), newest_notification(anna_));
  const auto after = marker();
  expect_marker_next(*berts, after);  // Bert was told nothing of Anna's
}

TEST_F(LiveUpdatesTest, EscalationsAndCheckInsReachTheirReadersLive) {
  const auto unanswered = create_post(bert_, a_, "ask", "care", "Wie doet boodschappen?");
  const auto promised = create_post(cor_, a_, "ask", "goods", "Wie leent een boor?");
  const auto response = respond(bert_, promised, "Ik.");
  ASSERT_EQ(post_empty("/api/v1/responses/" + std::to_string(response) + "/accept", &cor_).status,
            200);
  auto annas = open(anna_);  // the manager
  auto berts = open(bert_);
  auto cors = open(cor_);
  settle({annas.get(), berts.get(), cors.get()});

  clock_.advance(std::chrono::days(8));
  const auto report = app_->follow_ups().run_due();
  ASSERT_TRUE(report);
  ASSERT_EQ(report->escalated, 1);
  ASSERT_EQ(report->checked_in, 1);
  const auto escalated = json::parse(expect_next(*annas, "notification").data);
  EXPECT_EQ(escalated.at("kind"), "unanswered");
  EXPECT_EQ(escalated.at("post").at("id").as_int64(), unanswered);
  const auto asked = json::parse(expect_next(*cors, "notification").data);
  EXPECT_EQ(asked.at("kind"), "check_in");
  EXPECT_EQ(asked.at("post").at("id").as_int64(), promised);
  const auto after = marker();
  expect_marker_next(*berts, after);  // Bert was told nothing
  expect_marker_next(*annas, after);
  expect_marker_next(*cors, after);
}

TEST_F(LiveUpdatesTest, AHiddenPostIsShownOnlyByIdToThoseWhoMayNoLongerSeeIt) {
  const auto bad = create_post(bert_, a_, "ask", "goods", "Een titel die weg moet");
  auto annas = open(anna_);  // a manager: still sees it
  auto berts = open(bert_);  // the author: still sees it
  auto cors = open(cor_);    // a member: may no longer see it
  settle({annas.get(), berts.get(), cors.get()});
  const std::size_t before_hiding = cors->body_so_far().size();

  auto reported = post(hood("/reports"),
                       {{"target", "post"}, {"id", bad}, {"reason", "Past niet bij de huisregels"}},
                       &cor_);
  ASSERT_EQ(reported.status, 201) << reported.body;
  const auto report = reported.json().at("report").at("id").as_int64();
  auto hidden = post(hood("/moderation"),
                     {{"reports", json::array{report}}, {"action", "hide"}, {"reason", "Regel 2"}},
                     &anna_);
  ASSERT_EQ(hidden.status, 200) << hidden.body;

  const auto members_view = expect_next(*cors, "post_updated");
  EXPECT_EQ(members_view.id, std::to_string(bad));
  EXPECT_EQ(json::parse(members_view.data), (json::value{{"id", bad}, {"hidden", true}}));
  for (auto* s : {annas.get(), berts.get()}) {
    const auto full = json::parse(expect_next(*s, "post_updated").data);
    EXPECT_EQ(full.at("title"), "Een titel die weg moet");
    EXPECT_EQ(full.at("hidden"), true);
  }

  // The author edits it while hidden: the member still learns only the id.
  auto edited = patch("/api/v1/posts/" + std::to_string(bad), {{"title", "Nog steeds geheim"}},
                      &bert_);
  ASSERT_EQ(edited.status, 200) << edited.body;
  EXPECT_EQ(json::parse(expect_next(*cors, "post_updated").data),
            (json::value{{"id", bad}, {"hidden", true}}));
  EXPECT_EQ(json::parse(expect_next(*annas, "post_updated").data).at("title"),
            "Nog steeds geheim");
  const std::string since_hiding = cors->body_so_far().substr(before_hiding);
  EXPECT_EQ(since_hiding.find("Nog steeds geheim"), std::string::npos) << since_hiding;
  EXPECT_EQ(since_hiding.find("Een titel die weg moet"), std::string::npos) << since_hiding;
}

TEST_F(LiveUpdatesTest, AnActiveProfessionalHearsThePostsInTheirScope) {
  const Resident pro = requesting_professional();
  EXPECT_EQ(open(pro)->response().status, 404) << "no access yet";
  admit(pro);

  auto stream = open(pro);
  ASSERT_EQ(stream->response().status, 200) << stream->response().body;
  // Out of the default scope (knowledge, contacts, care), and kept from
  // professionals by its author: neither arrives.
  create_post(bert_, a_, "ask", "goods", "Spullen, buiten de scope");
  auto kept = post(hood("/posts"),
                   {{"kind", "ask"},
                    {"category", "care"},
                    {"title", "Niet voor professionals"},
                    {"not_for_professionals", true}},
                   &bert_);
  ASSERT_EQ(kept.status, 201) << kept.body;
  const auto care = create_post(bert_, a_, "ask", "care", "Hulp bij de post");
  const auto heard = expect_next(*stream, "post_created");
  EXPECT_EQ(heard.id, std::to_string(care));
  EXPECT_EQ(stream->body_so_far().find("Niet voor professionals"), std::string::npos);
}

TEST_F(LiveUpdatesTest, AProfessionalsRequestRingsEveryMembersStreamOfThatNeighbourhoodOnly) {
  const Resident dora = register_resident("Dora");
  const auto elsewhere = found(dora, "Deventer Centrum", 52.2550, 6.1600, "Deventer");
  auto berts = open(bert_);
  auto cors = open(cor_);
  auto doras = open(dora, elsewhere);
  ASSERT_EQ(doras->response().status, 200) << doras->response().body;
  settle({berts.get(), cors.get()});

  const Resident pro = requesting_professional();
  for (auto* s : {berts.get(), cors.get()}) {
    const auto told = expect_next(*s, "notification");
    const json::value n = json::parse(told.data);
    EXPECT_EQ(n.at("kind"), "professional_request") << told.data;
    EXPECT_EQ(n.at("access_event").at("purpose"), "Wekelijks spreekuur voor schuldvragen");
  }
  // Dora lives elsewhere: her next event is her own post, no notification.
  const auto hers = create_post(dora, elsewhere, "offer", "goods", "Fietspomp te leen");
  const auto next = expect_next(*doras, "post_created");
  EXPECT_EQ(next.id, std::to_string(hers));
}

TEST_F(LiveUpdatesTest, PausingAnActiveProfessionalEndsTheirStream) {
  const Resident pro = requesting_professional();
  admit(pro);
  auto stream = open(pro);
  ASSERT_EQ(stream->response().status, 200) << stream->response().body;

  ASSERT_EQ(post_empty(hood("/professionals/" + std::to_string(pro.id) + "/pause"), &anna_).status,
            200);
  EXPECT_TRUE(stream->wait_for_end(kPatience)) << stream->body_so_far();
  EXPECT_EQ(open(pro)->response().status, 404) << "paused: back to seeing nothing";
}

TEST_F(LiveUpdatesTest, ASuspendedMembersStreamEnds) {
  auto berts = open(bert_);
  auto cors = open(cor_);
  ASSERT_EQ(berts->response().status, 200);
  ASSERT_EQ(cors->response().status, 200);

  auto reported = post(hood("/reports"),
                       {{"target", "member"}, {"id", bert_.id}, {"reason", "Scheldt mensen uit"}},
                       &cor_);
  ASSERT_EQ(reported.status, 201) << reported.body;
  auto suspended =
      post(hood("/moderation"),
           {{"reports", json::array{reported.json().at("report").at("id").as_int64()}},
            {"action", "suspend"},
            {"reason", "Huisregel 1"}},
           &anna_);
  ASSERT_EQ(suspended.status, 200) << suspended.body;

  EXPECT_TRUE(berts->wait_for_end(kPatience)) << berts->body_so_far();
  // Reconnecting is refused, as the feed is.
  auto again = open(bert_);
  EXPECT_EQ(again->response().status, 403);
  EXPECT_EQ(error_code(again->response()), "forbidden");
  // Cor's stream stays open.
  const auto after = marker();
  expect_marker_next(*cors, after);
}

TEST_F(LiveUpdatesTest, LoggingOutEverywhereEndsEveryStreamOfTheUser) {
  const Resident berts_phone = login_again(bert_);
  auto laptop = open(bert_);
  auto phone = open(berts_phone);
  auto cors = open(cor_);
  ASSERT_EQ(laptop->response().status, 200);
  ASSERT_EQ(phone->response().status, 200);
  ASSERT_EQ(post_empty("/api/v1/auth/logout-everywhere", &bert_).status, 204);
  EXPECT_TRUE(laptop->wait_for_end(kPatience));
  EXPECT_TRUE(phone->wait_for_end(kPatience));
  const auto after = marker();
  expect_marker_next(*cors, after);
}

TEST_F(LiveUpdatesTest, LoggingOutEndsTheStreamsOfThatSessionOnly) {
  const Resident berts_phone = login_again(bert_);
  auto laptop = open(bert_);
  auto phone = open(berts_phone);
  ASSERT_EQ(laptop->response().status, 200);
  ASSERT_EQ(phone->response().status, 200);
  ASSERT_EQ(post_empty("/api/v1/auth/logout", &berts_phone).status, 204);
  EXPECT_TRUE(phone->wait_for_end(kPatience));
  const auto after = marker();
  expect_marker_next(*laptop, after);
}

TEST_F(LiveUpdatesTest, AChangedPasswordEndsTheStreamsOfTheOtherSessions) {
  const Resident berts_phone = login_again(bert_);
  auto laptop = open(bert_);
  auto phone = open(berts_phone);
  ASSERT_EQ(laptop->response().status, 200);
  ASSERT_EQ(phone->response().status, 200);
  auto changed = post("/api/v1/me/password",
                      {{"current_password", kPassword}, {"new_password", "a new long passphrase"}},
                      &bert_);
  ASSERT_EQ(changed.status, 204) << changed.body;
  EXPECT_TRUE(phone->wait_for_end(kPatience));
  const auto after = marker();
  expect_marker_next(*laptop, after);  // the session that changed it goes on
}

TEST_F(LiveUpdatesTest, AnErasedAccountsStreamsEnd) {
  auto berts = open(bert_);
  auto cors = open(cor_);
  ASSERT_EQ(berts->response().status, 200);
  Headers h = bert_.bearer();
  h.emplace_back("Content-Type", "application/json");
  auto erased = http_->request("DELETE", "/api/v1/me",
                               json::serialize(json::object{{"password", kPassword}}), h);
  ASSERT_EQ(erased.status, 204) << erased.body;
  EXPECT_TRUE(berts->wait_for_end(kPatience));
  EXPECT_EQ(open(bert_)->response().status, 401);
  const auto after = marker();
  expect_marker_next(*cors, after);
}

}  // namespace
}  // namespace noaber::test
