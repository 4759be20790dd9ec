#pragma once
// The HTTP/1.1 server: accepts connections, enforces size limits and
// timeouts, hands each complete request to a RequestHandler and writes the
// answer back. Boost.Beast and Asio stay behind the pimpl so that the many
// files including this header do not pay for them.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "http/http_types.h"
#include "http/metrics.h"

namespace noaber::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;  // 0 = pick a free port (tests)
  int io_threads = 0;         // 0 = std::thread::hardware_concurrency()
  // Bounded pool for requests whose handler needs_worker() (password
  // hashing), so slow CPU work never stalls an I/O thread.
  int worker_threads = 2;
  // Queued plus running worker jobs; beyond this a request is answered 503
  // "unavailable" with Retry-After instead of waiting in an ever longer line.
  std::size_t worker_queue_limit = 64;
  // Requests that change data (any method but GET, HEAD and OPTIONS) run on
  // threads of their own: they spend most of their time waiting for a
  // durable commit, and the SQLite store commits the writes that wait
  // together in one go (group commit), so many may wait at once without
  // holding up the I/O threads, which keep serving reads.
  int write_threads = 32;
  // Queued plus running writes; beyond this a write is answered 503.
  std::size_t write_queue_limit = 1024;
  std::chrono::seconds read_timeout{30};  // a started request must arrive within this
  std::chrono::seconds idle_timeout{60};  // keep-alive connection with no request
  // A streamed response (server-sent events) sends a comment when it sent
  // nothing else for this long. It has no idle or read timeout: only a
  // write that takes longer than read_timeout ends it.
  std::chrono::seconds stream_heartbeat{15};
  // How long stop() lets in-flight requests finish before closing them.
  std::chrono::seconds shutdown_grace{10};
  std::size_t body_limit = 64 * 1024;
  std::size_t header_limit = 16 * 1024;
  std::size_t max_requests_per_connection = 10000;
  // Catch SIGINT/SIGTERM from start() on, for wait_for_signal(). Tests that
  // never wait for a signal can turn this off so Ctrl-C still ends them.
  bool handle_signals = true;
};

class Server {
 public:
  // The handler and metrics must outlive the server.
  Server(ServerOptions options, RequestHandler& handler, Metrics& metrics);
  ~Server();  // stops if running

  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds, listens and starts the I/O and worker threads. Returns the bound
  // port (useful with port 0). Throws std::runtime_error when the address
  // cannot be resolved or bound, std::logic_error when called twice.
  std::uint16_t start();

  // Blocks until SIGINT or SIGTERM arrives (or stop() was called), then
  // stops. Needs handle_signals.
  void wait_for_signal();

  // Graceful: stops accepting, closes idle keep-alive connections, ends
  // streamed responses, lets in-flight requests finish and be answered with "Connection: close" for
  // up to shutdown_grace, then joins every thread. Idempotent. Must not be
  // called from a request handler (it joins the threads handlers run on).
  void stop();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace noaber::http
