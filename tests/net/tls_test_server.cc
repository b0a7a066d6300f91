#include "net/tls_test_server.h"

#include <openssl/ssl.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <cstdlib>
#include <filesystem>
#include <functional>

namespace cocity::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

TestCertificate::TestCertificate(bool with_ip) {
  char tmpl[] = "/tmp/cocity-tls-XXXXXX";
  if (mkdtemp(tmpl) == nullptr) return;
  dir_ = tmpl;
  cert_ = dir_ + "/cert.pem";
  key_ = dir_ + "/key.pem";
  std::string san = with_ip ? "DNS:localhost,IP:127.0.0.1" : "DNS:localhost";
  std::string cmd =
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 "
      "-nodes -days 2 -subj /CN=localhost -addext subjectAltName=" +
      san + " -keyout " + key_ + " -out " + cert_ + " >/dev/null 2>&1";
  ok_ = std::system(cmd.c_str()) == 0 && std::filesystem::exists(cert_);
}

TestCertificate::~TestCertificate() {
  std::error_code ec;
  if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
}

namespace {

http::response<http::string_body> answer(
    const http::request<http::string_body>& req) {
  http::response<http::string_body> res{http::status::ok, req.version()};
  res.keep_alive(req.keep_alive());
  std::string target(req.target());
  if (target == "/ok") {
    res.body() = "hello";
    if (auto it = req.find("X-Echo"); it != req.end()) {
      res.set("X-Echo", it->value());
    }
  } else if (target == "/big") {
    res.body().assign(size_t{2} << 20, 'x');
  } else if (target == "/ctx") {
    res.set(http::field::content_type, "application/ld+json");
    res.body() = R"({"@context": {"temp": "https://tls.example/t"}})";
  } else if (target == "/notify" && req.method() == http::verb::post) {
    res.result(http::status::no_content);
  } else {
    res.result(http::status::not_found);
  }
  res.prepare_payload();
  return res;
}

}  // namespace

struct TestHttpServer::Impl {
  TestHttpServer* owner;
  asio::io_context ioc;
  tcp::acceptor acceptor{ioc};
  std::optional<ssl::context> tls;
  std::thread thread;

  template <typename Stream>
  struct Session : std::enable_shared_from_this<Session<Stream>> {
    Impl* impl;
    Stream stream;
    beast::flat_buffer buffer;
    http::request<http::string_body> req;
    http::response<http::string_body> res;
    asio::steady_timer timer;

    template <typename... Args>
    Session(Impl* i, Args&&... args)
        : impl(i), stream(std::forward<Args>(args)...), timer(i->ioc) {}

    void read() {
      req = {};
      http::async_read(
          stream, buffer, req,
          [self = this->shared_from_this()](beast::error_code ec, size_t) {
            self->on_read(ec);
          });
    }

    void on_read(beast::error_code ec) {
      if (ec) return;
      impl->owner->requests_.fetch_add(1);
      if (req.target() == "/notify") {
        std::lock_guard lock(impl->owner->mu_);
        impl->owner->bodies_.push_back(req.body());
      }
      res = answer(req);
      if (req.target() == "/slow") {
        timer.expires_after(std::chrono::seconds(3));
        timer.async_wait([self = this->shared_from_this()](beast::error_code) {
          self->write();
        });
        return;
      }
      write();
    }

    void write() {
      http::async_write(
          stream, res,
          [self = this->shared_from_this()](beast::error_code ec, size_t) {
            if (!ec && self->res.keep_alive()) self->read();
          });
    }
  };

  void accept() {
    acceptor.async_accept([this](beast::error_code ec, tcp::socket socket) {
      if (ec) return;
      owner->connections_.fetch_add(1);
      if (tls) {
        auto s = std::make_shared<Session<beast::ssl_stream<tcp::socket>>>(
            this, std::move(socket), *tls);
        s->stream.async_handshake(ssl::stream_base::server,
                                  [this, s](beast::error_code e) {
                                    if (e) return;
                                    record_sni(s->stream.native_handle());
                                    s->read();
                                  });
      } else {
        std::make_shared<Session<tcp::socket>>(this, std::move(socket))->read();
      }
      accept();
    });
  }

  void record_sni(SSL* ssl) {
    const char* name = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
    std::lock_guard lock(owner->mu_);
    owner->sni_ = name != nullptr ? name : "";
  }
};

TestHttpServer::TestHttpServer(const TestCertificate* cert, uint16_t port)
    : impl_(std::make_unique<Impl>()) {
  impl_->owner = this;
  if (cert != nullptr) {
    impl_->tls.emplace(ssl::context::tls_server);
    impl_->tls->use_certificate_chain_file(cert->cert_file());
    impl_->tls->use_private_key_file(cert->key_file(), ssl::context::pem);
  }
  tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), port);
  impl_->acceptor.open(ep.protocol());
  impl_->acceptor.set_option(tcp::acceptor::reuse_address(true));
  impl_->acceptor.bind(ep);
  impl_->acceptor.listen();
  port_ = impl_->acceptor.local_endpoint().port();
  impl_->accept();
  impl_->thread = std::thread([this] { impl_->ioc.run(); });
}

TestHttpServer::~TestHttpServer() {
  impl_->ioc.stop();
  impl_->thread.join();
}

std::string TestHttpServer::last_sni() const {
  std::lock_guard lock(mu_);
  return sni_;
}

std::vector<std::string> TestHttpServer::bodies() const {
  std::lock_guard lock(mu_);
  return bodies_;
}

}  // namespace cocity::test
