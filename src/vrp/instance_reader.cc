#include "vrp/instance_reader.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "vrp/cvrplib_reader.h"
#include "vrp/json_reader.h"
#include "vrp/solomon_reader.h"

namespace cocity::vrp {
namespace {

constexpr uintmax_t kMaxFileBytes = 256u << 20;

Result<std::string> slurp(const std::string& path) {
  std::error_code ec;
  const uintmax_t size = std::filesystem::file_size(path, ec);
  if (ec) return fail(Code::kNotFound, path + ": " + ec.message());
  if (size > kMaxFileBytes) {
    return fail(Code::kPayloadTooLarge, path + ": larger than 256 MiB");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(Code::kNotFound, path + ": cannot open");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

Result<Problem> read_problem_file(const std::string& path) {
  auto text = slurp(path);
  if (!text) return std::unexpected(text.error());
  const std::string ext = std::filesystem::path(path).extension().string();
  const std::string source = std::filesystem::path(path).filename().string();
  Result<Problem> p =
      fail(Code::kInvalidRequest, path + ": unknown extension '" + ext +
                                      "' (expected .txt, .vrp or .json)");
  if (ext == ".txt") p = parse_solomon(*text, source);
  if (ext == ".vrp") p = parse_cvrplib(*text, source);
  if (ext == ".json") p = parse_problem_json(*text);
  if (!p) return p;
  if (auto s = validate_problem(*p); !s) return std::unexpected(s.error());
  return p;
}

}  // namespace cocity::vrp
