// kill -9 in the middle of writes: every post whose creation was answered
// 201, and every edit answered 200, must still be there when the server
// comes back on the same database (DESIGN.md, "Quality bars"). The real
// `noaber` binary runs as a child process so that SIGKILL hits a whole
// server, with nothing flushed or closed on the way out.
//
// The server's default limits shape the test: a user may create 30 posts
// an hour and an address may register 20 accounts an hour. Both are counted
// in memory, so they start afresh with every restarted process. Each writer
// thread gets a few accounts of its own, set up once, and moves to its next
// account when one is refused with 429; between creates it edits its posts,
// which no limit holds back, so it is still writing when the kill comes.

#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <boost/json.hpp>
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "support/child_process.h"
#include "support/http_client.h"
#include "support/temp_dir.h"

namespace noaber::test {
namespace {

namespace json = boost::json;
namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr int kCycles = 5;
constexpr int kWriters = 6;
// 6 x 3 accounts plus the founder stay under the 20 registrations an hour
// that one address is allowed.
constexpr int kAccountsPerWriter = 3;
constexpr auto kStartTimeout = 10s;
constexpr int kStartAttempts = 5;
constexpr int kMinKillDelayMs = 300;
constexpr int kMaxKillDelayMs = 800;
constexpr std::string_view kPassword = "correct horse battery";

// One `noaber serve` child. Whatever happens in the test, the destructor
// leaves no server behind.
class ServerProcess {
 public:
  ServerProcess(fs::path db, fs::path log, fs::path no_web)
      : db_(std::move(db)), log_(std::move(log)), no_web_(std::move(no_web)) {}
  ~ServerProcess() { kill_now(); }
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  // Starts the server and waits until /healthz answers. A port taken by
  // somebody else in the meantime makes the child exit; then it tries again
  // with another one.
  void start() {
    for (int attempt = 1; attempt <= kStartAttempts; ++attempt) {
      port_ = free_port();
      pid_ = spawn({NOABER_BINARY, "serve", "--db", db_.string(), "--listen",
                    fmt::format("127.0.0.1:{}", port_), "--web", no_web_.string(), "--threads",
                    "2",
                    // All writers share one address; the per-address limit
                    // would otherwise stop them before the kill.
                    "--rate-limit", "posts-ip=1000000/3600"},
                   log_);
      if (wait_until_healthy()) return;
      if (pid_ > 0) {
        kill_now();
        throw std::runtime_error(fmt::format("the server did not answer /healthz within {} s",
                                             kStartTimeout.count()));
      }
    }
    throw std::runtime_error("the server exited on every start attempt");
  }

  void kill_now() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
  }

  std::uint16_t port() const { return port_; }

 private:
  // False with pid_ cleared when the child exited; false with pid_ set when
  // it runs but never became healthy.
  bool wait_until_healthy() {
    const auto deadline = Clock::now() + kStartTimeout;
    while (Clock::now() < deadline) {
      if (const auto exit_code = wait_for_exit(pid_, 0ms)) {
        std::cerr << "noaber serve exited with " << *exit_code << " during start\n";
        pid_ = -1;
        return false;
      }
      try {
        HttpClient probe("127.0.0.1", port_);
        probe.set_timeout(1s);
        if (probe.get("/healthz").status == 200) return true;
      } catch (const std::exception&) {
        // Not listening yet.
      }
      std::this_thread::sleep_for(50ms);
    }
    return false;
  }

