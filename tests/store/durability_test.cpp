// Store contract: migrations, persistence, a killed process, and many
// threads at once.

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "store_contract.h"

namespace noaber::testing {
namespace {

template <typename Factory>
class Durability : public StoreContract<Factory> {
 protected:
  // Every post the feed of `n` shows, following the cursor to the end.
  std::vector<Post> whole_feed(NeighbourhoodId n) {
    std::vector<Post> all;
    std::optional<PostId> cursor;
    while (true) {
      auto page = must(this->store().feed({.neighbourhood_id = n, .before = cursor, .limit = 50}));
      all.insert(all.end(), page.begin(), page.end());
      if (page.size() < 50) return all;
      cursor = page.back().id;
    }
  }
};
TYPED_TEST_SUITE(Durability, StoreBackends, BackendName);

TYPED_TEST(Durability, MigrationsApplyOnce) {
  TypeParam fresh;
  auto store = fresh.open();
  EXPECT_EQ(store->schema_version(), 0);
  EXPECT_GE(store->migrate(), 1);
  const int version = store->schema_version();
  EXPECT_GE(version, 1);
  EXPECT_EQ(store->migrate(), 0);
  store.reset();

  store = fresh.open();
  EXPECT_EQ(store->migrate(), 0);
  EXPECT_EQ(store->schema_version(), version);
  EXPECT_TRUE(store->ping().has_value());
}

TYPED_TEST(Durability, DataSurvivesReopening) {
  const User anna = this->user("anna");
  const auto wijk = this->neighbourhood("Lombok", "Utrecht", kUtrecht, anna.id);
  const auto near = this->neighbourhood("Oost", "Utrecht", kUtrechtEast);
  const Post p = this->post(wijk.id, anna.id, Visibility::nearby);
  const User bert = this->user("bert");
  const auto response = this->respond(p.id, bert.id);
  must(this->store().create_session(NewSession{.token_hash = "hash-1", .user_id = anna.id,
                                               .created_at = this->at(0),
                                               .expires_at = this->at(3600)}));

  this->reopen();

  EXPECT_EQ(must(this->store().get_user(anna.id)).email, "anna@example.org");
  EXPECT_EQ(must(this->store().find_session("hash-1", this->at(1))).user_id, anna.id);
  EXPECT_EQ(must(this->store().get_neighbourhood(wijk.id)).member_count, 1);
  EXPECT_TRUE(must(this->store().are_nearby(near.id, wijk.id)));
  const Post read = must(this->store().get_post(p.id));
  EXPECT_EQ(read.title, p.title);
  EXPECT_EQ(read.response_count, 1);
  EXPECT_EQ(must(this->store().get_response(response.id)).responder.id, bert.id);
  EXPECT_EQ(this->whole_feed(near.id).size(), 1u);
}

// A write answered with success is on disk: kill the writing process at an
// arbitrary moment and every write it reported is there after reopening.
TYPED_TEST(Durability, AnsweredWritesSurviveKill9) {
  // The child opens its own store: SQLite connections must not cross fork().
  this->close();
  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    close(pipe_fds[0]);
    auto store = this->factory().open();
    for (int i = 0;; ++i) {
      auto created = store->create_user(NewUser{
          .email = "user" + std::to_string(i) + "@example.org", .display_name = "u",
          .password_hash = "x", .created_at = this->at(i)});
      if (!created) _exit(2);
      const std::int64_t id = created->id.value;
      if (::write(pipe_fds[1], &id, sizeof id) != sizeof id) _exit(3);
    }
  }
  close(pipe_fds[1]);
  std::vector<std::int64_t> reported;
  std::int64_t id = 0;
  while (reported.size() < 200 && ::read(pipe_fds[0], &id, sizeof id) == sizeof id)
    reported.push_back(id);
  kill(child, SIGKILL);
  int status = 0;
  waitpid(child, &status, 0);
  close(pipe_fds[0]);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the writer stopped by itself, status " << status;
  ASSERT_EQ(reported.size(), 200u);

