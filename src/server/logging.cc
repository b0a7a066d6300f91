#include "server/logging.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <string>

namespace cocity::server {

namespace {

// Message and fields travel through spdlog as one string:
// msg US key RS value US key RS value ...
constexpr char kFieldSep = '\x1f';
constexpr char kValueSep = '\x1e';

// Whether setup_logging installed the formatter that understands the
// separators; until then log_event writes plain "msg key=value" text.
std::atomic<bool> g_structured{false};

void append_json_string(std::string_view s, spdlog::memory_buf_t& dest) {
  static constexpr char kHex[] = "0123456789abcdef";
  dest.push_back('"');
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      dest.push_back('\\');
      dest.push_back(c);
    } else if (c == '\n') {
      dest.append(std::string_view("\\n"));
    } else if (u < 0x20) {
      char esc[] = {'\\', 'u', '0', '0', kHex[u >> 4], kHex[u & 0xf]};
      dest.append(esc, esc + sizeof(esc));
    } else {
      dest.push_back(c);
    }
  }
  dest.push_back('"');
}

// The %* flag: the message and its fields, as text or as JSON members.
class MessageFlag final : public spdlog::custom_flag_formatter {
 public:
  explicit MessageFlag(bool json) : json_(json) {}

  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    std::string_view payload(msg.payload.data(), msg.payload.size());
    size_t sep = payload.find(kFieldSep);
    std::string_view text = payload.substr(0, sep);
    if (json_) {
      dest.append(std::string_view("\"msg\":"));
      append_json_string(text, dest);
    } else {
      dest.append(text);
    }
    while (sep != std::string_view::npos) {
      payload.remove_prefix(sep + 1);
      sep = payload.find(kFieldSep);
      std::string_view field = payload.substr(0, sep);
      size_t eq = field.find(kValueSep);
      std::string_view key = field.substr(0, eq);
      std::string_view value = eq == std::string_view::npos
                                   ? std::string_view()
                                   : field.substr(eq + 1);
      append_field(key, value, dest);
    }
  }

  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<MessageFlag>(json_);
  }

 private:
  void append_field(std::string_view key, std::string_view value,
                    spdlog::memory_buf_t& dest) const {
    if (json_) {
      dest.push_back(',');
      append_json_string(key, dest);
      dest.push_back(':');
      append_json_string(value, dest);
      return;
    }
    dest.push_back(' ');
    dest.append(key);
    dest.push_back('=');
    bool quote =
        value.empty() || value.find_first_of(" \"=") != std::string_view::npos;
    if (!quote) {
      dest.append(value);
      return;
    }
    append_json_string(value, dest);
  }

  bool json_;
};

}  // namespace

std::unique_ptr<spdlog::formatter> make_log_formatter(std::string_view format) {
  bool json = format == "json";
  auto formatter = std::make_unique<spdlog::pattern_formatter>(
      spdlog::pattern_time_type::utc, std::string("\n"));
  formatter->add_flag<MessageFlag>('*', json);
  formatter->set_pattern(
      json ? R"({"time":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l",%*})"
           : "%Y-%m-%dT%H:%M:%S.%eZ %l %*");
  return formatter;
}

Status setup_logging(std::string_view level, std::string_view format) {
  std::string level_text(level == "warn" ? "warning" : level);
  auto parsed = spdlog::level::from_str(level_text);
  if (parsed == spdlog::level::off && level != "off") {
    return fail(Code::kInvalidRequest,
                "log_level: '" + std::string(level) + "' is not a level");
  }
  if (format != "text" && format != "json") {
    return fail(Code::kInvalidRequest, "log_format: '" + std::string(format) +
                                           "' is not text or json");
  }
  auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  sink->set_formatter(make_log_formatter(format));
  auto logger = std::make_shared<spdlog::logger>("cocity", std::move(sink));
  logger->set_level(parsed);
  logger->flush_on(spdlog::level::warn);
  spdlog::set_default_logger(std::move(logger));
  g_structured.store(true);
  return ok();
}

void log_event(spdlog::level::level_enum level, std::string_view msg,
               LogFields fields) {
  auto* logger = spdlog::default_logger_raw();
  if (!logger->should_log(level)) return;
  bool structured = g_structured.load(std::memory_order_relaxed);
  std::string line(msg);
  for (const auto& [key, value] : fields) {
    line.push_back(structured ? kFieldSep : ' ');
    line.append(key);
    line.push_back(structured ? kValueSep : '=');
    line.append(value);
  }
  logger->log(level, spdlog::string_view_t(line.data(), line.size()));
}

}  // namespace cocity::server
