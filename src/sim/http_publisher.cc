#include "sim/http_publisher.h"

#include "net/http_client.h"
#include "sim/endpoint_url.h"

namespace cocity::sim {

namespace {

constexpr size_t kMaxBatch = 1000;

net::ClientOptions client_options(const HttpTarget& target) {
  net::ClientOptions o;
  o.connect_timeout = target.timeout;
  o.total_timeout = target.timeout;
  o.extra_ca_file = target.ca_file;
  return o;
}

class HttpPublisher final : public Publisher {
 public:
  explicit HttpPublisher(HttpTarget target)
      : target_(std::move(target)), client_(client_options(target_)) {}

  Status publish(const std::vector<json::object>& fragments) override {
    for (size_t i = 0; i < fragments.size(); i += kMaxBatch) {
      size_t n = std::min(kMaxBatch, fragments.size() - i);
      std::string body = "[";
      for (size_t j = 0; j < n; ++j) {
        if (j > 0) body.push_back(',');
        append_json(fragments[i + j], &body);
      }
      body.push_back(']');
      if (auto s = post(std::move(body)); !s) return s;
    }
    return ok();
  }

  std::string name() const override {
    return std::string(target_.https ? "https://" : "http://") + target_.host +
           ":" + std::to_string(target_.port);
  }

 private:
  Status post(std::string body) {
    net::Request req;
    req.method = "POST";
    req.url = name() + "/ngsi-ld/v1/entityOperations/upsert?options=update";
    req.headers.emplace_back("Content-Type", "application/json");
    if (!target_.tenant.empty()) {
      req.headers.emplace_back("NGSILD-Tenant", target_.tenant);
    }
    if (!target_.api_key.empty()) {
      req.headers.emplace_back("Authorization", "Bearer " + target_.api_key);
    }
    req.body = std::move(body);
    auto res = client_.request(req);
    if (!res) {
      return fail(Code::kUnavailable,
                  "cannot reach " + name() + ": " + res.error().detail);
    }
    if (res->status == 201 || res->status == 204) return ok();
    return fail(res->status == 207 ? Code::kBadRequestData : Code::kUnavailable,
                "upsert answered " + std::to_string(res->status) + ": " +
                    res->body.substr(0, 300));
  }

  HttpTarget target_;
  net::HttpClient client_;
};

}  // namespace

Result<HttpTarget> parse_http_url(std::string_view url) {
  bool https = url.starts_with("https://");
  auto endpoint =
      parse_endpoint_url(url, https ? "https" : "http", https ? 443 : 80);
  if (!endpoint) return std::unexpected(endpoint.error());
  HttpTarget t;
  t.https = https;
  t.host = std::move(endpoint->host);
  t.port = endpoint->port;
  return t;
}

std::unique_ptr<Publisher> make_http_publisher(const HttpTarget& target) {
  return std::make_unique<HttpPublisher>(target);
}

}  // namespace cocity::sim
