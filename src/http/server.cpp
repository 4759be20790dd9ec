// The one translation unit that knows Boost.Beast and Asio. Each connection
// is a C++20 coroutine on its own strand; an io_context runs them on a small
// pool of I/O threads, slow handlers go to a bounded worker pool, and
// requests that change data to a pool of their own (ServerOptions::write_threads).

#include "http/server.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <condition_variable>
#include <csignal>
#include <exception>
#include <limits>
#include <tuple>
#include <mutex>
#include <optional>
#include <random>
#include <stdexcept>
#include <thread>
#include <unordered_set>
#include <utility>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/write.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace noaber::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using boost::system::error_code;

namespace {

constexpr auto kAwait = asio::as_tuple(asio::use_awaitable);
// The first read of a request only has to prove that the client is talking;
// the parser then reads in larger chunks.
constexpr std::size_t kFirstReadSize = 4096;
// After an error response that closes a connection mid-request, keep reading
// and discarding for a moment: closing a socket with unread bytes makes the
// kernel send a reset, which can destroy our answer before the client has
// read it.
constexpr auto kLingerTime = std::chrono::seconds(1);
constexpr std::size_t kLingerBytes = 1024 * 1024;
constexpr std::size_t kMaxRequestIdLength = 64;
constexpr auto kAcceptRetryDelay = std::chrono::milliseconds(100);

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

// A client's X-Request-Id is kept so logs can be joined across a proxy, but
// only when it cannot smuggle anything odd into our logs.
bool is_acceptable_request_id(std::string_view id) {
  if (id.empty() || id.size() > kMaxRequestIdLength) return false;
  return std::ranges::all_of(id, [](unsigned char c) {
    return std::isalnum(c) || c == '-' || c == '_';
  });
}

std::string random_request_id() {
  // Identifies a request in the logs; it is no secret, so a fast PRNG will do.
  thread_local std::mt19937_64 engine{std::random_device{}()};
  return fmt::format("{:016x}", engine());
}

// The server decides framing itself; a handler's copy of these headers
// would contradict what is actually sent.
bool is_framing_header(std::string_view name) {
  return iequals(name, "content-length") || iequals(name, "transfer-encoding") ||
         iequals(name, "connection");
}

const boost::system::error_category& parse_error_category() {
  return bhttp::make_error_code(bhttp::error::bad_version).category();
}

// True for failures of the HTTP syntax itself, as opposed to the peer going
// away or a timeout, where there is nobody left to answer.
bool is_protocol_error(const error_code& ec) {
  return ec.category() == parse_error_category() && ec != bhttp::error::end_of_stream &&
         ec != bhttp::error::partial_message;
}

// RFC 9112 section 6.3: with a Transfer-Encoding that does not end in
// chunked the body's length is unknowable, and Beast would read the body as
// the next request (request smuggling past a proxy). Other codings before
// chunked would reach the handler undecoded. So plain "chunked" is the only
// transfer coding accepted.
bool has_unsupported_transfer_encoding(const bhttp::request_header<>& header) {
  bool present = false;
  int codings = 0;
  bool only_chunked = true;
  for (const auto& field : header) {
    if (field.name() != bhttp::field::transfer_encoding) continue;
    present = true;
    for (const auto& coding : bhttp::token_list{field.value()}) {
      ++codings;
      only_chunked = only_chunked && iequals(coding, "chunked");
    }
  }
  return present && !(codings == 1 && only_chunked);
}

std::string describe(std::exception_ptr error) {
  try {
    std::rethrow_exception(std::move(error));
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "unknown exception";
  }
}

class Connection;

// Ends when the client closes its side (or the socket is closed), telling
// the streaming coroutine through `hung_up` and the wake timer. A streamed
// response never reads otherwise, so this is how a departed client is
// noticed before the next heartbeat. Bytes the client sends meanwhile are
// dropped.
asio::awaitable<void> watch_for_hangup(std::shared_ptr<Connection> connection,
                                       std::shared_ptr<asio::steady_timer> wake,
                                       std::shared_ptr<bool> hung_up);

// The open connections, so stop() can close the idle ones and wait for the
// busy ones.
class ConnectionRegistry {
 public:
  void add(Connection* connection) {
    std::lock_guard lock(mutex_);
    connections_.insert(connection);
  }

  void remove(Connection* connection) {
    {
      std::lock_guard lock(mutex_);
      connections_.erase(connection);
    }
    changed_.notify_all();
  }

