#pragma once
// Reading request bodies and query strings strictly, and writing JSON
// responses. Syntax errors, invalid UTF-8, deep nesting and wrong JSON types
// are bad_request; a missing field is left to the service, which answers
// validation_failed with the field's name.

#include <cstdint>
#include <optional>
#include <vector>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "core/error.h"
#include "http/http_types.h"

namespace noaber::http {

class BodyReader {
 public:
  // The request body as a JSON object. An empty body counts as {} when
  // `optional_body` (endpoints whose fields are all optional).
  static Result<BodyReader> parse(const HttpRequest& request, bool optional_body = false);

  // Absent or null -> nullopt. A value of another type is remembered and
  // makes finish() fail.
  std::optional<std::string> string(std::string_view key);
  std::optional<double> number(std::string_view key);
  std::optional<bool> boolean(std::string_view key);
  // An array of strings.
  std::optional<std::vector<std::string>> strings(std::string_view key);
  // An array of whole numbers (ids).
  std::optional<std::vector<std::int64_t>> integer_list(std::string_view key);
  // An array of ids (whole numbers of at least 1).
  std::optional<std::vector<std::int64_t>> ids(std::string_view key);
  // All type errors seen so far, as one bad_request naming the fields.
  Status finish() const;

 private:
  explicit BodyReader(boost::json::object object) : object_(std::move(object)) {}
  void wrong_type(std::string_view key, std::string_view expected);
  // integer_list and ids: an array of whole numbers of at least `at_least`.
  std::optional<std::vector<std::int64_t>> whole_numbers(std::string_view key,
                                                         std::int64_t at_least,
                                                         std::string_view expected);

  boost::json::object object_;
  std::string type_errors_;
};

// Decoded query parameters. The first occurrence of a name wins.
class QueryParams {
 public:
  static Result<QueryParams> parse(std::string_view query);
  std::optional<std::string> get(std::string_view name) const;

 private:
  std::vector<std::pair<std::string, std::string>> params_;
};

// A path or query id: 1 to 18 decimal digits, above zero.
std::optional<std::int64_t> parse_id(std::string_view text);

HttpResponse json_response(int status, const boost::json::value& body);
// The same, for a body serialised already.
HttpResponse json_response(int status, std::string serialised);
// The same bytes for many responses, sent without a copy (HttpResponse::
// shared_body).
HttpResponse json_response(int status, std::shared_ptr<const std::string> serialised);
HttpResponse error_response(const Error& error);
HttpResponse no_content();

int status_for(ErrorCode code);

}  // namespace noaber::http
