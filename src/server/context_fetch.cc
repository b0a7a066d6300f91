#include "server/context_fetch.h"

#include "net/http_client.h"

namespace cocity::server {

namespace {

std::unexpected<Error> unavailable(std::string_view url, std::string cause) {
  return fail(Code::kLdContextNotAvailable,
              "the @context '" + std::string(url.substr(0, 200)) +
                  "' cannot be fetched: " + cause);
}

}  // namespace

Result<std::string> fetch_context_document(std::string_view url,
                                           std::chrono::milliseconds timeout,
                                           uint64_t max_bytes,
                                           const std::string& extra_ca_file) {
  if (!url.starts_with("http://") && !url.starts_with("https://")) {
    return unavailable(url, "only http:// and https:// URLs can be fetched");
  }
  net::ClientOptions options;
  options.connect_timeout = timeout;
  options.total_timeout = timeout;
  options.max_response_bytes = max_bytes;
  options.extra_ca_file = extra_ca_file;
  options.keep_alive = false;
  net::HttpClient client(options);
  auto res =
      client.request({"GET",
                      std::string(url),
                      {{"Accept", "application/ld+json, application/json"}},
                      ""});
  if (!res) {
    std::string why = res.error().detail;
    if (why.find("larger than") != std::string::npos) {
      why += " (contexts.max_bytes)";
    } else if (why.find("deadline") != std::string::npos) {
      why += " (contexts.fetch_timeout_ms)";
    }
    return unavailable(url, why);
  }
  if (res->status != 200) {
    return unavailable(url,
                       "the server answered " + std::to_string(res->status));
  }
  return std::move(res->body);
}

}  // namespace cocity::server