  this->reopen();
  for (const std::int64_t written : reported)
    EXPECT_TRUE(this->store().get_user(UserId{written}).has_value()) << "lost user " << written;
}

TYPED_TEST(Durability, ConcurrentWritersLoseNothing) {
  constexpr int kWriters = 8;
  constexpr int kPostsEach = 25;
  const auto wijk = this->neighbourhood("Lombok", "Utrecht", kUtrecht);
  const auto near = this->neighbourhood("Oost", "Utrecht", kUtrechtEast);
  const Post shared = this->post(near.id, this->user("olga").id, Visibility::nearby);

  std::atomic<int> failures{0};
  std::atomic<bool> writing{true};
  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      auto ok = [&](bool success) {
        if (!success) ++failures;
      };
      auto me = this->store().create_user(NewUser{
          .email = "writer" + std::to_string(w) + "@example.org",
          .display_name = "writer " + std::to_string(w), .password_hash = "x",
          .created_at = this->at(w)});
      if (!me) return ok(false);
      ok(this->store()
             .add_member(NewMembership{.neighbourhood_id = wijk.id, .user_id = me->id,
                                       .role = Role::professional,
                                       .status = MemberStatus::verified, .joined_at = this->at(1)})
             .has_value());
      ok(this->store()
             .create_response(NewResponse{.post_id = shared.id, .responder_id = me->id,
                                          .created_at = this->at(2)})
             .has_value());
      for (int i = 0; i < kPostsEach; ++i) {
        ok(this->store()
               .create_post(this->new_post(wijk.id, me->id, Visibility::neighbourhood))
               .has_value());
      }
    });
  }
  // Readers run beside the writers and must never fail.
  for (int r = 0; r < 2; ++r) {
    threads.emplace_back([&] {
      while (writing) {
        if (!this->store().feed({.neighbourhood_id = wijk.id, .limit = 30}).has_value()) ++failures;
        if (!this->store().get_neighbourhood(wijk.id).has_value()) ++failures;
      }
    });
  }
  for (int w = 0; w < kWriters; ++w) threads[w].join();
  writing = false;
  for (std::size_t t = kWriters; t < threads.size(); ++t) threads[t].join();

  EXPECT_EQ(failures, 0);
  const auto feed = this->whole_feed(wijk.id);
  EXPECT_EQ(feed.size(), static_cast<std::size_t>(kWriters * kPostsEach + 1));
  std::set<std::int64_t> ids;
  for (const Post& p : feed) ids.insert(p.id.value);
  EXPECT_EQ(ids.size(), feed.size());
  EXPECT_EQ(must(this->store().get_neighbourhood(wijk.id)).member_count, 1 + kWriters);
  EXPECT_EQ(must(this->store().get_post(shared.id)).response_count, kWriters);
  EXPECT_EQ(must(this->store().responses_for(shared.id)).size(),
            static_cast<std::size_t>(kWriters));
}

