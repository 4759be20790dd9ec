#pragma once
// Errors are values: every expected failure travels as an Error inside a
// Result. The http layer maps each ErrorCode to exactly one status code
// (http/error_mapping.cpp) and puts code_name() on the wire, where clients and
// the web app translate it.

#include <expected>
#include <map>
#include <string>
#include <string_view>
#include <utility>

namespace noaber {

enum class ErrorCode {
  bad_request,            // malformed input: JSON syntax, types, query params
  validation_failed,      // well-formed input that breaks a rule; see fields
  unauthenticated,        // no or expired session
  invalid_credentials,    // login failed
  forbidden,              // role does not allow it
  not_verified,           // member, but not yet verified
  csrf_failed,            // cookie-authenticated change without CSRF token
  not_found,              // no such thing, or not visible to this user
  method_not_allowed,
  conflict,               // state does not allow it
  email_taken,
  payload_too_large,
  unsupported_media_type,
  rate_limited,
  unavailable,            // overloaded or shutting down; try again later
  internal,               // a bug or a failing store; details only in the log
};

std::string_view code_name(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::internal;
  // Safe to show to the client; never carries internals.
  std::string message;
  // field name -> rule code, for validation_failed.
  std::map<std::string, std::string> fields;
  // Seconds, for rate_limited.
  int retry_after = 0;
};

template <typename T>
using Result = std::expected<T, Error>;

// Result of an operation that yields nothing but may fail.
using Status = std::expected<void, Error>;

inline std::unexpected<Error> fail(ErrorCode code, std::string message) {
  return std::unexpected(Error{code, std::move(message), {}, 0});
}

inline std::unexpected<Error> fail(Error error) {
  return std::unexpected(std::move(error));
}

// Collects per-field rule violations and turns them into one
// validation_failed error, so a form can show every problem at once.
class FieldErrors {
 public:
  void add(std::string field, std::string rule) {
    fields_.emplace(std::move(field), std::move(rule));
  }
  bool empty() const { return fields_.empty(); }
  Error to_error() const {
    return Error{ErrorCode::validation_failed, "Some fields are not valid.",
                 fields_, 0};
  }
  Status status() const {
    if (fields_.empty()) return {};
    return std::unexpected(to_error());
  }

 private:
  std::map<std::string, std::string> fields_;
};

}  // namespace noaber
