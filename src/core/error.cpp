#include "core/error.h"

namespace noaber {

std::string_view code_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::bad_request: return "bad_request";
    case ErrorCode::validation_failed: return "validation_failed";
    case ErrorCode::unauthenticated: return "unauthenticated";
    case ErrorCode::invalid_credentials: return "invalid_credentials";
    case ErrorCode::forbidden: return "forbidden";
    case ErrorCode::not_verified: return "not_verified";
    case ErrorCode::csrf_failed: return "csrf_failed";
    case ErrorCode::not_found: return "not_found";
    case ErrorCode::method_not_allowed: return "method_not_allowed";
    case ErrorCode::conflict: return "conflict";
    case ErrorCode::email_taken: return "email_taken";
    case ErrorCode::payload_too_large: return "payload_too_large";
    case ErrorCode::unsupported_media_type: return "unsupported_media_type";
    case ErrorCode::rate_limited: return "rate_limited";
    case ErrorCode::unavailable: return "unavailable";
    case ErrorCode::internal: return "internal";
  }
  return "internal";
}

}  // namespace noaber
