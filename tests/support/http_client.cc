#include "support/http_client.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

extern char** environ;

namespace cocity::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool method_has_body(std::string_view method) {
  return method == "POST" || method == "PUT" || method == "PATCH";
}

std::string serialize(const Request& r) {
  std::string out;
  out.reserve(128 + r.body.size());
  out += r.method;
  out += ' ';
  out += r.target;
  out += " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  bool has_length = false;
  for (const auto& [name, value] : r.headers) {
    if (lower(name) == "content-length") has_length = true;
    out += name;
    out += ": ";
    out += value;
    out += "\r\n";
  }
  if (!has_length && (!r.body.empty() || method_has_body(r.method))) {
    out += "Content-Length: " + std::to_string(r.body.size()) + "\r\n";
  }
  out += "\r\n";
  out += r.body;
  return out;
}

Response error_response(std::string message) {
  Response r;
  r.error = std::move(message);
  return r;
}

}  // namespace

std::string_view Response::header(std::string_view lower_name) const {
  for (const auto& [name, value] : headers) {
    if (name == lower_name) return value;
  }
  return {};
}

bool Response::has_header(std::string_view lower_name) const {
  for (const auto& h : headers) {
    if (h.first == lower_name) return true;
  }
  return false;
}

class HttpClient::Impl {
 public:
  Impl(uint16_t port, std::chrono::milliseconds timeout)
      : port_(port), timeout_(timeout) {}

  bool connected() const { return stream_ != nullptr; }
  int connections_opened() const { return connections_; }
  void close() {
    if (stream_) {
      beast::error_code ec;
      stream_->socket().shutdown(tcp::socket::shutdown_both, ec);
      stream_->socket().close(ec);
    }
    stream_.reset();
    buffer_.clear();
  }

  // Writes `bytes` and reads `count` responses. `head` marks responses to
  // HEAD requests (no body). Retries once on a fresh connection when a reused
  // connection failed before any response arrived.
  std::vector<Response> exchange(const std::string& bytes,
                                 const std::vector<bool>& head) {
    bool reused = connected();
    std::vector<Response> out = exchange_once(bytes, head);
    if (reused && out.size() == 1 && out[0].status == 0) {
      close();
      out = exchange_once(bytes, head);
    }
    return out;
  }

 private:
  std::string connect() {
    stream_ = std::make_unique<beast::tcp_stream>(ioc_);
    stream_->expires_after(timeout_);
    beast::error_code result = asio::error::would_block;
    tcp::endpoint ep(asio::ip::make_address_v4("127.0.0.1"), port_);
    stream_->async_connect(ep, [&](beast::error_code ec) { result = ec; });
    run();
    if (result) {
      stream_.reset();
      return "connect: " + result.message();
    }
    stream_->socket().set_option(tcp::no_delay(true));
    ++connections_;
    return {};
  }

  void run() {
    ioc_.restart();
    ioc_.run();
  }

  std::vector<Response> exchange_once(const std::string& bytes,
                                      const std::vector<bool>& head) {
    std::vector<Response> out;
    if (!stream_) {
      std::string err = connect();
      if (!err.empty()) {
        out.push_back(error_response(err));
        return out;
      }
    }
    stream_->expires_after(timeout_);
    beast::error_code wec;
    asio::async_write(*stream_, asio::buffer(bytes),
                      [&](beast::error_code ec, size_t) { wec = ec; });
    run();
    if (wec) {
      close();
      out.push_back(error_response("write: " + wec.message()));
      return out;
    }
    for (bool is_head : head) {
      out.push_back(read_one(is_head));
      if (out.back().status == 0) break;
    }
    return out;
  }

  Response read_one(bool is_head) {
    Response r;
    http::response_parser<http::string_body> parser;
    parser.body_limit(boost::none);
    parser.header_limit(1 << 20);
    if (is_head) parser.skip(true);
    stream_->expires_after(timeout_);
    beast::error_code rec;
    http::async_read(*stream_, buffer_, parser,
                     [&](beast::error_code ec, size_t) { rec = ec; });
    run();
    if (rec) {
      close();
      r.error = "read: " + rec.message();
      return r;
    }
    auto& msg = parser.get();
    r.status = msg.result_int();
    for (const auto& field : msg) {
      r.headers.emplace_back(lower(field.name_string()),
                             std::string(field.value()));
    }
    r.body = std::move(msg.body());
    if (!msg.keep_alive()) close();
    return r;
  }

  asio::io_context ioc_;
  std::unique_ptr<beast::tcp_stream> stream_;
  beast::flat_buffer buffer_;
  uint16_t port_;
  std::chrono::milliseconds timeout_;
  int connections_ = 0;
};

HttpClient::HttpClient(uint16_t port, std::chrono::milliseconds timeout)
    : impl_(std::make_unique<Impl>(port, timeout)) {}
HttpClient::~HttpClient() = default;

Response HttpClient::request(std::string_view method, std::string_view target,
                             std::string_view body, const Headers& headers) {
  return request(Request{std::string(method), std::string(target),
                         std::string(body), headers});
}

Response HttpClient::request(const Request& request) {
  auto out = impl_->exchange(serialize(request), {request.method == "HEAD"});
  return std::move(out.front());
}

Response HttpClient::get(std::string_view target, const Headers& headers) {
  return request("GET", target, {}, headers);
}

std::vector<Response> HttpClient::pipeline(
    const std::vector<Request>& requests) {
  std::string bytes;
  std::vector<bool> head;
  for (const auto& r : requests) {
    bytes += serialize(r);
    head.push_back(r.method == "HEAD");
  }
  if (requests.empty()) return {};
  return impl_->exchange(bytes, head);
}

