#pragma once
// Registering, logging in and out, resolving a session token to a user, and
// what a person can do about their own account: change the password, end
// every session, export everything held about them, erase it (AVG/GDPR).

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/error.h"
#include "core/types.h"
#include "events/event_bus.h"
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
  // Guessing the current password through POST /me/password or DELETE /me
  // with a stolen session is limited like guessing it at login.
  RateLimit password_per_user{10, std::chrono::minutes(5)};
  // A session ends when unused this long (OWASP ASVS 5.0 level 2: idle and
  // absolute lifetimes), and at the latest this long after the login.
  std::chrono::seconds session_idle = std::chrono::days(14);
  std::chrono::seconds session_absolute = std::chrono::days(90);
};

// last_seen_at moves at most this often per session: the idle limit is
// days, so a write per request would cost more than it tells.
inline constexpr std::chrono::seconds kSessionTouchInterval{60};

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
                 RandomSource& random, RateLimiter& limiter, EventBus& events,
                 AccountPolicy policy);

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

  // Ends every session of the user, this one included.
  Status logout_everywhere(UserId user);
  // Slow (argon2id): run on the worker pool. invalid_credentials when
  // `current` is wrong (rate limited per user); the new password is checked
  // like at registration (field new_password). Every session of the user
  // but `keep_token_hash` (the one asking) ends.
  Status change_password(UserId user, std::string_view keep_token_hash,
                         std::string_view current, std::string_view new_password);
  // Everything held about the user; the asking session is marked current and
  // no token hash leaves this service.
  Result<UserExport> export_data(UserId user, std::string_view current_token_hash);
  // Slow (argon2id): run on the worker pool. Erases the account after
  // checking the password (invalid_credentials, rate limited per user); what
  // the person wrote stays, shown as by a former neighbour.
  Status delete_account(UserId user, std::string_view password);

 private:
  Result<NewSessionResult> start_session(User user);
  // invalid_credentials unless `password` is the user's (rate limited).
  Status check_own_password(UserId user, std::string_view password);

  Store& store_;
  const Clock& clock_;
  const PasswordHasher& hasher_;
  RandomSource& random_;
  RateLimiter& limiter_;
  EventBus& events_;  // access changes end live feeds (services/live_feed.h)
  AccountPolicy policy_;
  std::string dummy_hash_;  // verified against when the email is unknown
};

}  // namespace noaber
