// Request bodies and query strings as the handlers read them:
// BodyReader::parse, then every field name the handlers ask for as a string
// and as a number, then finish(); QueryParams::parse and get(); parse_id.
// The input is not NUL-terminated, so a library that reads past the given
// length shows up. Properties: no crash or sanitizer report; an id that
// parses was 1 to 18 decimal digits (leading zeros allowed) and is their
// value, above zero.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "http/json_io.h"

namespace {

constexpr std::string_view kFields[] = {
    "email",  "password", "display_name", "name",     "region",     "lat",
    "lon",    "kind",     "category",     "title",    "body",       "visibility",
    "status", "message",  "invite_code",  "radius_km", "",          "\xff"};

void read_all(noaber::http::BodyReader& reader) {
  for (auto field : kFields) {
    (void)reader.string(field);
    (void)reader.number(field);
  }
  (void)reader.finish();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  noaber::http::HttpRequest request;
  request.headers.emplace_back("content-type", "application/json; charset=utf-8");
  request.body = std::string(input);
  for (bool optional_body : {false, true})
    if (auto reader = noaber::http::BodyReader::parse(request, optional_body)) read_all(*reader);

  if (auto query = noaber::http::QueryParams::parse(input))
    for (auto name : {"q", "lat", "lon", "cursor", "limit", "status", "kind", ""})
      (void)query->get(name);

  if (auto id = noaber::http::parse_id(input)) {
    // Only 1 to 18 digits (leading zeros allowed), and their value.
    if (input.empty() || input.size() > 18) std::abort();
    std::int64_t value = 0;
    for (char c : input) {
      if (c < '0' || c > '9') std::abort();
      value = value * 10 + (c - '0');
    }
    if (*id < 1 || *id != value) std::abort();
  }
  return 0;
}
