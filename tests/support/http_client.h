#pragma once
// A small real HTTP/1.1 client for tests against an in-process server. Every
// operation has a timeout, so a hung server fails a test instead of hanging
// the run.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json/value.hpp>

namespace noaber::test {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct ClientResponse {
  int status = 0;
  Headers headers;  // names lower-cased, in the order received
  std::string body;

  std::optional<std::string> header(std::string_view lower_name) const;
  // The body parsed as JSON; throws if it is not JSON.
  boost::json::value json() const;
};

class HttpClient {
 public:
  // Keeps one keep-alive connection, opened on first use and reopened when
  // the server has closed it.
  HttpClient(std::string host, std::uint16_t port);
  ~HttpClient();
  HttpClient(HttpClient&&) noexcept;
  HttpClient& operator=(HttpClient&&) noexcept;

  // Throws std::runtime_error when the server cannot be reached, closes the
  // connection without answering, or does not answer within the timeout.
  ClientResponse request(std::string_view method, std::string_view target,
                         std::string_view body = {}, Headers headers = {});
  ClientResponse get(std::string_view target, Headers headers = {});
  // Sets Content-Type: application/json.
  ClientResponse post_json(std::string_view target, const boost::json::value& body,
                           Headers headers = {});

  // Per read or write; 10 s unless changed.
  void set_timeout(std::chrono::milliseconds timeout);
  // Drops the connection; the next request opens a new one.
  void close();

  // Sends raw bytes on a fresh connection and returns whatever comes back
  // until the server closes it or the timeout passes, for tests of garbage
  // and limits. Throws std::runtime_error when it cannot connect.
  static std::string raw_exchange(std::string host, std::uint16_t port, std::string_view bytes,
                                  std::chrono::milliseconds timeout = std::chrono::seconds(5));

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace noaber::test