// Many writers at once (on SQLite they share group commits): each gets its
// own answer, and a writer that fails — a taken email, a neighbourhood that
// does not exist — changes nothing for the others.
TYPED_TEST(Durability, ConcurrentWritersGetTheirOwnAnswers) {
  constexpr int kWriters = 16;
  constexpr int kRounds = 10;
  const User taken = this->user("taken");
  const auto wijk = this->neighbourhood("Lombok", "Utrecht", kUtrecht);
  const NeighbourhoodId nowhere{wijk.id.value + 1000};

  struct Answers {
    std::vector<User> users;
    std::vector<Post> posts;
    int refused = 0;
    int wrong = 0;  // an answer that is not what this writer asked for
  };
  std::vector<Answers> answers(kWriters);
  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      Answers& mine = answers[w];
      for (int round = 0; round < kRounds; ++round) {
        const std::string name = "w" + std::to_string(w) + "r" + std::to_string(round);
        // Every fourth writer registers the taken email and must be refused.
        const bool clash = w % 4 == 3;
        auto user = this->store().create_user(NewUser{
            .email = clash ? "taken@example.org" : name + "@example.org",
            .display_name = name, .password_hash = "x", .created_at = this->at(round)});
        if (clash) {
          if (!user && user.error().code == ErrorCode::email_taken) ++mine.refused;
          else ++mine.wrong;
          user = taken;
        } else if (!user || user->display_name != name) {
          ++mine.wrong;
          continue;
        } else {
          mine.users.push_back(*user);
        }
        // Every fourth writer posts in a neighbourhood that does not exist.
        const bool lost = w % 4 == 2;
        NewPost p = this->new_post(lost ? nowhere : wijk.id, user->id, Visibility::neighbourhood);
        p.title = "post " + name;
        const auto post = this->store().create_post(p);
        if (lost) {
          if (!post && post.error().code == ErrorCode::not_found) ++mine.refused;
          else ++mine.wrong;
        } else if (!post || post->title != p.title || post->author.id != user->id) {
          ++mine.wrong;
        } else {
          mine.posts.push_back(*post);
        }
      }
    });
  }
  for (auto& t : threads) t.join();

  std::set<std::int64_t> user_ids;
  std::set<std::int64_t> post_ids;
  std::size_t posts = 0;
  for (int w = 0; w < kWriters; ++w) {
    const Answers& mine = answers[w];
    EXPECT_EQ(mine.wrong, 0) << "writer " << w;
    EXPECT_EQ(mine.refused, w % 4 >= 2 ? kRounds : 0) << "writer " << w;
    for (const User& u : mine.users) {
      user_ids.insert(u.id.value);
      EXPECT_EQ(must(this->store().get_user(u.id)).display_name, u.display_name);
    }
    for (const Post& p : mine.posts) {
      post_ids.insert(p.id.value);
      EXPECT_EQ(must(this->store().get_post(p.id)).title, p.title);
    }
    posts += mine.posts.size();
  }
  // Distinct ids, and exactly the answered rows exist.
  EXPECT_EQ(user_ids.size(), static_cast<std::size_t>(kWriters - kWriters / 4) * kRounds);
  EXPECT_EQ(post_ids.size(), posts);
  EXPECT_EQ(posts, static_cast<std::size_t>(kWriters - kWriters / 4) * kRounds);
  EXPECT_EQ(this->whole_feed(wijk.id).size(), posts);
}

TYPED_TEST(Durability, RacingRequestsHaveOneWinner) {
  constexpr int kRacers = 6;
  const User anna = this->user("anna");
  const auto wijk = this->neighbourhood("Lombok", "Utrecht", kUtrecht, anna.id);
  const Post p = this->post(wijk.id, anna.id);
  must(this->store().accept_response(this->respond(p.id, this->user("bert").id).id, this->at(300)));

  std::atomic<int> completed{0};
  std::atomic<int> conflicts{0};
  std::atomic<int> registered{0};
  std::atomic<int> taken{0};
  std::vector<std::thread> racers;
  for (int i = 0; i < kRacers; ++i) {
    racers.emplace_back([&, i] {
      const auto done = this->store().complete_post(
          Completion{.post_id = p.id, .completed_at = this->at(400 + i)});
      if (done) ++completed;
      else if (done.error().code == ErrorCode::conflict) ++conflicts;
      const auto user = this->store().create_user(NewUser{
          .email = "same@example.org", .display_name = "same", .password_hash = "x",
          .created_at = this->at(i)});
      if (user) ++registered;
      else if (user.error().code == ErrorCode::email_taken) ++taken;
    });
  }
  for (auto& t : racers) t.join();

  EXPECT_EQ(completed, 1);
  EXPECT_EQ(conflicts, kRacers - 1);
  EXPECT_EQ(registered, 1);
  EXPECT_EQ(taken, kRacers - 1);
  EXPECT_EQ(must(this->store().exchanges(wijk.id, std::nullopt, 10)).size(), 1u);
}

}  // namespace
}  // namespace noaber::testing
