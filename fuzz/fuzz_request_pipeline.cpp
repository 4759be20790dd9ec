// Whole requests through the real Router (App's wiring, SQLite store on a
// temporary database made once per process).
//
// Input, loosely HTTP/1.1 so seeds stay readable:
//   METHOD TARGET\n
//   name: value\n        (any number of header lines)
//   \n
//   body...
// In header values $TOKEN, $CSRF and $OTHER become a registered resident's
// session token, its CSRF token and a second resident's token, so the
// authenticated handlers run too. "x-fuzz-remote: ADDR" sets the client
// address (default 203.0.113.7; 127.0.0.1 reaches /metrics). Requests Beast
// would refuse before the router (bad method, target or header bytes) are
// skipped.
//
// Properties: no crash or sanitizer report, no exception out of the router,
// a status in 200..599 and never 500, a JSON {"error": {"code", "message"}}
// body for every 4xx under /api/, and no byte of a file next to the web
// directory served to anyone.
//
// The database keeps what earlier inputs created, so a crash may need the
// inputs before it; running the artifact alone usually reproduces it.
// NOABER_FUZZ_VERBOSE=1 prints each request's status and body.

#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include "app/app.h"

namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using noaber::http::HttpRequest;
using noaber::http::HttpResponse;

constexpr std::string_view kSecret = "NOABER-FUZZ-SECRET-5f1c";

[[noreturn]] void violation(const HttpRequest& request, const HttpResponse& response,
                            std::string_view what) {
  std::fprintf(stderr, "PROPERTY VIOLATED: %.*s\n  %s %s\n  -> %d %s\n",
               static_cast<int>(what.size()), what.data(), request.method.c_str(),
               request.target.c_str(), response.status, response.body.c_str());
  std::abort();
}

// RFC 9110 tchar: what Beast accepts in a method or header name.
bool is_token(std::string_view s) {
  if (s.empty()) return false;
  for (unsigned char c : s) {
    if (std::isalnum(c)) continue;
    if (std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) == std::string_view::npos)
      return false;
  }
  return true;
}

// Beast's request-target: visible ASCII and obs-text, no spaces or controls.
bool is_target(std::string_view s) {
  if (s.empty()) return false;
  for (unsigned char c : s)
    if (c <= 0x20 || c == 0x7f) return false;
  return true;
}

