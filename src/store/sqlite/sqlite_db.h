#pragma once
// A thin RAII layer over the SQLite C API, private to the SQLite backend:
//
//  - Connection: one sqlite3 handle with its cache of prepared statements
//    (each SQL text is prepared once and reset for reuse).
//  - Query: a borrowed cached statement; binds, steps, reads columns, and
//    resets itself when it goes out of scope so no read snapshot stays open.
//  - Transaction: BEGIN on construction, ROLLBACK unless commit() was called.
//  - ConnectionPool: one write connection and a few read-only connections
//    handed out to one thread at a time. Writes go through write(), which
//    batches concurrent ones into one transaction with one durable commit
//    (group commit, see WriteOp and ConnectionPool::write).
//
// Database failures are thrown as DbError inside the backend and turned into
// Error values at the Store boundary (sqlite_store.cpp), the one place that
// knows which failure means what. No exception leaves the store.

#include <array>
#include <atomic>
#include <chrono>
#include <concepts>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/types.h"

struct sqlite3;
struct sqlite3_stmt;

namespace noaber::sqlite {

class DbError : public std::runtime_error {
 public:
  // `code` is an extended SQLite result code; `what` is SQLite's message
  // and is meant for the log only.
  DbError(int code, const std::string& what) : std::runtime_error(what), code_(code) {}
  int code() const { return code_; }

 private:
  int code_;
};

enum class OpenMode { read_write_create, read_only };

class Query;

class Connection {
 public:
  Connection(const std::string& path, OpenMode mode,
             std::chrono::milliseconds busy_timeout);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs one or more statements that return no rows (pragmas, transaction
  // control, migrations). Not cached.
  void execute(std::string_view sql);

  // The cached prepared statement for `sql`, prepared on first use. A
  // statement can be in use by one Query at a time.
  Query query(std::string_view sql);

  // Rows changed by the last INSERT, UPDATE or DELETE.
  int changes() const;
  bool in_transaction() const;
  // Ends an open transaction, ignoring failure; for destructors.
  void rollback_quietly() noexcept;

 private:
  [[noreturn]] void throw_error(int code) const;

  struct CachedStatement {
    sqlite3_stmt* stmt = nullptr;
    bool in_use = false;
  };
  friend class Query;

  sqlite3* db_ = nullptr;
  // Looks a statement up by a string_view, without copying the SQL text
  // into a std::string first (the feed's text is about 2 KB, and that copy
  // on every call showed in profiles).
  struct TextHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const {
      return std::hash<std::string_view>{}(text);
    }
  };
  // Keyed by the SQL text itself (owned) so a key can never dangle.
  std::unordered_map<std::string, CachedStatement, TextHash, std::equal_to<>> statements_;
};

class Query {
 public:
  ~Query();
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;
  Query(Query&& other) noexcept;
  Query& operator=(Query&&) = delete;

  // Binds the arguments to parameters ?1, ?2, ... in order.
  template <typename... Args>
  Query& bind_all(const Args&... args) {
    int index = 0;
    (bind(++index, args), ...);
    return *this;
  }

  Query& bind(int index, std::int64_t value);
  Query& bind(int index, double value);
  Query& bind(int index, std::string_view value);
  Query& bind(int index, std::nullopt_t);
  Query& bind(int index, const std::string& value) {
    return bind(index, std::string_view(value));
  }
  Query& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
  template <std::integral T>
  Query& bind(int index, T value) {
    return bind(index, static_cast<std::int64_t>(value));
  }
  Query& bind(int index, TimePoint value) {
    return bind(index, static_cast<std::int64_t>(value.time_since_epoch().count()));
  }
  template <typename Tag>
  Query& bind(int index, Id<Tag> value) {
    return bind(index, value.value);
  }
  // Enums are stored as their wire names.
  template <typename E>
    requires std::is_enum_v<E>
  Query& bind(int index, E value) {
    return bind(index, to_string(value));
  }
  template <typename T>
  Query& bind(int index, const std::optional<T>& value) {
    if (!value) return bind(index, std::nullopt);
    return bind(index, *value);
  }

  // Advances to the next row; false when there are no more.
  bool step();
  // Runs a statement that returns no rows.
  void run();

  bool is_null(int column) const;
  std::int64_t int64(int column) const;
  double real(int column) const;
  std::string text(int column) const;
  TimePoint time(int column) const { return TimePoint(std::chrono::seconds(int64(column))); }
  template <typename IdT>
  IdT id(int column) const {
    return IdT{int64(column)};
  }
  std::optional<double> optional_real(int column) const;
  std::optional<std::string> optional_text(int column) const;
  std::optional<TimePoint> optional_time(int column) const;
  // Reads an enum stored by its wire name with `parse` (a parse_* function
  // of core/types.h). An unknown name means a damaged database.
  template <typename Parse>
  auto enum_value(int column, Parse parse) const {
    auto value = parse(text(column));
    if (!value) throw_mismatch(column);
    return *value;
  }

