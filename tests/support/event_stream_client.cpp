#include "support/event_stream_client.h"

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <fmt/format.h>

namespace noaber::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using boost::system::error_code;
using Clock = std::chrono::steady_clock;

class EventStreamClient::Impl {
 public:
  Impl() : socket_(ioc_) { parser_.body_limit(64 * 1024 * 1024); }

  // Runs one read of whatever arrives until `deadline`; false when the
  // deadline passed (the read stays pending for the next call) or the
  // connection ended.
  bool read_more(Clock::time_point deadline) {
    if (ended_) return false;
    if (!reading_) {
      reading_ = true;
      bhttp::async_read_some(socket_, buffer_, parser_, [this](const error_code& ec, std::size_t) {
        reading_ = false;
        if (ec) ended_ = true;
      });
    }
    while (reading_) {
      const auto now = Clock::now();
      if (now >= deadline) return false;
      ioc_.restart();
      ioc_.run_for(deadline - now);
    }
    if (parser_.is_done()) ended_ = true;
    return !ended_;
  }

  asio::io_context ioc_;
  tcp::socket socket_;
  beast::flat_buffer buffer_;
  bhttp::response_parser<bhttp::string_body> parser_;
  bool reading_ = false;
  bool ended_ = false;
  bool streaming_ = false;
  ClientResponse response_;
  std::size_t consumed_ = 0;  // body bytes already handed out as events
};

namespace {
std::string to_lower(std::string_view text) {
  std::string out(text);
  std::ranges::transform(out, out.begin(),
                         [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}
}  // namespace

EventStreamClient::EventStreamClient(const std::string& host, std::uint16_t port,
                                     const std::string& target, const Headers& headers,
                                     std::chrono::milliseconds timeout)
    : impl_(std::make_unique<Impl>()) {
  const auto deadline = Clock::now() + timeout;
  tcp::resolver resolver(impl_->ioc_);
  asio::connect(impl_->socket_,
                resolver.resolve(host, std::to_string(port), tcp::resolver::numeric_service));
  bhttp::request<bhttp::empty_body> request{bhttp::verb::get, target, 11};
  request.set(bhttp::field::host, fmt::format("{}:{}", host, port));
  request.set(bhttp::field::accept, "text/event-stream");
  for (const auto& [name, value] : headers) request.insert(name, value);
  bhttp::write(impl_->socket_, request);

  while (!impl_->parser_.is_header_done())
    if (!impl_->read_more(deadline) && !impl_->parser_.is_header_done())
      throw std::runtime_error(fmt::format("GET {}: no response headers", target));
  const auto& message = impl_->parser_.get();
  impl_->response_.status = static_cast<int>(message.result_int());
  for (const auto& field : message)
    impl_->response_.headers.emplace_back(to_lower(field.name_string()),
                                          std::string(field.value()));
  impl_->streaming_ = impl_->response_.status == 200 &&
                      message[bhttp::field::content_type].starts_with("text/event-stream");
  if (!impl_->streaming_) {
    while (!impl_->parser_.is_done())
      if (!impl_->read_more(deadline) && !impl_->parser_.is_done())
        throw std::runtime_error(fmt::format("GET {}: incomplete body", target));
    impl_->response_.body = impl_->parser_.get().body();
  }
}

EventStreamClient::~EventStreamClient() { close(); }

const ClientResponse& EventStreamClient::response() const { return impl_->response_; }
bool EventStreamClient::streaming() const { return impl_->streaming_; }

std::string EventStreamClient::body_so_far() const { return impl_->parser_.get().body(); }

std::optional<SseEvent> EventStreamClient::next_event(std::chrono::milliseconds within) {
  const auto deadline = Clock::now() + within;
  for (;;) {
    const std::string& body = impl_->parser_.get().body();
    const auto end = body.find("\n\n", impl_->consumed_);
    if (end != std::string::npos) {
      const std::string_view block =
          std::string_view(body).substr(impl_->consumed_, end - impl_->consumed_);
      impl_->consumed_ = end + 2;
      SseEvent event;
      bool has_data = false;
      for (std::size_t start = 0; start <= block.size();) {
        auto stop = block.find('\n', start);
        if (stop == std::string_view::npos) stop = block.size();
        const auto line = block.substr(start, stop - start);
        start = stop + 1;
        if (line.empty() || line.front() == ':') continue;
        const auto colon = line.find(':');
        const auto field = line.substr(0, colon);
        auto value = colon == std::string_view::npos ? std::string_view{} : line.substr(colon + 1);
        if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
        if (field == "event") event.name = value;
        else if (field == "id") event.id = value;
        else if (field == "data") {
          if (has_data) event.data += '\n';
          event.data += value;
          has_data = true;
        }
      }
      if (has_data) return event;
      continue;
    }
    if (!impl_->read_more(deadline)) {
      // The last read may have brought a complete event before the end.
      if (impl_->parser_.get().body().find("\n\n", impl_->consumed_) != std::string::npos)
        continue;
      return std::nullopt;
    }
  }
}

bool EventStreamClient::wait_for_text(std::string_view text, std::chrono::milliseconds within) {
  const auto deadline = Clock::now() + within;
  for (;;) {
    if (impl_->parser_.get().body().find(text) != std::string::npos) return true;
    if (!impl_->read_more(deadline))
      return impl_->parser_.get().body().find(text) != std::string::npos;
  }
}

bool EventStreamClient::wait_for_end(std::chrono::milliseconds within) {
  const auto deadline = Clock::now() + within;
  while (impl_->read_more(deadline)) {
  }
  return impl_->ended_;
}

void EventStreamClient::close() {
  if (!impl_ || !impl_->socket_.is_open()) return;
  error_code ignored;
  impl_->socket_.shutdown(tcp::socket::shutdown_both, ignored);
  impl_->socket_.close(ignored);
  // Let a pending read finish (aborted) before the buffers go away.
  impl_->ioc_.restart();
  impl_->ioc_.run_for(std::chrono::seconds(1));
}

}  // namespace noaber::test
