#include "sim/endpoint_url.h"

#include <charconv>

namespace cocity::sim {

Result<HostPort> parse_endpoint_url(std::string_view url,
                                    std::string_view scheme,
                                    uint16_t default_port) {
  std::string prefix = std::string(scheme) + "://";
  if (!url.starts_with(prefix)) {
    return fail(Code::kBadRequestData, "URL must start with " + prefix +
                                           ", not '" + std::string(url) + "'");
  }
  url.remove_prefix(prefix.size());
  if (!url.empty() && url.back() == '/') url.remove_suffix(1);
  HostPort out;
  out.port = default_port;
  size_t colon = url.rfind(':');
  out.host = std::string(url.substr(0, colon));
  if (colon != std::string_view::npos) {
    std::string_view port = url.substr(colon + 1);
    unsigned p = 0;
    auto r = std::from_chars(port.data(), port.data() + port.size(), p);
    if (r.ec != std::errc() || r.ptr != port.data() + port.size() || p == 0 ||
        p > 65535) {
      return fail(Code::kBadRequestData,
                  "bad port in URL: '" + std::string(port) + "'");
    }
    out.port = static_cast<uint16_t>(p);
  }
  if (out.host.empty() || out.host.find('/') != std::string::npos) {
    return fail(Code::kBadRequestData,
                "URL needs a host and no path: '" + prefix + "HOST:PORT'");
  }
  return out;
}

}  // namespace cocity::sim