  fs::path db_;
  fs::path log_;
  fs::path no_web_;
  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
};

struct Account {
  std::string email;
  std::string token;
  Headers bearer() const { return {{"Authorization", "Bearer " + token}}; }
};

// A post as its writer last heard of it.
struct WrittenPost {
  std::int64_t id = 0;
  const Account* author = nullptr;
  std::string title;  // as last acknowledged
  // The title of an edit that was sent but never answered: the server died
  // in between, so it may or may not have been stored.
  std::optional<std::string> unanswered_title;
};

// What one writer saw in one cycle.
struct WriterReport {
  std::vector<WrittenPost> posts;
  int creates = 0;
  int edits = 0;
  // Set when the server answered anything else than success or (for a
  // new post) 429: a bug.
  std::optional<std::string> unexpected;
  // The failure of the request that was in flight when the server died.
  std::optional<std::string> cut_off_by;
};

// Alternates creating a post and editing one of its own until a request
// fails. Posts are limited per account (429), edits are not; once every
// account has used up its posts the writer keeps editing, so it is always
// busy when the kill comes, however fast the machine.
void write_until_the_server_dies(std::uint16_t port, std::int64_t neighbourhood,
                                 const std::vector<Account>& accounts, int cycle, int writer,
                                 std::atomic<int>& writing, WriterReport& report) {
  HttpClient http("127.0.0.1", port);
  http.set_timeout(10s);
  const std::string create_target =
      fmt::format("/api/v1/neighbourhoods/{}/posts", neighbourhood);
  std::size_t account = 0;
  for (int n = 0;; ++n) {
    const bool create = account < accounts.size() && (n % 2 == 0 || report.posts.empty());
    if (!create && report.posts.empty()) {
      report.unexpected = "no account could create a single post";
      return;
    }
    WrittenPost* edited = create ? nullptr : &report.posts[(n / 2) % report.posts.size()];
    const std::string title =
        create ? fmt::format("Cycle {} writer {} post {}", cycle, writer, n)
               : fmt::format("Cycle {} writer {} post {} edit {}", cycle, writer, edited->id, n);
    ClientResponse r;
    try {
      if (create) {
        r = http.post_json(create_target,
                           {{"kind", n % 4 ? "offer" : "ask"},
                            {"category", "goods"},
                            {"title", title},
                            {"body", "Written just before a *crash*."}},
                           accounts[account].bearer());
      } else {
        edited->unanswered_title = title;
        Headers headers = edited->author->bearer();
        headers.emplace_back("Content-Type", "application/json");
        r = http.request("PATCH", fmt::format("/api/v1/posts/{}", edited->id),
                         json::serialize(json::object{{"title", title}}), headers);
      }
    } catch (const std::exception& e) {
      report.cut_off_by = e.what();
      return;
    }
    if (create && r.status == 201) {
      if (++report.creates == 1) ++writing;
      report.posts.push_back(
          {r.json().at("post").at("id").as_int64(), &accounts[account], title, std::nullopt});
    } else if (create && r.status == 429) {
      ++account;
    } else if (!create && r.status == 200) {
      ++report.edits;
      edited->title = title;
      edited->unanswered_title.reset();
    } else {
      report.unexpected = fmt::format("{} answered {} {}", create ? "create" : "edit", r.status,
                                      r.body);
      return;
    }
  }
}

class CrashTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::make_unique<TempDir>();
    db_ = dir_->file("noaber.db");
    log_ = dir_->file("noaber.log");
    server_ = std::make_unique<ServerProcess>(db_, log_, dir_->file("no-web"));
  }

  void TearDown() override {
    server_.reset();
    if (HasFailure()) std::cerr << "--- noaber log ---\n" << log_excerpt(log_) << "---\n";
  }

  HttpClient client() const {
    HttpClient http("127.0.0.1", server_->port());
    http.set_timeout(10s);
    return http;
  }

  Account register_account(HttpClient& http, const std::string& email) {
    const auto r = http.post_json("/api/v1/auth/register", {{"email", email},
                                                            {"password", kPassword},
                                                            {"display_name", email.substr(0, 8)}});
    if (r.status != 201) throw std::runtime_error("register failed: " + r.body);
    return {email, json::value_to<std::string>(r.json().at("token"))};
  }

  // Every acknowledged post, as the founder sees it through a server that
  // was just restarted: there, with its last acknowledged title or the
  // title of the edit that was cut off. What is found becomes the expected
  // title for the next restart.
  void expect_all_present(std::vector<WrittenPost>& posts, const Account& reader) {
    HttpClient http = client();
    int wrong = 0;
    for (auto& post : posts) {
      const auto r = http.get(fmt::format("/api/v1/posts/{}", post.id), reader.bearer());
      if (r.status == 200) {
        const std::string found = json::value_to<std::string>(r.json().at("post").at("title"));
        if (found == post.title || found == post.unanswered_title) {
          post.title = found;
          post.unanswered_title.reset();
          continue;
        }
      }
      if (++wrong <= 10)
        ADD_FAILURE() << "acknowledged post " << post.id << " (" << post.title
                      << ") is lost or changed: " << r.status << " " << r.body;
    }
    EXPECT_EQ(wrong, 0) << "of " << posts.size() << " acknowledged posts";
  }

  std::unique_ptr<TempDir> dir_;
  fs::path db_;
  fs::path log_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(CrashTest, AcknowledgedPostsSurviveKillNine) {
  ASSERT_EQ(run_to_completion({NOABER_BINARY, "migrate", "--db", db_.string()}, log_, 30s), 0)
      << "noaber migrate failed";

  ASSERT_NO_THROW(server_->start());

  // A founder, a neighbourhood, and verified accounts for the writers.
  HttpClient http = client();
  Account founder;
  ASSERT_NO_THROW(founder = register_account(http, "founder@example.org"));
  const auto founded = http.post_json(
      "/api/v1/neighbourhoods",
      {{"name", "Crashwijk"}, {"region", "Zutphen"}, {"lat", 52.14}, {"lon", 6.2}},
      founder.bearer());
  ASSERT_EQ(founded.status, 201) << founded.body;
  const std::int64_t hood = founded.json().at("neighbourhood").at("id").as_int64();

  std::vector<std::vector<Account>> accounts(kWriters);
  for (int w = 0; w < kWriters; ++w) {
    for (int a = 0; a < kAccountsPerWriter; ++a) {
      Account account;
      ASSERT_NO_THROW(account = register_account(http, fmt::format("w{}a{}@example.org", w, a)));
      const auto invite = http.request(
          "POST", fmt::format("/api/v1/neighbourhoods/{}/invites", hood), "", founder.bearer());
      ASSERT_EQ(invite.status, 201) << invite.body;
      const auto joined =
          http.post_json(fmt::format("/api/v1/neighbourhoods/{}/join", hood),
                         {{"invite_code", invite.json().at("code")}}, account.bearer());
      ASSERT_EQ(joined.status, 201) << joined.body;
      ASSERT_EQ(joined.json().at("membership").at("status").as_string(), "verified");
      accounts[w].push_back(std::move(account));
    }
  }

  const unsigned seed = std::random_device{}();
  SCOPED_TRACE(fmt::format("kill delays from seed {}", seed));
  std::mt19937 random(seed);
  std::uniform_int_distribution<int> kill_delay_ms(kMinKillDelayMs, kMaxKillDelayMs);

  std::vector<WrittenPost> acknowledged;
  for (int cycle = 0; cycle < kCycles; ++cycle) {
    SCOPED_TRACE(fmt::format("cycle {}", cycle));
    std::vector<WriterReport> reports(kWriters);
    std::vector<std::thread> writers;
    std::atomic<int> writing = 0;
    for (int w = 0; w < kWriters; ++w)
      writers.emplace_back(write_until_the_server_dies, server_->port(), hood,
                           std::cref(accounts[w]), cycle, w, std::ref(writing),
                           std::ref(reports[w]));
    // The kill delay counts from the moment every writer is under way, so
    // a slow start on a busy machine cannot leave a cycle without writes.
    const auto started_by = Clock::now() + kStartTimeout;
    while (writing < kWriters && Clock::now() < started_by) std::this_thread::sleep_for(5ms);
    const int delay = kill_delay_ms(random);
    std::this_thread::sleep_for(std::chrono::milliseconds(delay));
    server_->kill_now();
    for (auto& writer : writers) writer.join();

    int creates = 0;
    int edits = 0;
    int cut_off = 0;
    for (int w = 0; w < kWriters; ++w) {
      EXPECT_FALSE(reports[w].unexpected) << "writer " << w << ": " << *reports[w].unexpected;
      creates += reports[w].creates;
      edits += reports[w].edits;
      cut_off += reports[w].cut_off_by ? 1 : 0;
      acknowledged.insert(acknowledged.end(), reports[w].posts.begin(), reports[w].posts.end());
    }
    std::cout << fmt::format(
        "cycle {}: killed {} ms into writing with {} of {} writers in the middle of a request; "
        "{} creates and {} edits acknowledged\n",
        cycle, delay, cut_off, kWriters, creates, edits);
    // Every writer must have been stopped by the kill, not by anything else.
    EXPECT_EQ(cut_off, kWriters);
    EXPECT_GE(creates, kWriters);

    ASSERT_NO_THROW(server_->start());
    expect_all_present(acknowledged, founder);
    if (HasFailure()) return;
  }

  // Ids are never handed out twice, not even across crashes.
  std::map<std::int64_t, int> seen;
  for (const auto& post : acknowledged) EXPECT_EQ(++seen[post.id], 1) << "id " << post.id;
}

}  // namespace
}  // namespace noaber::test
