#include "core/markdown.h"

#include <cctype>
#include <cstdlib>
#include <memory>
#include <mutex>

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>

namespace noaber {
namespace {

// cmark-gfm's default is safe mode: raw HTML becomes a comment and
// javascript:/vbscript:/file: URLs are dropped. We also drop data: URLs and
// any other scheme, so only the ones a neighbour needs remain.
bool url_allowed(const char* url) {
  if (url == nullptr) return true;
  std::string_view u(url);
  const auto end_of_scheme = u.find_first_of(":/?#");
  if (end_of_scheme == std::string_view::npos || u[end_of_scheme] != ':') return true;
  std::string scheme(u.substr(0, end_of_scheme));
  for (auto& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return scheme == "http" || scheme == "https" || scheme == "mailto";
}

constexpr int kOptions = CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8 | CMARK_OPT_HARDBREAKS;

struct ParserDeleter {
  void operator()(cmark_parser* p) const { cmark_parser_free(p); }
};
struct NodeDeleter {
  void operator()(cmark_node* n) const { cmark_node_free(n); }
};
struct IterDeleter {
  void operator()(cmark_iter* i) const { cmark_iter_free(i); }
};

}  // namespace

std::string render_markdown(std::string_view markdown) {
  static std::once_flag registered;
  std::call_once(registered, [] { cmark_gfm_core_extensions_ensure_registered(); });

  std::unique_ptr<cmark_parser, ParserDeleter> parser(cmark_parser_new(kOptions));
  for (const char* name : {"autolink", "strikethrough", "table"})
    if (auto* ext = cmark_find_syntax_extension(name))
      cmark_parser_attach_syntax_extension(parser.get(), ext);
  cmark_parser_feed(parser.get(), markdown.data(), markdown.size());
  std::unique_ptr<cmark_node, NodeDeleter> doc(cmark_parser_finish(parser.get()));

  std::unique_ptr<cmark_iter, IterDeleter> iter(cmark_iter_new(doc.get()));
  for (auto ev = cmark_iter_next(iter.get()); ev != CMARK_EVENT_DONE;
       ev = cmark_iter_next(iter.get())) {
    if (ev != CMARK_EVENT_ENTER) continue;
    cmark_node* node = cmark_iter_get_node(iter.get());
    const auto type = cmark_node_get_type(node);
    if ((type == CMARK_NODE_LINK || type == CMARK_NODE_IMAGE) &&
        !url_allowed(cmark_node_get_url(node)))
      cmark_node_set_url(node, "");
  }

  char* html = cmark_render_html(doc.get(), kOptions,
                                 cmark_parser_get_syntax_extensions(parser.get()));
  std::string out(html);
  cmark_get_default_mem_allocator()->free(html);
  return out;
}

}  // namespace noaber
