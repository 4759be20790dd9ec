#pragma once
// The Store contract suite: one set of typed tests that every backend must
// pass. A backend joins by adding a factory type to StoreBackends; a factory
// gives each test its own empty database and can open further stores on it
// (to test reopening and concurrent processes).
//
// Factory requirements:
//   using StoreType = ...;            // has migrate() and schema_version()
//   static constexpr const char* kName;
//   std::unique_ptr<StoreType> open(); // a new store on this test's database
// and optionally, for a backend that needs a server:
//   static std::optional<std::string> skip_reason(); // set: skip the test

#include <gtest/gtest.h>

#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>

#include "core/error.h"
#include "core/types.h"
#include "postgres_factory.h"
#include "store/sqlite/sqlite_store.h"
#include "store/store.h"

namespace noaber::testing {

// A fresh directory under /tmp, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "noaber-store-XXXXXX").string();
    if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

class SqliteFactory {
 public:
  using StoreType = SqliteStore;
  static constexpr const char* kName = "sqlite";

  std::unique_ptr<SqliteStore> open() {
    return std::make_unique<SqliteStore>(SqliteOptions{.path = database_path()});
  }
  std::string database_path() const { return (dir_.path() / "noaber.db").string(); }

 private:
  TempDir dir_;
};

using StoreBackends = ::testing::Types<SqliteFactory, PostgresFactory>;

struct BackendName {
  template <typename Factory>
  static std::string GetName(int) {
    return Factory::kName;
  }
};

// The value of a store call that must succeed; a failure ends the test with
// the error code in the report.
template <typename T>
T must(Result<T> result) {
  if (!result) {
    ADD_FAILURE() << "store call failed: " << code_name(result.error().code) << ": "
                  << result.error().message;
    throw std::runtime_error("store call failed");
  }
  return std::move(*result);
}

inline void must(Status status) {
  if (!status) {
    ADD_FAILURE() << "store call failed: " << code_name(status.error().code) << ": "
                  << status.error().message;
    throw std::runtime_error("store call failed");
  }
}

// The error code of a call that must fail.
template <typename T>
ErrorCode error_of(const std::expected<T, Error>& result) {
  if (result) {
    ADD_FAILURE() << "store call succeeded but should have failed";
    throw std::runtime_error("store call succeeded");
  }
  return result.error().code;
}

// Real-ish Dutch places (centroids in degrees).
struct Place {
  double lat;
  double lon;
};
// Utrecht, around the Dom tower.
inline constexpr Place kUtrecht{52.0907, 5.1214};
// About 1 km east of kUtrecht.
inline constexpr Place kUtrechtEast{52.0907, 5.1360};
// About 1 km north of kUtrecht.
inline constexpr Place kUtrechtNorth{52.0997, 5.1214};
// About 10 km north of kUtrecht (towards Maarssen).
inline constexpr Place kMaarssen{52.1806, 5.1214};
// Amsterdam, about 35 km away.
inline constexpr Place kAmsterdam{52.3731, 4.8926};

inline constexpr double kNearbyKm = 2.0;

template <typename Factory>
class StoreContract : public ::testing::Test {
 protected:
  // A skip in the constructor (not SetUp) also skips the SetUp of fixtures
  // derived from this one. GTEST_SKIP returns, hence the lambda.
  StoreContract() {
    if constexpr (requires { Factory::skip_reason(); }) {
      if (const auto reason = Factory::skip_reason()) [&] { GTEST_SKIP() << *reason; }();
    }
  }

  void SetUp() override {
    store_ = factory_.open();
    store_->migrate();
  }

  Store& store() { return *store_; }
  typename Factory::StoreType& backend() { return *store_; }
  Factory& factory() { return factory_; }

  // Closes the store; reopen() opens it again.
  void close() { store_.reset(); }

  // Closes the store and opens a new one on the same database.
  void reopen() {
    store_.reset();
    store_ = factory_.open();
    store_->migrate();
  }

  // A fixed clock: `at(s)` is s seconds after the start of every test.
  static TimePoint at(std::int64_t seconds) {
    return TimePoint(std::chrono::seconds(1'700'000'000 + seconds));
  }

  User user(const std::string& name) {
    return must(store().create_user(NewUser{
        .email = name + "@example.org",
        .display_name = name,
        .locale = Locale::nl,
        .password_hash = "hash-of-" + name,
        .created_at = at(0),
    }));
  }

  Neighbourhood neighbourhood(const std::string& name, const std::string& region, Place place,
                              UserId founder) {
    return must(store().create_neighbourhood(
        NewNeighbourhood{
            .name = name,
            .region_name = region,
            .lat = place.lat,
            .lon = place.lon,
            .founder = founder,
            .created_at = at(10),
        },
        kNearbyKm));
  }

  // A neighbourhood founded by a new user named after it.
  Neighbourhood neighbourhood(const std::string& name, const std::string& region, Place place) {
    return neighbourhood(name, region, place, user("founder-of-" + name).id);
  }

  Membership member(NeighbourhoodId n, UserId u, Role role = Role::resident,
                    MemberStatus status = MemberStatus::verified) {
    return must(store().add_member(NewMembership{
        .neighbourhood_id = n, .user_id = u, .role = role, .status = status, .joined_at = at(20)}));
  }

  NewPost new_post(NeighbourhoodId n, UserId author, Visibility visibility,
                   PostKind kind = PostKind::ask, Category category = Category::goods) {
    return NewPost{
        .neighbourhood_id = n,
        .author_id = author,
        .kind = kind,
        .category = category,
        .title = "Ladder lenen",
        .body = "Wie heeft een *ladder*?",
        .body_html = "<p>Wie heeft een <em>ladder</em>?</p>",
        .visibility = visibility,
        .created_at = at(100),
        .expires_at = std::nullopt,
    };
  }

  Post post(NeighbourhoodId n, UserId author, Visibility visibility = Visibility::neighbourhood,
            PostKind kind = PostKind::ask, Category category = Category::goods) {
    return must(store().create_post(new_post(n, author, visibility, kind, category)));
  }

  PostResponse respond(PostId p, UserId responder) {
    return must(store().create_response(NewResponse{
        .post_id = p,
        .responder_id = responder,
        .message = "Ik kan helpen",
        .created_at = at(200)}));
  }

 private:
  Factory factory_;
  std::unique_ptr<typename Factory::StoreType> store_;
};

}  // namespace noaber::testing
