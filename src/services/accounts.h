#pragma once
// Registering, logging in and out, and resolving a session token to a user.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/error.h"
#include "core/types.h"
#include "services/password_hasher.h"
#include "services/rate_limiter.h"
#include "services/tokens.h"
#include "store/store.h"

namespace noaber {

struct AccountPolicy {
  RateLimit register_per_ip{20, std::chrono::hours(1)};
  RateLimit register_per_email{5, std::chrono::hours(1)};
  RateLimit login_per_ip{60, std::chrono::minutes(5)};
  RateLimit login_per_email{10, std::chrono::minutes(5)};
  std::chrono::seconds session_lifetime = std::chrono::days(30);
};

struct RegisterInput {
  std::string email;
  std::string password;
  std::string display_name;
  std::optional<std::string> locale;
};

// A fresh session: the token goes to the client once and is stored only
// as a hash.
struct NewSessionResult {
  User user;
  std::string token;
  std::string csrf_token;
  TimePoint expires_at;
};

struct Authenticated {
  UserId user_id;
  std::string token_hash;
};

struct MeView {
  User user;
  std::vector<Membership> memberships;
};

class AccountService {
 public:
  AccountService(Store& store, const Clock& clock, const PasswordHasher& hasher,
                 RandomSource& random, RateLimiter& limiter, AccountPolicy policy);

  // Slow (argon2id): run on the worker pool.
  Result<NewSessionResult> register_user(const RegisterInput& input, std::string_view client_ip);
  // Slow (argon2id): run on the worker pool. Unknown email and wrong
  // password take the same time and give the same error.
  Result<NewSessionResult> login(std::string_view email, std::string_view password,
                                 std::string_view client_ip);
  Status logout(std::string_view token);
  // unauthenticated for an unknown or expired token.
  Result<Authenticated> authenticate(std::string_view token);
  Result<MeView> me(UserId user);

 private:
  Result<NewSessionResult> start_session(User user);

  Store& store_;
  const Clock& clock_;
  const PasswordHasher& hasher_;
  RandomSource& random_;
  RateLimiter& limiter_;
  AccountPolicy policy_;
  std::string dummy_hash_;  // verified against when the email is unknown
};

}  // namespace noaber
