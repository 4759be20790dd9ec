#pragma once
// From a complete HttpRequest to an HttpResponse: the one routes table,
// authentication (session cookie or bearer token), CSRF checks for
// cookie-authenticated changes, and static files for everything outside
// /api/. Handlers stay short: parse, call a service, serialise.

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"
#include "http/http_types.h"
#include "http/json_io.h"
#include "http/metrics.h"
#include "http/static_files.h"
#include "services/accounts.h"
#include "services/live_feed.h"
#include "services/community_health.h"
#include "services/market.h"
#include "services/neighbourhoods.h"
#include "services/professionals.h"
#include "services/notifications.h"
#include "services/moderation.h"
#include "services/dashboard.h"
#include "store/store.h"

namespace noaber::http {

inline constexpr std::string_view kSessionCookie = "noaber_session";

struct ServiceSet {
  AccountService& accounts;
  NeighbourhoodService& neighbourhoods;
  MarketService& market;
  LiveFeedService& live_feed;
  Store& store;
  Metrics& metrics;
  CommunityHealthService& health;
  ProfessionalService& professionals;
  NotificationService& notifications;
  // --- moderation (issue #8) ---
  ModerationService& moderation;
  DashboardService& dashboard;  // connectors and the managers' dashboard
};

struct RouterOptions {
  bool secure_cookies = false;  // add Secure to the session cookie (behind HTTPS)
  bool public_metrics = false;  // serve /metrics to non-loopback clients too
  std::chrono::seconds session_lifetime = std::chrono::days(30);
};

enum class Access {
  anyone,         // no session needed; one that is sent is still resolved
  authenticated,  // 401 without a valid session
};

struct RequestContext {
  HttpRequest& request;
  ServiceSet& services;
  const RouterOptions& options;
  std::vector<std::pair<std::string_view, std::string_view>> params;
  std::optional<Authenticated> auth;
  std::string token;  // the raw session token, when one was presented and valid

  UserId user() const { return auth->user_id; }
  std::optional<UserId> maybe_user() const {
    return auth ? std::optional(auth->user_id) : std::nullopt;
  }
  // A numeric path parameter as a strong id; not_found when not a valid id.
  template <typename IdT>
  Result<IdT> id(std::string_view name) const;
};

using Handler = HttpResponse (*)(RequestContext&);

struct Route {
  std::string_view method;
  std::string_view pattern;  // "/api/v1/posts/{id}"
  Handler handler;
  Access access = Access::authenticated;
  bool needs_worker = false;  // hashes a password: run off the I/O threads
};

// Every endpoint, in one table (routes.cpp).
std::span<const Route> routes();

class Router final : public RequestHandler {
 public:
  Router(ServiceSet services, RouterOptions options, StaticFiles& static_files);

  bool needs_worker(const HttpRequest& request) const override;
  HttpResponse handle(HttpRequest& request) override;
  HttpResponse error_response(int status, std::string_view code,
                              std::string_view message) const override;

 private:
  struct Match {
    const Route* route = nullptr;
    std::vector<std::pair<std::string_view, std::string_view>> params;
    bool path_matched = false;  // some route has this path, maybe not this method
    std::string allowed;        // methods for a 405
  };
  Match match(std::string_view method, std::string_view path) const;
  HttpResponse dispatch(HttpRequest& request);

  ServiceSet services_;
  RouterOptions options_;
  StaticFiles& static_files_;
};

template <typename IdT>
Result<IdT> RequestContext::id(std::string_view name) const {
  for (const auto& [key, value] : params)
    if (key == name)
      if (auto v = parse_id(value)) return IdT{*v};
  return fail(ErrorCode::not_found, "Not found.");
}

}  // namespace noaber::http