  // The connections still alive. Owning references, released by the caller
  // outside the lock: dropping the last one runs ~Connection, which locks.
  std::vector<std::shared_ptr<Connection>> snapshot();

  // Returns the number still open at the deadline.
  std::size_t wait_until_empty(Clock::time_point deadline) {
    std::unique_lock lock(mutex_);
    changed_.wait_until(lock, deadline, [&] { return connections_.empty(); });
    return connections_.size();
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::unordered_set<Connection*> connections_;
};

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(tcp::socket socket, ConnectionRegistry& registry)
      : stream_(std::move(socket)), registry_(registry) {
    registry_.add(this);
  }
  ~Connection() { registry_.remove(this); }

  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  beast::tcp_stream& stream() { return stream_; }

  // Only touched on the connection's strand: by its coroutine, and by the
  // handler stop() posts there to close it if it is idle.
  bool idle = false;
  // While it streams a response: the timer the stream waits on, which
  // stop() cancels to end the stream.
  std::shared_ptr<asio::steady_timer> wake;

 private:
  beast::tcp_stream stream_;
  ConnectionRegistry& registry_;
};

asio::awaitable<void> watch_for_hangup(std::shared_ptr<Connection> connection,
                                       std::shared_ptr<asio::steady_timer> wake,
                                       std::shared_ptr<bool> hung_up) {
  std::array<char, 512> discard;
  for (;;) {
    auto [ec, bytes] =
        co_await connection->stream().socket().async_read_some(asio::buffer(discard), kAwait);
    if (ec) break;
  }
  *hung_up = true;
  wake->cancel();
}

std::vector<std::shared_ptr<Connection>> ConnectionRegistry::snapshot() {
  std::vector<std::shared_ptr<Connection>> alive;
  std::lock_guard lock(mutex_);
  alive.reserve(connections_.size());
  for (Connection* connection : connections_)
    // Empty while still being set up or already ending.
    if (auto owner = connection->weak_from_this().lock()) alive.push_back(std::move(owner));
  return alive;
}

// What the access log and metrics need to know about one exchange, whether
// or not a complete request arrived.
struct Exchange {
  std::string request_id;
  std::string remote;
  std::string method = "-";
  std::string path = "-";
  unsigned version = 11;
  bool head = false;
  Clock::time_point started;
};

HttpRequest to_http_request(bhttp::request<bhttp::string_body>&& message, std::string remote,
                            std::string request_id) {
  HttpRequest request;
  request.method = std::string(message.method_string());
  request.target = std::string(message.target());
  const auto question = request.target.find('?');
  request.path = request.target.substr(0, question);
  if (question != std::string::npos) request.query = request.target.substr(question + 1);
  for (const auto& field : message)
    request.headers.emplace_back(to_lower(field.name_string()), std::string(field.value()));
  request.body = std::move(message.body());
  request.remote_address = std::move(remote);
  request.request_id = std::move(request_id);
  return request;
}

}  // namespace

class Server::Impl {
 public:
  Impl(ServerOptions options, RequestHandler& handler, Metrics& metrics)
      : options_(std::move(options)),
        handler_(handler),
        metrics_(metrics),
        contexts_(make_contexts(options_.io_threads)),
        acceptor_(asio::make_strand(accept_context_)) {}

  ~Impl() { stop(); }

  std::uint16_t start();
  void wait_for_signal();
  void stop();

 private:
  enum class Next { keep_alive, close, drop };

  asio::awaitable<void> accept_loop();
  asio::awaitable<void> serve(std::shared_ptr<Connection> connection);
  asio::awaitable<Next> serve_request(const std::shared_ptr<Connection>& connection,
                                      beast::flat_buffer& buffer, const std::string& remote,
                                      std::size_t served);
  asio::awaitable<Next> stream_response(std::shared_ptr<Connection> connection,
                                        const Exchange& exchange, HttpResponse response);
  asio::awaitable<HttpResponse> dispatch(HttpRequest& request);
  asio::awaitable<HttpResponse> handle_on(asio::thread_pool& pool, std::atomic<std::size_t>& jobs,
                                          HttpRequest& request);
  HttpResponse handle_safely(HttpRequest& request);
  asio::awaitable<bool> send(beast::tcp_stream& stream, const Exchange& exchange,
                             HttpResponse response, bool keep_alive);
  template <typename Body>
  asio::awaitable<std::pair<error_code, std::size_t>> write_answer(
      beast::tcp_stream& stream, const Exchange& exchange, const HttpResponse& response,
      bhttp::response<Body>& message, bool keep_alive, bool bodiless);
  asio::awaitable<Next> send_error(beast::tcp_stream& stream, const Exchange& exchange,
                                   int status, std::string_view code, std::string_view message);
  asio::awaitable<void> linger_and_close(beast::tcp_stream& stream);
  void shut_down();
  void run_io_thread(asio::io_context& context);
  void mark_accept_loop_ended();

