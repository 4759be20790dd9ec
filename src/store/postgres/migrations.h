#pragma once
// The PostgreSQL schema migrations, compiled into the binary from
// migrations/NNNN_name.sql (see CMakeLists.txt), and the code that applies
// them.

#include <span>
#include <string_view>

namespace noaber::postgres {

class Connection;

struct Migration {
  int version = 0;
  std::string_view name;
  std::string_view sql;
};

// Every known migration, in ascending version order.
std::span<const Migration> migrations();

// Applies the migrations not yet recorded in schema_migrations, each in its
// own transaction, and returns how many it applied. Throws DbError when one
// fails; that migration leaves nothing behind.
int apply_migrations(Connection& db);

// The highest applied version; 0 for a fresh database.
int applied_schema_version(Connection& db);

}  // namespace noaber::postgres
