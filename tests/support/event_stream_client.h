#pragma once
// A client for streamed responses (server-sent events): it reads the status
// and headers, then the body as it arrives, and hands out the events in it.
// Every wait has a deadline and leaves the connection open when it passes,
// so "no such event arrived" can be checked without ending the stream.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "support/http_client.h"

namespace noaber::test {

struct SseEvent {
  std::string name;  // the event: field
  std::string id;    // the id: field
  std::string data;  // data: fields, joined by newlines
};

class EventStreamClient {
 public:
  // Sends GET `target` and reads the status and headers (within `timeout`;
  // throws std::runtime_error when none arrive). A non-streamed answer (an
  // error) is read whole; see response().
  EventStreamClient(const std::string& host, std::uint16_t port, const std::string& target,
                    const Headers& headers,
                    std::chrono::milliseconds timeout = std::chrono::seconds(10));
  ~EventStreamClient();
  EventStreamClient(const EventStreamClient&) = delete;
  EventStreamClient& operator=(const EventStreamClient&) = delete;

  // Status and headers; the body too when the answer was not a stream.
  const ClientResponse& response() const;
  bool streaming() const;

  // The next event (comments and retry-only blocks skipped), or nullopt
  // when none came within `within` or the stream ended.
  std::optional<SseEvent> next_event(std::chrono::milliseconds within);
  // Waits until `text` appears in the body received so far; false at the
  // deadline or the end of the stream.
  bool wait_for_text(std::string_view text, std::chrono::milliseconds within);
  // Waits until the server ends the stream; false at the deadline.
  bool wait_for_end(std::chrono::milliseconds within);
  // Everything of the body received so far.
  std::string body_so_far() const;
  // Closes the connection, as a browser tab that goes away.
  void close();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace noaber::test