 private:
  friend class Connection;
  Query(Connection& connection, Connection::CachedStatement& statement)
      : connection_(&connection), statement_(&statement) {}
  [[noreturn]] void throw_mismatch(int column) const;
  sqlite3_stmt* stmt() const { return statement_->stmt; }

  Connection* connection_;
  Connection::CachedStatement* statement_;
};

class Transaction {
 public:
  enum class Kind {
    // Takes the write lock at once, so the transaction never fails halfway
    // because another writer got there first.
    immediate,
    // A read snapshot: every statement in it sees the same data.
    deferred,
  };
  Transaction(Connection& connection, Kind kind);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  void commit();

 private:
  Connection& connection_;
  bool open_ = true;
};

// One write operation handed to ConnectionPool::write. The pool may run it
// on another thread (the leader of its batch) and, when a batch as a whole
// fails, a second time on its own; each run starts from the same database
// state as far as this operation is concerned, so apply() must only change
// the database and its own answer, never anything else.
class WriteOp {
 public:
  // Makes the change on `db` inside a transaction the pool owns. Returns
  // true to keep it, false to refuse it (everything it changed is undone).
  // Throws DbError when the database fails; that also undoes the change.
  virtual bool apply(Connection& db) = 0;
  // The operation failed with `error` (thrown by apply(), or by the commit
  // that would have made it durable): this replaces any earlier answer.
  virtual void fail(const DbError& error) = 0;

  // Whether committing this operation moves ConnectionPool::write_generation.
  // True unless the operation said otherwise: only a write that changes
  // nothing a cached read depends on (sessions, notifications) may
  // leave it, so a write added later is counted without anyone remembering.
  bool moves_generation() const { return moves_generation_; }
  // Whether it moves ConnectionPool::any_write_generation: every write does
  // but one that says so (a session touch, whose effect its caller records
  // in the memo itself).
  bool moves_any_generation() const { return moves_any_generation_; }
  // Set for a write that adds one post to a neighbourhood and changes
  // nothing else: it moves only that neighbourhood's feed generations
  // (ConnectionPool::neighbourhood_generation), not the two above.
  struct NewPostScope {
    std::int64_t neighbourhood = 0;
    bool nearby = false;  // the post is shown to the nearby set too
  };
  std::optional<NewPostScope> narrowed_to() const { return narrowed_to_; }

 protected:
  void leave_generation() { moves_generation_ = false; }
  void leave_every_generation() { moves_generation_ = moves_any_generation_ = false; }
  void narrow_to_new_post(NewPostScope scope) {
    leave_every_generation();
    narrowed_to_ = scope;
  }
  ~WriteOp() = default;

 private:
  friend class ConnectionPool;
  bool done_ = false;               // guarded by ConnectionPool::batch_mutex_
  bool moves_generation_ = true;
  bool moves_any_generation_ = true;
  std::optional<NewPostScope> narrowed_to_;
  std::exception_ptr exception_;    // anything but DbError, rethrown to the caller
};

struct PoolOptions {
  std::string path;
  int read_connections = 4;
  std::chrono::milliseconds busy_timeout{5000};
};

// One write connection (WAL allows one writer at a time anyway; callers
// queue here rather than spin on SQLITE_BUSY) and a small set of read-only
// connections that read alongside it.
//
// Group commit: with synchronous=FULL every COMMIT waits for the disk
// (an fsync of the WAL, milliseconds), and one writer at a time would allow
// only a few hundred commits a second. write() therefore batches: callers
// put their operation in a queue; the first one that finds no batch running
// becomes the leader, takes the whole queue, and runs it on the write
// connection as ONE transaction — each operation inside its own SAVEPOINT,
// so a refused or failing operation is rolled back alone and does not
// poison the others — and commits it once. Whoever queued meanwhile waits
// for the next batch, whose leader is one of them. Every caller returns
// only after the COMMIT of its batch succeeded, so an answered write is as
// durable as before. Operations run one after the other in queue order, in
// one transaction, so each sees the changes of those before it: the outcome
// is that of running them one at a time in that order.
//
// If the batch as a whole fails (the COMMIT fails, or a failure ends the
// transaction itself, e.g. a full disk), nothing of it is kept and every
// operation of the batch is run again on its own, in its own transaction,
// so each gets exactly the answer it would have got without batching.
class ConnectionPool {
 public:
  // Opens the write connection (creating the file), switches to WAL with
  // synchronous=FULL and foreign keys on, then opens the readers. Throws
  // std::runtime_error when any of it fails.
  explicit ConnectionPool(const PoolOptions& options);
  ~ConnectionPool();
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  // Runs `op` as part of the next group commit (see above) and returns when
  // its batch is committed, or when it failed; its answer is whatever
  // op.apply() and op.fail() recorded. Rethrows anything apply() threw that
  // is not a DbError (after rolling back its change).
  void write(WriteOp& op);

