#pragma once
// Creating and dropping whole databases on a PostgreSQL server, for tests
// and tooling that need a database of their own (each store contract test
// runs on a fresh one). Not used by the server itself.

#include <string>

namespace noaber::postgres {

// The connection string `conninfo` (URL or key=value form) with its
// database replaced by `database`, in key=value form. Throws
// std::invalid_argument when libpq cannot parse `conninfo`.
std::string with_database(const std::string& conninfo, const std::string& database);

// CREATE DATABASE / DROP DATABASE through a connection made with
// `admin_conninfo`. `name` must be a plain identifier ([a-z0-9_]). Dropping
// ends the connections still open on it. Throw std::runtime_error on failure.
void create_database(const std::string& admin_conninfo, const std::string& name);
void drop_database(const std::string& admin_conninfo, const std::string& name);

// Ends every other connection to database `name`, as a server restart would.
void terminate_connections(const std::string& admin_conninfo, const std::string& name);

}  // namespace noaber::postgres
