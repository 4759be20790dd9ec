// Bad input against the real App: every case must get a clear 4xx with a
// stable error code, leave the data as it was and leave the server serving
// (DESIGN.md, "Quality bars"). Each test founds one small neighbourhood with
// one post, so "nothing changed" can be checked by comparing snapshots of
// what its founder sees.

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json.hpp>
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "core/cursor.h"
#include "support/api_fixture.h"

namespace noaber::test {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

constexpr std::size_t kBodyLimit = 64 * 1024;
constexpr std::size_t kHeaderLimit = 16 * 1024;

std::string as_text(const json::value& value) { return json::serialize(value); }

// The status of the first response in raw bytes from the server, if any.
std::optional<int> first_status(std::string_view raw) {
  constexpr std::string_view kPrefix = "HTTP/1.";
  if (raw.size() < kPrefix.size() + 5 || !raw.starts_with(kPrefix)) return std::nullopt;
  const auto code = raw.substr(kPrefix.size() + 2, 3);
  int status = 0;
  for (char c : code) {
    if (c < '0' || c > '9') return std::nullopt;
    status = status * 10 + (c - '0');
  }
  return status;
}

// The error code in the JSON body of the first raw response.
std::string raw_error_code(std::string_view raw) {
  const auto end_of_headers = raw.find("\r\n\r\n");
  if (end_of_headers == std::string_view::npos) return "<no body>";
  try {
    const auto body = json::parse(raw.substr(end_of_headers + 4));
    return json::value_to<std::string>(body.at("error").at("code"));
  } catch (const std::exception&) {
    return "<no error body>";
  }
}

// Garbage on the socket may be refused with a 4xx or be met with a closed
// connection; anything else (a 5xx, a success) means it was misread.
void expect_refused_or_closed(const std::string& raw) {
  if (raw.empty()) return;
  const auto status = first_status(raw);
  ASSERT_TRUE(status.has_value()) << "not an HTTP response: " << raw.substr(0, 200);
  EXPECT_GE(*status, 400) << raw.substr(0, 300);
  EXPECT_LT(*status, 500) << raw.substr(0, 300);
}

class BadInputTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    if (IsSkipped()) return;
    founder_ = register_resident("Anna de Vries");
    hood_ = found(founder_, "Binnenstad", 52.1386, 6.2017);
    post_id_ = create_post(founder_, hood_, "ask", "goods", "Ladder lenen");
    ASSERT_GT(post_id_, 0);
    before_ = snapshot();
  }

  std::string hood_path(std::string_view rest = "") const {
    return fmt::format("/api/v1/neighbourhoods/{}{}", hood_, rest);
  }
  std::string posts_path() const { return hood_path("/posts"); }
  std::string post_path(std::string_view rest = "") const {
    return fmt::format("/api/v1/posts/{}{}", post_id_, rest);
  }

  // A request as the founder (bearer), with a body and a Content-Type of
  // our choosing; an empty content_type sends none.
  ClientResponse send(std::string_view method, const std::string& target, std::string_view body,
                      std::string_view content_type = "application/json") {
    Headers headers = founder_.bearer();
    if (!content_type.empty()) headers.emplace_back("Content-Type", std::string(content_type));
    return http_->request(method, target, body, headers);
  }

  // Everything the founder can see: the feed, the post, the public list of
  // neighbourhoods, their own account and the exchanges. Bad input must
  // change none of it.
  std::string snapshot() {
    HttpClient viewer = client();
    std::string all;
    for (const std::string& target :
         {hood_path("/feed?limit=100"), post_path(), std::string("/api/v1/neighbourhoods"),
          std::string("/api/v1/me"), hood_path("/exchanges")}) {
      const auto r = viewer.get(target, founder_.bearer());
      all += fmt::format("{} {} {}\n", target, r.status, r.body);
    }
    return all;
  }

  void expect_nothing_changed() { EXPECT_EQ(snapshot(), before_); }

  void expect_still_serving() {
    HttpClient fresh = client();
    fresh.set_timeout(10s);
    const auto r = fresh.get("/healthz");
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.body, R"({"status":"ok"})");
  }

  void expect_error(const ClientResponse& r, int status, std::string_view code) {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_EQ(error_code(r), code);
    EXPECT_EQ(r.header("content-type"), "application/json");
  }

  bool user_exists(const std::string& email) {
    return app_->store().find_credentials(email).has_value();
  }

  std::string raw(std::string_view bytes, std::chrono::milliseconds timeout = 5s) {
    return HttpClient::raw_exchange("127.0.0.1", port_, bytes, timeout);
  }

  // A request head for the raw socket, authenticated as the founder.
  std::string raw_head(std::string_view method, std::string_view target,
                       std::string_view extra_headers) const {
    return fmt::format("{} {} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {}\r\n{}\r\n",
                       method, target, founder_.token, extra_headers);
  }

  json::object valid_post(std::string_view title = "Boormachine gezocht") const {
    return {{"kind", "ask"}, {"category", "goods"}, {"title", title}, {"body", "Voor een middag."}};
  }

  Resident founder_;
  std::int64_t hood_ = 0;
  std::int64_t post_id_ = 0;
  std::string before_;
};

