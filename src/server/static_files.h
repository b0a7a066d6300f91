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
// Thread-safe (reads the file system only).
class StaticFiles {
 public:
  explicit StaticFiles(std::string root);

  // The file's response (200, content type by extension), or nullopt when
  // there is no such file (the caller answers 404). `decoded_path` is the
  // percent-decoded request path.
  std::optional<HttpResponse> serve(std::string_view decoded_path) const;

  // "text/html; charset=utf-8" for "index.html", ...;
  // "application/octet-stream" when unknown.
  static std::string_view content_type_for(std::string_view file_name);

 private:
  std::string root_;  // canonical, without trailing '/'
};

}  // namespace cocity::server
