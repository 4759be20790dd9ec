// Pure rules of src/core: validation, time format, cursors, geography.

#include <gtest/gtest.h>

#include "core/common_passwords.h"
#include "core/cursor.h"
#include "core/geo.h"
#include "core/time_format.h"
#include "core/types.h"
#include "core/validation.h"

namespace noaber {
namespace {

using namespace std::chrono;

std::map<std::string, std::string> fields_of(const FieldErrors& e) { return e.to_error().fields; }

TEST(Validation, EmailIsNormalisedAndChecked) {
  EXPECT_EQ(normalize_email("  Anna.de.Vries@Example.ORG "), "anna.de.vries@example.org");
  for (const char* bad : {"", "anna", "anna@", "@example.org", "an na@example.org",
                          "anna@example", "a@b@example.org", "anna@.org"}) {
    FieldErrors e;
    check_email(bad, e);
    EXPECT_FALSE(e.empty()) << bad;
  }
  FieldErrors ok;
  check_email("anna@example.org", ok);
  EXPECT_TRUE(ok.empty());
  FieldErrors long_one;
  check_email(std::string(250, 'a') + "@example.org", long_one);
  EXPECT_EQ(fields_of(long_one).at("email"), "too_long");
}

TEST(Validation, PasswordLengthCountsCharactersNotBytes) {
  FieldErrors short_pw;
  check_password("1234567", "password", short_pw);
  EXPECT_EQ(fields_of(short_pw).at("password"), "too_short");
  FieldErrors eight_umlauts;  // 8 characters, 16 bytes
  check_password("üüüüüüüü", "password", eight_umlauts);
  EXPECT_TRUE(eight_umlauts.empty());
  FieldErrors too_long;
  check_password(std::string(129, 'x'), "password", too_long);
  EXPECT_EQ(fields_of(too_long).at("password"), "too_long");
}

TEST(Validation, CommonPasswordsAreRefusedWhateverTheirCase) {
  for (const char* weak : {"password", "12345678", "iloveyou", "Password1", "QWERTYUIOP"}) {
    FieldErrors e;
    check_password(weak, "password", e);
    EXPECT_EQ(fields_of(e).at("password"), "too_common") << weak;
  }
  FieldErrors fine;
  check_password("fietsen langs de IJssel", "password", fine);
  EXPECT_TRUE(fine.empty());
  EXPECT_TRUE(is_common_password("dragon"));
  EXPECT_FALSE(is_common_password(""));
}

TEST(Validation, LinesRefuseControlCharactersAndCountCodePoints) {
  FieldErrors e;
  check_line("ab", "title", 3, 120, e);
  EXPECT_EQ(fields_of(e).at("title"), "too_short");
  FieldErrors nl;
  check_line("two\nlines", "title", 3, 120, nl);
  EXPECT_EQ(fields_of(nl).at("title"), "invalid");
  FieldErrors body;
  check_text("two\nlines\tand tab", "body", 0, 5000, body);
  EXPECT_TRUE(body.empty());
  FieldErrors at_max;
  check_line(std::string(120, 'a'), "title", 3, 120, at_max);
  EXPECT_TRUE(at_max.empty());
  FieldErrors over_max;
  check_line(std::string(121, 'a'), "title", 3, 120, over_max);
  EXPECT_EQ(fields_of(over_max).at("title"), "too_long");
  EXPECT_EQ(char_count("é"), 1u);
  EXPECT_EQ(char_count("€🙂"), 2u);
}

TEST(Validation, Utf8) {
  EXPECT_TRUE(valid_utf8("gewoon tekst, één €, 🙂"));
  EXPECT_FALSE(valid_utf8("\xff"));
  EXPECT_FALSE(valid_utf8("\xc3"));                // truncated
  EXPECT_FALSE(valid_utf8("\xc0\xaf"));            // overlong '/'
  EXPECT_FALSE(valid_utf8("\xed\xa0\x80"));        // surrogate
  EXPECT_FALSE(valid_utf8("\xf4\x90\x80\x80"));    // past U+10FFFF
}

TEST(Validation, ExpiryAndHours) {
  const TimePoint now = sys_days{2026y / 11 / 29};
  FieldErrors past;
  check_expiry(now - seconds(1), now, past);
  EXPECT_EQ(fields_of(past).at("expires_at"), "in_past");
  FieldErrors far;
  check_expiry(now + days(400), now, far);
  EXPECT_EQ(fields_of(far).at("expires_at"), "too_far");
  FieldErrors ok;
  check_expiry(now + days(7), now, ok);
  EXPECT_TRUE(ok.empty());
  for (double h : {0.0, -1.0, 1001.0, std::numeric_limits<double>::infinity()}) {
    FieldErrors e;
    check_hours(h, e);
    EXPECT_FALSE(e.empty()) << h;
  }
}

TEST(TimeFormat, RoundTripsAndRejectsNonsense) {
  const TimePoint t = sys_days{2026y / 11 / 29} + hours(19) + minutes(25) + seconds(33);
  EXPECT_EQ(format_rfc3339(t), "2026-11-29T19:25:33Z");
  EXPECT_EQ(parse_rfc3339("2026-11-29T19:25:33Z"), t);
  EXPECT_EQ(parse_rfc3339("2026-11-29T20:25:33.123+01:00"), t);
  EXPECT_EQ(parse_rfc3339("2026-11-29T18:25:33-01:00"), t);
  for (const char* bad : {"", "2026-11-29", "2026-11-29T19:25:33", "2026-02-30T00:00:00Z",
                          "2026-11-29T24:00:00Z", "2026-11-29T19:25:33Zjunk", "tomorrow",
                          "2026-11-29T19:25:33+1:00"})
    EXPECT_FALSE(parse_rfc3339(bad).has_value()) << bad;
}

TEST(Cursor, RoundTripsAndRejectsForgeries) {
  for (std::int64_t id : {std::int64_t{1}, std::int64_t{42}, std::int64_t{1'000'000'007}, INT64_MAX})
    EXPECT_EQ(decode_cursor(encode_cursor(id)), id);
  EXPECT_FALSE(decode_cursor("").has_value());
  EXPECT_FALSE(decode_cursor("abc").has_value());
  EXPECT_FALSE(decode_cursor(std::string(5000, 'A')).has_value());
  EXPECT_FALSE(decode_cursor(encode_cursor(0)).has_value());
  EXPECT_FALSE(decode_cursor(encode_cursor(-5)).has_value());
  std::string tampered = encode_cursor(7);
  tampered[0] = tampered[0] == 'A' ? 'B' : 'A';  // version byte changes
  EXPECT_FALSE(decode_cursor(tampered).has_value());
  EXPECT_FALSE(decode_cursor("!!!!!!!!!!!!").has_value());
  // libsodium alone would read the 0x92 as '_' and decode this to 4032.
  EXPECT_FALSE(decode_cursor("AQAAAAAAAA\x92" "A").has_value());
}

TEST(Geo, DistancesBetweenDutchPlaces) {
  // Zutphen to Deventer is about 15 km as the crow flies.
  const double d = distance_km(52.1385, 6.2010, 52.2550, 6.1600);
  EXPECT_GT(d, 12);
  EXPECT_LT(d, 15);
  EXPECT_NEAR(distance_km(52.1, 6.2, 52.1, 6.2), 0, 1e-9);
  EXPECT_FALSE(valid_latitude(91));
  EXPECT_FALSE(valid_longitude(std::numeric_limits<double>::quiet_NaN()));
}

TEST(Types, WireNamesRoundTrip) {
  for (auto c : {Category::goods, Category::knowledge, Category::money, Category::contacts,
                 Category::care})
    EXPECT_EQ(parse_category(to_string(c)), c);
  for (auto s : {PostStatus::open, PostStatus::promised, PostStatus::done, PostStatus::closed,
                 PostStatus::expired})
    EXPECT_EQ(parse_post_status(to_string(s)), s);
  EXPECT_FALSE(parse_category("Goods").has_value());
  EXPECT_FALSE(parse_post_kind("").has_value());
}

}  // namespace
}  // namespace noaber
