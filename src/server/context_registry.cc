#include "server/context_registry.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "ngsi/context_builder.h"
#include "server/context_fetch.h"
#include "server/shipped_contexts.h"

namespace cocity::server {

struct ContextRegistry::Entry {
  std::string local_id;
  std::string url;  // Cached: the remote URL; others: "" (served here)
  ContextKind kind = ContextKind::kCached;
  TimePoint created_at{};
  std::string text;  // the document as served
  // Resolved on first use (hosted contexts loaded at start) or at creation.
  std::shared_ptr<const ngsi::Context> ctx;
  // `ctx` reporting the URL it was last asked for (usually always the same).
  std::shared_ptr<const ngsi::Context> ctx_with_url;
  uint64_t hits = 0;
  std::optional<TimePoint> last_usage;
  bool builtin = false;
};

namespace {

namespace fs = std::filesystem;

constexpr std::string_view kCoreContextPrefix =
    "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context";
constexpr size_t kMaxDocumentDepth = 64;

std::string random_id() {
  static std::mutex mutex;
  static std::mt19937_64 engine{std::random_device{}()};
  std::lock_guard lock(mutex);
  char buf[17];
  snprintf(buf, sizeof buf, "%016llx",
           static_cast<unsigned long long>(engine()));
  return buf;
}

std::string implicit_id(std::string_view text) {
  uint64_t h = 14695981039346656037ull;  // FNV-1a 64
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  char buf[32];
  snprintf(buf, sizeof buf, "implicit-%016llx",
           static_cast<unsigned long long>(h));
  return buf;
}

// The local id in ".../ngsi-ld/v1/jsonldContexts/{id}[?#...]", or "".
std::string_view local_id_of(std::string_view url) {
  size_t at = url.find(kContextsPath);
  if (at == std::string_view::npos) return {};
  std::string_view id = url.substr(at + kContextsPath.size());
  return id.substr(0, id.find_first_of("/?#"));
}

// "host:port" of an http(s) URL, or "".
std::string_view authority_of(std::string_view url) {
  size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return {};
  std::string_view rest = url.substr(scheme + 3);
  return rest.substr(0, rest.find_first_of("/?#"));
}

Status write_file_atomically(const fs::path& path, const std::string& text) {
  fs::path tmp = path;
  tmp += ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    return fail(Code::kInternal, "cannot write '" + tmp.string() + "'");
  }
  size_t done = 0;
  bool good = true;
  while (good && done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    good = n > 0;
    if (good) done += static_cast<size_t>(n);
  }
  good = good && ::fsync(fd) == 0;
  ::close(fd);
  if (!good || ::rename(tmp.c_str(), path.c_str()) != 0) {
    ::unlink(tmp.c_str());
    return fail(Code::kInternal, "cannot write '" + path.string() + "'");
  }
  int dir = ::open(path.parent_path().c_str(), O_RDONLY | O_DIRECTORY);
  if (dir >= 0) {
    (void)::fsync(dir);
    ::close(dir);
  }
  return ok();
}

}  // namespace

std::string_view context_kind_name(ContextKind kind) {
  switch (kind) {
    case ContextKind::kHosted:
      return "Hosted";
    case ContextKind::kCached:
      return "Cached";
    case ContextKind::kImplicit:
      return "ImplicitlyCreated";
  }
  return "Cached";
}

Result<std::shared_ptr<ContextRegistry>> ContextRegistry::open(
    const ContextSettings& settings, const std::string& data_dir,
    const Clock* clock) {
  std::string dir;
  if (!data_dir.empty())
    dir = (fs::path(data_dir) / "jsonld-contexts").string();
  std::shared_ptr<ContextRegistry> r(new ContextRegistry(settings, dir, clock));
  for (const auto& shipped : shipped_contexts()) {
    if (auto s = r->add_builtin(shipped.local_id, shipped.url, shipped.text);
        !s) {
      return std::unexpected(s.error());
    }
  }
  if (auto s = r->load_hosted(); !s) return std::unexpected(s.error());
  return r;
}

Status ContextRegistry::add_builtin(std::string_view local_id,
                                    std::string_view url,
                                    std::string_view text) {
  auto entry = std::make_shared<Entry>();
  entry->local_id = local_id;
  entry->url = url;
  entry->kind = ContextKind::kCached;
  entry->created_at = clock_->now();
  entry->text = text;
  entry->builtin = true;
  if (url.starts_with(kCoreContextPrefix)) {
    entry->ctx = ngsi::Context::core();
  } else {
    auto doc = parse_json(text, JsonLimits{.max_depth = kMaxDocumentDepth});
    if (!doc) return std::unexpected(doc.error());
    auto ctx = build(*doc, url, 0);
    if (!ctx) return std::unexpected(ctx.error());
    entry->ctx = std::move(*ctx);
  }
  std::lock_guard lock(mutex_);
  insert_locked(std::move(entry));
  return ok();
}

