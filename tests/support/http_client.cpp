#include "support/http_client.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <stdexcept>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <fmt/format.h>

namespace noaber::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using boost::system::error_code;

namespace {

constexpr std::uint64_t kResponseBodyLimit = 64 * 1024 * 1024;

std::string to_lower(std::string_view text) {
  std::string out(text);
  std::ranges::transform(out, out.begin(),
                         [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  return std::ranges::equal(a, b, [](unsigned char x, unsigned char y) {
    return std::tolower(x) == std::tolower(y);
  });
}

// Beast's synchronous calls have no timeouts, so each operation is started
// asynchronously on a tcp_stream with a deadline and the io_context run
// until it completes.
template <typename Start>
error_code run_operation(asio::io_context& ioc, Start&& start) {
  error_code result = asio::error::would_block;
  start([&result](const error_code& ec, auto&&...) { result = ec; });
  ioc.restart();
  ioc.run();
  return result;
}

error_code connect_stream(asio::io_context& ioc, beast::tcp_stream& stream, const std::string& host,
                          std::uint16_t port, std::chrono::milliseconds timeout) {
  tcp::resolver resolver(ioc);
  error_code ec;
  const auto endpoints = resolver.resolve(host, std::to_string(port),
                                          tcp::resolver::numeric_service, ec);
  if (ec) return ec;
  stream.expires_after(timeout);
  return run_operation(ioc, [&](auto handler) { stream.async_connect(endpoints, handler); });
}

// The peer closed (or reset) the connection before sending anything.
bool is_closed_by_peer(const error_code& ec) {
  return ec == bhttp::error::end_of_stream || ec == asio::error::eof ||
         ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
         ec == asio::error::connection_aborted;
}

}  // namespace

std::optional<std::string> ClientResponse::header(std::string_view lower_name) const {
  for (const auto& [name, value] : headers)
    if (name == lower_name) return value;
  return std::nullopt;
}

boost::json::value ClientResponse::json() const { return boost::json::parse(body); }

class HttpClient::Impl {
 public:
  Impl(std::string host, std::uint16_t port) : host_(std::move(host)), port_(port) {}

  ClientResponse request(std::string_view method, std::string_view target, std::string_view body,
                         const Headers& headers);

  void close() {
    if (stream_) {
      error_code ignored;
      stream_->socket().shutdown(tcp::socket::shutdown_both, ignored);
      stream_->close();
    }
    stream_.reset();
    buffer_.clear();
  }

  std::chrono::milliseconds timeout_{std::chrono::seconds(10)};

 private:
  void connect();
  std::optional<ClientResponse> read_response(bool head, error_code& ec, bool& got_some);

  std::string host_;
  std::uint16_t port_;
  asio::io_context ioc_;
  std::optional<beast::tcp_stream> stream_;
  beast::flat_buffer buffer_;
};

void HttpClient::Impl::connect() {
  stream_.emplace(ioc_);
  buffer_.clear();
  if (const auto ec = connect_stream(ioc_, *stream_, host_, port_, timeout_)) {
    stream_.reset();
    throw std::runtime_error(
        fmt::format("cannot connect to {}:{}: {}", host_, port_, ec.message()));
  }
}

std::optional<ClientResponse> HttpClient::Impl::read_response(bool head, error_code& ec,
                                                              bool& got_some) {
  for (;;) {
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(kResponseBodyLimit);
    if (head) parser.skip(true);
    stream_->expires_after(timeout_);
    ec = run_operation(ioc_, [&](auto handler) {
      bhttp::async_read(*stream_, buffer_, parser, handler);
    });
    got_some = got_some || parser.got_some();
    if (ec) return std::nullopt;
    auto message = parser.release();
    // An interim "100 Continue" is followed by the real answer.
    if (message.result() == bhttp::status::continue_) continue;

    ClientResponse response;
    response.status = static_cast<int>(message.result_int());
    for (const auto& field : message)
      response.headers.emplace_back(to_lower(field.name_string()), std::string(field.value()));
    response.body = std::move(message.body());
    if (!message.keep_alive()) close();
    return response;
  }
}

ClientResponse HttpClient::Impl::request(std::string_view method, std::string_view target,
                                         std::string_view body, const Headers& headers) {
  bhttp::request<bhttp::string_body> message;
  message.method_string(method);
  message.target(target);
  message.version(11);
  message.set(bhttp::field::host, fmt::format("{}:{}", host_, port_));
  message.set(bhttp::field::user_agent, "noaber-test");
  bool explicit_length = false;
  for (const auto& [name, value] : headers) {
    message.insert(name, value);
    explicit_length = explicit_length || iequals(name, "content-length");
  }
  message.body() = std::string(body);
  // A test may declare its own (wrong) Content-Length on purpose.
  if (!explicit_length) message.prepare_payload();
  const bool head = iequals(method, "HEAD");

  for (int attempt = 0;; ++attempt) {
    const bool reused = stream_.has_value();
    if (!stream_) connect();
    stream_->expires_after(timeout_);
    const error_code write_ec = run_operation(ioc_, [&](auto handler) {
      bhttp::async_write(*stream_, message, handler);
    });
    // Even after a failed write the server may have answered (a 413 sent
    // before the body was read), so try to read in any case.
    error_code read_ec;
    bool got_some = false;
    if (auto response = read_response(head, read_ec, got_some)) return std::move(*response);
    close();
    // A kept-alive connection may have been closed by the server meanwhile
    // (idle timeout); that is no failure of this request, so try once more.
    const bool closed_before_answer =
        !got_some && (is_closed_by_peer(read_ec) || is_closed_by_peer(write_ec));
    if (reused && attempt == 0 && closed_before_answer) continue;
    throw std::runtime_error(fmt::format("{} {} failed: {}", method, target,
                                         (read_ec ? read_ec : write_ec).message()));
  }
}

HttpClient::HttpClient(std::string host, std::uint16_t port)
    : impl_(std::make_unique<Impl>(std::move(host), port)) {}

HttpClient::~HttpClient() = default;
HttpClient::HttpClient(HttpClient&&) noexcept = default;
HttpClient& HttpClient::operator=(HttpClient&&) noexcept = default;

ClientResponse HttpClient::request(std::string_view method, std::string_view target,
                                   std::string_view body, Headers headers) {
  return impl_->request(method, target, body, headers);
}

ClientResponse HttpClient::get(std::string_view target, Headers headers) {
  return impl_->request("GET", target, {}, headers);
}

ClientResponse HttpClient::post_json(std::string_view target, const boost::json::value& body,
                                     Headers headers) {
  headers.emplace_back("Content-Type", "application/json");
  return impl_->request("POST", target, boost::json::serialize(body), headers);
}

void HttpClient::set_timeout(std::chrono::milliseconds timeout) { impl_->timeout_ = timeout; }

void HttpClient::close() { impl_->close(); }

std::string HttpClient::raw_exchange(std::string host, std::uint16_t port, std::string_view bytes,
                                     std::chrono::milliseconds timeout) {
  asio::io_context ioc;
  beast::tcp_stream stream(ioc);
  if (const auto ec = connect_stream(ioc, stream, host, port, timeout))
    throw std::runtime_error(fmt::format("cannot connect to {}:{}: {}", host, port, ec.message()));

  // One deadline for the whole exchange.
  stream.expires_after(timeout);
  // A failed write is not fatal: the server may answer and close before
  // taking all the bytes, and that answer is what the test wants to see.
  run_operation(ioc, [&](auto handler) {
    asio::async_write(stream, asio::buffer(bytes.data(), bytes.size()), handler);
  });
  std::string received;
  std::array<char, 4096> chunk;
  for (;;) {
    std::size_t got = 0;
    const error_code ec = run_operation(ioc, [&](auto handler) {
      stream.async_read_some(asio::buffer(chunk),
                             [&got, handler](const error_code& read_ec, std::size_t n) mutable {
                               got = n;
                               handler(read_ec);
                             });
    });
    received.append(chunk.data(), got);
    if (ec) break;
  }
  return received;
}

}  // namespace noaber::test
