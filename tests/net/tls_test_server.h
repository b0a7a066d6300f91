// Test support: a small HTTP/1.1 server on 127.0.0.1, plain or TLS, with a
// self-signed certificate that `openssl` (the command) makes at test time.
//
// Routes: /ok answers 200 "hello" (the request's X-Echo header, if any, is
// sent back as X-Echo); /big answers 2 MiB; /slow waits 3 s before
// answering; /ctx answers a tiny JSON-LD @context; POST /notify answers 204
// and records the body. Anything else: 404. Connections are kept alive.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace cocity::test {

// A self-signed certificate for "localhost" (and, with `with_ip`, for
// 127.0.0.1) in a temporary folder. ok() is false when openssl failed.
class TestCertificate {
 public:
  explicit TestCertificate(bool with_ip = false);
  ~TestCertificate();
  bool ok() const { return ok_; }
  const std::string& cert_file() const { return cert_; }
  const std::string& key_file() const { return key_; }

 private:
  std::string dir_;
  std::string cert_;
  std::string key_;
  bool ok_ = false;
};

class TestHttpServer {
 public:
  // `cert` null: plain HTTP. `port` 0 picks a free one.
  explicit TestHttpServer(const TestCertificate* cert, uint16_t port = 0);
  ~TestHttpServer();
  TestHttpServer(const TestHttpServer&) = delete;
  TestHttpServer& operator=(const TestHttpServer&) = delete;

  uint16_t port() const { return port_; }
  int connections() const { return connections_.load(); }
  int requests() const { return requests_.load(); }
  std::string last_sni() const;
  std::vector<std::string> bodies() const;  // POST /notify bodies

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  uint16_t port_ = 0;
  std::atomic<int> connections_{0};
  std::atomic<int> requests_{0};
  mutable std::mutex mu_;
  std::string sni_;
  std::vector<std::string> bodies_;
  friend struct Impl;
};

}  // namespace cocity::test
