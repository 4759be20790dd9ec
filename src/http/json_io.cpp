#include "http/json_io.h"

#include "core/validation.h"

#include <charconv>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/url/parse_query.hpp>

namespace noaber::http {
namespace json = boost::json;

namespace {

// Deep nesting is never needed by our API and costs stack; refuse it early.
constexpr std::size_t kMaxDepth = 20;

bool is_json_content_type(std::string_view ct) {
  const auto semi = ct.find(';');
  std::string_view media = ct.substr(0, semi);
  while (!media.empty() && media.back() == ' ') media.remove_suffix(1);
  if (media.size() != 16) return false;
  std::string lower(media);
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower == "application/json";
}

}  // namespace

Result<BodyReader> BodyReader::parse(const HttpRequest& request, bool optional_body) {
  if (request.body.empty()) {
    if (optional_body) return BodyReader(json::object{});
    return fail(ErrorCode::bad_request, "A JSON body is required.");
  }
  const auto ct = request.header("content-type");
  if (!ct || !is_json_content_type(*ct))
    return fail(ErrorCode::unsupported_media_type, "Send the body as application/json.");

  json::parse_options options;
  options.max_depth = kMaxDepth;
  std::error_code ec;
  json::value value = json::parse(request.body, ec, {}, options);
  if (ec) return fail(ErrorCode::bad_request, "The body is not valid JSON (or not UTF-8).");
  if (!value.is_object()) return fail(ErrorCode::bad_request, "The body must be a JSON object.");
  return BodyReader(std::move(value.as_object()));
}

void BodyReader::wrong_type(std::string_view key, std::string_view expected) {
  if (!type_errors_.empty()) type_errors_ += ", ";
  type_errors_ += std::string(key) + " must be " + std::string(expected);
}

std::optional<std::string> BodyReader::string(std::string_view key) {
  const auto* v = object_.if_contains(key);
  if (!v || v->is_null()) return std::nullopt;
  if (!v->is_string()) {
    wrong_type(key, "a string");
    return std::nullopt;
  }
  return std::string(v->get_string());
}

std::optional<double> BodyReader::number(std::string_view key) {
  const auto* v = object_.if_contains(key);
  if (!v || v->is_null()) return std::nullopt;
  if (v->is_double()) return v->get_double();
  if (v->is_int64()) return static_cast<double>(v->get_int64());
  if (v->is_uint64()) return static_cast<double>(v->get_uint64());
  wrong_type(key, "a number");
  return std::nullopt;
}

std::optional<bool> BodyReader::boolean(std::string_view key) {
  const auto* v = object_.if_contains(key);
  if (!v || v->is_null()) return std::nullopt;
  if (v->is_bool()) return v->get_bool();
  wrong_type(key, "true or false");
  return std::nullopt;
}

std::optional<std::vector<std::string>> BodyReader::strings(std::string_view key) {
  const auto* v = object_.if_contains(key);
  if (!v || v->is_null()) return std::nullopt;
  if (v->is_array()) {
    std::vector<std::string> out;
    for (const auto& item : v->get_array()) {
      if (!item.is_string()) break;
      out.emplace_back(item.get_string());
    }
    if (out.size() == v->get_array().size()) return out;
  }
  wrong_type(key, "an array of strings");
  return std::nullopt;
}

std::optional<std::vector<std::int64_t>> BodyReader::whole_numbers(std::string_view key,
                                                                  std::int64_t at_least,
                                                                  std::string_view expected) {
  const auto* v = object_.if_contains(key);
  if (!v || v->is_null()) return std::nullopt;
  if (v->is_array()) {
    std::vector<std::int64_t> out;
    for (const auto& item : v->get_array()) {
      if (item.is_int64() && item.get_int64() >= at_least) out.push_back(item.get_int64());
      else if (item.is_uint64() && item.get_uint64() <= INT64_MAX)
        out.push_back(static_cast<std::int64_t>(item.get_uint64()));
      else break;
    }
    if (out.size() == v->get_array().size()) return out;
  }
  wrong_type(key, expected);
  return std::nullopt;
}

std::optional<std::vector<std::int64_t>> BodyReader::integer_list(std::string_view key) {
  return whole_numbers(key, INT64_MIN, "an array of whole numbers");
}

std::optional<std::vector<std::int64_t>> BodyReader::ids(std::string_view key) {
  return whole_numbers(key, 1, "an array of ids");
}

Status BodyReader::finish() const {
  if (type_errors_.empty()) return {};
  return fail(ErrorCode::bad_request, "Wrong JSON types: " + type_errors_ + ".");
}

Result<QueryParams> QueryParams::parse(std::string_view query) {
  QueryParams out;
  if (query.empty()) return out;
  // Boost.URL 1.81's parse_query measures its input again with strlen
  // (boostorg/url#946), so it gets a NUL-terminated copy; found by
  // fuzz/fuzz_json_body.
  const std::string terminated(query);
  auto parsed = boost::urls::parse_query(terminated);
  if (!parsed) return fail(ErrorCode::bad_request, "The query string is malformed.");
  boost::urls::encoding_opts opts;
  opts.space_as_plus = true;  // forms send "a+b" for "a b"
  for (const auto& p : *parsed) {
    std::string key = p.key.decode(opts);
    std::string value = p.has_value ? p.value.decode(opts) : std::string();
    if (!valid_utf8(key) || !valid_utf8(value))
      return fail(ErrorCode::bad_request, "The query string is not valid UTF-8.");
    if (out.get(key)) continue;
    out.params_.emplace_back(std::move(key), std::move(value));
  }
  return out;
}

std::optional<std::string> QueryParams::get(std::string_view name) const {
  for (const auto& [k, v] : params_)
    if (k == name) return v;
  return std::nullopt;
}

std::optional<std::int64_t> parse_id(std::string_view text) {
  if (text.empty() || text.size() > 18) return std::nullopt;
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 1) return std::nullopt;
  if (text.front() == '+' || text.front() == '-') return std::nullopt;
  return value;
}

