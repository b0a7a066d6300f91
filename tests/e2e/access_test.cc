// API keys, roles and tenants against a real server (not in open mode).
#include "e2e_util.h"

namespace cocity::test {
namespace {

// Runs `cocity key ...` on the server's data directory; returns stdout.
std::string key_command(const ServerProcess& server, const std::string& args,
                        int* rc) {
  std::string cmd = cocity_binary() + " key " + args + " --data-dir " +
                    server.data_dir() + " 2>/dev/null";
  std::string out;
  int status = run_command(cmd, &out);
  if (rc) *rc = status;
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

Headers bearer(const std::string& key, const std::string& tenant = "") {
  Headers h = {{"authorization", "Bearer " + key},
               {"content-type", "application/json"}};
  if (!tenant.empty()) h.emplace_back("ngsild-tenant", tenant);
  return h;
}

TEST(AccessTest, KeysRolesTenantsAndRevocation) {
  ServerProcess server;
  ASSERT_TRUE(server.start());
  HttpClient client(server.port());
  int rc = 0;
  std::string writer =
      key_command(server, "create --tenant kl --role write", &rc);
  ASSERT_EQ(rc, 0);
  ASSERT_TRUE(writer.starts_with("ck_")) << writer;
  std::string reader =
      key_command(server, "create --tenant kl --role read", &rc);
  ASSERT_EQ(rc, 0);
  std::string body = R"({"id": "urn:ngsi-ld:Thing:1", "type": "Thing"})";

  auto r = client.request("POST", "/ngsi-ld/v1/entities", body, kJson);
  EXPECT_EQ(r.status, 401u);
  EXPECT_EQ(problem_type(r), "Unauthorized");
  r = client.request("POST", "/ngsi-ld/v1/entities", body,
                     bearer("ck_000000000000_bad", "kl"));
  EXPECT_EQ(r.status, 401u);
  r = client.request("POST", "/ngsi-ld/v1/entities", body,
                     bearer(reader, "kl"));
  EXPECT_EQ(r.status, 403u);
  EXPECT_EQ(problem_type(r), "Forbidden");
  r = client.request("POST", "/ngsi-ld/v1/entities", body,
                     bearer(writer, "other"));
  EXPECT_EQ(r.status, 403u);
  r = client.request("POST", "/ngsi-ld/v1/entities", body,
                     bearer(writer, "kl"));
  EXPECT_EQ(r.status, 201u) << r.body;
  r = client.get("/ngsi-ld/v1/entities/urn:ngsi-ld:Thing:1",
                 bearer(reader, "kl"));
  EXPECT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(client.get("/health").status, 200u);  // public

  std::string list = key_command(server, "list", &rc);
  EXPECT_EQ(rc, 0);
  EXPECT_EQ(list.find(writer.substr(16)), std::string::npos)
      << "secrets must not be listed";
  std::string key_id = reader.substr(3, 12);
  EXPECT_NE(list.find(key_id), std::string::npos);
  key_command(server, "revoke " + key_id, &rc);
  EXPECT_EQ(rc, 0);
  bool refused = false;
  for (int i = 0; i < 60 && !refused; ++i) {  // the cache holds keys for 2 s
    refused = client
                  .get("/ngsi-ld/v1/entities/urn:ngsi-ld:Thing:1",
                       bearer(reader, "kl"))
                  .status == 401u;
    if (!refused) usleep(100 * 1000);
  }
  EXPECT_TRUE(refused) << "a revoked key must stop working";
  key_command(server, "revoke 000000000000", &rc);
  EXPECT_NE(rc, 0);
}

TEST(AccessTest, SigtermFinishesAndExitsZero) {
  ServerProcess server;
  ASSERT_TRUE(server.start({"--open"}));
  HttpClient client(server.port());
  auto r = client.request("POST", "/ngsi-ld/v1/entities",
                          R"({"id": "urn:ngsi-ld:Thing:1", "type": "Thing"})",
                          kJson);
  ASSERT_EQ(r.status, 201u);
  server.kill(SIGTERM);
  EXPECT_EQ(server.wait_exit(), 0) << server.log_text();
  ASSERT_TRUE(server.start({"--open"}));
  HttpClient again(server.port());
  EXPECT_EQ(again.get("/ngsi-ld/v1/entities/urn:ngsi-ld:Thing:1").status, 200u);
}

}  // namespace
}  // namespace cocity::test
