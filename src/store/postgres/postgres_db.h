#pragma once
// A thin RAII layer over libpq, private to the PostgreSQL backend:
//
//  - Connection: one PGconn with its cache of prepared statements (each SQL
//    text is prepared once per connection, under a generated name).
//  - Rows: the rows of one executed statement (owns the PGresult); Row is a
//    view of one of them with typed accessors like the SQLite Query's.
//  - Transaction: BEGIN on construction, ROLLBACK unless commit() was called.
//  - ConnectionPool: up to `size` connections, opened when first needed and
//    handed to one thread at a time (mutex + condition variable).
//
// Parameters and results travel in libpq's text format: integers and times
// as decimal, doubles in their shortest exact form, enums by wire name.
//
// Database failures are thrown as DbError inside the backend and turned into
// Error values at the Store boundary (postgres_store.cpp), the one place that
// knows which SQLSTATE means what. No exception leaves the store.

#include <concepts>
#include <condition_variable>
#include <cstdint>
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

struct pg_conn;
struct pg_result;

namespace noaber::postgres {

class DbError : public std::runtime_error {
 public:
  // `what` is the server's or libpq's message and is meant for the log only.
  DbError(std::string sqlstate, std::string constraint, bool connection_lost,
          const std::string& what)
      : std::runtime_error(what),
        sqlstate_(std::move(sqlstate)),
        constraint_(std::move(constraint)),
        connection_lost_(connection_lost) {}
  // Five characters ("23505"); empty when the failure happened in libpq.
  const std::string& sqlstate() const { return sqlstate_; }
  // The violated constraint or unique index, when the server names one.
  const std::string& constraint() const { return constraint_; }
  // The connection is gone (server down, restarted, network).
  bool connection_lost() const { return connection_lost_; }

 private:
  std::string sqlstate_;
  std::string constraint_;
  bool connection_lost_;
};

// One parameter in text format; nullopt is SQL NULL.
using Param = std::optional<std::string>;

inline Param to_param(std::int64_t value) { return std::to_string(value); }
Param to_param(double value);
inline Param to_param(std::string_view value) { return std::string(value); }
inline Param to_param(const std::string& value) { return value; }
inline Param to_param(const char* value) { return std::string(value); }
inline Param to_param(std::nullopt_t) { return std::nullopt; }
template <std::integral T>
Param to_param(T value) {
  return to_param(static_cast<std::int64_t>(value));
}
inline Param to_param(TimePoint value) {
  return to_param(static_cast<std::int64_t>(value.time_since_epoch().count()));
}
template <typename Tag>
Param to_param(Id<Tag> value) {
  return to_param(value.value);
}
// Enums are stored as their wire names.
template <typename E>
  requires std::is_enum_v<E>
Param to_param(E value) {
  return to_param(to_string(value));
}
template <typename T>
Param to_param(const std::optional<T>& value) {
  if (!value) return std::nullopt;
  return to_param(*value);
}

class Rows;

// One row of a Rows; valid while the Rows lives.
class Row {
 public:
  Row(const Rows& rows, int row) : rows_(&rows), row_(row) {}

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
  [[noreturn]] void throw_mismatch(int column) const;
  const char* raw(int column) const;

  const Rows* rows_;
  int row_;
};

class Rows {
 public:
  explicit Rows(pg_result* result) : result_(result) {}
  ~Rows();
  Rows(const Rows&) = delete;
  Rows& operator=(const Rows&) = delete;
  Rows(Rows&& other) noexcept : result_(std::exchange(other.result_, nullptr)) {}
  Rows& operator=(Rows&&) = delete;

  int size() const;
  bool empty() const { return size() == 0; }
  Row operator[](int row) const { return Row(*this, row); }
  Row front() const { return Row(*this, 0); }
  // Rows changed by an INSERT, UPDATE or DELETE.
  std::int64_t affected() const;

 private:
  friend class Row;
  pg_result* result_;
};

class Connection {
 public:
  // Connects with a libpq connection string (URL or key=value form). Throws
  // DbError (connection_lost) when that fails.
  explicit Connection(const std::string& conninfo);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs one or more statements that return no rows (transaction control,
  // migrations) through the simple query protocol. Not prepared.
  void execute(std::string_view sql);

  // Runs `sql` as a prepared statement (prepared on first use on this
  // connection) with the arguments as $1, $2, ... in order.
  template <typename... Args>
  Rows query(std::string_view sql, const Args&... args) {
    const Param params[] = {to_param(args)..., std::nullopt};
    return run_prepared(sql, params, sizeof...(Args));
  }

  // Whether the connection can be used again.
  bool healthy() const;
  bool in_transaction() const;
  // Ends an open transaction, ignoring failure; for destructors.
  void rollback_quietly() noexcept;

 private:
  Rows run_prepared(std::string_view sql, const Param* params, int count);
  // Throws the failure `result` (may be null) carries, freeing it.
  [[noreturn]] void throw_error(pg_result* result) const;

  pg_conn* conn_ = nullptr;
  // SQL text -> prepared statement name. Keyed by the text itself (owned).
  std::unordered_map<std::string, std::string> statements_;
};

class Transaction {
 public:
  // READ COMMITTED, the server's default; the store adds row locks where a
  // check must hold until the change (postgres_store.cpp).
  explicit Transaction(Connection& connection);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  void commit();

 private:
  Connection& connection_;
  bool open_ = true;
};

class ConnectionPool {
 public:
  // Opens the first connection at once, so a wrong URL or an unreachable
  // server fails at start-up. Throws DbError when that fails.
  ConnectionPool(std::string conninfo, int size);
  ~ConnectionPool();
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  // Runs fn(Connection&) on a connection of its own, waiting for one when
  // all `size` are busy. A connection that broke is closed, not reused.
  template <typename Fn>
  auto with_connection(Fn&& fn) {
    Lease lease(*this);
    return fn(lease.connection());
  }

 private:
  class Lease {
   public:
    explicit Lease(ConnectionPool& pool);
    ~Lease();
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Connection& connection() { return *connection_; }

   private:
    ConnectionPool& pool_;
    std::unique_ptr<Connection> connection_;
  };

  std::string conninfo_;
  int size_;
  std::mutex mutex_;
  std::condition_variable returned_;
  std::vector<std::unique_ptr<Connection>> idle_;
  // Connections open now, idle or leased.
  int open_ = 0;
};

}  // namespace noaber::postgres
