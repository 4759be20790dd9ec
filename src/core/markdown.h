#pragma once

#include <string>
#include <string_view>

namespace noaber {

// Renders a post's Markdown (GitHub flavour: autolinks, strikethrough,
// tables) to HTML that is safe to insert into a page: raw HTML never passes,
// and links or images whose URL is not http(s), mailto, a relative path or
// an anchor lose their URL.
std::string render_markdown(std::string_view markdown);

}  // namespace noaber