Response HttpClient::raw(std::string_view bytes) {
  auto out = impl_->exchange(std::string(bytes), {false});
  return std::move(out.front());
}

bool HttpClient::connected() const { return impl_->connected(); }
int HttpClient::connections_opened() const {
  return impl_->connections_opened();
}
void HttpClient::close() { impl_->close(); }

int run_command(const std::string& command, std::string* out) {
  out->clear();
  FILE* p = popen(command.c_str(), "r");
  if (p == nullptr) return -1;
  char buf[512];
  while (fgets(buf, sizeof buf, p) != nullptr) *out += buf;
  int status = pclose(p);
  return status != -1 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

uint16_t pick_free_port() {
  asio::io_context ioc;
  tcp::acceptor acceptor(ioc);
  beast::error_code ec;
  acceptor.open(tcp::v4(), ec);
  acceptor.bind(tcp::endpoint(asio::ip::make_address_v4("127.0.0.1"), 0), ec);
  if (ec) return 0;
  return acceptor.local_endpoint().port();
}

std::string cocity_binary() {
  const char* env = std::getenv("COCITY_BINARY");
  if (env != nullptr && *env != '\0') return env;
#ifdef COCITY_DEFAULT_BINARY
  return COCITY_DEFAULT_BINARY;
#else
  return {};
#endif
}

// --- ServerProcess ---------------------------------------------------------

namespace {

std::string make_temp_root() {
  std::string base = std::filesystem::temp_directory_path().string();
  std::string pattern = base + "/cocity-test-XXXXXX";
  std::vector<char> buf(pattern.begin(), pattern.end());
  buf.push_back('\0');
  if (mkdtemp(buf.data()) == nullptr) return {};
  return std::string(buf.data());
}

std::string tail(const std::string& text, size_t n) {
  return text.size() <= n ? text : text.substr(text.size() - n);
}

}  // namespace

ServerProcess::ServerProcess() {
  root_ = make_temp_root();
  if (!root_.empty()) {
    data_dir_ = root_ + "/data";
    std::filesystem::create_directories(data_dir_);
  }
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) {
    kill(SIGKILL);
    wait_exit(std::chrono::seconds(5));
  }
  if (!root_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(root_, ec);
  }
}

uint16_t ServerProcess::port() const { return port_; }
pid_t ServerProcess::pid() const { return pid_; }
const std::string& ServerProcess::data_dir() const { return data_dir_; }
std::string ServerProcess::log_path() const { return root_ + "/server.log"; }

std::string ServerProcess::log_text() const {
  std::ifstream in(log_path());
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool ServerProcess::running() {
  if (pid_ <= 0) return false;
  int status = 0;
  pid_t r = waitpid(pid_, &status, WNOHANG);
  if (r == 0) return true;
  if (r == pid_) {
    last_exit_ =
        WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  pid_ = -1;
  return false;
}

void ServerProcess::kill(int signal) {
  if (pid_ > 0) ::kill(pid_, signal);
}

int ServerProcess::wait_exit(std::chrono::milliseconds timeout) {
  if (pid_ <= 0) return -1;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (!running()) return last_exit_;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return -1;
}

Status ServerProcess::start(const std::vector<std::string>& args,
                            const std::vector<std::string>& env,
                            std::chrono::milliseconds timeout) {
  if (pid_ > 0) return fail(Code::kConflict, "server already running");
  std::string binary_path = cocity_binary();
  const char* binary = binary_path.c_str();
  if (binary_path.empty()) {
    return fail(Code::kInternal, "COCITY_BINARY is not set");
  }
  if (access(binary, X_OK) != 0) {
    return fail(Code::kInternal,
                std::string("COCITY_BINARY is not executable: ") + binary);
  }
  if (root_.empty()) return fail(Code::kInternal, "no temporary folder");
  port_ = pick_free_port();
  if (port_ == 0) return fail(Code::kInternal, "no free port");

  std::vector<std::string> argv_s = {binary,       "serve",
                                     "--bind",     "127.0.0.1",
                                     "--port",     std::to_string(port_),
                                     "--data-dir", data_dir_};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);

  std::vector<std::string> env_s;
  for (char** e = environ; *e != nullptr; ++e) env_s.emplace_back(*e);
  env_s.insert(env_s.end(), env.begin(), env.end());
  std::vector<char*> envp;
  for (auto& e : env_s) envp.push_back(e.data());
  envp.push_back(nullptr);

  int log_fd = open(log_path().c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  if (log_fd < 0) return fail(Code::kInternal, "cannot open " + log_path());
  pid_t pid = fork();
  if (pid < 0) {
    ::close(log_fd);
    return fail(Code::kInternal, "fork failed");
  }
  if (pid == 0) {
    dup2(log_fd, STDOUT_FILENO);
    dup2(log_fd, STDERR_FILENO);
    ::close(log_fd);
    execve(argv[0], argv.data(), envp.data());
    _exit(127);
  }
  ::close(log_fd);
  pid_ = pid;

  auto deadline = std::chrono::steady_clock::now() + timeout;
  HttpClient client(port_, std::chrono::milliseconds(1000));
  while (std::chrono::steady_clock::now() < deadline) {
    if (!running()) {
      return fail(Code::kUnavailable, "server exited with " +
                                          std::to_string(last_exit_) +
                                          " before answering /health; log:\n" +
                                          tail(log_text(), 2000));
    }
    Response r = client.get("/health");
    if (r.status == 200) return ok();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  kill(SIGKILL);
  wait_exit(std::chrono::seconds(5));
  return fail(
      Code::kUnavailable,
      "server did not answer /health in time; log:\n" + tail(log_text(), 2000));
}

}  // namespace cocity::test
