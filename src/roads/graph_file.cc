#include "roads/graph_file.h"

#include <bit>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <span>
#include <vector>

namespace cocity::roads {
namespace {

static_assert(std::endian::native == std::endian::little,
              "the graph file is written in host order: little-endian only");
static_assert(sizeof(LatLon) == 16 && sizeof(ChArc) == 16);

constexpr char kMagic[8] = {'C', 'O', 'C', 'I', 'T', 'Y', 'R', 'G'};

struct Header {
  char magic[8];
  uint32_t version;
  uint32_t reserved;
  uint64_t node_count;
  uint64_t edge_count;
  uint64_t up_count;
  uint64_t down_count;
};

uint64_t fnv1a(std::span<const char> bytes) {
  uint64_t h = 14695981039346656037ull;
  for (char c : bytes) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  return h;
}

class Writer {
 public:
  template <typename T>
  void put(const std::vector<T>& v) {
    const char* p = reinterpret_cast<const char*>(v.data());
    bytes_.insert(bytes_.end(), p, p + v.size() * sizeof(T));
  }
  template <typename T>
  void put_value(const T& v) {
    const char* p = reinterpret_cast<const char*>(&v);
    bytes_.insert(bytes_.end(), p, p + sizeof(T));
  }
  std::vector<char>& bytes() { return bytes_; }

 private:
  std::vector<char> bytes_;
};

class Reader {
 public:
  explicit Reader(std::span<const char> bytes) : bytes_(bytes) {}
  template <typename T>
  bool get(size_t count, std::vector<T>* v) {
    if (count > (bytes_.size() - pos_) / sizeof(T)) return false;
    v->resize(count);
    std::memcpy(v->data(), bytes_.data() + pos_, count * sizeof(T));
    pos_ += count * sizeof(T);
    return true;
  }
  bool at_end() const { return pos_ == bytes_.size(); }

 private:
  std::span<const char> bytes_;
  size_t pos_ = 0;
};

std::vector<char> encode(const RoadNetwork& net) {
  const Graph& g = net.graph;
  Header h{};
  std::memcpy(h.magic, kMagic, sizeof(kMagic));
  h.version = kGraphFileVersion;
  h.node_count = g.node_count();
  h.edge_count = g.edge_count();
  h.up_count = net.ch.up.size();
  h.down_count = net.ch.down.size();
  Writer w;
  w.put_value(h);
  w.put(g.first_out);
  w.put(g.tail);
  w.put(g.head);
  w.put(g.duration_ms);
  w.put(g.distance_m);
  w.put(g.way_id);
  w.put(g.coords);
  w.put(g.osm_node_id);
  w.put(net.ch.rank);
  w.put(net.ch.up_first);
  w.put(net.ch.up);
  w.put(net.ch.down_first);
  w.put(net.ch.down);
  w.put_value(fnv1a(w.bytes()));
  return std::move(w.bytes());
}

Result<RoadNetwork> decode(std::span<const char> bytes,
                           const std::string& path) {
  auto bad = [&](const std::string& why) {
    return fail(Code::kBadRequestData,
                "road network file '" + path + "': " + why);
  };
  Header h;
  if (bytes.size() < sizeof(h) + sizeof(uint64_t)) return bad("too short");
  std::memcpy(&h, bytes.data(), sizeof(h));
  if (std::memcmp(h.magic, kMagic, sizeof(kMagic)) != 0) {
    return bad("not a cocity road network file");
  }
  if (h.version != kGraphFileVersion) {
    return bad("version " + std::to_string(h.version) + " is not supported (" +
               std::to_string(kGraphFileVersion) + " is)");
  }
  size_t body = bytes.size() - sizeof(uint64_t);
  uint64_t stored;
  std::memcpy(&stored, bytes.data() + body, sizeof(stored));
  if (fnv1a(bytes.first(body)) != stored) return bad("checksum mismatch");
  RoadNetwork net;
  Graph& g = net.graph;
  ContractedGraph& ch = net.ch;
  uint64_t n = h.node_count;
  uint64_t m = h.edge_count;
  Reader r(bytes.subspan(sizeof(h), body - sizeof(h)));
  bool complete = n < UINT32_MAX && m < UINT32_MAX &&
                  r.get(n + 1, &g.first_out) && r.get(m, &g.tail) &&
                  r.get(m, &g.head) && r.get(m, &g.duration_ms) &&
                  r.get(m, &g.distance_m) && r.get(m, &g.way_id) &&
                  r.get(n, &g.coords) && r.get(n, &g.osm_node_id) &&
                  r.get(n, &ch.rank) && r.get(n + 1, &ch.up_first) &&
                  r.get(h.up_count, &ch.up) && r.get(n + 1, &ch.down_first) &&
                  r.get(h.down_count, &ch.down) && r.at_end();
  if (!complete) return bad("sizes in the header do not match the file");
  if (Status s = validate(g); !s) return bad(s.error().detail);
  if (Status s = validate(ch, g); !s) return bad(s.error().detail);
  return net;
}

}  // namespace

Status write_road_network(const RoadNetwork& network, const std::string& path) {
  std::vector<char> bytes = encode(network);
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.flush();
    if (!out) {
      return fail(Code::kInternal, "cannot write '" + tmp + "'");
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    return fail(Code::kInternal, "cannot rename '" + tmp + "' to '" + path +
                                     "': " + ec.message());
  }
  return ok();
}

Result<RoadNetwork> read_road_network(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return fail(Code::kNotFound,
                "road network file '" + path + "' does not exist");
  }
  std::ifstream in(path, std::ios::binary);
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)),
                          std::istreambuf_iterator<char>());
  if (in.bad()) {
    return fail(Code::kInternal, "cannot read '" + path + "'");
  }
  return decode(bytes, path);
}

Result<RoadNetwork> parse_road_network(std::string_view bytes,
                                       const std::string& name) {
  return decode(std::span<const char>(bytes.data(), bytes.size()), name);
}

}  // namespace cocity::roads
