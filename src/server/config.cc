#include "server/config.h"

#include "server/retention.h"
#include "store/store.h"

#include <toml++/toml.h>
#include <charconv>
#include <cstdlib>
#include <thread>

namespace cocity::server {

namespace {

Status bad(std::string_view where, std::string_view rule) {
  return fail(Code::kInvalidRequest,
              std::string(where) + ": " + std::string(rule));
}

// Integers from TOML and the environment, range-checked.
Status set_uint(std::string_view where, int64_t value, uint64_t max,
                uint64_t min, uint64_t* out) {
  if (value < 0 || static_cast<uint64_t>(value) < min ||
      static_cast<uint64_t>(value) > max) {
    return bad(where, "must be an integer from " + std::to_string(min) +
                          " to " + std::to_string(max));
  }
  *out = static_cast<uint64_t>(value);
  return ok();
}

template <typename T>
Status assign_uint(std::string_view where, int64_t value, uint64_t min,
                   uint64_t max, T* field) {
  uint64_t v = 0;
  if (auto s = set_uint(where, value, max, min, &v); !s) return s;
  *field = static_cast<T>(v);
  return ok();
}

constexpr uint64_t kMaxLimit = uint64_t{1} << 40;

// One setting: how to apply an integer, string or boolean to the config.
struct Setting {
  const char* toml_key;  // "port", "limits.max_body_bytes"
  const char* env_name;  // "COCITY_PORT"
  enum class Kind { kString, kUint, kBool } kind;
  std::function<Status(ServerConfig*, std::string_view where,
                       const std::string&)>
      set_string;
  std::function<Status(ServerConfig*, std::string_view where, int64_t)> set_int;
  std::function<void(ServerConfig*, bool)> set_bool;
};

const std::vector<Setting>& settings() {
  using K = Setting::Kind;
  auto str = [](std::string ServerConfig::*field) {
    return [field](ServerConfig* c, std::string_view, const std::string& v) {
      c->*field = v;
      return ok();
    };
  };
  auto smtp = [](std::string SmtpConfig::*field) {
    return [field](ServerConfig* c, std::string_view, const std::string& v) {
      c->smtp.*field = v;
      return ok();
    };
  };
  static const std::vector<Setting> kSettings = {
      {"bind", "COCITY_BIND", K::kString, str(&ServerConfig::bind), {}, {}},
      {"port",
       "COCITY_PORT",
       K::kUint,
       {},
       [](ServerConfig* c, std::string_view w, int64_t v) {
         return assign_uint(w, v, 0, 65535, &c->port);
       },
       {}},
      {"threads",
       "COCITY_THREADS",
       K::kUint,
       {},
       [](ServerConfig* c, std::string_view w, int64_t v) {
         return assign_uint(w, v, 0, 1024, &c->threads);
       },
       {}},
      {"data_dir",
       "COCITY_DATA_DIR",
       K::kString,
       str(&ServerConfig::data_dir),
       {},
       {}},
      {"open",
       "COCITY_OPEN",
       K::kBool,
       {},
       {},
       [](ServerConfig* c, bool v) { c->open = v; }},
      {"log_level",
       "COCITY_LOG_LEVEL",
       K::kString,
       str(&ServerConfig::log_level),
       {},
       {}},
      {"log_format",
       "COCITY_LOG_FORMAT",
       K::kString,
       str(&ServerConfig::log_format),
       {},
       {}},
      {"web_dir",
       "COCITY_WEB_DIR",
       K::kString,
       str(&ServerConfig::web_dir),
       {},
       {}},
      {"mqtt", "COCITY_MQTT", K::kString, str(&ServerConfig::mqtt_url), {}, {}},
      {"mqtt_share_group",
       "COCITY_MQTT_SHARE_GROUP",
       K::kString,
       str(&ServerConfig::mqtt_share_group),
       {},
       {}},
      {"roads_graph",
       "COCITY_ROADS_GRAPH",
       K::kString,
       str(&ServerConfig::roads_graph),
       {},
       {}},
      {"ca_file",
       "COCITY_CA_FILE",
       K::kString,
       str(&ServerConfig::ca_file),
       {},
       {}},
      {"limits.max_body_bytes",
       "COCITY_MAX_BODY_BYTES",
       K::kUint,
       {},
       [](ServerConfig* c, std::string_view w, int64_t v) {
         return assign_uint(w, v, 1, kMaxLimit, &c->limits.max_body_bytes);
       },
       {}},
      {"limits.max_json_depth",
       "COCITY_MAX_JSON_DEPTH",
       K::kUint,
       {},
       [](ServerConfig* c, std::string_view w, int64_t v) {
         return assign_uint(w, v, 1, 10000, &c->limits.max_json_depth);
       },
       {}},
      {"limits.max_batch_entities",
       "COCITY_MAX_BATCH_ENTITIES",
       K::kUint,
       {},
       [](ServerConfig* c, std::string_view w, int64_t v) {
         return assign_uint(w, v, 1, kMaxLimit, &c->limits.max_batch_entities);
       },
       {}},
      {"limits.idle_timeout_ms",
       "COCITY_IDLE_TIMEOUT_MS",
       K::kUint,
       {},
       [](ServerConfig* c, std::string_view w, int64_t v) {
         return assign_uint(w, v, 1, 86400000, &c->limits.idle_timeout_ms);
       },
       {}},
      {"store.entity_cache_mb",
       "COCITY_ENTITY_CACHE_MB",
       K::kUint,
       {},
       [](ServerConfig* c, std::string_view w, int64_t v) {
         return assign_uint(w, v, 0, 1 << 20, &c->entity_cache_mb);
       },
       {}},
      {"contexts.remote_fetch",
       "COCITY_REMOTE_CONTEXTS",
       K::kBool,
       {},
       {},
       [](ServerConfig* c, bool v) { c->contexts.remote_fetch = v; }},
      {"contexts.fetch_timeout_ms",
       "COCITY_CONTEXT_FETCH_TIMEOUT_MS",
       K::kUint,
       {},
       [](ServerConfig* c, std::string_view w, int64_t v) {
         return assign_uint(w, v, 1, 600000, &c->contexts.fetch_timeout_ms);
       },
       {}},
      {"contexts.max_bytes",
       "COCITY_MAX_CONTEXT_BYTES",
       K::kUint,
       {},
       [](ServerConfig* c, std::string_view w, int64_t v) {
         return assign_uint(w, v, 1, kMaxLimit, &c->contexts.max_bytes);
       },
       {}},
      {"smtp.url",
       "COCITY_SMTP_URL",
       K::kString,
       smtp(&SmtpConfig::url),
       {},
       {}},
      {"smtp.from",
       "COCITY_SMTP_FROM",
       K::kString,
       smtp(&SmtpConfig::from),
       {},
       {}},
      {"smtp.user",
       "COCITY_SMTP_USER",
       K::kString,
       smtp(&SmtpConfig::user),
       {},
       {}},
      {"smtp.password",
       "COCITY_SMTP_PASSWORD",
       K::kString,
       smtp(&SmtpConfig::password),
       {},
       {}},
      {"smtp.starttls",
       "COCITY_SMTP_STARTTLS",
       K::kString,
       smtp(&SmtpConfig::starttls),
       {},
       {}},
      {"smtp.ca_file",
       "COCITY_SMTP_CA_FILE",
       K::kString,
       smtp(&SmtpConfig::ca_file),
       {},
       {}},
      {"smtp.interval_ms",
       "COCITY_SMTP_INTERVAL_MS",
       K::kUint,
       {},
       [](ServerConfig* c, std::string_view w, int64_t v) {
         return assign_uint(w, v, 1, 86400000, &c->smtp.interval_ms);
       },
       {}},
  };
  return kSettings;
}

const Setting* find_setting(std::string_view toml_key) {
  for (const Setting& s : settings()) {
    if (toml_key == s.toml_key) return &s;
  }
  return nullptr;
}

Status apply_toml_value(const Setting& s, const toml::node& node,
                        std::string_view where, ServerConfig* config) {
  switch (s.kind) {
    case Setting::Kind::kString:
      if (!node.is_string()) return bad(where, "must be a string");
      return s.set_string(config, where, *node.value<std::string>());
    case Setting::Kind::kUint:
      if (!node.is_integer()) return bad(where, "must be an integer");
      return s.set_int(config, where, *node.value<int64_t>());
    case Setting::Kind::kBool:
      if (!node.is_boolean()) return bad(where, "must be true or false");
      s.set_bool(config, *node.value<bool>());
      return ok();
  }
  return ok();
}

// [retention]: "default" and tenant names, each an ISO 8601 duration.
Status apply_retention(const toml::node& node, const std::string& where,
                       ServerConfig* config) {
  if (!node.is_table()) return bad(where, "must be a table");
  for (const auto& [key, value] : *node.as_table()) {
    std::string name(key.str());
    std::string w = where.substr(0, where.size() - 1) + "." + name + "'";
    if (!value.is_string()) return bad(w, "must be a duration like \"P2Y\"");
    auto d = parse_retention(*value.value<std::string>());
    if (!d) return bad(w, d.error().detail);
    if (name == "default") {
      config->history_retention = *d;
    } else if (store::valid_tenant_name(name)) {
      config->tenant_history_retention[name] = *d;
    } else {
      return bad(w, "is not a tenant name");
    }
  }
  return ok();
}

// [query]: indexed_attributes, an array of attribute terms or IRIs.
Status apply_query(const toml::node& node, const std::string& where,
                   ServerConfig* config) {
  if (!node.is_table()) return bad(where, "must be a table");
  for (const auto& [key, value] : *node.as_table()) {
    std::string w =
        where.substr(0, where.size() - 1) + "." + std::string(key.str()) + "'";
    if (key.str() != "indexed_attributes") return bad(w, "unknown key");
    const toml::array* list = value.as_array();
    if (list == nullptr) return bad(w, "must be an array of strings");
    config->indexed_attributes.clear();
    for (const auto& item : *list) {
      if (!item.is_string() || item.value<std::string>()->empty())
        return bad(w, "must be an array of non-empty strings");
      config->indexed_attributes.push_back(*item.value<std::string>());
    }
  }
  return ok();
}

Status apply_table(const toml::table& table, const std::string& prefix,
                   const std::string& path, ServerConfig* config) {
  for (const auto& [key, node] : table) {
    std::string name = prefix + std::string(key.str());
    std::string where = path + ": '" + name + "'";
    if (prefix.empty() && name == "retention") {
      if (auto s = apply_retention(node, where, config); !s) return s;
      continue;
    }
    if (prefix.empty() && name == "query") {
      if (auto s = apply_query(node, where, config); !s) return s;
      continue;
    }
    if (prefix.empty() && (name == "limits" || name == "store" ||
                           name == "contexts" || name == "smtp")) {
      if (!node.is_table()) return bad(where, "must be a table");
      if (auto s = apply_table(*node.as_table(), name + ".", path, config);
          !s) {
        return s;
      }
      continue;
    }
    const Setting* setting = find_setting(name);
    if (setting == nullptr) return bad(where, "unknown key");
    if (auto s = apply_toml_value(*setting, node, where, config); !s) return s;
  }
  return ok();
}

Status apply_env_value(const Setting& s, const std::string& value,
                       ServerConfig* config) {
  std::string where = s.env_name;
  switch (s.kind) {
    case Setting::Kind::kString:
      return s.set_string(config, where, value);
    case Setting::Kind::kUint: {
      int64_t v = 0;
      auto [end, ec] =
          std::from_chars(value.data(), value.data() + value.size(), v);
      if (ec != std::errc() || end != value.data() + value.size()) {
        return bad(where, "'" + value + "' is not an integer");
      }
      return s.set_int(config, where, v);
    }
    case Setting::Kind::kBool:
      if (value == "1" || value == "true" || value == "yes") {
        s.set_bool(config, true);
      } else if (value == "0" || value == "false" || value == "no" ||
                 value.empty()) {
        s.set_bool(config, false);
      } else {
        return bad(where, "'" + value + "' is not a boolean (1/0, true/false)");
      }
      return ok();
  }
  return ok();
}

}  // namespace

Status apply_config_file(const std::string& path, ServerConfig* config) {
  toml::table table;
  try {
    table = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    const auto& where = e.source().begin;
    return fail(Code::kInvalidRequest, path + ":" + std::to_string(where.line) +
                                           ":" + std::to_string(where.column) +
                                           ": " + std::string(e.description()));
  } catch (const std::exception& e) {
    return fail(Code::kInvalidRequest, path + ": " + e.what());
  }
  return apply_table(table, "", path, config);
}

Status apply_environment(ServerConfig* config) {
  return apply_environment(config,
                           [](const char* name) { return std::getenv(name); });
}

Status apply_environment(
    ServerConfig* config,
    const std::function<const char*(const char*)>& lookup) {
  for (const Setting& s : settings()) {
    const char* value = lookup(s.env_name);
    if (value == nullptr) continue;
    if (auto st = apply_env_value(s, value, config); !st) return st;
  }
  return ok();
}

namespace {

Status validate_smtp(const SmtpConfig& smtp) {
  if (smtp.url.empty()) return ok();
  if (!smtp.url.starts_with("smtp://") && !smtp.url.starts_with("smtps://")) {
    return bad("smtp.url", "'" + smtp.url +
                               "' must start with smtp:// or "
                               "smtps://");
  }
  if (smtp.from.empty()) return bad("smtp.from", "required with smtp.url");
  if (smtp.starttls != "auto" && smtp.starttls != "required") {
    return bad("smtp.starttls",
               "'" + smtp.starttls + "' is not auto or required");
  }
  return ok();
}

}  // namespace

Status validate_config(const ServerConfig& config) {
  static constexpr std::string_view kLevels[] = {
      "trace", "debug", "info", "warn", "error", "critical", "off"};
  bool level_ok = false;
  for (auto l : kLevels) level_ok = level_ok || config.log_level == l;
  if (!level_ok) {
    return bad("log_level", "'" + config.log_level +
                                "' is not one of trace, debug, info, warn, "
                                "error, critical, off");
  }
  if (config.log_format != "text" && config.log_format != "json") {
    return bad("log_format", "'" + config.log_format + "' is not text or json");
  }
  if (config.bind.empty()) return bad("bind", "must not be empty");
  if (config.data_dir.empty()) return bad("data_dir", "must not be empty");
  if (config.threads > 1024) return bad("threads", "must be at most 1024");
  if (config.limits.max_body_bytes == 0) {
    return bad("limits.max_body_bytes", "must be positive");
  }
  if (config.limits.max_json_depth == 0) {
    return bad("limits.max_json_depth", "must be positive");
  }
  if (config.limits.max_batch_entities == 0) {
    return bad("limits.max_batch_entities", "must be positive");
  }
  return validate_smtp(config.smtp);
}

unsigned effective_threads(const ServerConfig& config) {
  if (config.threads > 0) return config.threads;
  unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : n;
}

}  // namespace cocity::server