  ServerOptions options_;
  RequestHandler& handler_;
  Metrics& metrics_;

  // Declared before contexts_ so they outlive them: destroying an
  // io_context destroys suspended connection coroutines, which deregister
  // themselves.
  ConnectionRegistry connections_;
  std::atomic<bool> stopping_{false};
  std::atomic<std::size_t> worker_jobs_{0};
  std::atomic<std::size_t> write_jobs_{0};

  std::mutex state_mutex_;
  std::condition_variable state_changed_;
  bool started_ = false;
  bool stopped_ = false;
  bool accepting_ = false;
  bool signalled_ = false;
  std::once_flag stop_once_;

  // One io_context per I/O thread, each run by its own thread alone. A
  // connection is given to one of them in turn and stays there, so its
  // handlers never change thread: with one shared io_context, the thread
  // waiting in epoll woke another to run each ready handler, and those
  // switches were a large part of what a cached feed page cost. The price:
  // a handler that runs long on an I/O thread now holds up the other
  // connections of that thread, not only its own, so what runs there must
  // stay short (reads; password hashing and writes go to the pools). The
  // acceptor and the signal set have a context and thread of their own, so
  // accepting (and stopping) never waits for such a handler.
  static std::vector<std::unique_ptr<asio::io_context>> make_contexts(int io_threads) {
    const int n = io_threads > 0
                      ? io_threads
                      : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
    std::vector<std::unique_ptr<asio::io_context>> contexts;
    // A concurrency hint of 1: each is run by one thread, so Asio wakes no
    // other thread for it (it keeps its locks: other threads still post to
    // it, the worker pools with their answers among them).
    for (int i = 0; i < n; ++i) contexts.push_back(std::make_unique<asio::io_context>(1));
    return contexts;
  }
  std::vector<std::unique_ptr<asio::io_context>> contexts_;
  std::size_t next_context_ = 0;  // the accept loop's turn
  asio::io_context accept_context_{1};
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> work_;
  // On a strand, so stop() can close it from outside the I/O threads.
  tcp::acceptor acceptor_;
  std::optional<asio::signal_set> signals_;
  // Declared after contexts_ so it is destroyed first: jobs it abandons
  // hold connection coroutines whose sockets still need their io_context.
  std::optional<asio::thread_pool> workers_;
  std::optional<asio::thread_pool> writers_;  // see ServerOptions::write_threads
  std::vector<std::thread> threads_;
};