TEST_F(BadInputTest, MalformedJsonIsBadRequest) {
  const std::vector<std::string> bodies = {
      R"({kind: "ask"})",                      // unquoted key
      R"({'kind': 'ask'})",                    // single quotes
      R"({"kind": "ask",})",                   // trailing comma
      R"({"kind": "ask"}})",                   // extra brace
      R"({"kind": "ask"} {"kind": "offer"})",  // two documents
      R"({"kind" "ask"})",                     // missing colon
      R"({"title": 01})",                      // leading zero
      R"({"title": NaN})",                     // not JSON
      "{\"title\": \"line\nbreak\"}",          // raw control character in a string
      R"({"title": "\x41"})",                  // unknown escape
      R"({"title": "A" /* comment */})",       // comments are not JSON
      R"({"title": "\ud800"})",                // lone surrogate escape
      "   ",                                   // whitespace only
  };
  for (const auto& body : bodies) {
    SCOPED_TRACE(body);
    expect_error(send("POST", posts_path(), body), 400, "bad_request");
  }
  expect_still_serving();
  expect_nothing_changed();
}

TEST_F(BadInputTest, EveryTruncationOfAValidBodyIsBadRequest) {
  const std::string whole = as_text(valid_post());
  // The whole body is accepted at the end, so the cut-off ones failed only
  // because they were cut off.
  for (std::size_t length = 1; length < whole.size(); ++length) {
    SCOPED_TRACE(whole.substr(0, length));
    expect_error(send("POST", posts_path(), whole.substr(0, length)), 400, "bad_request");
  }
  expect_still_serving();
  expect_nothing_changed();
  EXPECT_EQ(send("POST", posts_path(), whole).status, 201);
}

TEST_F(BadInputTest, JsonThatIsNotAnObjectIsBadRequest) {
  for (const std::string body : {"[]", R"([{"kind": "ask"}])", R"("ask")", "42", "-1.5", "true",
                                 "null"}) {
    SCOPED_TRACE(body);
    expect_error(send("POST", posts_path(), body), 400, "bad_request");
    expect_error(send("PATCH", post_path(), body), 400, "bad_request");
  }
  expect_still_serving();
  expect_nothing_changed();
}

TEST_F(BadInputTest, WrongJsonTypesAreBadRequest) {
  struct Case {
    std::string method;
    std::string target;
    json::value body;
  };
  auto post_with = [&](std::string_view key, json::value value) {
    json::object body = valid_post();
    body[key] = std::move(value);
    return body;
  };
  const std::vector<Case> cases = {
      {"POST", posts_path(), post_with("title", 42)},
      {"POST", posts_path(), post_with("title", json::array{"Ladder"})},
      {"POST", posts_path(), post_with("kind", true)},
      {"POST", posts_path(), post_with("body", json::object{{"text", "x"}})},
      {"POST", posts_path(), post_with("expires_at", 1767225600)},
      {"PATCH", post_path(), json::object{{"title", 12345}}},
      {"PATCH", post_path(), json::object{{"body", false}}},
      {"POST", "/api/v1/neighbourhoods",
       json::object{{"name", "Noord"}, {"region", "Zutphen"}, {"lat", "52.1"}, {"lon", 6.2}}},
      {"POST", "/api/v1/neighbourhoods",
       json::object{{"name", "Noord"}, {"region", "Zutphen"}, {"lat", 52.1}, {"lon", true}}},
      {"POST", "/api/v1/neighbourhoods",
       json::object{{"name", 7}, {"region", "Zutphen"}, {"lat", 52.1}, {"lon", 6.2}}},
      {"POST", post_path("/complete"), json::object{{"hours", true}}},
      {"POST", post_path("/complete"), json::object{{"hours", "2"}}},
      {"POST", post_path("/complete"), json::object{{"thanks", json::array{}}}},
      {"POST", post_path("/responses"), json::object{{"message", 1}}},
      {"POST", hood_path("/join"), json::object{{"invite_code", 123456}}},
      {"POST", "/api/v1/auth/login",
       json::object{{"email", json::object{{"address", founder_.email}}},
                    {"password", "correct horse battery"}}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.method + " " + c.target + " " + as_text(c.body));
    const auto r = send(c.method, c.target, as_text(c.body));
    expect_error(r, 400, "bad_request");
    EXPECT_FALSE(r.json().at("error").as_object().contains("fields")) << r.body;
  }

  // Register with an object for email: refused before anybody is created.
  const std::string email = "typo@example.org";
  const auto r = send("POST", "/api/v1/auth/register",
                      as_text(json::object{{"email", json::object{{"value", email}}},
                                             {"password", "correct horse battery"},
                                             {"display_name", "Bram"}}));
  expect_error(r, 400, "bad_request");
  const auto r2 = send("POST", "/api/v1/auth/register",
                       as_text(json::object{{"email", email},
                                              {"password", 12345678901234},
                                              {"display_name", "Bram"}}));
  expect_error(r2, 400, "bad_request");
  EXPECT_FALSE(user_exists(email));

  expect_still_serving();
  expect_nothing_changed();
}

