#include "http/static_files.h"

#include <fstream>
#include <sstream>
#include <system_error>
#include <vector>

#include <boost/url/parse.hpp>

namespace noaber::http {
namespace fs = std::filesystem;

namespace {

std::string_view content_type_for(const fs::path& file) {
  const std::string ext = file.extension().string();
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".json" || ext == ".map") return "application/json";
  if (ext == ".webmanifest") return "application/manifest+json";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".jpg" || ext == ".jpeg") return "image/jpeg";
  if (ext == ".webp") return "image/webp";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".woff2") return "font/woff2";
  if (ext == ".txt") return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

std::optional<std::string> read_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream out;
  out << in.rdbuf();
  return std::move(out).str();
}

bool accepts(const HttpRequest& request, std::string_view encoding) {
  const auto header = request.header("accept-encoding");
  return header && header->find(encoding) != std::string_view::npos;
}

// The request path as safe relative segments, or nullopt for anything that
// tries to leave the root (.., hidden files, encoded slashes, NUL).
std::optional<fs::path> safe_relative_path(std::string_view target) {
  auto url = boost::urls::parse_origin_form(target);
  if (!url) return std::nullopt;
  fs::path out;
  for (auto segment : url->segments()) {
    if (segment.empty()) continue;
    if (segment.front() == '.' || segment.find('/') != std::string::npos ||
        segment.find('\\') != std::string::npos || segment.find('\0') != std::string::npos)
      return std::nullopt;
    out /= segment;
  }
  return out;
}

constexpr std::string_view kBuiltInPage = R"(<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Noaber</title></head>
<body>
<h1>Noaber</h1>
<p>This is a Noaber server: a platform where neighbours share asks and offers and help each other.
The web app is not built or not configured (<code>noaber serve --web DIR</code>).</p>
<p>The HTTP API lives under <code>/api/v1/</code>; it is documented in <code>docs/api.md</code>
of the Noaber source tree. The server's health is at <a href="/healthz">/healthz</a>.</p>
</body>
</html>
)";

HttpResponse not_found_page() {
  HttpResponse r;
  r.status = 404;
  r.content_type = "text/plain; charset=utf-8";
  r.body = "Not found.\n";
  return r;
}

}  // namespace

StaticFiles::StaticFiles(std::optional<fs::path> root) {
  std::error_code ec;
  if (root && fs::is_regular_file(*root / "index.html", ec)) root_ = fs::canonical(*root, ec);
}

std::optional<HttpResponse> StaticFiles::file_response(const fs::path& file,
                                                       const HttpRequest& request,
                                                       bool immutable) const {
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) return std::nullopt;
  HttpResponse r;
  r.content_type = std::string(content_type_for(file));
  r.headers.emplace_back("Vary", "Accept-Encoding");
  r.headers.emplace_back("Cache-Control",
                         immutable ? "public, max-age=31536000, immutable" : "no-cache");
  // Precompressed siblings written by the web build, when the browser takes them.
  for (const auto& [encoding, suffix] :
       std::vector<std::pair<std::string, std::string>>{{"br", ".br"}, {"gzip", ".gz"}}) {
    if (!accepts(request, encoding)) continue;
    fs::path compressed = file;
    compressed += suffix;
    if (auto body = read_file(compressed)) {
      r.body = std::move(*body);
      r.headers.emplace_back("Content-Encoding", encoding);
      return r;
    }
  }
  auto body = read_file(file);
  if (!body) return std::nullopt;
  r.body = std::move(*body);
  return r;
}

HttpResponse StaticFiles::serve(const HttpRequest& request) const {
  if (!root_) {
    if (request.path != "/") return not_found_page();
    HttpResponse r;
    r.content_type = "text/html; charset=utf-8";
    r.body = std::string(kBuiltInPage);
    return r;
  }
  const auto relative = safe_relative_path(request.target);
  if (!relative) return not_found_page();
  const bool is_asset = request.path.starts_with("/assets/");
  if (!relative->empty())
    if (auto r = file_response(*root_ / *relative, request, is_asset)) return std::move(*r);
  // A missing asset or file with an extension is a real 404; other paths
  // belong to the app's own router.
  if (is_asset || relative->has_extension()) return not_found_page();
  if (auto r = file_response(*root_ / "index.html", request, false)) return std::move(*r);
  return not_found_page();
}

}  // namespace noaber::http
