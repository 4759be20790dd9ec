#include "store/sqlite/sqlite_db.h"

#include <sqlite3.h>

#include <algorithm>
#include <climits>

#include <fmt/format.h>

namespace noaber::sqlite {

// --- Connection ------------------------------------------------------------

Connection::Connection(const std::string& path, OpenMode mode,
                       std::chrono::milliseconds busy_timeout) {
  // The pool hands each connection to one thread at a time, so SQLite's own
  // per-connection mutex would only cost time.
  int flags = SQLITE_OPEN_NOMUTEX;
  flags |= mode == OpenMode::read_only ? SQLITE_OPEN_READONLY
                                       : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  const int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    // Even a failed open may allocate a handle that carries the message.
    const std::string message = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close(db_);
    db_ = nullptr;
    throw DbError(rc, fmt::format("cannot open {}: {}", path, message));
  }
  sqlite3_extended_result_codes(db_, 1);
  const auto timeout_ms =
      std::clamp<std::chrono::milliseconds::rep>(busy_timeout.count(), 0, INT_MAX);
  sqlite3_busy_timeout(db_, static_cast<int>(timeout_ms));
}

Connection::~Connection() {
  for (auto& [sql, statement] : statements_) sqlite3_finalize(statement.stmt);
  sqlite3_close(db_);
}

void Connection::throw_error(int code) const {
  throw DbError(code, sqlite3_errmsg(db_));
}

void Connection::execute(std::string_view sql) {
  // sqlite3_exec needs a terminated string.
  const std::string text(sql);
  char* message = nullptr;
  const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message);
  if (rc != SQLITE_OK) {
    std::string what = message ? message : sqlite3_errstr(rc);
    sqlite3_free(message);
    throw DbError(sqlite3_extended_errcode(db_), what);
  }
}

Query Connection::query(std::string_view sql) {
  auto found = statements_.find(sql);
  if (found == statements_.end()) {
    sqlite3_stmt* stmt = nullptr;
    const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                      SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) throw_error(rc);
    found = statements_.emplace(std::string(sql), CachedStatement{stmt, false}).first;
  }
  if (found->second.in_use) {
    // Two live Query objects on one statement would reset each other.
    throw DbError(SQLITE_MISUSE, "prepared statement already in use");
  }
  found->second.in_use = true;
  return Query(*this, found->second);
}

int Connection::changes() const { return sqlite3_changes(db_); }

bool Connection::in_transaction() const { return sqlite3_get_autocommit(db_) == 0; }

void Connection::rollback_quietly() noexcept {
  if (in_transaction()) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

// --- Query -----------------------------------------------------------------

Query::Query(Query&& other) noexcept
    : connection_(other.connection_), statement_(std::exchange(other.statement_, nullptr)) {}

Query::~Query() {
  if (!statement_) return;
  // Resetting ends the statement's read of the database, so a reader never
  // pins an old snapshot (which would also stop WAL checkpoints).
  sqlite3_reset(statement_->stmt);
  sqlite3_clear_bindings(statement_->stmt);
  statement_->in_use = false;
}

Query& Query::bind(int index, std::int64_t value) {
  const int rc = sqlite3_bind_int64(stmt(), index, value);
  if (rc != SQLITE_OK) connection_->throw_error(rc);
  return *this;
}

Query& Query::bind(int index, double value) {
  const int rc = sqlite3_bind_double(stmt(), index, value);
  if (rc != SQLITE_OK) connection_->throw_error(rc);
  return *this;
}

Query& Query::bind(int index, std::string_view value) {
  // SQLITE_TRANSIENT: SQLite copies the text, so temporaries may be bound.
  const int rc = sqlite3_bind_text64(stmt(), index, value.data(), value.size(),
                                     SQLITE_TRANSIENT, SQLITE_UTF8);
  if (rc != SQLITE_OK) connection_->throw_error(rc);
  return *this;
}

Query& Query::bind(int index, std::nullopt_t) {
  const int rc = sqlite3_bind_null(stmt(), index);
  if (rc != SQLITE_OK) connection_->throw_error(rc);
  return *this;
}

bool Query::step() {
  const int rc = sqlite3_step(stmt());
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  connection_->throw_error(sqlite3_extended_errcode(sqlite3_db_handle(stmt())));
}

void Query::run() {
  while (step()) {
  }
}

bool Query::is_null(int column) const {
  return sqlite3_column_type(stmt(), column) == SQLITE_NULL;
}

std::int64_t Query::int64(int column) const { return sqlite3_column_int64(stmt(), column); }

double Query::real(int column) const { return sqlite3_column_double(stmt(), column); }

std::string Query::text(int column) const {
  const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(stmt(), column));
  const int size = sqlite3_column_bytes(stmt(), column);
  return data ? std::string(data, static_cast<std::size_t>(size)) : std::string();
}