TEST_F(BadInputTest, InvalidUtf8InAStringIsBadRequest) {
  const std::vector<std::string> bad_titles = {
      "Caf\xC3",                 // sequence cut short
      "Caf\xC3\x28",             // bad continuation byte
      "\xFF\xFE ladder",         // bytes that never occur in UTF-8
      "\xC0\xAF slash",          // overlong encoding
      "\xED\xA0\x80 surrogate",  // UTF-16 surrogate encoded as UTF-8
      "\xF4\x90\x80\x80 big",    // above U+10FFFF
      "\x80 lone continuation",
  };
  for (const auto& title : bad_titles) {
    SCOPED_TRACE(testing::PrintToString(title));
    const std::string body = R"({"kind": "ask", "category": "goods", "title": ")" + title +
                             R"(", "body": ""})";
    expect_error(send("POST", posts_path(), body), 400, "bad_request");
    expect_error(send("PATCH", post_path(), R"({"title": ")" + title + R"("})"), 400,
                 "bad_request");
    // Invalid UTF-8 in a key is as bad as in a value.
    expect_error(send("PATCH", post_path(), R"({")" + title + R"(": "x"})"), 400, "bad_request");
  }
  const std::string email = "utf8@example.org";
  expect_error(send("POST", "/api/v1/auth/register",
                    R"({"email": ")" + email +
                        R"(", "password": "correct horse battery", "display_name": ")" +
                        "J\xC3" + R"("})"),
               400, "bad_request");
  EXPECT_FALSE(user_exists(email));
  expect_still_serving();
  expect_nothing_changed();
}

TEST_F(BadInputTest, DeepNestingIsBadRequest) {
  const std::vector<std::string> bodies = {
      std::string(10000, '['),
      std::string(10000, '[') + std::string(10000, ']'),
      [] {
        std::string s;
        for (int i = 0; i < 10000; ++i) s += R"({"a":)";
        return s + "1" + std::string(10000, '}');
      }(),
      // Deep inside an otherwise fine object.
      R"({"kind": "ask", "category": "goods", "title": )" + std::string(100, '[') + "\"x\"" +
          std::string(100, ']') + "}",
  };
  for (const auto& body : bodies) {
    SCOPED_TRACE(body.substr(0, 60));
    expect_error(send("POST", posts_path(), body), 400, "bad_request");
  }
  expect_still_serving();
  expect_nothing_changed();
}

TEST_F(BadInputTest, BodyOverTheLimitIsPayloadTooLarge) {
  // Valid JSON just over the limit, and far over it, with a correct
  // Content-Length: refused before parsing.
  for (const std::size_t size : {kBodyLimit + 1, std::size_t{1024 * 1024}}) {
    SCOPED_TRACE(size);
    std::string body = as_text(valid_post());
    body.insert(body.size() - 1, R"(,"padding":")" +
                                     std::string(size - body.size() - 13, 'x') + "\"");
    ASSERT_EQ(body.size(), size);
    ASSERT_NO_THROW(json::parse(body));
    HttpClient fresh = client();
    expect_error(fresh.request("POST", posts_path(), body,
                               {{"Authorization", "Bearer " + founder_.token},
                                {"Content-Type", "application/json"}}),
                 413, "payload_too_large");
  }

  // Only the headers, announcing a big body that never comes: the answer
  // must not wait for it.
  const std::string announced =
      raw(raw_head("POST", posts_path(),
                   fmt::format("Content-Type: application/json\r\nContent-Length: {}\r\n",
                               kBodyLimit + 1)));
  EXPECT_EQ(first_status(announced), 413) << announced;
  EXPECT_EQ(raw_error_code(announced), "payload_too_large");

  // A chunked body has no Content-Length to refuse up front; it is cut off
  // once it grows past the limit.
  std::string chunked =
      raw_head("POST", posts_path(),
               "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n");
  for (std::size_t sent = 0; sent <= kBodyLimit; sent += 1024)
    chunked += "400\r\n" + std::string(1024, ' ') + "\r\n";
  chunked += "0\r\n\r\n";
  const std::string chunked_answer = raw(chunked);
  EXPECT_EQ(first_status(chunked_answer), 413) << chunked_answer.substr(0, 300);
  EXPECT_EQ(raw_error_code(chunked_answer), "payload_too_large");

  expect_still_serving();
  expect_nothing_changed();
}

TEST_F(BadInputTest, BodyOfExactlyTheLimitIsRead) {
  // The limit is inclusive: a body of exactly 64 KiB gets through to the
  // rules, which then refuse its too long text.
  json::object post = valid_post();
  post["body"] = "";
  std::string body = as_text(post);
  const std::size_t padding = kBodyLimit - body.size();
  post["body"] = std::string(padding, 'x');
  body = as_text(post);
  ASSERT_EQ(body.size(), kBodyLimit);
  const auto r = send("POST", posts_path(), body);
  expect_error(r, 400, "validation_failed");
  EXPECT_EQ(field_code(r, "body"), "too_long");
  expect_nothing_changed();
}

