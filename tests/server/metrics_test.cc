#include "server/metrics.h"

#include <gtest/gtest.h>

#include <thread>

namespace cocity::server {
namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(MetricsTest, RendersCountersWithLabels) {
  Metrics m;
  m.count("cocity_x_total", "Things.", {{"kind", "a"}});
  m.count("cocity_x_total", "Things.", {{"kind", "a"}}, 2);
  m.count("cocity_x_total", "Things.", {{"kind", "b\"q\\"}});
  std::string t = m.render_text();
  EXPECT_TRUE(contains(t, "# HELP cocity_x_total Things.\n")) << t;
  EXPECT_TRUE(contains(t, "# TYPE cocity_x_total counter\n")) << t;
  EXPECT_TRUE(contains(t, "cocity_x_total{kind=\"a\"} 3\n")) << t;
  EXPECT_TRUE(contains(t, "cocity_x_total{kind=\"b\\\"q\\\\\"} 1\n")) << t;
}

TEST(MetricsTest, RendersHistogramCumulatively) {
  Metrics m;
  Histogram* h =
      m.histogram("cocity_latency_seconds", "Latency.", {{"route", "r"}});
  h->observe(0.00005);  // first bucket
  h->observe(0.003);    // le 0.005
  h->observe(20);       // +Inf only
  EXPECT_EQ(h->count(), 3u);
  std::string t = m.render_text();
  EXPECT_TRUE(contains(t, "# TYPE cocity_latency_seconds histogram\n"));
  EXPECT_TRUE(contains(
      t, "cocity_latency_seconds_bucket{route=\"r\",le=\"0.0001\"} 1\n"))
      << t;
  EXPECT_TRUE(contains(
      t, "cocity_latency_seconds_bucket{route=\"r\",le=\"0.0025\"} 1\n"))
      << t;
  EXPECT_TRUE(contains(
      t, "cocity_latency_seconds_bucket{route=\"r\",le=\"0.005\"} 2\n"))
      << t;
  EXPECT_TRUE(
      contains(t, "cocity_latency_seconds_bucket{route=\"r\",le=\"10\"} 2\n"))
      << t;
  EXPECT_TRUE(
      contains(t, "cocity_latency_seconds_bucket{route=\"r\",le=\"+Inf\"} 3\n"))
      << t;
  EXPECT_TRUE(contains(t, "cocity_latency_seconds_count{route=\"r\"} 3\n"))
      << t;
  EXPECT_TRUE(contains(t, "cocity_latency_seconds_sum{route=\"r\"} 20.00305"))
      << t;
}

TEST(MetricsTest, ObserveByNameUsesSameSeries) {
  Metrics m;
  Histogram* h = m.histogram("lat", "L.", {});
  m.observe("lat", "L.", {}, 0.5);
  EXPECT_EQ(h->count(), 1u);
  EXPECT_DOUBLE_EQ(h->sum(), 0.5);
}

TEST(MetricsTest, CallbacksReadAtRenderTime) {
  Metrics m;
  double depth = 5;
  m.add_callback("cocity_store_queue_depth", "Queued ops.", "gauge",
                 [&depth] { return depth; });
  m.add_callback("cocity_store_commits_total", "Commits.", "counter",
                 [] { return 42.0; });
  std::string t = m.render_text();
  EXPECT_TRUE(contains(
      t, "# TYPE cocity_store_queue_depth gauge\ncocity_store_queue_depth 5\n"))
      << t;
  EXPECT_TRUE(contains(t,
                       "# TYPE cocity_store_commits_total "
                       "counter\ncocity_store_commits_total 42\n"))
      << t;
  depth = 7;
  EXPECT_TRUE(contains(m.render_text(), "cocity_store_queue_depth 7\n"));
}

TEST(MetricsTest, FamiliesSortedByName) {
  Metrics m;
  m.count("b_total", "B.", {});
  m.count("a_total", "A.", {});
  std::string t = m.render_text();
  EXPECT_LT(t.find("a_total"), t.find("b_total"));
}

TEST(MetricsTest, TypeClashIsDetachedNotRendered) {
  Metrics m;
  m.count("x", "X.", {});
  Histogram* h = m.histogram("x", "X.", {});
  h->observe(1);
  std::string t = m.render_text();
  EXPECT_FALSE(contains(t, "x_bucket"));
  EXPECT_TRUE(contains(t, "x 1\n"));
}

TEST(MetricsTest, ConcurrentAddsAreCounted) {
  Metrics m;
  Counter* c = m.counter("c_total", "C.", {});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([c] {
      for (int i = 0; i < 10000; ++i) c->add();
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_DOUBLE_EQ(c->value(), 40000);
}

}  // namespace
}  // namespace cocity::server