  // Operations waiting for the next batch, and the batches run so far (each
  // one transaction, unless it failed as a whole); for tests and metrics.
  std::size_t queued();
  std::uint64_t batches_run();

  // Grows by at least one with every write() (but those whose operation
  // leaves it, WriteOp::moves_generation) and every with_writer() call,
  // after its transaction ended (committed or not) and before the call
  // returns; so a value read before a read began differs from the value now
  // whenever a write may have changed what that read saw. What the feed
  // cache (services/feed_cache.h) keys its entries on. Only writes through
  // this pool count: another process writing the file goes unseen.
  std::uint64_t write_generation() const {
    return write_generation_.load(std::memory_order_acquire);
  }
  // The same, moved also by the writes that leave write_generation()
  // (sessions, notifications, claims, view records); only an operation that
  // leaves every generation (WriteOp::moves_any_generation) does not move
  // it. What the session memo (read_memo.h) keys its entries on.
  std::uint64_t any_write_generation() const {
    return any_write_generation_.load(std::memory_order_acquire);
  }
  // Moved, like the others, by every write narrowed to neighbourhood `n`
  // (WriteOp::narrowed_to: a new post of n): with `nearby` false by every
  // such post (what n's own feed shows), with `nearby` true only by those
  // shown to n's nearby set (what their feeds show of n). Neighbourhoods
  // share a fixed number of counters, so a post may move other
  // neighbourhoods' too: a cache keyed on them only misses once more than
  // it had to.
  std::uint64_t neighbourhood_generation(std::int64_t n, bool nearby) const {
    return neighbourhood_generations_[slot_of(n, nearby)].load(std::memory_order_acquire);
  }

  // The write connection for the caller alone, outside any batch (migrations,
  // reading the schema version). `fn` manages its own transactions.
  template <typename Fn>
  auto with_writer(Fn&& fn) {
    struct Bump {
      ConnectionPool& pool;
      ~Bump() { pool.move_generations(true, true); }
    } bump{*this};  // after the lock below is released
    std::lock_guard lock(write_mutex_);
    return fn(*writer_);
  }

  // Without read connections, reads share the write connection (and, being
  // reads, leave write_generation() alone).
  template <typename Fn>
  auto with_reader(Fn&& fn) {
    if (readers_.empty()) {
      std::lock_guard lock(write_mutex_);
      return fn(*writer_);
    }
    ReadLease lease(*this);
    return fn(lease.connection());
  }

 private:
  class ReadLease {
   public:
    explicit ReadLease(ConnectionPool& pool);
    ~ReadLease();
    ReadLease(const ReadLease&) = delete;
    ReadLease& operator=(const ReadLease&) = delete;
    Connection& connection() { return *connection_; }

   private:
    ConnectionPool& pool_;
    Connection* connection_;
  };

  // After a write's transaction ended, before its caller returns.
  void move_generations(bool write, bool any) {
    if (write) write_generation_.fetch_add(1, std::memory_order_acq_rel);
    if (any) any_write_generation_.fetch_add(1, std::memory_order_acq_rel);
  }
  static constexpr std::size_t kNeighbourhoodSlots = 4096;
  static std::size_t slot_of(std::int64_t n, bool nearby) {
    return (static_cast<std::size_t>(n) * 2 + (nearby ? 1 : 0)) % kNeighbourhoodSlots;
  }
  // Runs one batch on the write connection; the caller holds write_mutex_.
  void commit_batch(const std::vector<WriteOp*>& batch);
  // Runs `op` alone in its own transaction.
  void commit_alone(WriteOp& op);

  // Held while the write connection is in use (a batch, or with_writer).
  std::mutex write_mutex_;
  std::unique_ptr<Connection> writer_;
  // The group commit's queue: operations waiting for the next batch, whether
  // a leader is running one, and the signal that a batch has ended.
  std::mutex batch_mutex_;
  std::condition_variable batch_done_;
  std::vector<WriteOp*> queue_;
  bool leading_ = false;
  std::uint64_t batches_run_ = 0;
  std::atomic<std::uint64_t> write_generation_{0};
  std::atomic<std::uint64_t> any_write_generation_{0};
  std::array<std::atomic<std::uint64_t>, kNeighbourhoodSlots> neighbourhood_generations_{};
  std::vector<std::unique_ptr<Connection>> readers_;
  std::mutex read_mutex_;
  std::condition_variable reader_returned_;
  std::vector<Connection*> idle_readers_;
};

}  // namespace noaber::sqlite