TEST_F(BadInputTest, BodyThatIsNotJsonIsUnsupportedMediaType) {
  const std::string body = as_text(valid_post());
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"text/plain", body},
      {"text/plain; charset=utf-8", body},
      {"application/x-www-form-urlencoded", "kind=ask&category=goods&title=Ladder&body="},
      {"multipart/form-data; boundary=xyz", "--xyz\r\n\r\nask\r\n--xyz--\r\n"},
      {"application/jsonp", body},
      {"application/json-patch+json", body},
      {"json", body},
      {"", body},  // no Content-Type at all
  };
  for (const auto& [content_type, payload] : cases) {
    SCOPED_TRACE("Content-Type: " + content_type);
    expect_error(send("POST", posts_path(), payload, content_type), 415,
                 "unsupported_media_type");
    expect_error(send("PATCH", post_path(), R"({"title": "Veranderd"})", content_type), 415,
                 "unsupported_media_type");
  }
  expect_still_serving();
  expect_nothing_changed();
}

TEST_F(BadInputTest, JsonContentTypeIsMatchedLikeAMediaType) {
  // Parameters and case do not matter in a media type.
  for (const std::string content_type :
       {"application/json; charset=utf-8", "Application/JSON", "application/json;charset=UTF-8"}) {
    SCOPED_TRACE(content_type);
    const auto r = send("PATCH", post_path(), R"({"title": "Ladder lenen?"})", content_type);
    EXPECT_EQ(r.status, 200) << r.body;
  }
}

TEST_F(BadInputTest, EmptyBodyWhereOneIsRequiredIsBadRequest) {
  for (const std::string content_type : {"application/json", ""}) {
    SCOPED_TRACE("Content-Type: " + content_type);
    expect_error(send("POST", posts_path(), "", content_type), 400, "bad_request");
    expect_error(send("PATCH", post_path(), "", content_type), 400, "bad_request");
    expect_error(send("POST", "/api/v1/auth/login", "", content_type), 400, "bad_request");
  }
  expect_still_serving();
  expect_nothing_changed();
}

TEST_F(BadInputTest, UnknownOrNonNumericIdsAreNotFound) {
  const std::vector<std::string> ids = {"abc",
                                        "0",
                                        "-1",
                                        "+1",
                                        "99999999999999999999",
                                        "9223372036854775807",
                                        "999999999",
                                        "1e3",
                                        "1.0",
                                        "0x10",
                                        "%31",
                                        " 1",
                                        ""};
  for (const auto& id : ids) {
    SCOPED_TRACE("id '" + id + "'");
    // A space cannot be sent in a request target; its encoded form can.
    const std::string safe = id == " 1" ? "%201" : id;
    expect_error(get("/api/v1/posts/" + safe, &founder_), 404, "not_found");
    expect_error(send("PATCH", "/api/v1/posts/" + safe, R"({"title": "Weg ermee"})"), 404,
                 "not_found");
    expect_error(send("POST", "/api/v1/posts/" + safe + "/close", ""), 404, "not_found");
    expect_error(send("POST", "/api/v1/posts/" + safe + "/responses", R"({"message": "Ik!"})"),
                 404, "not_found");
    expect_error(send("POST", "/api/v1/posts/" + safe + "/complete", ""), 404, "not_found");
    expect_error(send("POST", "/api/v1/responses/" + safe + "/accept", ""), 404, "not_found");
    expect_error(get("/api/v1/neighbourhoods/" + safe, &founder_), 404, "not_found");
    expect_error(get("/api/v1/neighbourhoods/" + safe + "/feed", &founder_), 404, "not_found");
    expect_error(send("POST", "/api/v1/neighbourhoods/" + safe + "/posts",
                      as_text(valid_post())),
                 404, "not_found");
    expect_error(
        send("POST", hood_path("/members/" + safe + "/approve"), ""), 404, "not_found");
  }
  expect_still_serving();
  expect_nothing_changed();
}

TEST_F(BadInputTest, UnknownApiPathIsNotFound) {
  for (const std::string target :
       {"/api/v1/nothing", "/api/v2/posts/1", "/api/v1/posts/1/unknown", "/api/", "/api/v1",
        "/api/v1/posts", "/api/v1/me/", "/api/v1//me",
        "/api/v1/neighbourhoods/1/posts/1"}) {
    SCOPED_TRACE(target);
    expect_error(get(target, &founder_), 404, "not_found");
    expect_error(send("POST", target, "{}"), 404, "not_found");
  }
  expect_error(get(post_path("/"), &founder_), 404, "not_found");
  expect_still_serving();
  expect_nothing_changed();
}

