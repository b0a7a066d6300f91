#include "server/url.h"

namespace cocity::server {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Parameters whose raw '+' is a plus: a space is never meant there.
bool keeps_plus(std::string_view name) {
  return name == "scopeQ" || name == "timeAt" || name == "endTimeAt";
}

}  // namespace

bool percent_decode(std::string_view in, std::string* out) {
  out->reserve(out->size() + in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c != '%') {
      out->push_back(c);
      continue;
    }
    if (i + 2 >= in.size()) return false;
    int hi = hex_value(in[i + 1]);
    int lo = hex_value(in[i + 2]);
    if (hi < 0 || lo < 0) return false;
    out->push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return true;
}

std::string_view raw_path(std::string_view target) {
  size_t q = target.find('?');
  return q == std::string_view::npos ? target : target.substr(0, q);
}

Status parse_target(std::string_view target, std::string* path,
                    std::vector<std::pair<std::string, std::string>>* query) {
  if (target.empty() || target[0] != '/') {
    return fail(Code::kInvalidRequest,
                "request target must be a path starting with '/'");
  }
  size_t q = target.find('?');
  std::string_view raw = raw_path(target);
  path->clear();
  if (!percent_decode(raw, path)) {
    return fail(Code::kInvalidRequest, "malformed percent-escape in path");
  }
  query->clear();
  if (q == std::string_view::npos) return ok();
  std::string_view rest = target.substr(q + 1);
  while (!rest.empty()) {
    size_t amp = rest.find('&');
    std::string_view part = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view()
                                         : rest.substr(amp + 1);
    if (part.empty()) continue;
    size_t eq = part.find('=');
    std::string name;
    std::string value;
    bool good = percent_decode(part.substr(0, eq), &name);
    if (good && eq != std::string_view::npos) {
      std::string_view raw_value = part.substr(eq + 1);
      std::string spaced;
      if (!keeps_plus(name) && raw_value.find('+') != std::string_view::npos) {
        spaced.assign(raw_value);
        for (char& c : spaced) {
          if (c == '+') c = ' ';
        }
        raw_value = spaced;
      }
      good = percent_decode(raw_value, &value);
    }
    if (!good) {
      return fail(Code::kInvalidRequest,
                  "malformed percent-escape in query parameter '" +
                      std::string(part.substr(0, eq)) + "'");
    }
    query->emplace_back(std::move(name), std::move(value));
  }
  return ok();
}

}  // namespace cocity::server
