#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>
#include <utility>

#include "http/http_types.h"

namespace noaber::http {

namespace {

constexpr std::array<std::pair<std::string_view, std::string_view>, 6> kSecurityHeaders{{
    {"Content-Security-Policy",
     "default-src 'self'; base-uri 'self'; form-action 'self'; object-src 'none'; "
     "frame-ancestors 'none'"},
    {"X-Content-Type-Options", "nosniff"},
    {"Referrer-Policy", "no-referrer"},
    {"X-Frame-Options", "DENY"},
    {"Cross-Origin-Opener-Policy", "same-origin"},
    {"Permissions-Policy", "geolocation=(self), camera=(), microphone=()"},
}};

bool equal_ignoring_case(std::string_view a, std::string_view b) {
  return std::ranges::equal(a, b, [](unsigned char x, unsigned char y) {
    return std::tolower(x) == std::tolower(y);
  });
}

}  // namespace

void add_security_headers(HttpResponse& response) {
  for (const auto& [name, value] : kSecurityHeaders) {
    // A handler may have chosen its own policy (a stricter CSP for a
    // download, say); respect it rather than sending two.
    const bool present = std::ranges::any_of(response.headers, [&](const auto& header) {
      return equal_ignoring_case(header.first, name);
    });
    if (!present) response.headers.emplace_back(name, value);
  }
}

}  // namespace noaber::http
