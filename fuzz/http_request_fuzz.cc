// Feeds arbitrary bytes to the server's HTTP request parser
// (server/request_parser.h) as a connection would: pipelined requests one
// after another into one HttpRequest, each arriving in pieces whose size
// the first byte picks, under small header and body limits. Checks what a
// parsed request promises: lower-case header names, a body within the
// limit.
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "server/request_parser.h"

using cocity::server::HttpRequest;
using cocity::server::RequestParser;

namespace {

constexpr uint64_t kBodyLimit = 4096;
constexpr uint32_t kHeaderLimit = 2048;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const size_t piece = 1 + data[0] % 64;
  std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
  HttpRequest request;
  size_t pos = 0;
  while (pos < input.size()) {
    RequestParser parser(&request);
    parser.header_limit(kHeaderLimit);
    parser.body_limit(kBodyLimit);
    parser.eager(true);
    size_t end = pos;
    boost::beast::error_code ec;
    while (!parser.is_done() && !ec) {
      // Bytes as they might arrive: the unparsed rest, at most one more
      // piece.
      end = std::min(input.size(), std::max(end, pos) + piece);
      size_t used = parser.put(
          boost::asio::const_buffer(input.data() + pos, end - pos), ec);
      pos += used;
      if (ec == boost::beast::http::error::need_more || (!ec && used == 0)) {
        if (end == input.size()) return 0;  // the connection waits for more
        ec = {};
      }
    }
    if (ec) return 0;  // the server answers 400 or 413 and closes
    for (const auto& [name, value] : request.headers) {
      for (char c : name) {
        if (c >= 'A' && c <= 'Z') __builtin_trap();
      }
    }
    if (request.body.size() > kBodyLimit) __builtin_trap();
    if (parser.version() != 10 && parser.version() != 11) __builtin_trap();
  }
  return 0;
}
