#pragma once
// Small pieces the handlers share.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "http/json_io.h"
#include "http/router.h"

namespace noaber::http::handlers {

struct Paging {
  int limit = 20;
  std::optional<std::int64_t> before;  // from the opaque cursor
};

// limit (1..100, default 20) and cursor from the query; bad_request otherwise.
Result<Paging> parse_paging(const QueryParams& query);

// The Set-Cookie value carrying the session token; an empty token with
// max_age 0 clears it.
std::string session_cookie(const RequestContext& ctx, std::string_view token,
                           std::chrono::seconds max_age);

// A service's answer as HTTP: {"<key>": to_json(value)} with `status`, or
// the error it carries.
template <typename T, typename ToJson>
HttpResponse reply(const Result<T>& result, int status, std::string_view key, ToJson&& to_json) {
  if (!result) return error_response(result.error());
  return json_response(status, boost::json::object{{key, to_json(*result)}});
}

}  // namespace noaber::http::handlers