TEST_F(BadInputTest, WrongMethodOnAKnownPathIsMethodNotAllowed) {
  struct Case {
    std::string method;
    std::string target;
    std::vector<std::string> allowed;
  };
  const std::vector<Case> cases = {
      {"DELETE", post_path(), {"GET", "PATCH"}},
      {"PUT", post_path(), {"GET", "PATCH"}},
      {"POST", post_path(), {"GET", "PATCH"}},
      {"PUT", "/api/v1/auth/login", {"POST"}},
      {"GET", "/api/v1/auth/register", {"POST"}},
      {"GET", post_path("/close"), {"POST"}},
      {"DELETE", "/api/v1/neighbourhoods", {"GET", "POST"}},
      {"POST", "/healthz", {"GET"}},
      {"BREW", hood_path("/feed"), {"GET"}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.method + " " + c.target);
    const auto r = send(c.method, c.target, "{}");
    expect_error(r, 405, "method_not_allowed");
    const auto allow = r.header("allow");
    ASSERT_TRUE(allow.has_value());
    for (const auto& method : c.allowed) EXPECT_NE(allow->find(method), std::string::npos) << *allow;
    EXPECT_EQ(allow->find(c.method), std::string::npos) << *allow;
  }
  expect_still_serving();
  expect_nothing_changed();
}

TEST_F(BadInputTest, AbsurdPagingIsBadRequest) {
  // A cursor that decodes but was never made by encode_cursor: version 2.
  const std::string wrong_version = [] {
    std::string c = encode_cursor(5);
    c[1] = static_cast<char>(c[1] + 16);
    return c;
  }();
  ASSERT_EQ(wrong_version.size(), encode_cursor(5).size());
  const std::vector<std::string> params = {
      "limit=0",
      "limit=-1",
      "limit=101",
      "limit=1e9",
      "limit=1000000000",
      "limit=99999999999999999999",
      "limit=abc",
      "limit=",
      "limit",
      "limit=1.5",
      "limit=+5",
      "limit=%205",
      "limit=5%20",
      "limit=0x10",
      "cursor=garbage",
      "cursor=" + std::string(5000, 'A'),
      "cursor=AAAAAAAAAAE",       // 8 bytes of base64: the wrong size
      "cursor=AQAAAAAAAAAAAAAB",  // 12 bytes: the wrong size
      "cursor=AQAAAAAAAAAA",      // the right size, but id 0
      "cursor=" + wrong_version,
      "cursor=AQAAAAAAAAA%2B",    // '+' is not in the URL-safe alphabet
      "limit=5&cursor=!!!!!!!!!!!!",
  };
  for (const std::string& path : {hood_path("/feed"), hood_path("/exchanges")}) {
    for (const auto& param : params) {
      SCOPED_TRACE(path + "?" + param);
      expect_error(get(path + "?" + param, &founder_), 400, "bad_request");
    }
    // The good forms work, so the refusals above are about the values.
    EXPECT_EQ(get(path + "?limit=1", &founder_).status, 200);
    EXPECT_EQ(get(path + "?limit=100&cursor=" + encode_cursor(1000), &founder_).status, 200);
  }
  expect_still_serving();
  expect_nothing_changed();
}

TEST_F(BadInputTest, UnknownFilterValuesAreBadRequest) {
  for (const std::string param : {"kind=request", "kind=ASK", "kind=ask%00", "category=food",
                                  "category=goods,care", "status=deleted", "status=0",
                                  "kind=ask&category=weather"}) {
    SCOPED_TRACE(param);
    expect_error(get(hood_path("/feed?" + param), &founder_), 400, "bad_request");
  }
  expect_error(get(hood_path("/members?status=banned"), &founder_), 400, "bad_request");
  EXPECT_EQ(get(hood_path("/feed?kind=ask&category=goods&status=open"), &founder_).status, 200);
  expect_still_serving();
  expect_nothing_changed();
}

TEST_F(BadInputTest, BadNearIsBadRequest) {
  for (const std::string near : {"abc", "91,0", "-90.5,0", "0,181", "0,-180.01", "52", "52,",
                                 ",6", ",", "52;6", "52,6,7", "nan,0", "0,inf", "52.1.2,6",
                                 "1e400,0"}) {
    SCOPED_TRACE("near=" + near);
    expect_error(get("/api/v1/neighbourhoods?near=" + near), 400, "bad_request");
  }
  EXPECT_EQ(get("/api/v1/neighbourhoods?near=52.14,6.2").status, 200);
  expect_still_serving();
  expect_nothing_changed();
}

TEST_F(BadInputTest, PercentEncodedGarbageInTheQueryIsBadRequest) {
  for (const std::string query : {"limit=%zz", "%zz=1", "kind=%", "kind=%a", "kind=%ff",
                                  "kind=%C3%28", "cursor=%C0%AF", "%ff=ask"}) {
    SCOPED_TRACE(query);
    expect_error(get(hood_path("/feed?" + query), &founder_), 400, "bad_request");
    expect_error(get(hood_path("/exchanges?" + query), &founder_), 400, "bad_request");
    expect_error(get("/api/v1/neighbourhoods?" + query), 400, "bad_request");
  }
  expect_error(get("/api/v1/neighbourhoods?q=%ED%A0%80"), 400, "bad_request");
  expect_still_serving();
  expect_nothing_changed();
}

