// Kill -9 in the middle of a write load: after a restart every acknowledged
// write is there and nothing is half-written.
#include <atomic>
#include <thread>

#include "e2e_util.h"

namespace cocity::test {
namespace {

constexpr int kWriters = 4;

struct Acked {
  std::vector<std::string> created;  // ids acknowledged with 201
  int64_t last_counter = -1;         // last acknowledged counter value
};

void write_load(uint16_t port, int w, std::atomic<bool>* stop, Acked* acked) {
  HttpClient client(port, std::chrono::seconds(3));
  std::string counter = "urn:ngsi-ld:Counter:" + std::to_string(w);
  for (int64_t n = 0; !stop->load(); ++n) {
    // A batch of two entities whose attributes must agree with each other.
    std::string base =
        "urn:ngsi-ld:Crash:" + std::to_string(w) + "-" + std::to_string(n);
    std::string body = "[";
    for (int k = 0; k < 2; ++k) {
      body += (k ? "," : "") + std::string(R"({"id": ")") + base + "-" +
              std::to_string(k) + R"(", "type": "Crash", "a": )" +
              std::to_string(n) + R"(, "b": )" + std::to_string(2 * n) + "}";
    }
    body += "]";
    auto r = client.request("POST", "/ngsi-ld/v1/entityOperations/create", body,
                            kJson);
    if (r.status != 201) break;  // the server is gone
    acked->created.push_back(base);
    // Two attributes updated in one request must move together.
    std::string upsert = R"([{"id": ")" + counter +
                         R"(", "type": "Counter", "x": )" + std::to_string(n) +
                         R"(, "y": )" + std::to_string(n) + "}]";
    r = client.request("POST", "/ngsi-ld/v1/entityOperations/upsert", upsert,
                       kJson);
    if (r.status != 201 && r.status != 204) break;
    acked->last_counter = n;
  }
}

TEST(CrashTest, KillNineLosesNoAcknowledgedWrite) {
  ServerProcess server;
  ASSERT_TRUE(server.start({"--open"}));
  std::atomic<bool> stop{false};
  std::vector<Acked> acked(kWriters);
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back(write_load, server.port(), w, &stop, &acked[w]);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  server.kill(SIGKILL);
  stop = true;
  for (auto& t : writers) t.join();
  EXPECT_EQ(server.wait_exit(), 128 + SIGKILL);

  ASSERT_TRUE(server.start({"--open"}));
  HttpClient client(server.port());
  size_t checked = 0;
  for (int w = 0; w < kWriters; ++w) {
    ASSERT_GT(acked[w].created.size(), 0u)
        << "writer " << w << " got no write through";
    for (size_t n = 0; n < acked[w].created.size(); ++n) {
      for (int k = 0; k < 2; ++k) {
        auto r = client.get("/ngsi-ld/v1/entities/" + acked[w].created[n] +
                            "-" + std::to_string(k) + "?options=keyValues");
        ASSERT_EQ(r.status, 200u)
            << "acknowledged entity lost: " << acked[w].created[n];
        auto v = parse_json(r.body);
        ASSERT_TRUE(v);
        EXPECT_EQ(v->at("b").as_int64(), 2 * v->at("a").as_int64());
        ++checked;
      }
    }
    auto r = client.get("/ngsi-ld/v1/entities/urn:ngsi-ld:Counter:" +
                        std::to_string(w) + "?options=keyValues");
    if (acked[w].last_counter >= 0) {
      ASSERT_EQ(r.status, 200u);
      auto v = parse_json(r.body);
      EXPECT_EQ(v->at("x").as_int64(), v->at("y").as_int64())
          << "half-written update";
      EXPECT_GE(v->at("x").as_int64(), acked[w].last_counter);
    }
  }
  // Everything the server holds of the load is whole, acknowledged or not.
  auto all = client.get(
      "/ngsi-ld/v1/"
      "entities?type=Crash&count=true&limit=1000&options=keyValues");
  ASSERT_EQ(all.status, 200u);
  auto stored = parse_json(all.body);
  ASSERT_TRUE(stored);
  for (const auto& e : stored->as_array()) {
    EXPECT_EQ(e.at("b").as_int64(), 2 * e.at("a").as_int64());
  }
  RecordProperty("acknowledged_entities_checked", static_cast<int>(checked));
  EXPECT_GT(checked, 20u);
}

}  // namespace
}  // namespace cocity::test
