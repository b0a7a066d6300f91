#include "ingest/mosquitto_process.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "support/http_client.h"

namespace cocity::test {

namespace {

std::string binary() {
  const char* env = std::getenv("COCITY_MOSQUITTO");
  return env != nullptr && *env != '\0' ? env : "/usr/sbin/mosquitto";
}

bool accepts(uint16_t port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  close(fd);
  return ok;
}

}  // namespace

MosquittoProcess::MosquittoProcess() {
  char tmpl[] = "/tmp/cocity-mosquitto-XXXXXX";
  if (mkdtemp(tmpl) != nullptr) dir_ = tmpl;
  // Started as root, mosquitto drops to its own user: let it write its log.
  if (!dir_.empty()) chmod(dir_.c_str(), 0777);
}

MosquittoProcess::~MosquittoProcess() {
  stop();
  if (!dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
}

bool MosquittoProcess::available() {
  return access(binary().c_str(), X_OK) == 0;
}

std::string MosquittoProcess::url() const {
  return "mqtt://127.0.0.1:" + std::to_string(port_);
}

std::string MosquittoProcess::log_text() const {
  std::ifstream in(dir_ + "/mosquitto.log");
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

Status MosquittoProcess::start() {
  if (dir_.empty()) return fail(Code::kInternal, "no temporary folder");
  port_ = pick_free_port();
  std::string conf = dir_ + "/mosquitto.conf";
  {
    std::ofstream out(conf);
    out << "listener " << port_ << " 127.0.0.1\n"
        << "allow_anonymous true\n"
        << "persistence false\n"
        << "max_inflight_messages 1000\n"
        << "max_queued_messages 1000000\n"
        << "log_dest file " << dir_ << "/mosquitto.log\n";
  }
  pid_ = fork();
  if (pid_ < 0) return fail(Code::kInternal, "fork failed");
  if (pid_ == 0) {
    std::string bin = binary();
    execl(bin.c_str(), bin.c_str(), "-c", conf.c_str(),
          static_cast<char*>(nullptr));
    _exit(127);
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (std::chrono::steady_clock::now() < deadline) {
    if (accepts(port_)) return ok();
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return fail(Code::kUnavailable, "mosquitto exited: " + log_text());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  stop();
  return fail(Code::kUnavailable, "mosquitto did not listen: " + log_text());
}

void MosquittoProcess::stop() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

}  // namespace cocity::test