TEST_F(BadInputTest, MissingRequiredFieldsAreValidationFailedWithFields) {
  auto r = send("POST", posts_path(), "{}");
  expect_error(r, 400, "validation_failed");
  EXPECT_EQ(field_code(r, "kind"), "required");
  EXPECT_EQ(field_code(r, "category"), "required");
  EXPECT_EQ(field_code(r, "title"), "required");

  // null counts as absent; only the missing ones are named.
  r = send("POST", posts_path(), R"({"kind": "offer", "category": null, "title": "Soep"})");
  expect_error(r, 400, "validation_failed");
  EXPECT_EQ(field_code(r, "category"), "required");
  const json::value named = r.json().at("error").at("fields");
  EXPECT_FALSE(named.as_object().contains("kind")) << r.body;
  EXPECT_FALSE(named.as_object().contains("title")) << r.body;

  r = send("POST", "/api/v1/neighbourhoods", R"({"name": "Noord", "region": "Zutphen"})");
  expect_error(r, 400, "validation_failed");
  EXPECT_EQ(field_code(r, "lat"), "required");
  EXPECT_EQ(field_code(r, "lon"), "required");

  r = send("POST", "/api/v1/neighbourhoods", R"({"lat": 52.2, "lon": 6.1})");
  expect_error(r, 400, "validation_failed");
  EXPECT_EQ(field_code(r, "name"), "required");

  const std::string email = "incomplete@example.org";
  r = send("POST", "/api/v1/auth/register", R"({"email": ")" + email + R"("})");
  expect_error(r, 400, "validation_failed");
  EXPECT_EQ(field_code(r, "password"), "required");
  EXPECT_EQ(field_code(r, "display_name"), "required");
  r = send("POST", "/api/v1/auth/register", "{}");
  expect_error(r, 400, "validation_failed");
  EXPECT_EQ(field_code(r, "email"), "required");
  EXPECT_FALSE(user_exists(email));

  // A response needs a neighbour who is not the author.
  const Resident neighbour = register_resident("Bram");
  join_verified(neighbour, hood_, founder_);
  r = post(post_path("/responses"), json::object{}, &neighbour);
  expect_error(r, 400, "validation_failed");
  EXPECT_EQ(field_code(r, "message"), "required");

  expect_still_serving();
  const auto post_now = get(post_path(), &founder_);
  ASSERT_EQ(post_now.status, 200);
  EXPECT_EQ(post_now.json().at("post").at("response_count").as_int64(), 0);
  EXPECT_EQ(get(hood_path("/feed"), &founder_).json().at("posts").as_array().size(), 1u);
}

TEST_F(BadInputTest, MissingOrInvalidTokenIsUnauthenticated) {
  const std::vector<Headers> credentials = {
      {},
      {{"Authorization", "Bearer "}},
      {{"Authorization", "Bearer"}},
      {{"Authorization", "Bearer not-a-token"}},
      {{"Authorization", "Bearer " + std::string(8000, 'x')}},
      {{"Authorization", "bearer " + founder_.token}},
      {{"Authorization", "Basic " + founder_.token}},
      {{"Authorization", "Bearer " + founder_.token + "x"}},
      {{"Authorization", "Bearer " + founder_.token.substr(1)}},
      {{"Cookie", "noaber_session=not-a-token"}},
      {{"Cookie", "other=" + founder_.token}},
  };
  for (std::size_t i = 0; i < credentials.size(); ++i) {
    SCOPED_TRACE(fmt::format("credentials #{}", i));
    expect_error(http_->get("/api/v1/me", credentials[i]), 401, "unauthenticated");
    Headers with_body = credentials[i];
    with_body.emplace_back("Content-Type", "application/json");
    expect_error(http_->request("POST", posts_path(), as_text(valid_post()), with_body), 401,
                 "unauthenticated");
    expect_error(http_->request("PATCH", post_path(), R"({"title": "Gekaapt"})", with_body), 401,
                 "unauthenticated");
  }

  // A token that was logged out is no token.
  const auto login = post("/api/v1/auth/login",
                          {{"email", founder_.email}, {"password", "correct horse battery"}});
  ASSERT_EQ(login.status, 200) << login.body;
  Resident second_session = founder_;
  second_session.token = json::value_to<std::string>(login.json().at("token"));
  EXPECT_EQ(post_empty("/api/v1/auth/logout", &second_session).status, 204);
  expect_error(get("/api/v1/me", &second_session), 401, "unauthenticated");

  expect_still_serving();
  expect_nothing_changed();
}

