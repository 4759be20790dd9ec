#pragma once
// The rules for what residents type in. Each check adds a stable rule code
// for its field to a FieldErrors (the web app translates the codes):
//   required, too_short, too_long, invalid, out_of_range, in_past, too_far,
//   too_common (a password among the 10,000 most used)

#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"
#include "core/types.h"

namespace noaber {

namespace limits {
inline constexpr std::size_t kEmailMax = 254;
inline constexpr std::size_t kPasswordMin = 8;
inline constexpr std::size_t kPasswordMax = 128;
inline constexpr std::size_t kDisplayNameMax = 60;
inline constexpr std::size_t kNeighbourhoodNameMin = 2;
inline constexpr std::size_t kNeighbourhoodNameMax = 80;
inline constexpr std::size_t kRegionNameMax = 80;
inline constexpr std::size_t kTitleMin = 3;
inline constexpr std::size_t kTitleMax = 120;
inline constexpr std::size_t kBodyMax = 5000;
inline constexpr std::size_t kMessageMax = 2000;
inline constexpr std::size_t kThanksMax = 500;
inline constexpr double kHoursMax = 1000;
inline constexpr auto kMaxExpiry = std::chrono::days(366);
inline constexpr auto kDefaultExpiry = std::chrono::days(60);
inline constexpr int kPageDefault = 20;
inline constexpr int kPageMax = 100;
}  // namespace limits

// Length in Unicode code points of valid UTF-8 text.
std::size_t char_count(std::string_view utf8);

// Whether text is well-formed UTF-8 (no overlongs, surrogates or bytes
// past U+10FFFF).
bool valid_utf8(std::string_view text);

// Strips leading and trailing ASCII whitespace.
std::string trim(std::string_view text);

// Trimmed and lower-cased (ASCII); emails compare case-insensitively here.
std::string normalize_email(std::string_view email);

// Checks on already-normalised/trimmed values.
void check_email(std::string_view email, FieldErrors& errors);
void check_password(std::string_view password, std::string_view field, FieldErrors& errors);
void check_display_name(std::string_view name, FieldErrors& errors);
// A single-line text with a length range in code points.
void check_line(std::string_view text, std::string_view field, std::size_t min,
                std::size_t max, FieldErrors& errors);
// Multi-line text (newlines and tabs allowed) of at most max code points.
void check_text(std::string_view text, std::string_view field, std::size_t min,
                std::size_t max, FieldErrors& errors);
void check_expiry(TimePoint expires_at, TimePoint now, FieldErrors& errors);
void check_hours(double hours, FieldErrors& errors);

}  // namespace noaber