Status ContextRegistry::load_hosted() {
  if (dir_.empty()) return ok();
  std::error_code ec;
  fs::create_directories(dir_, ec);
  if (ec) {
    return fail(Code::kInternal,
                "cannot create '" + dir_ + "': " + ec.message());
  }
  for (const auto& file : fs::directory_iterator(dir_, ec)) {
    if (file.path().extension() != ".json") continue;
    std::ifstream in(file.path());
    std::stringstream text;
    text << in.rdbuf();
    auto saved = parse_json(text.str(), JsonLimits{.max_depth = 128});
    const json::object* o =
        saved && saved->is_object() ? &saved->get_object() : nullptr;
    const json::value* id = o ? o->if_contains("localId") : nullptr;
    const json::value* doc = o ? o->if_contains("document") : nullptr;
    const json::value* created = o ? o->if_contains("createdAt") : nullptr;
    if (!id || !id->is_string() || !doc || !doc->is_object()) {
      spdlog::warn("ignoring the unreadable hosted @context file '{}'",
                   file.path().string());
      continue;
    }
    auto entry = std::make_shared<Entry>();
    entry->local_id = id->get_string();
    entry->kind = ContextKind::kHosted;
    entry->text = to_json(*doc);
    entry->created_at = clock_->now();
    if (created && created->is_string()) {
      if (auto t = parse_iso_time(created->get_string()))
        entry->created_at = *t;
    }
    std::lock_guard lock(mutex_);
    insert_locked(std::move(entry));
  }
  if (ec) {
    return fail(Code::kInternal, "cannot read '" + dir_ + "': " + ec.message());
  }
  return ok();
}

Status ContextRegistry::persist(const Entry& entry) const {
  if (dir_.empty()) return ok();
  json::object saved;
  saved["localId"] = entry.local_id;
  saved["createdAt"] = format_iso_time(entry.created_at);
  auto doc = parse_json(entry.text, JsonLimits{.max_depth = kMaxDocumentDepth});
  if (!doc) return std::unexpected(doc.error());
  saved["document"] = std::move(*doc);
  return write_file_atomically(fs::path(dir_) / (entry.local_id + ".json"),
                               to_json(saved));
}

Result<std::shared_ptr<const ngsi::Context>> ContextRegistry::build(
    const json::value& doc, std::string_view what, int depth) {
  auto member = ngsi::context_member(doc, what);
  if (!member) return std::unexpected(member.error());
  ngsi::ContextLoader loader =
      [this](std::string_view url,
             int d) -> Result<std::shared_ptr<const ngsi::Context>> {
    return resolve_at(url, {}, d);
  };
  return ngsi::build_context(**member, loader, depth);
}

Result<std::shared_ptr<const ngsi::Context>> ContextRegistry::resolve(
    std::string_view url, std::string_view self_host) {
  return resolve_at(url, self_host, 0);
}

Result<std::shared_ptr<const ngsi::Context>> ContextRegistry::resolve_at(
    std::string_view url, std::string_view self_host, int depth) {
  EntryPtr entry;
  {
    std::lock_guard lock(mutex_);
    entry = find_locked(url);
    if (entry) {
      touch_locked(entry.get());
      if (entry->ctx_with_url && entry->ctx_with_url->url() == url) {
        return entry->ctx_with_url;
      }
    } else if (auto failed = failures_.find(std::string(url));
               failed != failures_.end()) {
      if (clock_->now() - failed->second.first < kRetryAfter) {
        return std::unexpected(failed->second.second);
      }
      failures_.erase(failed);
    }
  }
  if (url.starts_with(kCoreContextPrefix)) return ngsi::Context::core();
  if (entry) return context_of(entry, url, depth);
  std::string_view local_id = local_id_of(url);
  if (!local_id.empty() && !self_host.empty() &&
      authority_of(url) == self_host) {
    return fail(Code::kLdContextNotAvailable,
                "the @context '" + std::string(url.substr(0, 200)) +
                    "' names no context hosted here (unknown local id '" +
                    std::string(local_id.substr(0, 100)) + "')");
  }
  if (!settings_.remote_fetch) {
    return fail(Code::kLdContextNotAvailable,
                "the @context '" + std::string(url.substr(0, 200)) +
                    "' is not in the server's context cache and remote "
                    "fetching is off (setting contexts.remote_fetch / "
                    "COCITY_REMOTE_CONTEXTS); upload it with POST "
                    "/ngsi-ld/v1/jsonldContexts");
  }
  return fetch_and_cache(url, depth);
}

