// Post bodies are Markdown that other residents' browsers render as HTML.
// Properties of render_markdown's output (checked case-insensitively, after
// decoding character references the way a browser would): no <script, no
// event-handler attribute (on...=) in any tag, and no javascript:, data: or
// vbscript: URL in an href or src. A violation aborts with the input's HTML.

#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/markdown.h"

namespace {

[[noreturn]] void violation(std::string_view what, const std::string& html) {
  std::fprintf(stderr, "PROPERTY VIOLATED: %.*s\n--- html ---\n%s\n", static_cast<int>(what.size()),
               what.data(), html.c_str());
  std::abort();
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

// Character references to ASCII, enough to see a hidden scheme
// ("java&#115;cript&colon;"). Non-ASCII code points become '?'.
std::string decode_references(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '&') {
      out += s[i];
      continue;
    }
    const auto semi = s.find(';', i);
    if (semi == std::string_view::npos || semi - i > 12) {
      out += s[i];
      continue;
    }
    const std::string name = lower(s.substr(i + 1, semi - i - 1));
    long code = -1;
    if (name.size() > 1 && name[0] == '#') {
      const bool hex = name[1] == 'x';
      const std::string digits = name.substr(hex ? 2 : 1);
      char* end = nullptr;
      if (!digits.empty()) code = std::strtol(digits.c_str(), &end, hex ? 16 : 10);
      if (digits.empty() || *end != '\0') code = -1;
    } else if (name == "colon") {
      code = ':';
    } else if (name == "tab") {
      code = '\t';
    } else if (name == "newline") {
      code = '\n';
    } else if (name == "amp") {
      code = '&';
    } else if (name == "quot") {
      code = '"';
    } else if (name == "lt") {
      code = '<';
    } else if (name == "gt") {
      code = '>';
    }
    if (code < 0) {
      out += s[i];
      continue;
    }
    out += code < 0x80 ? static_cast<char>(code) : '?';
    i = semi;
  }
  return out;
}

// What a browser makes of a URL attribute's scheme: tabs and newlines
// removed, leading controls and spaces trimmed, lower-cased.
std::string url_for_scheme_check(std::string_view raw) {
  std::string url;
  for (char c : decode_references(raw))
    if (c != '\t' && c != '\n' && c != '\r') url += c;
  std::size_t start = 0;
  while (start < url.size() && static_cast<unsigned char>(url[start]) <= 0x20) ++start;
  return lower(url.substr(start));
}

void check_attribute(std::string_view name, std::string_view value, const std::string& html) {
  if (name.starts_with("on")) violation("event-handler attribute", html);
  if (name == "href" || name == "src" || name == "action" || name == "formaction" ||
      name == "poster" || name == "xlink:href") {
    const std::string url = url_for_scheme_check(value);
    for (std::string_view scheme : {"javascript:", "data:", "vbscript:"})
      if (url.starts_with(scheme)) violation("dangerous URL scheme", html);
  }
}

// Walks every start tag and its attributes.
void check_html(const std::string& html) {
  const std::string text = lower(html);
  if (text.find("<script") != std::string::npos) violation("<script", html);
  std::size_t i = 0;
  while ((i = text.find('<', i)) != std::string::npos) {
    ++i;
    if (text.compare(i, 3, "!--") == 0) {
      const auto end = text.find("-->", i + 3);
      if (end == std::string::npos) return;
      i = end + 3;
      continue;
    }
    if (i >= text.size() || !std::isalpha(static_cast<unsigned char>(text[i]))) continue;
    while (i < text.size() && !is_space(text[i]) && text[i] != '>' && text[i] != '/') ++i;
    for (;;) {  // attributes
      while (i < text.size() && (is_space(text[i]) || text[i] == '/')) ++i;
      if (i >= text.size() || text[i] == '>') break;
      const std::size_t name_start = i;
      while (i < text.size() && !is_space(text[i]) && text[i] != '=' && text[i] != '>' &&
             text[i] != '/')
        ++i;
      const std::string_view name = std::string_view(text).substr(name_start, i - name_start);
      while (i < text.size() && is_space(text[i])) ++i;
      std::string_view value;
      if (i < text.size() && text[i] == '=') {
        ++i;
        while (i < text.size() && is_space(text[i])) ++i;
        if (i < text.size() && (text[i] == '"' || text[i] == '\'')) {
          const char quote = text[i++];
          const auto end = text.find(quote, i);
          const auto stop = end == std::string::npos ? text.size() : end;
          value = std::string_view(text).substr(i, stop - i);
          i = end == std::string::npos ? text.size() : end + 1;
        } else {
          const std::size_t value_start = i;
          while (i < text.size() && !is_space(text[i]) && text[i] != '>') ++i;
          value = std::string_view(text).substr(value_start, i - value_start);
        }
      }
      check_attribute(name, value, html);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // Post bodies are capped far below this; longer inputs only slow the search.
  if (size > 64 * 1024) return -1;
  check_html(noaber::render_markdown(std::string_view(reinterpret_cast<const char*>(data), size)));
  return 0;
}