TEST_F(BadInputTest, CookieAuthenticatedChangeNeedsTheCsrfToken) {
  const std::string cookie = "noaber_session=" + founder_.token;
  const std::string body = as_text(valid_post("Steiger te leen"));
  auto with = [&](Headers extra) {
    Headers headers = {{"Cookie", cookie}, {"Content-Type", "application/json"}};
    headers.insert(headers.end(), extra.begin(), extra.end());
    return headers;
  };
  const Resident other = register_resident("Carla");
  const std::vector<Headers> wrong = {
      {},
      {{"X-CSRF-Token", ""}},
      {{"X-CSRF-Token", "wrong"}},
      {{"X-CSRF-Token", founder_.csrf_token + "x"}},
      {{"X-CSRF-Token", founder_.csrf_token.substr(1)}},
      {{"X-CSRF-Token", founder_.token}},     // the session token is not the CSRF token
      {{"X-CSRF-Token", other.csrf_token}},   // somebody else's
      {{"X-Csrf-Token-Typo", founder_.csrf_token}},
  };
  for (std::size_t i = 0; i < wrong.size(); ++i) {
    SCOPED_TRACE(fmt::format("CSRF variant #{}", i));
    expect_error(http_->request("POST", posts_path(), body, with(wrong[i])), 403, "csrf_failed");
    expect_error(http_->request("PATCH", post_path(), R"({"title": "Gekaapt"})", with(wrong[i])),
                 403, "csrf_failed");
    expect_error(http_->request("POST", post_path("/close"), "", with(wrong[i])), 403,
                 "csrf_failed");
    expect_error(http_->request("POST", "/api/v1/auth/logout", "", with(wrong[i])), 403,
                 "csrf_failed");
  }
  expect_still_serving();
  expect_nothing_changed();

  // Reading needs no CSRF token.
  EXPECT_EQ(http_->get(post_path(), {{"Cookie", cookie}}).status, 200);

  // With the right token, and with other cookies around it, the change goes through.
  const auto created = http_->request(
      "POST", posts_path(), body,
      {{"Cookie", "theme=dark; " + cookie + "; lang=nl"},
       {"Content-Type", "application/json"},
       {"X-CSRF-Token", founder_.csrf_token}});
  ASSERT_EQ(created.status, 201) << created.body;
  const auto new_id = created.json().at("post").at("id").as_int64();
  const auto fetched = get("/api/v1/posts/" + std::to_string(new_id), &founder_);
  ASSERT_EQ(fetched.status, 200);
  EXPECT_EQ(fetched.json().at("post").at("title").as_string(), "Steiger te leen");

  // The CSRF token from /me is the same one.
  const auto me = http_->get("/api/v1/me", {{"Cookie", cookie}});
  ASSERT_EQ(me.status, 200);
  EXPECT_EQ(json::value_to<std::string>(me.json().at("csrf_token")), founder_.csrf_token);
}

