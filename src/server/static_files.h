// Static files (the web dashboard) served from a folder.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "server/http.h"

namespace cocity::server {

// Maps request paths onto files below `root`: "/" and folders serve their
// index.html. Paths with "..", backslashes or NUL, and files that resolve
// (through symlinks) outside `root` are never served.
//
// Single-page app fallback: a path with no such file whose last segment has
// no extension (no '.') and that is not under /api/ or /ngsi-ld/ serves the
// root index.html, so that the app's own routes (/join, /live/ABC123) load
// the app. Caching: files under /assets/ (content-hashed names from the
// build) are immutable for a year; everything else, index.html included,
// is "no-cache" (revalidated on every use).
//
// Thread-safe (reads the file system only).
class StaticFiles {
 public:
  explicit StaticFiles(std::string root);

  // The file's response (200, content type by extension, Cache-Control),
  // the root index.html for an app route (above), or nullopt when neither
  // applies (the caller answers 404). `decoded_path` is the percent-decoded
  // request path.
  std::optional<HttpResponse> serve(std::string_view decoded_path) const;

  // "text/html; charset=utf-8" for "index.html", ...;
  // "application/octet-stream" when unknown.
  static std::string_view content_type_for(std::string_view file_name);

 private:
  // The response for `decoded_path`'s own file, or nullopt.
  std::optional<HttpResponse> serve_file(std::string_view decoded_path) const;

  std::string root_;  // canonical, without trailing '/'
};

}  // namespace cocity::server
