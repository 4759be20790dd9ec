#include "services/accounts.h"

#include "core/validation.h"

namespace noaber {

AccountService::AccountService(Store& store, const Clock& clock, const PasswordHasher& hasher,
                               RandomSource& random, RateLimiter& limiter, EventBus& events,
                               AccountPolicy policy)
    : store_(store),
      clock_(clock),
      hasher_(hasher),
      random_(random),
      limiter_(limiter),
      events_(events),
      policy_(policy),
      dummy_hash_(hasher.hash("noaber-timing-equaliser")) {}

Result<NewSessionResult> AccountService::register_user(const RegisterInput& input,
                                                       std::string_view client_ip) {
  const std::string email = normalize_email(input.email);
  const std::string name = trim(input.display_name);
  FieldErrors errors;
  check_email(email, errors);
  check_password(input.password, "password", errors);
  check_display_name(name, errors);
  Locale locale = Locale::nl;
  if (input.locale) {
    if (auto l = parse_locale(*input.locale))
      locale = *l;
    else
      errors.add("locale", "invalid");
  }
  if (auto s = errors.status(); !s) return fail(s.error());

  if (auto s = limiter_.hit("register-ip:" + std::string(client_ip), policy_.register_per_ip); !s)
    return fail(s.error());
  if (auto s = limiter_.hit("register-email:" + email, policy_.register_per_email); !s)
    return fail(s.error());

  auto user = store_.create_user(NewUser{email, name, locale, hasher_.hash(input.password),
                                         clock_.now()});
  if (!user) {
    if (user.error().code == ErrorCode::email_taken)
      return fail(ErrorCode::email_taken, "An account with this email address exists already.");
    return fail(user.error());
  }
  return start_session(std::move(*user));
}

Result<NewSessionResult> AccountService::login(std::string_view email_input,
                                               std::string_view password,
                                               std::string_view client_ip) {
  const std::string email = normalize_email(email_input);
  if (auto s = limiter_.hit("login-ip:" + std::string(client_ip), policy_.login_per_ip); !s)
    return fail(s.error());
  if (auto s = limiter_.hit("login-email:" + email, policy_.login_per_email); !s)
    return fail(s.error());

  auto credentials = store_.find_credentials(email);
  if (!credentials && credentials.error().code != ErrorCode::not_found)
    return fail(credentials.error());
  const bool ok = credentials ? hasher_.verify(credentials->password_hash, password)
                              : (hasher_.verify(dummy_hash_, password), false);
  if (!ok) return fail(ErrorCode::invalid_credentials, "Email address or password is not right.");

  auto user = store_.get_user(credentials->id);
  if (!user) return fail(user.error());
  return start_session(std::move(*user));
}

Result<NewSessionResult> AccountService::start_session(User user) {
  std::string token = new_session_token(random_);
  const TimePoint now = clock_.now();
  const TimePoint expires = now + policy_.session_absolute;
  if (auto s = store_.create_session(NewSession{hash_secret(token), user.id, now, expires}); !s)
    return fail(s.error());
  std::string csrf = csrf_token_for(token);
  return NewSessionResult{std::move(user), std::move(token), std::move(csrf), expires};
}

Status AccountService::logout(std::string_view token) {
  const std::string token_hash = hash_secret(token);
  // Whose it was, so the streams opened with it can end.
  auto session = store_.find_session(token_hash, clock_.now());
  if (auto s = store_.delete_session(token_hash); !s) return s;
  if (session) events_.publish(AccessChangedEvent{session->user_id});
  return {};
}

Result<Authenticated> AccountService::authenticate(std::string_view token) {
  std::string token_hash = hash_secret(token);
  const TimePoint now = clock_.now();
  auto session = store_.find_session(token_hash, now);
  if (!session) {
    if (session.error().code == ErrorCode::not_found)
      return fail(ErrorCode::unauthenticated, "Please log in.");
    return fail(session.error());
  }
  if (now - session->last_seen_at > policy_.session_idle) {
    // Idle too long: refused whatever happens to the row; deleting it keeps
    // the table small, and a failed delete is refused again next time.
    (void)store_.delete_session(token_hash);
    return fail(ErrorCode::unauthenticated, "Please log in.");
  }
  if (now - session->last_seen_at >= kSessionTouchInterval) {
    // A failed touch only lets the idle clock lag by a minute more; the
    // request itself need not fail for it.
    (void)store_.touch_session(token_hash, now);
  }
  return Authenticated{session->user_id, std::move(token_hash)};
}

Result<MeView> AccountService::me(UserId id) {
  auto user = store_.get_user(id);
  if (!user) return fail(user.error());
  auto memberships = store_.memberships_of(id);
  if (!memberships) return fail(memberships.error());
  return MeView{std::move(*user), std::move(*memberships)};
}

Status AccountService::logout_everywhere(UserId user) {
  if (auto s = store_.delete_sessions_of(user, ""); !s) return s;
  events_.publish(AccessChangedEvent{user});
  return {};
}

Status AccountService::check_own_password(UserId user, std::string_view password) {
  if (auto s = limiter_.hit("password-user:" + std::to_string(user.value),
                            policy_.password_per_user);
      !s)
    return fail(s.error());
  auto credentials = store_.credentials_of(user);
  if (!credentials) return fail(credentials.error());
  if (!hasher_.verify(credentials->password_hash, password))
    return fail(ErrorCode::invalid_credentials, "The password is not right.");
  return {};
}

Status AccountService::change_password(UserId user, std::string_view keep_token_hash,
                                       std::string_view current,
                                       std::string_view new_password) {
  FieldErrors errors;
  if (current.empty()) errors.add("current_password", "required");
  check_password(new_password, "new_password", errors);
  if (auto s = errors.status(); !s) return s;
  if (auto s = check_own_password(user, current); !s) return s;
  if (auto s = store_.set_password(user, hasher_.hash(new_password), keep_token_hash); !s)
    return s;
  events_.publish(AccessChangedEvent{user});  // the other sessions' streams end
  return {};
}

Result<UserExport> AccountService::export_data(UserId user,
                                               std::string_view current_token_hash) {
  auto data = store_.export_user(user, clock_.now());
  if (!data) return data;
  for (auto& session : data->sessions) {
    session.current = session.token_hash == current_token_hash;
    session.token_hash.clear();
  }
  return data;
}

Status AccountService::delete_account(UserId user, std::string_view password) {
  FieldErrors errors;
  if (password.empty()) errors.add("password", "required");
  if (auto s = errors.status(); !s) return s;
  if (auto s = check_own_password(user, password); !s) return s;
  if (auto s = store_.erase_user(user, clock_.now()); !s) return s;
  events_.publish(AccessChangedEvent{user});
  return {};
}

}  // namespace noaber
