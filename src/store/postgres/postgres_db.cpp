#include "store/postgres/postgres_db.h"

#include <libpq-fe.h>

#include <charconv>
#include <cstring>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace noaber::postgres {
namespace {

std::string field(const PGresult* result, int code) {
  const char* value = result ? PQresultErrorField(result, code) : nullptr;
  return value ? value : "";
}

// Server notices ("relation ... already exists, skipping") would go to
// stderr by default; they belong in the debug log.
void log_notice(void*, const char* message) {
  std::string_view text(message);
  while (!text.empty() && text.back() == '\n') text.remove_suffix(1);
  spdlog::debug("postgres: {}", text);
}

}  // namespace

Param to_param(double value) {
  // fmt's shortest form reads back as the same double.
  return fmt::format("{}", value);
}

// --- Rows ------------------------------------------------------------------

Rows::~Rows() { PQclear(result_); }

int Rows::size() const { return PQntuples(result_); }

std::int64_t Rows::affected() const {
  const char* count = PQcmdTuples(result_);
  std::int64_t value = 0;
  std::from_chars(count, count + std::strlen(count), value);
  return value;
}

// --- Row -------------------------------------------------------------------

const char* Row::raw(int column) const { return PQgetvalue(rows_->result_, row_, column); }

bool Row::is_null(int column) const { return PQgetisnull(rows_->result_, row_, column) == 1; }

std::int64_t Row::int64(int column) const {
  const char* text = raw(column);
  const char* end = text + PQgetlength(rows_->result_, row_, column);
  std::int64_t value = 0;
  const auto [at, error] = std::from_chars(text, end, value);
  if (error != std::errc() || at != end) throw_mismatch(column);
  return value;
}

double Row::real(int column) const {
  const char* text = raw(column);
  const char* end = text + PQgetlength(rows_->result_, row_, column);
  double value = 0;
  const auto [at, error] = std::from_chars(text, end, value);
  if (error != std::errc() || at != end) throw_mismatch(column);
  return value;
}

std::string Row::text(int column) const {
  return std::string(raw(column),
                     static_cast<std::size_t>(PQgetlength(rows_->result_, row_, column)));
}

std::optional<double> Row::optional_real(int column) const {
  if (is_null(column)) return std::nullopt;
  return real(column);
}

std::optional<std::string> Row::optional_text(int column) const {
  if (is_null(column)) return std::nullopt;
  return text(column);
}

std::optional<TimePoint> Row::optional_time(int column) const {
  if (is_null(column)) return std::nullopt;
  return time(column);
}

void Row::throw_mismatch(int column) const {
  // XX000: internal_error; a value the schema's CHECKs should have refused.
  throw DbError("XX000", "", false,
                fmt::format("unexpected value '{}' in column {}", text(column),
                            PQfname(rows_->result_, column)));
}

// --- Connection ------------------------------------------------------------

Connection::Connection(const std::string& conninfo) {
  // The URL is expanded in place of dbname; the settings after it override
  // its own. fallback_application_name names us in pg_stat_activity unless
  // the URL does.
  const char* const keywords[] = {"dbname", "client_encoding", "fallback_application_name",
                                  nullptr};
  const char* const values[] = {conninfo.c_str(), "UTF8", "noaber", nullptr};
  conn_ = PQconnectdbParams(keywords, values, 1);
  if (!conn_) throw DbError("", "", true, "out of memory opening a connection");
  if (PQstatus(conn_) != CONNECTION_OK) {
    // libpq's message names the host and the reason, never the password.
    std::string message = PQerrorMessage(conn_);
    while (!message.empty() && message.back() == '\n') message.pop_back();
    PQfinish(conn_);
    conn_ = nullptr;
    throw DbError("08001", "", true, "cannot connect: " + message);
  }
  PQsetNoticeProcessor(conn_, log_notice, nullptr);
}

Connection::~Connection() { PQfinish(conn_); }

