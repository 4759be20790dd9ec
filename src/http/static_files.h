#pragma once
// Serves the web app's files: content types, precompressed .br/.gz variants
// when the browser accepts them, a year of caching for hashed assets under
// /assets/, and index.html for any other GET path (the app routes itself).
// Without a web directory, "/" is a small page saying what this server is.

#include <filesystem>
#include <optional>
#include <string>

#include "http/http_types.h"

namespace noaber::http {

class StaticFiles {
 public:
  // An empty or missing directory serves the built-in page.
  explicit StaticFiles(std::optional<std::filesystem::path> root);
  HttpResponse serve(const HttpRequest& request) const;
  bool has_app() const { return root_.has_value(); }

 private:
  std::optional<HttpResponse> file_response(const std::filesystem::path& file,
                                            const HttpRequest& request, bool immutable) const;
  std::optional<std::filesystem::path> root_;
};

}  // namespace noaber::http