std::uint16_t Server::Impl::start() {
  {
    std::lock_guard lock(state_mutex_);
    if (started_) throw std::logic_error("Server::start called twice");
  }
  tcp::endpoint endpoint;
  std::uint16_t port = 0;
  try {
    tcp::resolver resolver(accept_context_);
    const auto endpoints =
        resolver.resolve(options_.host, std::to_string(options_.port),
                         tcp::resolver::passive | tcp::resolver::numeric_service);
    endpoint = endpoints.begin()->endpoint();
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(asio::socket_base::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen(asio::socket_base::max_listen_connections);
    port = acceptor_.local_endpoint().port();
  } catch (const boost::system::system_error& e) {
    error_code ignored;
    acceptor_.close(ignored);
    // Boost's message names source files; the operator needs the reason.
    throw std::runtime_error(fmt::format("cannot listen on {}:{}: {}", options_.host,
                                         options_.port, e.code().message()));
  }

  {
    std::lock_guard lock(state_mutex_);
    started_ = true;
    accepting_ = true;
  }
  if (options_.handle_signals) {
    signals_.emplace(accept_context_, SIGINT, SIGTERM);
    signals_->async_wait([this](const error_code& ec, int signal_number) {
      if (ec) return;
      spdlog::info("received signal {}", signal_number);
      {
        std::lock_guard lock(state_mutex_);
        signalled_ = true;
      }
      state_changed_.notify_all();
    });
  }
  workers_.emplace(static_cast<std::size_t>(std::max(1, options_.worker_threads)));
  writers_.emplace(static_cast<std::size_t>(std::max(1, options_.write_threads)));
  asio::co_spawn(acceptor_.get_executor(), accept_loop(), [this](std::exception_ptr error) {
    if (error) spdlog::error("accept loop failed: {}", describe(error));
    mark_accept_loop_ended();
  });

  const auto io_threads = contexts_.size();
  for (auto& context : contexts_) {
    work_.emplace_back(context->get_executor());
    threads_.emplace_back([this, &context] { run_io_thread(*context); });
  }
  work_.emplace_back(accept_context_.get_executor());
  threads_.emplace_back([this] { run_io_thread(accept_context_); });
  spdlog::info("listening on {}:{} with {} I/O and {} worker threads",
               endpoint.address().to_string(), port, io_threads,
               std::max(1, options_.worker_threads));
  return port;
}

void Server::Impl::run_io_thread(asio::io_context& context) {
  for (;;) {
    try {
      context.run();
      return;
    } catch (const std::exception& e) {
      // Connection coroutines catch their own errors; reaching here is a
      // bug, but one request's bug must not take the server down.
      spdlog::error("unexpected exception on an I/O thread: {}", e.what());
    }
  }
}

void Server::Impl::mark_accept_loop_ended() {
  {
    std::lock_guard lock(state_mutex_);
    accepting_ = false;
  }
  state_changed_.notify_all();
}

void Server::Impl::wait_for_signal() {
  {
    std::unique_lock lock(state_mutex_);
    if (!started_) throw std::logic_error("Server::wait_for_signal before start");
    if (!signals_) throw std::logic_error("Server::wait_for_signal without handle_signals");
    state_changed_.wait(lock, [&] { return signalled_ || stopped_; });
  }
  spdlog::info("shutting down");
  stop();
}

void Server::Impl::stop() {
  {
    std::lock_guard lock(state_mutex_);
    if (!started_) return;
  }
  // A second caller (the destructor after wait_for_signal, say) waits until
  // the first has finished instead of returning while threads still run.
  std::call_once(stop_once_, [this] { shut_down(); });
}

void Server::Impl::shut_down() {
  {
    std::lock_guard lock(state_mutex_);
    stopped_ = true;
  }
  state_changed_.notify_all();
  const auto deadline = Clock::now() + options_.shutdown_grace;
  stopping_ = true;

  asio::post(acceptor_.get_executor(), [this] {
    error_code ignored;
    acceptor_.close(ignored);
    // Give SIGINT/SIGTERM their default action back, so a second Ctrl-C
    // ends a shutdown that takes too long.
    if (signals_) signals_->clear(ignored);
  });
  // A connection waiting for its next request is closed now; one in the
  // middle of a request notices stopping_ and closes after answering.
  for (auto& connection : connections_.snapshot()) {
    auto executor = connection->stream().get_executor();
    asio::post(executor, [connection = std::move(connection)] {
      if (connection->idle)
        connection->stream().cancel();
      else if (connection->wake)
        connection->wake->cancel();  // a stream; it sees stopping_ and ends
    });
  }

  {
    std::unique_lock lock(state_mutex_);
    state_changed_.wait_until(lock, deadline, [&] { return !accepting_; });
  }
  if (const std::size_t left = connections_.wait_until_empty(deadline); left > 0)
    spdlog::warn("{} connection(s) still busy after the {} s shutdown grace; closing them", left,
                 options_.shutdown_grace.count());

  work_.clear();
  for (auto& context : contexts_) context->stop();
  accept_context_.stop();
  for (auto& thread : threads_) thread.join();
  threads_.clear();
  // No I/O thread runs any more, so the sockets of connections that
  // outlived the grace can be closed from here; their clients see the end
  // now rather than when the server object is destroyed.
  for (const auto& connection : connections_.snapshot()) {
    error_code ignored;
    connection->stream().socket().close(ignored);
  }
  workers_->stop();
  workers_->join();
  writers_->stop();
  writers_->join();
  spdlog::info("server stopped");
}

asio::awaitable<void> Server::Impl::accept_loop() {
  for (;;) {
    asio::io_context& home = *contexts_[next_context_++ % contexts_.size()];
    auto [ec, socket] = co_await acceptor_.async_accept(asio::make_strand(home), kAwait);
    if (ec == asio::error::operation_aborted || !acceptor_.is_open()) break;
    if (ec) {
      // Typically out of file descriptors; pause instead of spinning.
      spdlog::warn("accept failed: {}", ec.message());
      asio::steady_timer pause(acceptor_.get_executor(), kAcceptRetryDelay);
      co_await pause.async_wait(kAwait);
      continue;
    }
    // Responses go out as header and body writes; without this, Nagle's
    // algorithm holds the second one back until the client's delayed ACK,
    // adding up to tens of milliseconds to a keep-alive request.
    error_code nodelay_ec;
    socket.set_option(asio::ip::tcp::no_delay(true), nodelay_ec);
    auto connection = std::make_shared<Connection>(std::move(socket), connections_);
    auto executor = connection->stream().get_executor();
    asio::co_spawn(executor, serve(std::move(connection)), [](std::exception_ptr error) {
      if (error) spdlog::warn("connection ended with an exception: {}", describe(error));
    });
  }
}

asio::awaitable<void> Server::Impl::serve(std::shared_ptr<Connection> connection) {
  beast::tcp_stream& stream = connection->stream();
  error_code ec;
  const auto endpoint = stream.socket().remote_endpoint(ec);
  const std::string remote = ec ? std::string("-") : endpoint.address().to_string();
  beast::flat_buffer buffer;
  Next next = Next::keep_alive;
  try {
    for (std::size_t served = 1; next == Next::keep_alive; ++served) {
      if (buffer.size() == 0) {
        // Between requests is the only moment a stopping server may close
        // a connection without owing anybody an answer.
        if (stopping_) break;
        connection->idle = true;
        stream.expires_after(options_.idle_timeout);
        auto [read_ec, bytes] =
            co_await stream.async_read_some(buffer.prepare(kFirstReadSize), kAwait);
        connection->idle = false;
        if (read_ec) break;
        buffer.commit(bytes);
      }
      next = co_await serve_request(connection, buffer, remote, served);
    }
  } catch (const std::exception& e) {
    spdlog::warn("closing connection from {} after an error: {}", remote, e.what());
    next = Next::drop;
  }
  if (next == Next::close) {
    co_await linger_and_close(stream);
  } else {
    stream.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream.close();
  }
}

asio::awaitable<Server::Impl::Next> Server::Impl::serve_request(
    const std::shared_ptr<Connection>& connection, beast::flat_buffer& buffer,
    const std::string& remote, std::size_t served) {
  beast::tcp_stream& stream = connection->stream();
  Exchange exchange;
  exchange.remote = remote;
  exchange.started = Clock::now();

  bhttp::request_parser<bhttp::string_body> parser;
  parser.header_limit(static_cast<std::uint32_t>(
      std::min<std::size_t>(options_.header_limit, std::numeric_limits<std::uint32_t>::max())));
  parser.body_limit(options_.body_limit);

  stream.expires_after(options_.read_timeout);
  auto [header_ec, header_bytes] = co_await bhttp::async_read_header(stream, buffer, parser, kAwait);

  // Whatever of the header arrived identifies the exchange in the log.
  const auto& header = parser.get();
  if (const auto id = header["X-Request-Id"]; is_acceptable_request_id(id))
    exchange.request_id = std::string(id);
  else
    exchange.request_id = random_request_id();
  if (parser.got_some() && !header.method_string().empty()) {
    exchange.method = std::string(header.method_string());
    exchange.path = std::string(header.target().substr(0, header.target().find('?')));
    exchange.version = header.version() == 10 ? 10 : 11;
    exchange.head = header.method() == bhttp::verb::head;
  }

  // Beast applies header_limit to what is still unparsed, so fields already
  // parsed from the first read escape it; header_bytes counts them all.
  if (header_ec == bhttp::error::header_limit ||
      (!header_ec && header_bytes > options_.header_limit))
    co_return co_await send_error(stream, exchange, 431, "bad_request",
                                  "The request headers are too large.");
  if (header_ec == bhttp::error::body_limit)
    co_return co_await send_error(stream, exchange, 413, "payload_too_large",
                                  "The request body is too large.");
  if (is_protocol_error(header_ec))
    co_return co_await send_error(stream, exchange, 400, "bad_request",
                                  "The request is not valid HTTP.");
  if (header_ec) co_return Next::drop;
  if (has_unsupported_transfer_encoding(header))
    co_return co_await send_error(stream, exchange, 400, "bad_request",
                                  "Only the chunked transfer coding is supported.");

  if (!parser.is_done()) {
    if (header.version() >= 11 && iequals(header[bhttp::field::expect], "100-continue")) {
      bhttp::response<bhttp::empty_body> go_on{bhttp::status::continue_, header.version()};
      auto [continue_ec, continue_bytes] = co_await bhttp::async_write(stream, go_on, kAwait);
      if (continue_ec) co_return Next::drop;
    }
    auto [body_ec, body_bytes] = co_await bhttp::async_read(stream, buffer, parser, kAwait);
    if (body_ec == bhttp::error::body_limit)  // a chunked body that grew too large
      co_return co_await send_error(stream, exchange, 413, "payload_too_large",
                                    "The request body is too large.");
    if (is_protocol_error(body_ec))
      co_return co_await send_error(stream, exchange, 400, "bad_request",
                                    "The request is not valid HTTP.");
    if (body_ec) co_return Next::drop;
  }

  const bool client_keeps_alive = parser.get().keep_alive();
  HttpRequest request = to_http_request(parser.release(), remote, exchange.request_id);
  HttpResponse response = co_await dispatch(request);
  if (response.stream) {
    if (response.status == 200 && !exchange.head)
      co_return co_await stream_response(connection, exchange, std::move(response));
    // HEAD, or a handler that changed its mind: an ordinary answer.
    response.stream.reset();
  }
  // stopping_ is read after the handler ran, so a request in flight when
  // stop() began is answered with "Connection: close".
  const bool keep_alive =
      client_keeps_alive && !stopping_ && served < options_.max_requests_per_connection;
  if (!co_await send(stream, exchange, std::move(response), keep_alive)) co_return Next::drop;
  co_return keep_alive ? Next::keep_alive : Next::close;
}

asio::awaitable<HttpResponse> Server::Impl::dispatch(HttpRequest& request) {
  bool use_worker = false;
  try {
    use_worker = handler_.needs_worker(request);
  } catch (const std::exception& e) {
    spdlog::error("request {}: needs_worker failed: {}", request.request_id, e.what());
    co_return handler_.error_response(500, "internal", "Something went wrong on our side.");
  }
  if (!use_worker) {
    const bool reads_only =
        request.method == "GET" || request.method == "HEAD" || request.method == "OPTIONS";
    if (reads_only) co_return handle_safely(request);
    if (write_jobs_.fetch_add(1) >= options_.write_queue_limit) {
      write_jobs_.fetch_sub(1);
      spdlog::warn("request {}: write queue full, answering 503", request.request_id);
      HttpResponse busy = handler_.error_response(
          503, "unavailable", "The server is busy. Please try again in a moment.");
      busy.headers.emplace_back("Retry-After", "1");
      co_return busy;
    }
    co_return co_await handle_on(*writers_, write_jobs_, request);
  }

  if (worker_jobs_.fetch_add(1) >= options_.worker_queue_limit) {
    worker_jobs_.fetch_sub(1);
    spdlog::warn("request {}: worker pool full, answering 503", request.request_id);
    HttpResponse busy = handler_.error_response(
        503, "unavailable", "The server is busy. Please try again in a moment.");
    busy.headers.emplace_back("Retry-After", "1");
    co_return busy;
  }
  // The result comes back on this connection's strand.
  co_return co_await handle_on(*workers_, worker_jobs_, request);
}

// Runs the request's handler on `pool` and resumes the waiting coroutine on
// its own executor with the answer. The pool thread only runs a plain
// function: no coroutine frame is made, resumed or freed there. (Spawning a
// coroutine onto the pool and awaiting it, as this did before, let ASan catch
// a use-after-free in Asio 1.81's per-thread frame cache under many
// concurrent writes.) `jobs` was counted up by the caller.
asio::awaitable<HttpResponse> Server::Impl::handle_on(asio::thread_pool& pool,
                                                      std::atomic<std::size_t>& jobs,
                                                      HttpRequest& request) {
  co_return co_await asio::async_initiate<decltype(asio::use_awaitable), void(HttpResponse)>(
      [this, &pool, &jobs, &request](auto resume) {
        asio::post(pool, [this, &jobs, &request, resume = std::move(resume)]() mutable {
          HttpResponse response = handle_safely(request);
          jobs.fetch_sub(1);
          const auto executor = asio::get_associated_executor(resume);
          asio::post(executor, [resume = std::move(resume),
                                response = std::move(response)]() mutable {
            std::move(resume)(std::move(response));
          });
        });
      },
      asio::use_awaitable);
}

HttpResponse Server::Impl::handle_safely(HttpRequest& request) {
  try {
    return handler_.handle(request);
  } catch (const std::exception& e) {
    spdlog::error("request {} {} {}: handler threw: {}", request.request_id, request.method,
                  request.path, e.what());
  } catch (...) {
    spdlog::error("request {} {} {}: handler threw a non-exception", request.request_id,
                  request.method, request.path);
  }
  return handler_.error_response(500, "internal", "Something went wrong on our side.");
}

asio::awaitable<Server::Impl::Next> Server::Impl::send_error(beast::tcp_stream& stream,
                                                             const Exchange& exchange, int status,
                                                             std::string_view code,
                                                             std::string_view message) {
  // The rest of a refused or unreadable request cannot be skipped reliably,
  // so the connection ends after the answer.
  const bool sent =
      co_await send(stream, exchange, handler_.error_response(status, code, message), false);
  co_return sent ? Next::close : Next::drop;
}

asio::awaitable<bool> Server::Impl::send(beast::tcp_stream& stream, const Exchange& exchange,
                                         HttpResponse response, bool keep_alive) {
  if (response.status < 200 || response.status > 599) {
    spdlog::error("request {}: handler returned status {}", exchange.request_id,
                  response.status);
    response = handler_.error_response(500, "internal", "Something went wrong on our side.");
  }
  add_security_headers(response);
  const bool bodiless = response.status == 204 || response.status == 304;

  // Observed before the answer leaves, so a client that reads /metrics
  // right after a response always finds that response counted.
  metrics_.observe(response.route.empty() ? "unmatched" : response.route, response.status,
                   std::chrono::duration<double>(Clock::now() - exchange.started).count());

  // A client that stops reading must not hold the connection forever.
  stream.expires_after(options_.read_timeout);
  error_code ec;
  std::size_t body_bytes = 0;
  if (response.shared_body && !bodiless) {
    // Written from the shared bytes, which `response` keeps alive until
    // this coroutine ends.
    bhttp::response<bhttp::span_body<const char>> message;
    message.body() = {response.shared_body->data(), response.shared_body->size()};
    std::tie(ec, body_bytes) = co_await write_answer(stream, exchange, response, message,
                                                     keep_alive, bodiless);
  } else {
    bhttp::response<bhttp::string_body> message;
    if (!bodiless) message.body() = std::move(response.body);
    std::tie(ec, body_bytes) = co_await write_answer(stream, exchange, response, message,
                                                     keep_alive, bodiless);
  }

  const double seconds = std::chrono::duration<double>(Clock::now() - exchange.started).count();
  // Path only: query strings can carry personal data (search terms, e-mail).
  spdlog::info("{} {} {} {} {} {}B {:.1f}ms {}{}", exchange.request_id, exchange.remote,
               exchange.method, exchange.path, response.status, body_bytes, seconds * 1000,
               response.route.empty() ? "-" : response.route, ec ? " (write failed)" : "");
  co_return !ec;
}

// Sets the status line and headers of `message`, whose body is in place,
// and writes it (only its header for HEAD). Answers the error and the
// number of body bytes written.
template <typename Body>
asio::awaitable<std::pair<error_code, std::size_t>> Server::Impl::write_answer(
    beast::tcp_stream& stream, const Exchange& exchange, const HttpResponse& response,
    bhttp::response<Body>& message, bool keep_alive, bool bodiless) {
  message.version(exchange.version);
  message.result(static_cast<unsigned>(response.status));
  for (const auto& [name, value] : response.headers)
    if (!is_framing_header(name)) message.insert(name, value);
  message.set(bhttp::field::server, "noaber");
  message.set("X-Request-Id", exchange.request_id);
  if (!bodiless && !response.content_type.empty())
    message.set(bhttp::field::content_type, response.content_type);
  message.keep_alive(keep_alive);
  // 204 and 304 carry no body and, per RFC 9110, no Content-Length: 0.
  if (!bodiless) message.prepare_payload();

  error_code ec;
  if (exchange.head) {
    // Content-Length announces what a GET would return; no body follows.
    bhttp::response_serializer<Body> serializer(message);
    std::tie(ec, std::ignore) = co_await bhttp::async_write_header(stream, serializer, kAwait);
    co_return std::pair{ec, std::size_t{0}};
  }
  const std::size_t body_bytes = message.payload_size().value_or(0);
  std::tie(ec, std::ignore) = co_await bhttp::async_write(stream, message, kAwait);
  co_return std::pair{ec, body_bytes};
}

asio::awaitable<Server::Impl::Next> Server::Impl::stream_response(
    std::shared_ptr<Connection> connection, const Exchange& exchange, HttpResponse response) {
  beast::tcp_stream& stream = connection->stream();
  const std::shared_ptr<ResponseStream> source = std::move(response.stream);
  add_security_headers(response);

  bhttp::response<bhttp::empty_body> message;
  message.version(exchange.version);
  message.result(bhttp::status::ok);
  for (const auto& [name, value] : response.headers)
    if (!is_framing_header(name)) message.insert(name, value);
  message.set(bhttp::field::server, "noaber");
  message.set("X-Request-Id", exchange.request_id);
  message.set(bhttp::field::content_type, response.content_type);
  // The stream is the connection's last response. HTTP/1.1 clients get it
  // chunked, so its end is told apart from a broken connection; HTTP/1.0
  // ones (nginx's default towards upstreams) read until the close.
  const bool chunked = exchange.version >= 11;
  message.keep_alive(false);
  if (chunked) message.chunked(true);

  metrics_.observe(response.route.empty() ? "unmatched" : response.route, 200,
                   std::chrono::duration<double>(Clock::now() - exchange.started).count());

  auto write = [&stream, chunked](const std::string& data) -> asio::awaitable<error_code> {
    error_code ec;
    if (chunked)
      std::tie(ec, std::ignore) =
          co_await asio::async_write(stream, bhttp::make_chunk(asio::buffer(data)), kAwait);
    else
      std::tie(ec, std::ignore) = co_await asio::async_write(stream, asio::buffer(data), kAwait);
    co_return ec;
  };

  stream.expires_after(options_.read_timeout);
  bhttp::response_serializer<bhttp::empty_body> serializer(message);
  auto [ec, header_bytes] = co_await bhttp::async_write_header(stream, serializer, kAwait);

  // The stream may wake this connection from any thread; the wake-up is a
  // cancel of the timer it waits on, carried out on the connection's strand.
  auto wake = std::make_shared<asio::steady_timer>(stream.get_executor());
  auto hung_up = std::make_shared<bool>(false);
  struct Detach {
    ResponseStream& source;
    ~Detach() { source.attach({}); }
  } detach{*source};
  std::size_t body_bytes = 0;
  if (!ec) {
    connection->wake = wake;
    asio::co_spawn(stream.get_executor(), watch_for_hangup(connection, wake, hung_up),
                   asio::detached);
    source->attach([wake] { asio::post(wake->get_executor(), [wake] { wake->cancel(); }); });
    // Taking, checking and starting to wait happen without a suspension in
    // between, so a wake-up posted meanwhile always finds the wait.
    for (;;) {
      std::string data = source->take();
      if (!data.empty()) {
        // A client that stops reading must not hold the connection forever.
        stream.expires_after(options_.read_timeout);
        ec = co_await write(data);
        if (ec) break;
        body_bytes += data.size();
        continue;
      }
      if (*hung_up || stopping_ || source->ended()) break;
      // Waiting for events is not idleness: no timeout while nothing is sent.
      stream.expires_never();
      wake->expires_after(options_.stream_heartbeat);
      auto [wait_ec] = co_await wake->async_wait(kAwait);
      if (!wait_ec) {
        stream.expires_after(options_.read_timeout);
        ec = co_await write(source->heartbeat());
        if (ec) break;
      }
    }
    connection->wake.reset();
    if (!ec && !*hung_up && chunked) {
      stream.expires_after(options_.read_timeout);
      std::tie(ec, std::ignore) =
          co_await asio::async_write(stream, bhttp::make_chunk_last(), kAwait);
    }
  }

  const double seconds = std::chrono::duration<double>(Clock::now() - exchange.started).count();
  spdlog::info("{} {} {} {} 200 {}B {:.1f}ms {} (stream ended: {})", exchange.request_id,
               exchange.remote, exchange.method, exchange.path, body_bytes, seconds * 1000,
               response.route.empty() ? "-" : response.route,
               *hung_up            ? "client left"
               : stopping_         ? "server stopping"
               : ec                ? "write failed"
                                   : "stream over");
  // Dropped rather than lingered: the hang-up watcher is reading already.
  co_return Next::drop;
}

asio::awaitable<void> Server::Impl::linger_and_close(beast::tcp_stream& stream) {
  error_code ec;
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  stream.expires_after(kLingerTime);
  std::array<char, 4096> discard;
  for (std::size_t total = 0; total < kLingerBytes;) {
    auto [read_ec, bytes] = co_await stream.async_read_some(asio::buffer(discard), kAwait);
    if (read_ec) break;
    total += bytes;
  }
  stream.close();
}

Server::Server(ServerOptions options, RequestHandler& handler, Metrics& metrics)
    : impl_(std::make_unique<Impl>(std::move(options), handler, metrics)) {}

Server::~Server() = default;

std::uint16_t Server::start() { return impl_->start(); }

void Server::wait_for_signal() { impl_->wait_for_signal(); }

void Server::stop() { impl_->stop(); }

}  // namespace noaber::http
