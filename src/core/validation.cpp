#include "core/validation.h"

#include "core/common_passwords.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace noaber {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// Control characters (C0, DEL) other than those a text may hold.
bool has_control(std::string_view text, bool multiline) {
  return std::any_of(text.begin(), text.end(), [&](char ch) {
    const auto c = static_cast<unsigned char>(ch);
    if (multiline && (c == '\n' || c == '\r' || c == '\t')) return false;
    return c < 0x20 || c == 0x7f;
  });
}

void check_length(std::string_view text, std::string_view field, std::size_t min,
                  std::size_t max, FieldErrors& errors) {
  const std::size_t n = char_count(text);
  if (n == 0 && min > 0)
    errors.add(std::string(field), "required");
  else if (n < min)
    errors.add(std::string(field), "too_short");
  else if (n > max)
    errors.add(std::string(field), "too_long");
}

}  // namespace

std::size_t char_count(std::string_view utf8) {
  return static_cast<std::size_t>(std::count_if(utf8.begin(), utf8.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

bool valid_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t n;
    std::uint32_t cp;
    if (c < 0x80) { ++i; continue; }
    if ((c & 0xE0) == 0xC0) { n = 1; cp = c & 0x1F; }
    else if ((c & 0xF0) == 0xE0) { n = 2; cp = c & 0x0F; }
    else if ((c & 0xF8) == 0xF0) { n = 3; cp = c & 0x07; }
    else return false;
    if (i + n >= text.size()) return false;
    for (std::size_t k = 1; k <= n; ++k) {
      const auto cc = static_cast<unsigned char>(text[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    static constexpr std::uint32_t kMinForLength[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMinForLength[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += n + 1;
  }
  return true;
}

std::string trim(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return std::string(text);
}

std::string normalize_email(std::string_view email) {
  std::string out = trim(email);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

void check_email(std::string_view email, FieldErrors& errors) {
  if (email.empty()) return errors.add("email", "required");
  if (email.size() > limits::kEmailMax) return errors.add("email", "too_long");
  // Deliberately simple: one '@' with text on both sides, a dot in the
  // domain, no spaces or controls. The real check is whether mail arrives.
  const auto at = email.find('@');
  const bool shape_ok = at != std::string_view::npos && at > 0 &&
                        email.find('@', at + 1) == std::string_view::npos &&
                        at + 1 < email.size();
  const auto domain = shape_ok ? email.substr(at + 1) : std::string_view{};
  const bool domain_ok = domain.find('.') != std::string_view::npos &&
                         domain.front() != '.' && domain.back() != '.';
  const bool chars_ok = std::none_of(email.begin(), email.end(), [](char c) {
    return static_cast<unsigned char>(c) <= 0x20 || c == 0x7f;
  });
  if (!shape_ok || !domain_ok || !chars_ok) errors.add("email", "invalid");
}

void check_password(std::string_view password, std::string_view field, FieldErrors& errors) {
  const std::size_t n = char_count(password);
  if (n == 0)
    errors.add(std::string(field), "required");
  else if (n < limits::kPasswordMin)
    errors.add(std::string(field), "too_short");
  else if (n > limits::kPasswordMax)
    errors.add(std::string(field), "too_long");
  else if (is_common_password(password))
    errors.add(std::string(field), "too_common");
}

void check_display_name(std::string_view name, FieldErrors& errors) {
  check_line(name, "display_name", 1, limits::kDisplayNameMax, errors);
}

void check_line(std::string_view text, std::string_view field, std::size_t min,
                std::size_t max, FieldErrors& errors) {
  if (has_control(text, false)) return errors.add(std::string(field), "invalid");
  check_length(text, field, min, max, errors);
}

void check_text(std::string_view text, std::string_view field, std::size_t min,
                std::size_t max, FieldErrors& errors) {
  if (has_control(text, true)) return errors.add(std::string(field), "invalid");
  check_length(text, field, min, max, errors);
}

void check_expiry(TimePoint expires_at, TimePoint now, FieldErrors& errors) {
  if (expires_at <= now)
    errors.add("expires_at", "in_past");
  else if (expires_at > now + limits::kMaxExpiry)
    errors.add("expires_at", "too_far");
}

void check_hours(double hours, FieldErrors& errors) {
  if (!std::isfinite(hours) || hours <= 0 || hours > limits::kHoursMax)
    errors.add("hours", "out_of_range");
}

}  // namespace noaber