// Field values: anything but controls other than HTAB.
bool is_field_value(std::string_view s) {
  for (unsigned char c : s)
    if ((c < 0x20 && c != '\t') || c == 0x7f) return false;
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

void replace_all(std::string& s, std::string_view from, std::string_view to) {
  for (auto at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
}

struct Session {
  std::string token;
  std::string csrf;
};

class Fixture {
 public:
  Fixture() {
    char pattern[] = "/tmp/noaber-fuzz-XXXXXX";
    if (!mkdtemp(pattern)) throw std::runtime_error("mkdtemp failed");
    dir_ = pattern;
    fs::create_directories(dir_ / "web" / "assets");
    std::ofstream(dir_ / "web" / "index.html") << "<!doctype html><title>Noaber</title>";
    std::ofstream(dir_ / "web" / "assets" / "app-1234.js") << "console.log(1)";
    std::ofstream(dir_ / "secret.txt") << kSecret;
    std::ofstream(dir_ / "web.txt") << kSecret;  // a sibling sharing the root's prefix

    spdlog::set_level(spdlog::level::warn);
    noaber::AppConfig config;
    config.db = (dir_ / "noaber.db").string();
    config.web_dir = dir_ / "web";
    config.handle_signals = false;
    config.read_connections = 1;
    config.password_cost = {.ops = 1, .memory_bytes = 8192};  // libsodium's minimum
    for (auto* limit : {&config.accounts.register_per_ip, &config.accounts.register_per_email,
                        &config.accounts.login_per_ip, &config.accounts.login_per_email,
                        &config.market.posts_per_user, &config.market.responses_per_user,
                        &config.neighbourhoods.invites_per_user})
      limit->max_events = 1'000'000'000;
    app_ = std::make_unique<noaber::App>(config, &clock_);

    // Something to find: a neighbourhood (id 1) with a post (id 1) and a
    // response (id 1), made by a founder and a neighbour.
    resident_ = register_resident("founder@example.org");
    other_ = register_resident("neighbour@example.org");
    setup("POST", "/api/v1/neighbourhoods",
          R"({"name":"Binnenstad","region":"Zutphen","lat":52.14,"lon":6.19})", resident_);
    setup("POST", "/api/v1/neighbourhoods/1/posts",
          R"({"kind":"ask","category":"care","title":"Boodschappen","body":"*Graag* morgen",)"
          R"("visibility":"neighbourhood"})",
          resident_);
    const auto invite = setup("POST", "/api/v1/neighbourhoods/1/invites", "", resident_);
    const auto code = json::value_to<std::string>(json::parse(invite.body).at("code"));
    setup("POST", "/api/v1/neighbourhoods/1/join", R"({"invite_code":")" + code + "\"}", other_);
    setup("POST", "/api/v1/posts/1/responses", R"({"message":"Ik kan helpen"})", other_);
  }

  ~Fixture() {
    app_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  noaber::http::Router& router() { return app_->router(); }
  const Session& resident() const { return resident_; }
  const Session& other() const { return other_; }

 private:
  HttpResponse setup(std::string method, std::string target, std::string body,
                     const Session& who) {
    HttpRequest request;
    request.method = std::move(method);
    request.target = target;
    request.path = std::move(target);
    request.body = std::move(body);
    request.remote_address = "127.0.0.1";
    request.headers = {{"content-type", "application/json"}};
    if (!who.token.empty()) request.headers.emplace_back("authorization", "Bearer " + who.token);
    HttpResponse response = router().handle(request);
    if (response.status / 100 != 2) {
      std::fprintf(stderr, "fuzz setup failed: %s %s -> %d %s\n", request.method.c_str(),
                   request.path.c_str(), response.status, response.body.c_str());
      std::abort();
    }
    return response;
  }

  Session register_resident(std::string_view email) {
    const auto response = setup("POST", "/api/v1/auth/register",
                                json::serialize(json::object{{"email", email},
                                                             {"password", "correct horse battery"},
                                                             {"display_name", "Buur"}}),
                                {});
    const auto body = json::parse(response.body);
    return {json::value_to<std::string>(body.at("token")),
            json::value_to<std::string>(body.at("csrf_token"))};
  }

  fs::path dir_;
  noaber::ManualClock clock_{noaber::TimePoint(std::chrono::seconds(1'767'225'600))};
  std::unique_ptr<noaber::App> app_;
  Session resident_;
  Session other_;
};

Fixture& fixture() {
  // Destroyed at exit, which also removes the temporary directory.
  static Fixture f;
  return f;
}

// Splits the input into a request; nullopt when Beast would not let it
// through to the router.
std::optional<HttpRequest> to_request(std::string_view input, Fixture& fx) {
  auto next_line = [&input] {
    const auto nl = input.find('\n');
    std::string_view line = input.substr(0, nl);
    input = nl == std::string_view::npos ? std::string_view{} : input.substr(nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    return line;
  };

  HttpRequest request;
  request.remote_address = "203.0.113.7";
  request.request_id = "fuzz";
  const std::string_view start = next_line();
  const auto space = start.find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  const std::string_view method = start.substr(0, space);
  std::string_view target = start.substr(space + 1);
  if (const auto version = target.find(' '); version != std::string_view::npos)
    target = target.substr(0, version);
  if (!is_token(method) || !is_target(target)) return std::nullopt;
  request.method = std::string(method);
  request.target = std::string(target);
  const auto question = request.target.find('?');
  request.path = request.target.substr(0, question);
  if (question != std::string::npos) request.query = request.target.substr(question + 1);

  while (!input.empty()) {
    const std::string_view line = next_line();
    if (line.empty()) break;
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    const std::string_view name = line.substr(0, colon);
    const std::string_view raw_value = trim(line.substr(colon + 1));
    if (!is_token(name) || !is_field_value(raw_value)) return std::nullopt;
    std::string value(raw_value);
    replace_all(value, "$TOKEN", fx.resident().token);
    replace_all(value, "$CSRF", fx.resident().csrf);
    replace_all(value, "$OTHER", fx.other().token);
    if (lower(name) == "x-fuzz-remote") {
      request.remote_address = std::move(value);
      continue;
    }
    request.headers.emplace_back(lower(name), std::move(value));
  }
  request.body = std::string(input);
  return request;
}

void check(const HttpRequest& request, const HttpResponse& response) {
  if (response.status < 200 || response.status > 599) violation(request, response, "status");
  if (response.status == 500) violation(request, response, "500 Internal Server Error");
  if (response.body.find(kSecret) != std::string::npos)
    violation(request, response, "served a file outside the web directory");
  if (!request.path.starts_with("/api/") || response.status / 100 != 4) return;
  if (!response.content_type.starts_with("application/json"))
    violation(request, response, "4xx under /api/ without a JSON content type");
  std::error_code ec;
  const json::value body = json::parse(response.body, ec);
  const json::object* object = ec ? nullptr : body.if_object();
  const json::value* error = object ? object->if_contains("error") : nullptr;
  if (!error || !error->is_object() || !error->as_object().contains("code") ||
      !error->as_object().at("code").is_string() || !error->as_object().contains("message"))
    violation(request, response, "4xx under /api/ without an {\"error\": {code, message}} body");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Fixture& fx = fixture();
  auto request = to_request(std::string_view(reinterpret_cast<const char*>(data), size), fx);
  if (!request) return -1;  // not worth keeping in the corpus
  HttpResponse response;
  try {
    (void)fx.router().needs_worker(*request);
    response = fx.router().handle(*request);
  } catch (const std::exception& e) {
    // The server would turn this into a 500.
    std::fprintf(stderr, "exception out of the router: %s\n  %s %s\n", e.what(),
                 request->method.c_str(), request->target.c_str());
    std::abort();
  }
  static const bool verbose = std::getenv("NOABER_FUZZ_VERBOSE") != nullptr;
  if (verbose)
    std::fprintf(stderr, "%s %s -> %d %s\n", request->method.c_str(), request->target.c_str(),
                 response.status, response.body.substr(0, 200).c_str());
  check(*request, response);
  return 0;
}
