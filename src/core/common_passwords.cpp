#include "core/common_passwords.h"

#include <string>
#include <unordered_set>

namespace noaber {

// Generated from common_passwords.txt by src/CMakeLists.txt.
extern const std::string_view kCommonPasswordsText;

namespace {

std::string lower_ascii(std::string_view text) {
  std::string out(text);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

const std::unordered_set<std::string>& common_passwords() {
  static const std::unordered_set<std::string> set = [] {
    std::unordered_set<std::string> s;
    s.reserve(10'000);
    std::string_view rest = kCommonPasswordsText;
    while (!rest.empty()) {
      const auto nl = rest.find('\n');
      const auto line = rest.substr(0, nl);
      if (!line.empty()) s.insert(lower_ascii(line));
      if (nl == std::string_view::npos) break;
      rest.remove_prefix(nl + 1);
    }
    return s;
  }();
  return set;
}

}  // namespace

bool is_common_password(std::string_view password) {
  return common_passwords().contains(lower_ascii(password));
}

}  // namespace noaber
