#pragma once
// The project's own small request/response types. Only server.cpp knows
// Boost.Beast; routing, middleware and handlers see these, which keeps the
// heavy headers in one translation unit.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace noaber::http {

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string target;  // as sent: path and query
  std::string path;    // percent-decoding is left to the router
  std::string query;   // without the '?'
  // Header names lower-cased; in the order received.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string remote_address;
  std::string request_id;

  // First header with this (lower-case) name.
  std::optional<std::string_view> header(std::string_view lower_name) const {
    for (const auto& [name, value] : headers)
      if (name == lower_name) return std::string_view(value);
    return std::nullopt;
  }
};

// The body of a response that stays open and is written piece by piece as
// things happen (server-sent events). The handler fills it from other
// threads; the server writes what it takes out, without knowing what it is.
class ResponseStream {
 public:
  virtual ~ResponseStream() = default;
  // The server hands over a function that wakes the connection when there
  // is something to take, and an empty one before it lets go of the stream.
  // The stream may call `wake` from any thread, until attach({}) returns.
  virtual void attach(std::function<void()> wake) = 0;
  // Everything queued since the last call, in order; empty when nothing is.
  virtual std::string take() = 0;
  // True once the stream has nothing more to send (the server then ends
  // the response after what take() still returns).
  virtual bool ended() const = 0;
  // Sent when nothing else was for a while, so proxies and clients see the
  // connection is alive.
  virtual std::string heartbeat() const = 0;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  // When set, sent instead of `body`: bytes many responses share (a cached
  // feed page), kept alive until written rather than copied per response.
  std::shared_ptr<const std::string> shared_body;
  std::vector<std::pair<std::string, std::string>> headers;
  // When set (with status 200), the server sends the headers without a
  // Content-Length and then whatever the stream produces, until the stream
  // ends, the client goes away or the server stops. `body` is not sent.
  std::shared_ptr<ResponseStream> stream;
  // Route template that answered ("/api/v1/posts/{id}"), for metrics and
  // the access log; never sent.
  std::string route;
};

// What the server hands every complete request to. Implemented by the
// router; the server only moves bytes, enforces limits and timeouts.
class RequestHandler {
 public:
  virtual ~RequestHandler() = default;
  // True when handling may take long on the CPU (password hashing), so the
  // server runs it on the bounded worker pool instead of an I/O thread.
  virtual bool needs_worker(const HttpRequest& request) const = 0;
  virtual HttpResponse handle(HttpRequest& request) = 0;
  // The response for a failure the server detects itself (body too large,
  // malformed request, header too large, overloaded worker pool).
  virtual HttpResponse error_response(int status, std::string_view code,
                                      std::string_view message) const = 0;
};

// Security headers every response carries, API and static alike.
void add_security_headers(HttpResponse& response);

}  // namespace noaber::http