Result<std::shared_ptr<const ngsi::Context>> ContextRegistry::context_of(
    const EntryPtr& entry, std::string_view url, int depth) {
  std::shared_ptr<const ngsi::Context> ctx;
  {
    std::lock_guard lock(mutex_);
    ctx = entry->ctx;
  }
  if (!ctx) {
    auto doc =
        parse_json(entry->text, JsonLimits{.max_depth = kMaxDocumentDepth});
    if (!doc) return std::unexpected(doc.error());
    auto built = build(*doc, entry->local_id, depth + 1);
    if (!built) return std::unexpected(built.error());
    ctx = std::move(*built);
  }
  auto with_url = ctx->with_url(std::string(url));
  std::lock_guard lock(mutex_);
  entry->ctx = ctx;
  entry->ctx_with_url = with_url;
  return with_url;
}

Result<ContextRegistry::EntryPtr> ContextRegistry::fetch_entry(
    std::string_view url, int depth) {
  auto text = fetch_context_document(
      url, std::chrono::milliseconds(settings_.fetch_timeout_ms),
      settings_.max_bytes, settings_.ca_file);
  if (!text) return std::unexpected(text.error());
  auto doc = parse_json(*text, JsonLimits{.max_depth = kMaxDocumentDepth});
  if (!doc) {
    return fail(Code::kBadRequestData,
                "the @context document at '" + std::string(url.substr(0, 200)) +
                    "' is not valid JSON: " + doc.error().detail);
  }
  auto ctx = build(*doc, url, depth + 1);
  if (!ctx) return std::unexpected(ctx.error());
  auto entry = std::make_shared<Entry>();
  entry->local_id = random_id();
  entry->url = url;
  entry->kind = ContextKind::kCached;
  entry->created_at = clock_->now();
  entry->text = to_json(*doc);
  entry->ctx = *ctx;
  entry->ctx_with_url = (*ctx)->with_url(std::string(url));
  return entry;
}

Result<std::shared_ptr<const ngsi::Context>> ContextRegistry::fetch_and_cache(
    std::string_view url, int depth) {
  auto entry = fetch_entry(url, depth);
  if (!entry) {
    std::lock_guard lock(mutex_);
    failures_.insert_or_assign(std::string(url),
                               std::make_pair(clock_->now(), entry.error()));
    return std::unexpected(entry.error());
  }
  auto out = (*entry)->ctx_with_url;
  std::lock_guard lock(mutex_);
  if (auto raced = find_locked(url))
    return raced->ctx_with_url ? raced->ctx_with_url : out;
  touch_locked(entry->get());
  insert_locked(std::move(*entry));
  return out;
}

Result<std::shared_ptr<const ngsi::Context>> ContextRegistry::resolve_inline(
    const json::value& context, std::string_view base_url,
    std::string_view self_host) {
  if (context.is_string())
    return resolve_at(context.get_string(), self_host, 0);
  std::string text = to_json(context);
  std::string id = implicit_id(text);
  std::string url;
  if (!base_url.empty()) {
    url = std::string(base_url) + std::string(kContextsPath) + id;
  }
  EntryPtr entry;
  {
    std::lock_guard lock(mutex_);
    auto it = by_id_.find(id);
    if (it != by_id_.end() && it->second->kind == ContextKind::kImplicit) {
      entry = it->second;
      touch_locked(entry.get());
      if (entry->ctx_with_url && entry->ctx_with_url->url() == url) {
        return entry->ctx_with_url;
      }
    }
  }
  if (entry) return context_of(entry, url, 0);
  ngsi::ContextLoader loader =
      [this, self_host](std::string_view u,
                        int d) -> Result<std::shared_ptr<const ngsi::Context>> {
    return resolve_at(u, self_host, d);
  };
  auto ctx = ngsi::build_context(context, loader, 0);
  if (!ctx) return std::unexpected(ctx.error());
  entry = std::make_shared<Entry>();
  entry->local_id = id;
  entry->kind = ContextKind::kImplicit;
  entry->created_at = clock_->now();
  json::object doc;
  doc["@context"] = context;
  entry->text = to_json(doc);
  entry->ctx = *ctx;
  entry->ctx_with_url = (*ctx)->with_url(url);
  auto out = entry->ctx_with_url;
  std::lock_guard lock(mutex_);
  if (!by_id_.contains(id)) {
    touch_locked(entry.get());
    insert_locked(std::move(entry));
    evict_implicit_locked();
  }
  return out;
}

Result<ContextInfo> ContextRegistry::add_hosted(const json::value& document) {
  auto ctx = build(document, "the request body", 0);
  if (!ctx) return std::unexpected(ctx.error());
  auto entry = std::make_shared<Entry>();
  entry->local_id = random_id();
  entry->kind = ContextKind::kHosted;
  entry->created_at = clock_->now();
  json::object doc;
  doc["@context"] = document.get_object().at("@context");
  entry->text = to_json(doc);
  entry->ctx = std::move(*ctx);
  if (auto s = persist(*entry); !s) return std::unexpected(s.error());
  std::lock_guard lock(mutex_);
  ContextInfo info = info_locked(*entry);
  insert_locked(std::move(entry));
  return info;
}

