// Test and benchmark support: a private mosquitto broker on a free
// loopback port, in its own temporary folder (configuration and log).
//
// The binary is $COCITY_MOSQUITTO, else /usr/sbin/mosquitto (Debian's
// mosquitto package, installed by scripts/install-deps.sh). Its settings
// are those scripts/mosquitto.sh uses: anonymous access on 127.0.0.1 only,
// no persistence, max_inflight_messages 1000, large queues.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>

#include "core/error.h"

namespace cocity::test {

class MosquittoProcess {
 public:
  MosquittoProcess();
  ~MosquittoProcess();  // SIGTERM, wait, remove the folder
  MosquittoProcess(const MosquittoProcess&) = delete;
  MosquittoProcess& operator=(const MosquittoProcess&) = delete;

  // Whether a mosquitto binary exists (tests skip otherwise).
  static bool available();

  // Starts the broker and waits until it accepts connections (5 s).
  Status start();
  void stop();
  uint16_t port() const { return port_; }
  std::string url() const;  // "mqtt://127.0.0.1:<port>"
  std::string log_text() const;

 private:
  std::string dir_;
  pid_t pid_ = -1;
  uint16_t port_ = 0;
};

}  // namespace cocity::test
