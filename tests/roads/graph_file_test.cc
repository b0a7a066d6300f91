#include "roads/graph_file.h"

#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <string_view>

#include "roads/distance_provider.h"
#include "square_fixture.h"

namespace cocity::roads {
namespace {

class GraphFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto g = testing::square_graph();
    ASSERT_TRUE(g);
    network_.ch = contract(*g);
    network_.graph = std::move(*g);
    dir_ = std::filesystem::temp_directory_path() /
           ("roads_graph_file_test_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "city.graph").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string read_bytes() const {
    std::ifstream in(path_, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
  }
  void write_bytes(const std::string& bytes) const {
    std::ofstream(path_, std::ios::binary | std::ios::trunc) << bytes;
  }

  RoadNetwork network_;
  std::filesystem::path dir_;
  std::string path_;
};

TEST_F(GraphFileTest, RoundTrips) {
  ASSERT_TRUE(write_road_network(network_, path_));
  auto back = read_road_network(path_);
  ASSERT_TRUE(back) << back.error().detail;
  EXPECT_EQ(back->graph.head, network_.graph.head);
  EXPECT_EQ(back->graph.duration_ms, network_.graph.duration_ms);
  EXPECT_EQ(back->graph.osm_node_id, network_.graph.osm_node_id);
  EXPECT_EQ(back->ch.rank, network_.ch.rank);
  EXPECT_EQ(back->ch.up.size(), network_.ch.up.size());
  EXPECT_EQ(back->graph.coords[2].lat, network_.graph.coords[2].lat);
}

TEST_F(GraphFileTest, RejectsDamage) {
  ASSERT_TRUE(write_road_network(network_, path_));
  std::string good = read_bytes();

  std::string flipped = good;
  flipped[good.size() / 2] ^= 0x5a;
  write_bytes(flipped);
  auto r = read_road_network(path_);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().detail.find("checksum"), std::string::npos);

  write_bytes(good.substr(0, good.size() - 9));
  EXPECT_FALSE(read_road_network(path_));

  write_bytes("not a graph at all, just some text that is long enough....");
  r = read_road_network(path_);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Code::kBadRequestData);

  std::string newer = good;
  newer[8] = 99;  // version
  write_bytes(newer);
  r = read_road_network(path_);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().detail.find("version"), std::string::npos);

  EXPECT_EQ(read_road_network((dir_ / "missing.graph").string()).error().code,
            Code::kNotFound);
}

// FNV-1a 64, as documented in docs/roads.md.
uint64_t fnv1a(std::string_view bytes) {
  uint64_t h = 14695981039346656037ull;
  for (char c : bytes) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  return h;
}

// A file with a correct checksum but an edge pointing outside the graph must
// be rejected by validation, not crash a later query.
TEST_F(GraphFileTest, ValidatesContentsBehindAGoodChecksum) {
  ASSERT_TRUE(write_road_network(network_, path_));
  std::string bytes = read_bytes();
  size_t n = network_.graph.node_count();
  size_t m = network_.graph.edge_count();
  size_t head_offset = 48 + 4 * (n + 1) + 4 * m;  // header, first_out, tail
  uint32_t bad_head = 1000000;
  std::memcpy(bytes.data() + head_offset, &bad_head, sizeof(bad_head));
  uint64_t sum = fnv1a(std::string_view(bytes).substr(0, bytes.size() - 8));
  std::memcpy(bytes.data() + bytes.size() - 8, &sum, sizeof(sum));
  write_bytes(bytes);
  auto r = read_road_network(path_);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Code::kBadRequestData);
  EXPECT_NE(r.error().detail.find("out of range"), std::string::npos)
      << r.error().detail;
}

TEST_F(GraphFileTest, ProviderAnswersFromALoadedNetwork) {
  ASSERT_TRUE(write_road_network(network_, path_));
  auto loaded = read_road_network(path_);
  ASSERT_TRUE(loaded);
  auto provider = make_road_distance_provider(
      std::make_shared<const RoadNetwork>(std::move(*loaded)));
  std::vector<LatLon> points = {testing::kP, testing::kQ};
  auto m = provider->matrix(points, points);
  ASSERT_TRUE(m);
  EXPECT_LT(m->duration(0, 1), m->duration(1, 0));  // one-way A -> B

  auto route = provider->route(testing::kQ, testing::kP);
  ASSERT_TRUE(route);
  EXPECT_NEAR(route->duration_s, m->duration(1, 0), 1e-9);

  std::vector<LatLon> bad = {testing::kP, {49.6, 7.76}};
  auto err = provider->matrix(points, bad);
  ASSERT_FALSE(err);
  EXPECT_NE(err.error().detail.find("target 1"), std::string::npos);
}

}  // namespace
}  // namespace cocity::roads
