#include "server/request_parser.h"

#include <algorithm>

#include "core/text.h"

namespace cocity::server {

namespace http = boost::beast::http;

namespace {

// A large body grows as it arrives: a client announcing megabytes and
// sending nothing does not get them reserved.
constexpr uint64_t kMaxBodyReserveBytes = 1 << 20;

}  // namespace

void RequestParser::on_request_impl(http::verb, string_view method,
                                    string_view target, int version,
                                    error_code&) {
  out_->method.assign(method.data(), method.size());
  out_->target.assign(target.data(), target.size());
  version_ = version;
  fields_ = 0;
}

void RequestParser::on_response_impl(int, string_view, int, error_code& ec) {
  ec = http::error::bad_version;  // never called for a request parser
}

void RequestParser::on_field_impl(http::field, string_view name,
                                  string_view value, error_code&) {
  auto& headers = out_->headers;
  if (fields_ == headers.size()) headers.emplace_back();
  auto& [lower, text] = headers[fields_++];
  lower.assign(name.data(), name.size());
  lower_ascii(&lower);
  text.assign(value.data(), value.size());
}

void RequestParser::on_header_impl(error_code&) {
  out_->headers.resize(fields_);
  out_->body.clear();
}

void RequestParser::on_body_init_impl(const boost::optional<uint64_t>& length,
                                      error_code&) {
  // The parser has checked the length against the body limit.
  if (length) {
    out_->body.reserve(
        static_cast<size_t>(std::min<uint64_t>(*length, kMaxBodyReserveBytes)));
  }
}

size_t RequestParser::on_body_impl(string_view body, error_code&) {
  out_->body.append(body.data(), body.size());
  return body.size();
}

void RequestParser::on_chunk_header_impl(uint64_t, string_view, error_code&) {}

size_t RequestParser::on_chunk_body_impl(uint64_t, string_view body,
                                         error_code&) {
  out_->body.append(body.data(), body.size());
  return body.size();
}

void RequestParser::on_finish_impl(error_code&) {}

}  // namespace cocity::server