void Connection::throw_error(PGresult* result) const {
  std::string message = result ? PQresultErrorMessage(result) : "";
  if (message.empty()) message = PQerrorMessage(conn_);
  while (!message.empty() && message.back() == '\n') message.pop_back();
  DbError error(field(result, PG_DIAG_SQLSTATE), field(result, PG_DIAG_CONSTRAINT_NAME),
                PQstatus(conn_) != CONNECTION_OK, message);
  PQclear(result);
  throw error;
}

void Connection::execute(std::string_view sql) {
  // PQexec needs a terminated string.
  const std::string text(sql);
  PGresult* result = PQexec(conn_, text.c_str());
  const auto status = PQresultStatus(result);
  if (!result || (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)) throw_error(result);
  PQclear(result);
}

Rows Connection::run_prepared(std::string_view sql, const Param* params, int count) {
  auto found = statements_.find(std::string(sql));
  if (found == statements_.end()) {
    std::string name = fmt::format("noaber_{}", statements_.size() + 1);
    // The server infers each parameter's type from its use; the SQL casts
    // where the use alone would not tell.
    PGresult* prepared = PQprepare(conn_, name.c_str(), std::string(sql).c_str(), 0, nullptr);
    if (!prepared || PQresultStatus(prepared) != PGRES_COMMAND_OK) throw_error(prepared);
    PQclear(prepared);
    found = statements_.emplace(std::string(sql), std::move(name)).first;
  }

  std::vector<const char*> values(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) values[i] = params[i] ? params[i]->c_str() : nullptr;
  PGresult* result = PQexecPrepared(conn_, found->second.c_str(), count, values.data(), nullptr,
                                    nullptr, 0);
  const auto status = PQresultStatus(result);
  if (!result || (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)) throw_error(result);
  return Rows(result);
}

bool Connection::healthy() const {
  return PQstatus(conn_) == CONNECTION_OK && PQtransactionStatus(conn_) == PQTRANS_IDLE;
}

bool Connection::in_transaction() const {
  const auto status = PQtransactionStatus(conn_);
  return status == PQTRANS_INTRANS || status == PQTRANS_INERROR;
}

void Connection::rollback_quietly() noexcept {
  if (!in_transaction()) return;
  PQclear(PQexec(conn_, "ROLLBACK"));
}

// --- Transaction -----------------------------------------------------------

Transaction::Transaction(Connection& connection) : connection_(connection) {
  connection_.execute("BEGIN");
}

Transaction::~Transaction() {
  if (open_) connection_.rollback_quietly();
}

void Transaction::commit() {
  open_ = false;
  connection_.execute("COMMIT");
}

// --- ConnectionPool --------------------------------------------------------

ConnectionPool::ConnectionPool(std::string conninfo, int size)
    : conninfo_(std::move(conninfo)), size_(size < 1 ? 1 : size) {
  idle_.push_back(std::make_unique<Connection>(conninfo_));
  open_ = 1;
}

ConnectionPool::~ConnectionPool() = default;

ConnectionPool::Lease::Lease(ConnectionPool& pool) : pool_(pool) {
  {
    std::unique_lock lock(pool_.mutex_);
    pool_.returned_.wait(lock,
                         [this] { return !pool_.idle_.empty() || pool_.open_ < pool_.size_; });
    if (!pool_.idle_.empty()) {
      connection_ = std::move(pool_.idle_.back());
      pool_.idle_.pop_back();
      return;
    }
    ++pool_.open_;
  }
  // Connecting takes a round trip or more; others may use the pool meanwhile.
  try {
    connection_ = std::make_unique<Connection>(pool_.conninfo_);
  } catch (...) {
    {
      std::lock_guard lock(pool_.mutex_);
      --pool_.open_;
    }
    pool_.returned_.notify_one();
    throw;
  }
}

ConnectionPool::Lease::~Lease() {
  // A transaction left open here means its owner threw past it; a broken
  // connection is closed so the next lease opens a fresh one.
  connection_->rollback_quietly();
  {
    std::lock_guard lock(pool_.mutex_);
    if (connection_->healthy()) {
      pool_.idle_.push_back(std::move(connection_));
    } else {
      --pool_.open_;
    }
  }
  pool_.returned_.notify_one();
  connection_.reset();
}

}  // namespace noaber::postgres
