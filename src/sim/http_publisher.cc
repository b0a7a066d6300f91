#include "sim/http_publisher.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <optional>

#include "sim/endpoint_url.h"

namespace cocity::sim {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

constexpr size_t kMaxBatch = 1000;

class HttpPublisher final : public Publisher {
 public:
  explicit HttpPublisher(HttpTarget target) : target_(std::move(target)) {}

  Status publish(const std::vector<json::object>& fragments) override {
    for (size_t i = 0; i < fragments.size(); i += kMaxBatch) {
      size_t n = std::min(kMaxBatch, fragments.size() - i);
      std::string body = "[";
      for (size_t j = 0; j < n; ++j) {
        if (j > 0) body.push_back(',');
        append_json(fragments[i + j], &body);
      }
      body.push_back(']');
      // One retry on a fresh connection: the server may have closed an
      // idle keep-alive connection.
      Status s = post(body);
      if (!s) {
        stream_.reset();
        s = post(body);
      }
      if (!s) return s;
    }
    return ok();
  }

  std::string name() const override {
    return "http://" + target_.host + ":" + std::to_string(target_.port);
  }

 private:
  Status post(const std::string& body) {
    try {
      if (!stream_) {
        stream_.emplace(io_);
        asio::ip::tcp::resolver resolver(io_);
        stream_->expires_after(target_.timeout);
        stream_->connect(
            resolver.resolve(target_.host, std::to_string(target_.port)));
      }
      http::request<http::string_body> req(
          http::verb::post,
          "/ngsi-ld/v1/entityOperations/upsert?options=update", 11);
      req.set(http::field::host, target_.host);
      req.set(http::field::content_type, "application/json");
      if (!target_.tenant.empty()) req.set("NGSILD-Tenant", target_.tenant);
      if (!target_.api_key.empty()) {
        req.set(http::field::authorization, "Bearer " + target_.api_key);
      }
      req.keep_alive(true);
      req.body() = body;
      req.prepare_payload();
      stream_->expires_after(target_.timeout);
      http::write(*stream_, req);
      beast::flat_buffer buffer;
      http::response<http::string_body> res;
      http::read(*stream_, buffer, res);
      if (!res.keep_alive()) stream_.reset();
      unsigned status = res.result_int();
      if (status == 201 || status == 204) return ok();
      std::string detail = res.body().substr(0, 300);
      return fail(status == 207 ? Code::kBadRequestData : Code::kUnavailable,
                  "upsert answered " + std::to_string(status) + ": " + detail);
    } catch (const boost::system::system_error& e) {
      stream_.reset();
      return fail(Code::kUnavailable,
                  "cannot reach " + name() + ": " + e.code().message());
    } catch (const std::exception& e) {
      stream_.reset();
      return fail(Code::kUnavailable,
                  "cannot reach " + name() + ": " + e.what());
    }
  }

  HttpTarget target_;
  asio::io_context io_;
  std::optional<beast::tcp_stream> stream_;
};

}  // namespace

Result<HttpTarget> parse_http_url(std::string_view url) {
  auto endpoint = parse_endpoint_url(url, "http", 80);
  if (!endpoint) return std::unexpected(endpoint.error());
  HttpTarget t;
  t.host = std::move(endpoint->host);
  t.port = endpoint->port;
  return t;
}

std::unique_ptr<Publisher> make_http_publisher(const HttpTarget& target) {
  return std::make_unique<HttpPublisher>(target);
}

}  // namespace cocity::sim