std::optional<ContextInfo> ContextRegistry::info(
    std::string_view id_or_url) const {
  std::lock_guard lock(mutex_);
  auto entry = find_locked(id_or_url);
  if (!entry) return std::nullopt;
  return info_locked(*entry);
}

std::optional<std::string> ContextRegistry::document(
    std::string_view id_or_url) const {
  std::lock_guard lock(mutex_);
  auto entry = find_locked(id_or_url);
  if (!entry) return std::nullopt;
  return entry->text;
}

std::vector<ContextInfo> ContextRegistry::list(
    std::optional<ContextKind> kind) const {
  std::lock_guard lock(mutex_);
  std::vector<ContextInfo> out;
  for (const auto& [id, entry] : by_id_) {
    if (!kind || entry->kind == *kind) out.push_back(info_locked(*entry));
  }
  return out;
}

Status ContextRegistry::remove(std::string_view id_or_url, bool reload) {
  EntryPtr entry;
  {
    std::lock_guard lock(mutex_);
    entry = find_locked(id_or_url);
    if (!entry) {
      return fail(Code::kNotFound, "no @context '" +
                                       std::string(id_or_url.substr(0, 200)) +
                                       "' is known here");
    }
    if (entry->builtin) {
      return fail(Code::kBadRequestData,
                  "the @context '" + entry->local_id +
                      "' is shipped with cocity and cannot be deleted");
    }
    if (reload && entry->kind != ContextKind::kCached) {
      return fail(Code::kBadRequestData,
                  "reload=true applies to Cached contexts only, '" +
                      entry->local_id + "' is " +
                      std::string(context_kind_name(entry->kind)));
    }
    if (!reload) {
      erase_locked(entry);
      failures_.erase(entry->url);
    }
  }
  if (reload) {
    // The cached copy stays until a new one is in hand (5.13.5.4): a
    // context server that is down does not take the context away.
    auto again = fetch_entry(entry->url, 0);
    if (!again) return std::unexpected(again.error());
    (*again)->local_id = entry->local_id;
    std::lock_guard lock(mutex_);
    if (find_locked(entry->url) == entry) erase_locked(entry);
    touch_locked(again->get());
    insert_locked(std::move(*again));
    return ok();
  }
  if (entry->kind == ContextKind::kHosted && !dir_.empty()) {
    std::error_code ec;
    fs::remove(fs::path(dir_) / (entry->local_id + ".json"), ec);
  }
  return ok();
}

ContextRegistry::EntryPtr ContextRegistry::find_locked(
    std::string_view id_or_url) const {
  if (auto it = by_id_.find(id_or_url); it != by_id_.end()) return it->second;
  if (auto it = by_url_.find(std::string(id_or_url)); it != by_url_.end()) {
    return it->second;
  }
  std::string_view local = local_id_of(id_or_url);
  if (!local.empty()) {
    if (auto it = by_id_.find(local); it != by_id_.end()) return it->second;
  }
  return nullptr;
}

void ContextRegistry::insert_locked(EntryPtr entry) {
  if (entry->kind == ContextKind::kImplicit) ++implicit_count_;
  if (!entry->url.empty()) by_url_[entry->url] = entry;
  by_id_[entry->local_id] = std::move(entry);
}

void ContextRegistry::erase_locked(const EntryPtr& entry) {
  if (entry->kind == ContextKind::kImplicit) --implicit_count_;
  if (!entry->url.empty()) by_url_.erase(entry->url);
  by_id_.erase(entry->local_id);
}

void ContextRegistry::touch_locked(Entry* entry) {
  ++entry->hits;
  entry->last_usage = clock_->now();
}

void ContextRegistry::evict_implicit_locked() {
  while (implicit_count_ > kMaxImplicit) {
    EntryPtr oldest;
    for (const auto& [id, entry] : by_id_) {
      if (entry->kind != ContextKind::kImplicit) continue;
      if (!oldest || entry->last_usage < oldest->last_usage) oldest = entry;
    }
    if (!oldest) return;
    erase_locked(oldest);
  }
}

ContextInfo ContextRegistry::info_locked(const Entry& entry) const {
  ContextInfo info;
  info.local_id = entry.local_id;
  info.url = entry.kind == ContextKind::kCached
                 ? entry.url
                 : std::string(kContextsPath) + entry.local_id;
  info.kind = entry.kind;
  info.created_at = entry.created_at;
  info.hits = entry.hits;
  info.last_usage = entry.last_usage;
  info.builtin = entry.builtin;
  return info;
}

}  // namespace cocity::server
