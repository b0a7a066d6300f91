#include "server/static_files.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace cocity::server {
namespace {

namespace fs = std::filesystem;

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() /
            ("cocity-static-" + std::to_string(::getpid()));
    fs::create_directories(base_ / "web/assets");
    std::ofstream(base_ / "web/index.html") << "<h1>cocity</h1>";
    std::ofstream(base_ / "web/assets/app.js") << "let x = 1;";
    std::ofstream(base_ / "secret.txt") << "secret";
    fs::create_symlink(base_ / "secret.txt", base_ / "web/link.txt");
  }
  void TearDown() override { fs::remove_all(base_); }
  fs::path base_;
};

TEST_F(StaticFilesTest, ServesIndexAndFiles) {
  StaticFiles files((base_ / "web").string());
  auto r = files.serve("/");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200u);
  EXPECT_EQ(r->body, "<h1>cocity</h1>");
  EXPECT_EQ(r->content_type, "text/html; charset=utf-8");
  r = files.serve("/assets/app.js");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "let x = 1;");
  EXPECT_EQ(r->content_type, "text/javascript; charset=utf-8");
  EXPECT_FALSE(files.serve("/missing.css"));
}

TEST_F(StaticFilesTest, AppRoutesServeTheRootIndex) {
  StaticFiles files((base_ / "web").string());
  for (std::string_view path : {"/join", "/survey", "/live/ABC123",
                                "/processes/3/results", "/assets"}) {
    auto r = files.serve(path);
    ASSERT_TRUE(r) << path;
    EXPECT_EQ(r->body, "<h1>cocity</h1>") << path;
    EXPECT_EQ(r->content_type, "text/html; charset=utf-8");
  }
  // Not app routes: the API, NGSI-LD, names with an extension, traversal.
  EXPECT_FALSE(files.serve("/api/v1/nothing"));
  EXPECT_FALSE(files.serve("/api"));
  EXPECT_FALSE(files.serve("/ngsi-ld/v1/entities"));
  EXPECT_FALSE(files.serve("/assets/missing.js"));
  EXPECT_FALSE(files.serve("/favicon.ico"));
  EXPECT_FALSE(files.serve("/../outside"));
  EXPECT_FALSE(files.serve("live"));
}

TEST_F(StaticFilesTest, CacheControl) {
  StaticFiles files((base_ / "web").string());
  auto header = [](const HttpResponse& r) {
    for (const auto& [name, value] : r.headers) {
      if (name == "Cache-Control") return value;
    }
    return std::string();
  };
  auto r = files.serve("/assets/app.js");
  ASSERT_TRUE(r);
  EXPECT_EQ(header(*r), "public, max-age=31536000, immutable");
  r = files.serve("/");
  ASSERT_TRUE(r);
  EXPECT_EQ(header(*r), "no-cache");
  r = files.serve("/live/ABC123");
  ASSERT_TRUE(r);
  EXPECT_EQ(header(*r), "no-cache");
}

TEST_F(StaticFilesTest, NoTraversal) {
  StaticFiles files((base_ / "web").string());
  EXPECT_FALSE(files.serve("/../secret.txt"));
  EXPECT_FALSE(files.serve("/assets/../../secret.txt"));
  EXPECT_FALSE(files.serve("/..\\secret.txt"));
  EXPECT_FALSE(files.serve("/link.txt"));  // symlink leaving the folder
  EXPECT_FALSE(files.serve(std::string_view("/index.html\0x", 13)));
  EXPECT_FALSE(files.serve("relative"));
}

TEST(ContentTypeTest, ByExtension) {
  EXPECT_EQ(StaticFiles::content_type_for("a.css"), "text/css; charset=utf-8");
  EXPECT_EQ(StaticFiles::content_type_for("a.svg"), "image/svg+xml");
  EXPECT_EQ(StaticFiles::content_type_for("a.woff2"), "font/woff2");
  EXPECT_EQ(StaticFiles::content_type_for("a.json"), "application/json");
  EXPECT_EQ(StaticFiles::content_type_for("a.bin"), "application/octet-stream");
}

}  // namespace
}  // namespace cocity::server
