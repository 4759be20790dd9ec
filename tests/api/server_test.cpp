// The HTTP server on its own, with a fake RequestHandler: framing, limits,
// timeouts, the worker pool and graceful shutdown. Timing bounds are
// generous on purpose; the test machines are shared and noisy.

#include "http/server.h"

#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <future>
#include <mutex>
#include <regex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "http/http_types.h"
#include "http/metrics.h"
#include "support/http_client.h"

namespace noaber::http {
namespace {

using noaber::test::ClientResponse;
using noaber::test::HttpClient;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr auto kLongWait = 10s;

// A flag one thread raises and another waits for, with a timeout so a bug
// fails the test instead of hanging it.
class Event {
 public:
  void set() {
    {
      std::lock_guard lock(mutex_);
      set_ = true;
    }
    changed_.notify_all();
  }
  bool wait(std::chrono::milliseconds timeout = kLongWait) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return set_; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  bool set_ = false;
};

// Answers every request with a JSON echo of what arrived; a few paths
// misbehave on purpose.
class FakeHandler : public RequestHandler {
 public:
  bool needs_worker(const HttpRequest& request) const override {
    return request.path.starts_with("/work");
  }

  HttpResponse handle(HttpRequest& request) override {
    ++calls;
    {
      std::lock_guard lock(mutex_);
      (request.path.starts_with("/work") ? worker_thread_ids_ : io_thread_ids_)
          .insert(std::this_thread::get_id());
      last_request_ = request;
    }
    if (request.path == "/throw") throw std::runtime_error("secret-table is corrupt");
    if (request.path == "/slow" || request.path == "/work/block") {
      blocked.set();
      release.wait();
    }

    HttpResponse response;
    response.body = boost::json::serialize(boost::json::object{
        {"method", request.method}, {"path", request.path}, {"query", request.query},
        {"body", request.body}, {"request_id", request.request_id}});
    if (request.path.starts_with("/things/")) response.route = "/things/{id}";
    if (request.path == "/own-frame-options")
      response.headers.emplace_back("X-Frame-Options", "SAMEORIGIN");
    if (request.path == "/created") {
      response.status = 201;
      response.headers.emplace_back("Location", "/things/7");
    }
    if (request.path == "/empty") {
      response.status = 204;
      response.body.clear();
    }
    return response;
  }

  HttpResponse error_response(int status, std::string_view code,
                              std::string_view message) const override {
    HttpResponse response;
    response.status = status;
    response.body = boost::json::serialize(boost::json::object{
        {"error", boost::json::object{{"code", code}, {"message", message}}}});
    return response;
  }

  HttpRequest last_request() {
    std::lock_guard lock(mutex_);
    return last_request_;
  }
  std::set<std::thread::id> io_thread_ids() {
    std::lock_guard lock(mutex_);
    return io_thread_ids_;
  }
  std::set<std::thread::id> worker_thread_ids() {
    std::lock_guard lock(mutex_);
    return worker_thread_ids_;
  }

  std::atomic<int> calls{0};
  Event blocked;  // a blocking path has been entered
  Event release;  // lets blocking paths finish

 private:
  std::mutex mutex_;
  HttpRequest last_request_;
  std::set<std::thread::id> io_thread_ids_;
  std::set<std::thread::id> worker_thread_ids_;
};

ServerOptions test_options() {
  ServerOptions options;
  options.port = 0;
  options.io_threads = 2;
  options.shutdown_grace = 20s;
  options.handle_signals = false;
  return options;
}

std::string error_code_of(const ClientResponse& response) {
  return std::string(response.json().at("error").at("code").as_string());
}

std::size_t count_occurrences(std::string_view text, std::string_view needle) {
  std::size_t count = 0;
  for (auto at = text.find(needle); at != std::string_view::npos;
       at = text.find(needle, at + needle.size()))
    ++count;
  return count;
}

class ServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { spdlog::set_level(spdlog::level::warn); }

