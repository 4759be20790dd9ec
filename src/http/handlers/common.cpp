#include "http/handlers/common.h"

#include <charconv>

#include "core/cursor.h"
#include "core/validation.h"

namespace noaber::http::handlers {

Result<Paging> parse_paging(const QueryParams& query) {
  Paging paging;
  if (auto limit = query.get("limit")) {
    int value = 0;
    const auto [end, ec] = std::from_chars(limit->data(), limit->data() + limit->size(), value);
    if (ec != std::errc() || end != limit->data() + limit->size() || value < 1 ||
        value > limits::kPageMax)
      return fail(ErrorCode::bad_request, "limit must be a whole number from 1 to 100.");
    paging.limit = value;
  }
  if (auto cursor = query.get("cursor"); cursor && !cursor->empty()) {
    auto id = decode_cursor(*cursor);
    if (!id) return fail(ErrorCode::bad_request, "cursor is not one this server gave out.");
    paging.before = *id;
  }
  return paging;
}

std::string session_cookie(const RequestContext& ctx, std::string_view token,
                           std::chrono::seconds max_age) {
  std::string cookie = std::string(kSessionCookie) + "=" + std::string(token) +
                       "; HttpOnly; SameSite=Lax; Path=/; Max-Age=" +
                       std::to_string(max_age.count());
  if (ctx.options.secure_cookies) cookie += "; Secure";
  return cookie;
}

}  // namespace noaber::http::handlers
