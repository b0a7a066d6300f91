#include "server/static_files.h"

#include <filesystem>
#include <fstream>
#include <iterator>

namespace cocity::server {

namespace fs = std::filesystem;

namespace {

bool safe_relative_path(std::string_view path) {
  if (path.find('\0') != std::string_view::npos) return false;
  if (path.find('\\') != std::string_view::npos) return false;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    std::string_view segment = path.substr(
        start, slash == std::string_view::npos ? std::string_view::npos
                                               : slash - start);
    if (segment == "..") return false;
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return true;
}

bool read_file(const fs::path& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  out->assign(std::istreambuf_iterator<char>(in),
              std::istreambuf_iterator<char>());
  return !in.bad();
}

// A route of the single-page app: not an API, no file extension.
bool app_route(std::string_view path) {
  if (path.starts_with("/api/") || path == "/api" ||
      path.starts_with("/ngsi-ld/") || path == "/ngsi-ld") {
    return false;
  }
  size_t last_slash = path.rfind('/');
  return path.find('.', last_slash) == std::string_view::npos;
}

std::string_view cache_control_for(std::string_view path) {
  constexpr std::string_view kImmutable = "public, max-age=31536000, immutable";
  return path.starts_with("/assets/") ? kImmutable : "no-cache";
}

}  // namespace

StaticFiles::StaticFiles(std::string root) {
  std::error_code ec;
  fs::path canonical = fs::canonical(root, ec);
  root_ = ec ? root : canonical.string();
  while (root_.size() > 1 && root_.back() == '/') root_.pop_back();
}

std::string_view StaticFiles::content_type_for(std::string_view file_name) {
  struct Type {
    std::string_view ext, type;
  };
  static constexpr Type kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".htm", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".webmanifest", "application/manifest+json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".webp", "image/webp"},
      {".ico", "image/x-icon"},
      {".woff", "font/woff"},
      {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"},
      {".csv", "text/csv; charset=utf-8"},
      {".wasm", "application/wasm"},
      {".pbf", "application/x-protobuf"},
  };
  for (const Type& t : kTypes) {
    if (file_name.ends_with(t.ext)) return t.type;
  }
  return "application/octet-stream";
}

std::optional<HttpResponse> StaticFiles::serve(
    std::string_view decoded_path) const {
  if (auto file = serve_file(decoded_path)) return file;
  if (root_.empty() || decoded_path.empty() || decoded_path[0] != '/' ||
      !safe_relative_path(decoded_path) || !app_route(decoded_path)) {
    return std::nullopt;
  }
  return serve_file("/index.html");
}

std::optional<HttpResponse> StaticFiles::serve_file(
    std::string_view decoded_path) const {
  if (root_.empty() || decoded_path.empty() || decoded_path[0] != '/') {
    return std::nullopt;
  }
  if (!safe_relative_path(decoded_path)) return std::nullopt;
  fs::path path = fs::path(root_) / fs::path(decoded_path.substr(1));
  std::error_code ec;
  if (fs::is_directory(path, ec)) path /= "index.html";
  fs::path canonical = fs::canonical(path, ec);
  if (ec || !fs::is_regular_file(canonical, ec)) return std::nullopt;
  const std::string& resolved = canonical.native();
  if (resolved.size() <= root_.size() || !resolved.starts_with(root_) ||
      resolved[root_.size()] != '/') {
    return std::nullopt;
  }
  HttpResponse r;
  if (!read_file(canonical, &r.body)) return std::nullopt;
  r.status = 200;
  r.content_type = std::string(content_type_for(canonical.filename().native()));
  r.headers.emplace_back("Cache-Control",
                         std::string(cache_control_for(decoded_path)));
  return r;
}

}  // namespace cocity::server