std::optional<double> Query::optional_real(int column) const {
  if (is_null(column)) return std::nullopt;
  return real(column);
}

std::optional<std::string> Query::optional_text(int column) const {
  if (is_null(column)) return std::nullopt;
  return text(column);
}

std::optional<TimePoint> Query::optional_time(int column) const {
  if (is_null(column)) return std::nullopt;
  return time(column);
}

void Query::throw_mismatch(int column) const {
  throw DbError(SQLITE_MISMATCH,
                fmt::format("unexpected value '{}' in column {}", text(column),
                            sqlite3_column_name(stmt(), column)));
}

// --- Transaction -----------------------------------------------------------

Transaction::Transaction(Connection& connection, Kind kind) : connection_(connection) {
  connection_.query(kind == Kind::immediate ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED").run();
}

Transaction::~Transaction() {
  if (open_) connection_.rollback_quietly();
}

void Transaction::commit() {
  connection_.query("COMMIT").run();
  open_ = false;
}

// --- ConnectionPool --------------------------------------------------------

namespace {

std::string pragma_text(Connection& db, std::string_view pragma) {
  auto q = db.query(pragma);
  return q.step() ? q.text(0) : std::string();
}

}  // namespace

ConnectionPool::ConnectionPool(const PoolOptions& options) {
  if (options.path.empty()) throw std::runtime_error("sqlite: no database path given");
  try {
    writer_ = std::make_unique<Connection>(options.path, OpenMode::read_write_create,
                                           options.busy_timeout);
    // WAL lets readers run beside the writer; with synchronous=FULL every
    // commit is on disk before it returns, so an answered write survives a
    // crash of the process or the machine.
    if (pragma_text(*writer_, "PRAGMA journal_mode = WAL") != "wal")
      throw std::runtime_error("sqlite: cannot switch " + options.path + " to WAL mode");
    writer_->execute("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;");
    if (pragma_text(*writer_, "PRAGMA foreign_keys") != "1")
      throw std::runtime_error("sqlite: this SQLite does not enforce foreign keys");

    for (int i = 0; i < options.read_connections; ++i) {
      readers_.push_back(std::make_unique<Connection>(options.path, OpenMode::read_only,
                                                      options.busy_timeout));
      idle_readers_.push_back(readers_.back().get());
    }
  } catch (const DbError& e) {
    throw std::runtime_error(fmt::format("sqlite: {}", e.what()));
  }
}

ConnectionPool::~ConnectionPool() {
  // Readers first: the last connection to close checkpoints the WAL.
  idle_readers_.clear();
  readers_.clear();
  writer_.reset();
}

// --- group commit ------------------------------------------------------------

void ConnectionPool::write(WriteOp& op) {
  std::unique_lock lock(batch_mutex_);
  queue_.push_back(&op);
  while (!op.done_) {
    if (leading_) {
      // A batch is running (without `op`, which came later): wait for it.
      batch_done_.wait(lock);
      continue;
    }
    // No batch runs, so `op` is still in the queue: lead the next batch,
    // which takes everything queued until now, `op` among it.
    leading_ = true;
    std::vector<WriteOp*> batch;
    batch.swap(queue_);
    lock.unlock();
    {
      std::lock_guard writer(write_mutex_);
      commit_batch(batch);
    }
    // Before any caller of the batch returns (write_generation()).
    move_generations(
        std::ranges::any_of(batch, [](const WriteOp* w) { return w->moves_generation(); }),
        std::ranges::any_of(batch, [](const WriteOp* w) { return w->moves_any_generation(); }));
    for (const WriteOp* w : batch) {
      const auto scope = w->narrowed_to();
      if (!scope) continue;
      neighbourhood_generations_[slot_of(scope->neighbourhood, false)].fetch_add(
          1, std::memory_order_acq_rel);
      if (scope->nearby)
        neighbourhood_generations_[slot_of(scope->neighbourhood, true)].fetch_add(
            1, std::memory_order_acq_rel);
    }
    lock.lock();
    for (WriteOp* done : batch) done->done_ = true;
    ++batches_run_;
    leading_ = false;
    // Wakes this batch's callers, and those queued meanwhile: one of them
    // leads the next batch.
    batch_done_.notify_all();
  }
  lock.unlock();
  if (op.exception_) std::rethrow_exception(op.exception_);
}

std::size_t ConnectionPool::queued() {
  std::lock_guard lock(batch_mutex_);
  return queue_.size();
}

std::uint64_t ConnectionPool::batches_run() {
  std::lock_guard lock(batch_mutex_);
  return batches_run_;
}

namespace {

// Runs `op` inside a savepoint of the open transaction, keeping its change
// when it succeeds and rolling back to the savepoint otherwise, so only its
// own change is undone. Returns false when the transaction as a whole is
// broken (ended by the failure, or the savepoint could not be handled).
bool apply_in_savepoint(Connection& db, WriteOp& op, std::exception_ptr& exception) {
  bool keep = false;
  try {
    db.query("SAVEPOINT write_op").run();
    keep = op.apply(db);
  } catch (const DbError& e) {
    op.fail(e);
  } catch (...) {
    exception = std::current_exception();
  }
  // Some failures (a full disk, I/O errors, out of memory) roll back the
  // whole transaction, and with it the operations before this one.
  if (!db.in_transaction()) return false;
  try {
    if (!keep) db.query("ROLLBACK TO write_op").run();
    db.query("RELEASE write_op").run();
    return true;
  } catch (const DbError&) {
    return false;
  }
}

}  // namespace

void ConnectionPool::commit_batch(const std::vector<WriteOp*>& batch) {
  Connection& db = *writer_;
  try {
    db.query("BEGIN IMMEDIATE").run();
  } catch (const DbError& e) {
    // Another process holds the write lock past the busy timeout: every
    // operation would wait as long again, so all are answered now.
    for (WriteOp* op : batch) op->fail(e);
    return;
  }
  bool intact = true;
  for (WriteOp* op : batch) {
    op->exception_ = nullptr;
    if (!apply_in_savepoint(db, *op, op->exception_)) {
      intact = false;
      break;
    }
  }
  if (intact) {
    try {
      db.query("COMMIT").run();
      return;  // every answer recorded by apply() or fail() is now durable
    } catch (const DbError&) {
      // Fall through: nothing of the batch is kept.
    }
  }
  db.rollback_quietly();
  // Each operation again on its own, so each gets its own answer.
  for (WriteOp* op : batch) commit_alone(*op);
}

void ConnectionPool::commit_alone(WriteOp& op) {
  Connection& db = *writer_;
  op.exception_ = nullptr;
  try {
    Transaction tx(db, Transaction::Kind::immediate);
    if (op.apply(db)) tx.commit();
  } catch (const DbError& e) {
    op.fail(e);
  } catch (...) {
    op.exception_ = std::current_exception();
  }
}

ConnectionPool::ReadLease::ReadLease(ConnectionPool& pool) : pool_(pool) {
  std::unique_lock lock(pool_.read_mutex_);
  pool_.reader_returned_.wait(lock, [this] { return !pool_.idle_readers_.empty(); });
  connection_ = pool_.idle_readers_.back();
  pool_.idle_readers_.pop_back();
}

ConnectionPool::ReadLease::~ReadLease() {
  {
    std::lock_guard lock(pool_.read_mutex_);
    pool_.idle_readers_.push_back(connection_);
  }
  pool_.reader_returned_.notify_one();
}

}  // namespace noaber::sqlite