HttpResponse json_response(int status, const json::value& body) {
  return json_response(status, json::serialize(body));
}

HttpResponse json_response(int status, std::string serialised) {
  HttpResponse r;
  r.status = status;
  r.content_type = "application/json";
  r.body = std::move(serialised);
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

HttpResponse json_response(int status, std::shared_ptr<const std::string> serialised) {
  HttpResponse r = json_response(status, std::string());
  r.shared_body = std::move(serialised);
  return r;
}

int status_for(ErrorCode code) {
  switch (code) {
    case ErrorCode::bad_request: return 400;
    case ErrorCode::validation_failed: return 400;
    case ErrorCode::unauthenticated: return 401;
    case ErrorCode::invalid_credentials: return 401;
    case ErrorCode::forbidden: return 403;
    case ErrorCode::not_verified: return 403;
    case ErrorCode::csrf_failed: return 403;
    case ErrorCode::not_found: return 404;
    case ErrorCode::method_not_allowed: return 405;
    case ErrorCode::conflict: return 409;
    case ErrorCode::email_taken: return 409;
    case ErrorCode::payload_too_large: return 413;
    case ErrorCode::unsupported_media_type: return 415;
    case ErrorCode::rate_limited: return 429;
    case ErrorCode::unavailable: return 503;
    case ErrorCode::internal: return 500;
  }
  return 500;
}

HttpResponse error_response(const Error& error) {
  json::object body;
  body["code"] = code_name(error.code);
  // Internal failures never show their details; those are in the log.
  body["message"] = error.code == ErrorCode::internal ? "Something went wrong on our side."
                                                      : error.message;
  if (error.code == ErrorCode::validation_failed) {
    json::object fields;
    for (const auto& [field, rule] : error.fields) fields[field] = rule;
    body["fields"] = std::move(fields);
  }
  HttpResponse r = json_response(status_for(error.code), json::object{{"error", body}});
  if (error.code == ErrorCode::rate_limited || error.code == ErrorCode::unavailable)
    r.headers.emplace_back("Retry-After", std::to_string(std::max(1, error.retry_after)));
  return r;
}

HttpResponse no_content() {
  HttpResponse r;
  r.status = 204;
  r.content_type.clear();
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

}  // namespace noaber::http
