#include "store/postgres/postgres_admin.h"

#include <libpq-fe.h>

#include <memory>
#include <stdexcept>

#include <fmt/format.h>

#include "store/postgres/postgres_db.h"

namespace noaber::postgres {
namespace {

// A key=value value in single quotes, with quotes and backslashes escaped.
std::string quote_value(std::string_view value) {
  std::string quoted = "'";
  for (const char c : value) {
    if (c == '\'' || c == '\\') quoted += '\\';
    quoted += c;
  }
  quoted += '\'';
  return quoted;
}

void check_identifier(const std::string& name) {
  const bool plain = !name.empty() && name.size() < 64 &&
                     name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") ==
                         std::string::npos;
  if (!plain) throw std::invalid_argument("postgres: not a plain database name: " + name);
}

void run_admin(const std::string& admin_conninfo, const std::string& sql) {
  try {
    Connection db(admin_conninfo);
    db.execute(sql);
  } catch (const DbError& e) {
    throw std::runtime_error(fmt::format("postgres: {}", e.what()));
  }
}

}  // namespace

std::string with_database(const std::string& conninfo, const std::string& database) {
  char* error = nullptr;
  std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> options(
      PQconninfoParse(conninfo.c_str(), &error), &PQconninfoFree);
  if (!options) {
    const std::string message = error ? error : "out of memory";
    PQfreemem(error);
    throw std::invalid_argument("postgres: cannot parse the connection string: " + message);
  }
  std::string out;
  for (const PQconninfoOption* option = options.get(); option->keyword; ++option) {
    const std::string_view keyword = option->keyword;
    if (keyword == "dbname" || !option->val) continue;
    out += fmt::format("{}={} ", keyword, quote_value(option->val));
  }
  out += "dbname=" + quote_value(database);
  return out;
}

void create_database(const std::string& admin_conninfo, const std::string& name) {
  check_identifier(name);
  // template0, UTF-8 and the C locale: the same start for every database
  // whatever the cluster's defaults (C folds case like SQLite: ASCII only).
  run_admin(admin_conninfo,
            fmt::format("CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C'", name));
}

void drop_database(const std::string& admin_conninfo, const std::string& name) {
  check_identifier(name);
  run_admin(admin_conninfo, fmt::format("DROP DATABASE IF EXISTS {} WITH (FORCE)", name));
}

void terminate_connections(const std::string& admin_conninfo, const std::string& name) {
  check_identifier(name);
  run_admin(admin_conninfo,
            fmt::format("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                        " WHERE datname = '{}' AND pid <> pg_backend_pid()",
                        name));
}

}  // namespace noaber::postgres
