#include "http/router.h"

#include <boost/json/serialize.hpp>
#include <sodium.h>

#include <spdlog/spdlog.h>

namespace noaber::http {
namespace {

bool is_safe_method(std::string_view method) { return method == "GET" || method == "HEAD"; }

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> parts;
  std::size_t start = 1;
  while (start <= path.size()) {
    const auto slash = path.find('/', start);
    const auto end = slash == std::string_view::npos ? path.size() : slash;
    parts.push_back(path.substr(start, end - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return parts;
}

// The session token from "Authorization: Bearer ..." or the session cookie.
struct PresentedToken {
  std::string token;
  bool from_cookie = false;
};

std::optional<PresentedToken> presented_token(const HttpRequest& request) {
  if (auto auth = request.header("authorization")) {
    constexpr std::string_view kBearer = "Bearer ";
    if (auth->size() > kBearer.size() && auth->substr(0, kBearer.size()) == kBearer)
      return PresentedToken{std::string(auth->substr(kBearer.size())), false};
    return std::nullopt;
  }
  for (const auto& [name, value] : request.headers) {
    if (name != "cookie") continue;
    std::string_view rest = value;
    while (!rest.empty()) {
      const auto semi = rest.find(';');
      std::string_view pair = rest.substr(0, semi);
      rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
      while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
      const auto eq = pair.find('=');
      if (eq != std::string_view::npos && pair.substr(0, eq) == kSessionCookie)
        return PresentedToken{std::string(pair.substr(eq + 1)), true};
    }
  }
  return std::nullopt;
}

bool same_secret(std::string_view a, std::string_view b) {
  return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool is_loopback(std::string_view address) {
  return address.starts_with("127.") || address == "::1" || address.starts_with("::ffff:127.");
}

// Every route's pattern split into segments once, in the order of routes():
// matching runs twice per request (needs_worker, then handle) and must not
// re-split the whole table each time.
const std::vector<std::vector<std::string_view>>& split_patterns() {
  static const auto patterns = [] {
    std::vector<std::vector<std::string_view>> out;
    for (const Route& route : routes()) out.push_back(split_path(route.pattern));
    return out;
  }();
  return patterns;
}

bool is_parameter(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

// Whether a route's pattern fits the path's segments: literal segments
// equal, parameters anything.
bool fits(const std::vector<std::string_view>& pattern,
          const std::vector<std::string_view>& parts) {
  if (pattern.size() != parts.size()) return false;
  for (std::size_t i = 0; i < parts.size(); ++i)
    if (!is_parameter(pattern[i]) && pattern[i] != parts[i]) return false;
  return true;
}

}  // namespace

Router::Router(ServiceSet services, RouterOptions options, StaticFiles& static_files)
    : services_(services), options_(options), static_files_(static_files) {}

Router::Match Router::match(std::string_view method, std::string_view path) const {
  Match result;
  const auto parts = split_path(path);
  // HEAD is answered like GET, without the body (the server drops it).
  const std::string_view effective = method == "HEAD" ? "GET" : method;
  const auto& patterns = split_patterns();
  for (std::size_t r = 0; r < routes().size() && !result.route; ++r) {
    if (!fits(patterns[r], parts)) continue;
    result.path_matched = true;
    if (routes()[r].method != effective) continue;
    result.route = &routes()[r];
    for (std::size_t i = 0; i < parts.size(); ++i)
      if (is_parameter(patterns[r][i]))
        result.params.emplace_back(patterns[r][i].substr(1, patterns[r][i].size() - 2), parts[i]);
  }
  // The methods this path has, for a 405's Allow (rare, so made only then).
  if (!result.route && result.path_matched) {
    for (std::size_t r = 0; r < routes().size(); ++r) {
      if (!fits(patterns[r], parts)) continue;
      if (!result.allowed.empty()) result.allowed += ", ";
      result.allowed += routes()[r].method;
      if (routes()[r].method == "GET") result.allowed += ", HEAD";
    }
  }
  return result;
}

bool Router::needs_worker(const HttpRequest& request) const {
  const auto m = match(request.method, request.path);
  return m.route && m.route->needs_worker;
}

HttpResponse Router::error_response(int status, std::string_view code,
                                    std::string_view message) const {
  HttpResponse r;
  r.status = status;
  r.content_type = "application/json";
  boost::json::object error{{"code", code}, {"message", message}};
  r.body = boost::json::serialize(boost::json::object{{"error", error}});
  return r;
}

// The security headers are the server's to add, to every answer it sends
// (its own errors too), so not here as well.
HttpResponse Router::handle(HttpRequest& request) { return dispatch(request); }

HttpResponse Router::dispatch(HttpRequest& request) {
  Match m = match(request.method, request.path);
  if (!m.route) {
    const bool api = request.path.starts_with("/api/");
    if (m.path_matched || (!api && !is_safe_method(request.method))) {
      HttpResponse r = http::error_response(
          Error{ErrorCode::method_not_allowed, "This method is not allowed here.", {}, 0});
      r.headers.emplace_back("Allow", m.path_matched ? m.allowed : "GET, HEAD");
      r.route = m.path_matched ? "method_not_allowed" : "static";
      return r;
    }
    if (api) {
      HttpResponse r = http::error_response(Error{ErrorCode::not_found, "Not found.", {}, 0});
      r.route = "unmatched";
      return r;
    }
    HttpResponse r = static_files_.serve(request);
    r.route = "static";
    return r;
  }

  const Route& route = *m.route;
  RequestContext ctx{request, services_, options_, std::move(m.params), std::nullopt, {}};
  auto finish = [&](HttpResponse r) {
    r.route = route.pattern;
    return r;
  };

  if (route.pattern == "/metrics" && !options_.public_metrics &&
      !is_loopback(request.remote_address))
    return finish(http::error_response(Error{ErrorCode::not_found, "Not found.", {}, 0}));

  if (auto presented = presented_token(request)) {
    auto auth = services_.accounts.authenticate(presented->token);
    if (auth) {
      // A browser's cookie rides along on cross-site requests; a change made
      // with it must prove it came from our page.
      if (presented->from_cookie && !is_safe_method(request.method) &&
          route.access == Access::authenticated) {
        const auto sent = request.header("x-csrf-token");
        if (!sent || !same_secret(*sent, csrf_token_for(presented->token)))
          return finish(http::error_response(Error{
              ErrorCode::csrf_failed, "The X-CSRF-Token header is missing or wrong.", {}, 0}));
      }
      ctx.auth = std::move(*auth);
      ctx.token = std::move(presented->token);
    } else if (auth.error().code != ErrorCode::unauthenticated) {
      return finish(http::error_response(auth.error()));
    }
  }
  if (route.access == Access::authenticated && !ctx.auth)
    return finish(http::error_response(
        Error{ErrorCode::unauthenticated, "Please log in.", {}, 0}));

  return finish(route.handler(ctx));
}

}  // namespace noaber::http