TEST_F(BadInputTest, RawGarbageOnTheSocketIsRefusedOrDropped) {
  std::mt19937 random(20260101);  // fixed, so a failure can be replayed
  std::vector<std::pair<std::string, std::string>> payloads;
  for (std::size_t size : {1u, 17u, 512u, 4096u, 20000u}) {
    std::string bytes(size, '\0');
    for (auto& b : bytes) b = static_cast<char>(random() & 0xff);
    payloads.emplace_back(fmt::format("{} random bytes", size), bytes);
  }
  const std::string nul_line("GET /\0 HTTP/1.1\r\nHost: x\r\n\r\n", 28);
  const std::string nul_header("GET /healthz HTTP/1.1\r\nHost: a\0b\r\n\r\n", 37);
  payloads.insert(
      payloads.end(),
      {
          {"unknown HTTP version", "GET / HTTP/9.9\r\nHost: x\r\n\r\n"},
          {"not HTTP at all", "HELLO\r\n\r\n"},
          {"request line of 100 KB",
           "GET /" + std::string(100 * 1024, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n"},
          {"NUL in the request line", nul_line},
          {"NUL in a header", nul_header},
          {"only NUL bytes", std::string(64, '\0')},
          {"header without a colon", "GET /healthz HTTP/1.1\r\nHost: x\r\nNoColon\r\n\r\n"},
          {"space before the colon", "GET /healthz HTTP/1.1\r\nHost : x\r\n\r\n"},
          {"two different Content-Lengths",
           "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
           "Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}x"},
          {"negative Content-Length",
           "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n"},
          {"huge Content-Length",
           "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\n"
           "Content-Length: 999999999999999999999999\r\n\r\n"},
          {"bad chunk size",
           "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
           "Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n"},
          {"chunked and Content-Length together",
           "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
           "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n"},
          {"control character in the method", "G\x01T /healthz HTTP/1.1\r\nHost: x\r\n\r\n"},
          {"TLS handshake on the plain port",
           std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11) +
               std::string(500, '\x42')},
      });

  for (const auto& [name, bytes] : payloads) {
    SCOPED_TRACE(name);
    expect_refused_or_closed(raw(bytes));
    expect_still_serving();
  }

  // Headers over the limit are named as such.
  const std::string big_header =
      raw("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Filler: " + std::string(kHeaderLimit + 1, 'a') +
          "\r\n\r\n");
  EXPECT_EQ(first_status(big_header), 431) << big_header.substr(0, 300);
  EXPECT_EQ(raw_error_code(big_header), "bad_request");
  // Many small fields count together, also when the server reads them in
  // pieces; a little under the limit is fine.
  auto many_fields = [](std::size_t total) {
    std::string head = "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n";
    for (int i = 0; head.size() + 2 < total; ++i) head += fmt::format("X-F-{}: v\r\n", i);
    return head + "\r\n";
  };
  for (const std::size_t total : {kHeaderLimit + 100, kHeaderLimit + 4096, 4 * kHeaderLimit}) {
    SCOPED_TRACE(fmt::format("{} bytes of small header fields", total));
    const std::string many = raw(many_fields(total));
    EXPECT_EQ(first_status(many), 431) << many.substr(0, 300);
  }
  EXPECT_EQ(first_status(raw(many_fields(kHeaderLimit - 1024))), 200);

  // A good request followed by garbage on the same connection: the first
  // is answered, the garbage refused.
  const std::string pipelined = raw("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGARBAGE\x01\r\n\r\n");
  EXPECT_TRUE(pipelined.starts_with("HTTP/1.1 200")) << pipelined;
  const auto second = pipelined.find("HTTP/1.1 ", 1);
  if (second != std::string::npos) expect_refused_or_closed(pipelined.substr(second));

  // A client that stops halfway and hangs up costs nothing lasting.
  for (const std::string partial : {"GET /healthz HTTP/1.1\r\nHo", "POST /api/v1/auth/login",
                                    "\r\n"})
    raw(partial, 300ms);

  expect_still_serving();
  expect_nothing_changed();
}

TEST_F(BadInputTest, TransferEncodingOtherThanChunkedIsRefusedAndNothingBehindItRuns) {
  // RFC 9112 section 6.3: when a request's Transfer-Encoding does not end
  // in chunked, its length is unknowable; the server must answer 400 and
  // close. Reading on would run the body as a request of its own, which a
  // proxy in front would never have seen: request smuggling.
  const std::string smuggled =
      raw_head("POST", posts_path(),
               fmt::format("Content-Type: application/json\r\nContent-Length: {}\r\n"
                           "Connection: close\r\n",
                           as_text(valid_post("Gesmokkeld")).size())) +
      as_text(valid_post("Gesmokkeld"));
  for (const std::string coding : {"gzip", "identity", "chunked, gzip"}) {
    SCOPED_TRACE("Transfer-Encoding: " + coding);
    const std::string answer = raw(
        "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        "Transfer-Encoding: " + coding + "\r\n\r\n" + smuggled);
    EXPECT_EQ(first_status(answer), 400) << answer;
    EXPECT_EQ(answer.find("HTTP/1.1 ", 1), std::string::npos)
        << "the body was run as a second request:\n" << answer;
  }
  expect_still_serving();
  expect_nothing_changed();
}

TEST_F(BadInputTest, FailedLoginsLookTheSameWhateverWasWrong) {
  const auto unknown = post("/api/v1/auth/login", {{"email", "nobody@example.org"},
                                                   {"password", "correct horse battery"}});
  const auto wrong_password =
      post("/api/v1/auth/login", {{"email", founder_.email}, {"password", "wrong horse battery"}});
  expect_error(unknown, 401, "invalid_credentials");
  expect_error(wrong_password, 401, "invalid_credentials");
  EXPECT_EQ(unknown.body, wrong_password.body);
  EXPECT_EQ(unknown.header("set-cookie"), std::nullopt);
  EXPECT_EQ(wrong_password.header("set-cookie"), std::nullopt);
  expect_still_serving();
  expect_nothing_changed();
}

class RateLimitTest : public ApiTest {
 protected:
  static constexpr int kLoginsPerEmail = 3;
  void configure(AppConfig& config) override {
    config.accounts.login_per_email = RateLimit{kLoginsPerEmail, std::chrono::minutes(5)};
  }
};

TEST_F(RateLimitTest, TooManyLoginsForOneEmailAreRateLimitedWithRetryAfter) {
  const Resident anna = register_resident("Anna");
  for (int i = 0; i < kLoginsPerEmail; ++i) {
    SCOPED_TRACE(i);
    const auto r = post("/api/v1/auth/login", {{"email", anna.email}, {"password", "not it"}});
    EXPECT_EQ(r.status, 401) << r.body;
    EXPECT_EQ(error_code(r), "invalid_credentials");
  }

  // Even the right password waits now, and so does the same address
  // written differently.
  for (const std::string& email : {anna.email, "  " + anna.email, [&] {
         std::string upper = anna.email;
         for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
         return upper;
       }()}) {
    SCOPED_TRACE(email);
    const auto r =
        post("/api/v1/auth/login", {{"email", email}, {"password", "correct horse battery"}});
    EXPECT_EQ(r.status, 429) << r.body;
    EXPECT_EQ(error_code(r), "rate_limited");
    const auto retry_after = r.header("retry-after");
    ASSERT_TRUE(retry_after.has_value());
    ASSERT_TRUE(!retry_after->empty() && std::ranges::all_of(*retry_after, [](unsigned char c) {
      return std::isdigit(c) != 0;
    })) << *retry_after;
    const int seconds = std::stoi(*retry_after);
    EXPECT_GE(seconds, 1);
    EXPECT_LE(seconds, 300);
    EXPECT_EQ(r.header("set-cookie"), std::nullopt);
  }

  // Another address is not held back, and the session from registering
  // still works.
  const auto other =
      post("/api/v1/auth/login", {{"email", "other@example.org"}, {"password", "not it"}});
  EXPECT_EQ(other.status, 401) << other.body;
  EXPECT_EQ(get("/api/v1/me", &anna).status, 200);
}

}  // namespace
}  // namespace noaber::test
