// Parses HTTP/1.1 requests straight into HttpRequest (server/http.h).
//
// Boost.Beast's parser does the HTTP: request line, header fields, framing
// by Content-Length or chunked encoding, and the header and body limits.
// The parser writes the method, target, header fields (names lower-cased)
// and body into the request it is given; no header container is built and
// torn down per request, and a connection's HttpRequest keeps its strings'
// capacity from one request to the next. One parser per request: make a
// new one (cheap) for the next request of a connection.
//
// Included by the server's connection code and the fuzz target only: it
// brings in Beast's parser.
#pragma once

#include <boost/beast/http/basic_parser.hpp>
#include <cstddef>
#include <cstdint>

#include "server/http.h"

namespace cocity::server {

class RequestParser final : public boost::beast::http::basic_parser<true> {
 public:
  // `out` must outlive the parser.
  explicit RequestParser(HttpRequest* out) : out_(out) {}

  // The request's HTTP version: 10 or 11, once the request line is parsed.
  int version() const { return version_; }

 private:
  using string_view = boost::beast::string_view;
  using error_code = boost::beast::error_code;

  void on_request_impl(boost::beast::http::verb, string_view method,
                       string_view target, int version,
                       error_code& ec) override;
  void on_response_impl(int, string_view, int, error_code& ec) override;
  void on_field_impl(boost::beast::http::field, string_view name,
                     string_view value, error_code& ec) override;
  void on_header_impl(error_code& ec) override;
  void on_body_init_impl(const boost::optional<uint64_t>& length,
                         error_code& ec) override;
  size_t on_body_impl(string_view body, error_code& ec) override;
  void on_chunk_header_impl(uint64_t size, string_view extensions,
                            error_code& ec) override;
  size_t on_chunk_body_impl(uint64_t remain, string_view body,
                            error_code& ec) override;
  void on_finish_impl(error_code& ec) override;

  HttpRequest* out_;
  int version_ = 11;
  size_t fields_ = 0;  // header fields of this request so far
};

}  // namespace cocity::server