  void start(ServerOptions options = test_options()) {
    server_ = std::make_unique<Server>(std::move(options), handler_, metrics_);
    port_ = server_->start();
  }

  void TearDown() override {
    handler_.release.set();  // never leave a handler blocked on a failed test
    if (server_) server_->stop();
  }

  HttpClient client() { return HttpClient("127.0.0.1", port_); }

  std::string raw(std::string_view bytes, std::chrono::milliseconds timeout = kLongWait) {
    return HttpClient::raw_exchange("127.0.0.1", port_, bytes, timeout);
  }

  FakeHandler handler_;
  Metrics metrics_;
  std::unique_ptr<Server> server_;
  std::uint16_t port_ = 0;
};

TEST_F(ServerTest, GetRoundTripCarriesSecurityHeadersAndRequestId) {
  start();
  auto http = client();
  const auto response = http.get("/hello?name=Ans&x=1", {{"X-Custom-Thing", "Value"}});

  EXPECT_EQ(response.status, 200);
  const auto body = response.json();
  EXPECT_EQ(body.at("method").as_string(), "GET");
  EXPECT_EQ(body.at("path").as_string(), "/hello");
  EXPECT_EQ(body.at("query").as_string(), "name=Ans&x=1");

  EXPECT_EQ(response.header("content-type"), "application/json");
  EXPECT_EQ(response.header("server"), "noaber");
  EXPECT_EQ(response.header("content-security-policy"),
            "default-src 'self'; base-uri 'self'; form-action 'self'; object-src 'none'; "
            "frame-ancestors 'none'");
  EXPECT_EQ(response.header("x-content-type-options"), "nosniff");
  EXPECT_EQ(response.header("referrer-policy"), "no-referrer");
  EXPECT_EQ(response.header("x-frame-options"), "DENY");
  EXPECT_EQ(response.header("cross-origin-opener-policy"), "same-origin");
  EXPECT_EQ(response.header("permissions-policy"),
            "geolocation=(self), camera=(), microphone=()");
  EXPECT_EQ(response.header("content-length"), std::to_string(response.body.size()));

  const auto request_id = response.header("x-request-id");
  ASSERT_TRUE(request_id);
  EXPECT_TRUE(std::regex_match(*request_id, std::regex("[0-9a-f]{16}"))) << *request_id;
  EXPECT_EQ(body.at("request_id").as_string(), *request_id);

  const HttpRequest seen = handler_.last_request();
  EXPECT_EQ(seen.target, "/hello?name=Ans&x=1");
  EXPECT_EQ(seen.header("x-custom-thing"), "Value");
  EXPECT_EQ(seen.remote_address, "127.0.0.1");
}

TEST_F(ServerTest, WellFormedIncomingRequestIdIsKeptOthersAreReplaced) {
  start();
  auto http = client();
  EXPECT_EQ(http.get("/", {{"X-Request-Id", "trace-42_A"}}).header("x-request-id"),
            "trace-42_A");

  for (const std::string& bad : {std::string("has space"), std::string("semi;colon"),
                                std::string(65, 'a'), std::string("\xc3\xa9t\xc3\xa9")}) {
    const auto id = http.get("/", {{"X-Request-Id", bad}}).header("x-request-id");
    ASSERT_TRUE(id);
    EXPECT_TRUE(std::regex_match(*id, std::regex("[0-9a-f]{16}"))) << *id;
  }
}

TEST_F(ServerTest, HandlerHeadersAndStatusArePassedOn) {
  start();
  auto http = client();
  const auto created = http.get("/created");
  EXPECT_EQ(created.status, 201);
  EXPECT_EQ(created.header("location"), "/things/7");

  const auto empty = http.get("/empty");
  EXPECT_EQ(empty.status, 204);
  EXPECT_EQ(empty.body, "");
  EXPECT_FALSE(empty.header("content-length"));
  // The connection is still usable after a bodiless answer.
  EXPECT_EQ(http.get("/after").status, 200);
}

TEST_F(ServerTest, HandlersOwnSecurityHeaderIsNotDuplicated) {
  start();
  const std::string response =
      raw("GET /own-frame-options HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(count_occurrences(response, "X-Frame-Options"), 1u) << response;
  EXPECT_NE(response.find("X-Frame-Options: SAMEORIGIN"), std::string::npos);
  EXPECT_EQ(count_occurrences(response, "X-Content-Type-Options"), 1u);
}

TEST_F(ServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  start();
  // Pipelined on one connection: both are answered, in order, and only the
  // last answer announces the close it asked for.
  const std::string response = raw(
      "GET /first HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET /second HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(count_occurrences(response, "HTTP/1.1 200 OK"), 2u) << response;
  const auto first = response.find("/first");
  const auto second = response.find("/second");
  ASSERT_NE(first, std::string::npos);
  ASSERT_NE(second, std::string::npos);
  EXPECT_LT(first, second);
  EXPECT_EQ(count_occurrences(response, "Connection: close"), 1u);
  EXPECT_GT(response.find("Connection: close"), first);

  auto http = client();
  const auto one = http.get("/one");
  const auto two = http.get("/two");
  EXPECT_EQ(one.status, 200);
  EXPECT_FALSE(one.header("connection"));
  EXPECT_EQ(two.json().at("path").as_string(), "/two");
}

TEST_F(ServerTest, ConnectionCloseAndHttp10AreHonoured) {
  start();
  auto http = client();
  EXPECT_EQ(http.get("/", {{"Connection", "close"}}).header("connection"), "close");

  const auto started = Clock::now();
  const std::string response = raw("GET /old HTTP/1.0\r\n\r\n");
  EXPECT_TRUE(response.starts_with("HTTP/1.0 200")) << response;
  // The server closed by itself instead of waiting for the client.
  EXPECT_LT(Clock::now() - started, 5s);

  const std::string kept =
      raw("GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /b HTTP/1.0\r\n\r\n");
  EXPECT_EQ(count_occurrences(kept, "HTTP/1.0 200"), 2u) << kept;
}

TEST_F(ServerTest, ConnectionIsClosedAfterMaxRequests) {
  auto options = test_options();
  options.max_requests_per_connection = 2;
  start(options);
  const std::string response = raw(
      "GET /1 HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET /2 HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET /3 HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(count_occurrences(response, "HTTP/1.1 200"), 2u) << response;
  EXPECT_EQ(count_occurrences(response, "Connection: close"), 1u);
  EXPECT_EQ(response.find("/3"), std::string::npos);
}

TEST_F(ServerTest, DeclaredBodyOverLimitIsRefusedBeforeItIsSent) {
  start();
  const auto started = Clock::now();
  // Only the header: the 413 must come without the server waiting for the
  // ten megabytes it was promised.
  const std::string response = raw(
      "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Content-Length: 10000000\r\n\r\n");
  EXPECT_TRUE(response.starts_with("HTTP/1.1 413")) << response;
  EXPECT_NE(response.find("payload_too_large"), std::string::npos);
  EXPECT_NE(response.find("Connection: close"), std::string::npos);
  EXPECT_NE(response.find("X-Content-Type-Options: nosniff"), std::string::npos);
  EXPECT_LT(Clock::now() - started, 5s);
  EXPECT_EQ(handler_.calls, 0);
}

TEST_F(ServerTest, BodyLimitIsExact) {
  start();
  auto http = client();
  const std::string at_limit(64 * 1024, 'x');
  EXPECT_EQ(http.request("POST", "/upload", at_limit).status, 200);

  const auto over = http.request("POST", "/upload", at_limit + "x");
  EXPECT_EQ(over.status, 413);
  EXPECT_EQ(error_code_of(over), "payload_too_large");
  EXPECT_EQ(handler_.calls, 1);
}

TEST_F(ServerTest, ChunkedBodyOverLimitGets413) {
  start();
  std::string request =
      "POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
  const std::string chunk(16 * 1024, 'y');
  for (int i = 0; i < 5; ++i) request += fmt::format("{:x}\r\n{}\r\n", chunk.size(), chunk);
  request += "0\r\n\r\n";
  const std::string response = raw(request);
  EXPECT_TRUE(response.starts_with("HTTP/1.1 413")) << response.substr(0, 200);
  EXPECT_EQ(handler_.calls, 0);
}

TEST_F(ServerTest, OversizedHeadersGet431) {
  start();
  auto http = client();
  const auto response = http.get("/", {{"X-Big", std::string(20 * 1024, 'a')}});
  EXPECT_EQ(response.status, 431);
  EXPECT_EQ(error_code_of(response), "bad_request");
  EXPECT_NE(std::string(response.json().at("error").at("message").as_string()).find("too large"),
            std::string::npos);
  EXPECT_EQ(response.header("connection"), "close");
  EXPECT_EQ(handler_.calls, 0);
  // The client reconnects; the server is fine.
  EXPECT_EQ(http.get("/").status, 200);
}

TEST_F(ServerTest, GarbageGets400AndTheServerKeepsServing) {
  start();
  const std::string response = raw(std::string("\x16\x03\x01\x02\x00garbage\r\n\r\n", 16));
  EXPECT_TRUE(response.starts_with("HTTP/1.1 400")) << response;
  EXPECT_NE(response.find("bad_request"), std::string::npos);
  EXPECT_NE(raw("GET / HTTP/9.9\r\n\r\n").find(" 400 "), std::string::npos);
  EXPECT_NE(raw("GET / HTTP/1.1\r\nBad Header\r\n\r\n").find(" 400 "), std::string::npos);
  EXPECT_EQ(handler_.calls, 0);

  EXPECT_EQ(client().get("/still-here").status, 200);
}

TEST_F(ServerTest, TransferEncodingOtherThanPlainChunkedGets400AndNothingBehindItRuns) {
  start();
  // Without chunked last the body has no knowable length; reading on would
  // run it as a request of its own (request smuggling).
  const std::string hidden = "GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n";
  for (const std::string& coding :
       {std::string("gzip"), std::string("identity"), std::string("chunked, gzip"),
        std::string("gzip, chunked"), std::string("")}) {
    SCOPED_TRACE("Transfer-Encoding: " + coding);
    const std::string response =
        raw("POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: " + coding + "\r\n\r\n" +
            hidden);
    EXPECT_TRUE(response.starts_with("HTTP/1.1 400")) << response;
    EXPECT_EQ(response.find("HTTP/1.1 ", 1), std::string::npos) << response;
  }
  EXPECT_EQ(handler_.calls, 0);

  const std::string chunked = raw(
      "POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n"
      "\r\n5\r\nhello\r\n0\r\n\r\n");
  EXPECT_TRUE(chunked.starts_with("HTTP/1.1 200")) << chunked;
  EXPECT_EQ(handler_.last_request().body, "hello");
}

TEST_F(ServerTest, ExpectContinueIsAnswered) {
  start();
  const std::string response = raw(
      "POST /upload HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n"
      "Connection: close\r\n\r\nhello");
  EXPECT_TRUE(response.starts_with("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200")) << response;
  EXPECT_EQ(handler_.last_request().body, "hello");
}

TEST_F(ServerTest, StalledRequestAndIdleConnectionTimeOut) {
  auto options = test_options();
  options.read_timeout = 1s;
  options.idle_timeout = 1s;
  start(options);

  auto started = Clock::now();
  EXPECT_EQ(raw("GET / HTTP/1.1\r\nHos", 20s), "");
  EXPECT_LT(Clock::now() - started, 10s);

  started = Clock::now();
  EXPECT_EQ(raw("", 20s), "");
  EXPECT_LT(Clock::now() - started, 10s);
}

TEST_F(ServerTest, KeptAliveConnectionClosedByIdleTimeoutIsReopenedByTheClient) {
  auto options = test_options();
  options.idle_timeout = 1s;
  start(options);
  auto http = client();
  EXPECT_EQ(http.get("/a").status, 200);
  std::this_thread::sleep_for(1500ms);
  EXPECT_EQ(http.get("/b").status, 200);
}

TEST_F(ServerTest, WorkerRequestsRunOffTheIoThreads) {
  auto options = test_options();
  options.io_threads = 1;
  options.worker_threads = 1;
  start(options);
  auto http = client();
  EXPECT_EQ(http.get("/plain").status, 200);
  EXPECT_EQ(http.request("POST", "/work/hash", "{}").status, 200);
  EXPECT_EQ(http.get("/plain").status, 200);

  const auto io = handler_.io_thread_ids();
  const auto workers = handler_.worker_thread_ids();
  ASSERT_EQ(io.size(), 1u);
  ASSERT_EQ(workers.size(), 1u);
  EXPECT_NE(*io.begin(), *workers.begin());
  EXPECT_NE(*workers.begin(), std::this_thread::get_id());
}

TEST_F(ServerTest, FullWorkerQueueAnswers503WithRetryAfter) {
  auto options = test_options();
  options.worker_threads = 1;
  options.worker_queue_limit = 1;
  start(options);

  auto blocked = std::async(std::launch::async, [this] { return client().get("/work/block"); });
  ASSERT_TRUE(handler_.blocked.wait());

  auto http = client();
  const auto refused = http.get("/work/other");
  EXPECT_EQ(refused.status, 503);
  EXPECT_EQ(refused.header("retry-after"), "1");
  EXPECT_EQ(error_code_of(refused), "unavailable");
  // Requests that need no worker are not affected.
  EXPECT_EQ(http.get("/plain").status, 200);

  handler_.release.set();
  EXPECT_EQ(blocked.get().status, 200);
  // The slot is free again.
  EXPECT_EQ(http.get("/work/other").status, 200);
}

TEST_F(ServerTest, HandlerExceptionGives500WithoutDetails) {
  start();
  auto http = client();
  const auto response = http.get("/throw");
  EXPECT_EQ(response.status, 500);
  EXPECT_EQ(error_code_of(response), "internal");
  EXPECT_EQ(response.body.find("secret"), std::string::npos);
  EXPECT_EQ(http.get("/after").status, 200);
}

TEST_F(ServerTest, HeadSendsHeadersOnly) {
  start();
  auto http = client();
  const auto head = http.request("HEAD", "/hello");
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.body, "");
  ASSERT_TRUE(head.header("content-length"));
  EXPECT_GT(std::stoul(*head.header("content-length")), 0u);
  // Nothing stray is left on the connection for the next answer to trip on.
  EXPECT_EQ(http.get("/next").json().at("path").as_string(), "/next");

  const std::string response = raw("HEAD /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_TRUE(response.starts_with("HTTP/1.1 200")) << response;
  EXPECT_TRUE(response.ends_with("\r\n\r\n")) << response;
}

TEST_F(ServerTest, MetricsAreObservedByRouteTemplate) {
  start();
  auto http = client();
  EXPECT_EQ(http.get("/things/42").status, 200);
  EXPECT_EQ(http.get("/things/43").status, 200);
  EXPECT_EQ(http.get("/nowhere").status, 200);
  raw("nonsense\r\n\r\n");

  // Observed before the answer is sent, so no waiting is needed here.
  const std::string text = metrics_.render_prometheus();
  EXPECT_NE(text.find("noaber_http_requests_total{route=\"/things/{id}\",status=\"200\"} 2"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("noaber_http_requests_total{route=\"unmatched\",status=\"200\"} 1"),
            std::string::npos);
  EXPECT_NE(text.find("noaber_http_requests_total{route=\"unmatched\",status=\"400\"} 1"),
            std::string::npos);
  EXPECT_EQ(text.find("/things/42"), std::string::npos);
}

TEST_F(ServerTest, StopLetsAnInFlightRequestFinishAndRefusesNewConnections) {
  start();
  auto in_flight = std::async(std::launch::async, [this] { return client().get("/slow"); });
  ASSERT_TRUE(handler_.blocked.wait());

  const auto started = Clock::now();
  auto stopping = std::async(std::launch::async, [this] { server_->stop(); });
  // Wait until the listener is gone, then let the slow request finish.
  bool refused = false;
  for (int i = 0; i < 200 && !refused; ++i) {
    try {
      HttpClient::raw_exchange("127.0.0.1", port_, "", 200ms);
      std::this_thread::sleep_for(25ms);
    } catch (const std::runtime_error&) {
      refused = true;
    }
  }
  EXPECT_TRUE(refused);
  EXPECT_EQ(stopping.wait_for(0s), std::future_status::timeout)
      << "stop() returned while a request was still in flight";
  handler_.release.set();

  const auto response = in_flight.get();
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.json().at("path").as_string(), "/slow");
  EXPECT_EQ(response.header("connection"), "close");
  ASSERT_EQ(stopping.wait_for(kLongWait), std::future_status::ready);
  EXPECT_LT(Clock::now() - started, 15s);

  EXPECT_THROW(client().get("/"), std::runtime_error);
  server_->stop();  // idempotent
}

TEST_F(ServerTest, IdleKeepAliveConnectionsDoNotDelayStop) {
  auto options = test_options();
  options.idle_timeout = 120s;
  options.shutdown_grace = 60s;
  start(options);
  auto first = client();
  auto second = client();
  EXPECT_EQ(first.get("/").status, 200);
  EXPECT_EQ(second.get("/").status, 200);

  const auto started = Clock::now();
  server_->stop();
  EXPECT_LT(Clock::now() - started, 10s);
  EXPECT_THROW(first.get("/"), std::runtime_error);
}

TEST_F(ServerTest, StopGivesUpAfterTheGrace) {
  auto options = test_options();
  options.shutdown_grace = 1s;
  start(options);
  auto stuck = std::async(std::launch::async, [this] {
    auto http = client();
    http.set_timeout(30s);
    return http.get("/slow");
  });
  ASSERT_TRUE(handler_.blocked.wait());

  // The handler blocks an I/O thread until released; stop() must not wait
  // for it longer than the grace before moving on to joining threads.
  auto stopping = std::async(std::launch::async, [this] { server_->stop(); });
  std::this_thread::sleep_for(2s);
  handler_.release.set();
  ASSERT_EQ(stopping.wait_for(kLongWait), std::future_status::ready);
  // The request outlived the grace; whether it got an answer is not
  // promised, only that the client is not left hanging.
  try {
    stuck.get();
  } catch (const std::runtime_error&) {
  }
}

TEST_F(ServerTest, StartFailsOnAPortInUse) {
  start();
  auto options = test_options();
  options.port = port_;
  FakeHandler other_handler;
  Metrics other_metrics;
  Server second(options, other_handler, other_metrics);
  try {
    second.start();
    ADD_FAILURE() << "a second server started on port " << port_;
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(std::to_string(port_)), std::string::npos) << e.what();
  }
  second.stop();  // harmless after a failed start
}

TEST_F(ServerTest, WaitForSignalStopsOnSigterm) {
  auto options = test_options();
  options.handle_signals = true;
  start(options);
  EXPECT_EQ(client().get("/").status, 200);
  std::raise(SIGTERM);
  server_->wait_for_signal();
  EXPECT_THROW(client().get("/"), std::runtime_error);
}

TEST(SecurityHeadersTest, AddsEachHeaderOnceAndKeepsExistingOnes) {
  HttpResponse response;
  response.headers.emplace_back("x-frame-options", "SAMEORIGIN");
  add_security_headers(response);
  add_security_headers(response);
  EXPECT_EQ(response.headers.size(), 6u);
  int frame_options = 0;
  for (const auto& [name, value] : response.headers) {
    if (name == "x-frame-options" || name == "X-Frame-Options") {
      ++frame_options;
      EXPECT_EQ(value, "SAMEORIGIN");
    }
  }
  EXPECT_EQ(frame_options, 1);
}

}  // namespace
}  // namespace noaber::http
