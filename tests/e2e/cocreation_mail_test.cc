// SMTP delivery end to end: a real `cocity serve` with [smtp] set through
// COCITY_SMTP_* sends the co-creation outbox to a real SMTP server on
// loopback (Debian's python3-aiosmtpd, writing a Maildir), which the test
// starts and stops. Skips when /usr/bin/python3 has no aiosmtpd.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "e2e_util.h"
#include "mail/mime_decode.h"

namespace cocity::test {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

constexpr const char* kPython = "/usr/bin/python3";

bool have_aiosmtpd() {
  std::string cmd =
      std::string(kPython) + " -c 'import aiosmtpd' > /dev/null 2>&1";
  return std::system(cmd.c_str()) == 0;
}

// `python3 -m aiosmtpd` on 127.0.0.1:port, storing mails in a Maildir.
class SmtpServer {
 public:
  explicit SmtpServer(fs::path maildir) : maildir_(std::move(maildir)) {}
  ~SmtpServer() { stop(); }

  // `tls`: extra options, e.g. {"--tlscert", C, "--tlskey", K} for a
  // server that insists on STARTTLS.
  bool start(uint16_t port, const std::vector<std::string>& tls = {}) {
    std::vector<std::string> args = {
        kPython, "-m", "aiosmtpd",
        "-n",    "-l", "127.0.0.1:" + std::to_string(port)};
    args.insert(args.end(), tls.begin(), tls.end());
    for (const char* a : {"-c", "aiosmtpd.handlers.Mailbox"}) args.push_back(a);
    args.push_back(maildir_.string());
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_ = ::fork();
    if (pid_ == 0) {
      ::prctl(PR_SET_PDEATHSIG, SIGTERM);  // never outlive a crashed test
      int null = ::open("/dev/null", O_WRONLY);
      ::dup2(null, 1);
      ::dup2(null, 2);
      ::execv(kPython, argv.data());
      ::_exit(127);
    }
    return pid_ > 0 && wait_listening(port);
  }

  void stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
  }

  // The raw messages received so far.
  std::vector<std::string> mails() const {
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(maildir_ / "new", ec)) {
      std::ifstream in(e.path(), std::ios::binary);
      std::stringstream ss;
      ss << in.rdbuf();
      out.push_back(ss.str());
    }
    return out;
  }

  // Waits until at least `n` mails arrived; returns them.
  std::vector<std::string> wait_for(size_t n, std::chrono::seconds timeout) {
    auto end = std::chrono::steady_clock::now() + timeout;
    while (mails().size() < n && std::chrono::steady_clock::now() < end) {
      std::this_thread::sleep_for(50ms);
    }
    return mails();
  }

 private:
  static bool accepts(uint16_t port) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bool ok =
        ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    ::close(fd);
    return ok;
  }

  bool wait_listening(uint16_t port) {
    for (int i = 0; i < 200; ++i) {
      if (accepts(port)) return true;
      std::this_thread::sleep_for(50ms);
    }
    return false;
  }

  fs::path maildir_;
  pid_t pid_ = -1;
};

struct Login {
  std::string cookie;
  std::string csrf;
};

class CocreationMailTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!have_aiosmtpd()) GTEST_SKIP() << "python3-aiosmtpd is not installed";
    root_ = fs::temp_directory_path() /
            ("cocreation_mail_" + std::to_string(::getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_);
    smtp_port_ = pick_free_port();
    smtp_ = std::make_unique<SmtpServer>(root_ / "maildir");
  }
  void TearDown() override {
    client_.reset();
    server_.reset();
    smtp_.reset();
    fs::remove_all(root_);
  }

  void start_cocity(const std::vector<std::string>& extra_env = {}) {
    if (!server_) server_ = std::make_unique<ServerProcess>();
    std::vector<std::string> env = {
        "COCITY_SMTP_URL=smtp://127.0.0.1:" + std::to_string(smtp_port_),
        "COCITY_SMTP_FROM=Stadt Müllheim <beteiligung@muellheim.de>",
        "COCITY_SMTP_INTERVAL_MS=100"};
    env.insert(env.end(), extra_env.begin(), extra_env.end());
    auto s = server_->start({"--open"}, env);
    ASSERT_TRUE(s) << s.error().detail;
    client_ = std::make_unique<HttpClient>(server_->port());
  }

  Response call(std::string_view method, std::string_view target,
                std::string_view body = {}) {
    return client_->request(method, target, body,
                            {{"content-type", "application/json"},
                             {"cookie", admin_.cookie},
                             {"x-csrf-token", admin_.csrf}});
  }

  json::value call_json(std::string_view method, std::string_view target,
                        std::string_view body, unsigned expected) {
    auto r = call(method, target, body);
    EXPECT_EQ(r.status, expected) << method << " " << target << ": " << r.body;
    auto v = parse_json(r.body);
    return v ? *v : json::value();
  }

  void login_admin() {
    auto r = client_->request("POST", "/api/v1/cocreation/bootstrap",
                              R"({"email": "admin@town.de", "name": "Admin",
            "password": "a long enough password"})",
                              kJson);
    if (r.status != 409) {
      ASSERT_EQ(r.status, 201u) << r.body;
    }
    r = client_->request("POST", "/api/v1/auth/login",
                         R"({"email": "admin@town.de",
                             "password": "a long enough password"})",
                         kJson);
    ASSERT_EQ(r.status, 200u) << r.body;
    std::string cookie(r.header("set-cookie"));
    admin_.cookie = cookie.substr(0, cookie.find(';'));
    admin_.csrf = std::string(parse_json(r.body)->at("csrf_token").as_string());
  }

  // A survey ("Umfrage Frühjahr") with `emails` invited; returns its id.
  int64_t invite(const std::vector<std::string>& emails) {
    auto p = call_json("POST", "/api/v1/processes",
                       R"({"title": "Bürgerdialog", "status": "active"})", 201);
    auto s = call_json("POST",
                       "/api/v1/processes/" +
                           std::to_string(p.at("id").as_int64()) + "/surveys",
                       R"({"title": "Umfrage Frühjahr", "questions": [
            {"id": "agree", "type": "likert", "text": "Digital matters"}]})",
                       201);
    int64_t survey = s.at("id").as_int64();
    std::string base = "/api/v1/surveys/" + std::to_string(survey);
    call_json("PATCH", base, R"({"status": "open"})", 200);
    std::string csv = "email;name\n";
    for (const auto& e : emails) csv += e + ";Frau Müller\n";
    call_json("POST", base + "/invitations", csv, 201);
    return survey;
  }

  // How many outbox mails are unsent, and how many sent.
  std::pair<size_t, size_t> outbox() {
    auto mails = call_json("GET", "/api/v1/outbox", "", 200);
    size_t unsent = 0, sent = 0;
    for (const auto& m : mails.as_array()) {
      (m.at("sent_at").is_null() ? unsent : sent)++;
    }
    return {unsent, sent};
  }

  // A counter from GET /metrics, -1 when absent.
  double metric(std::string_view name) {
    auto r = client_->get("/metrics");
    std::string line = "\n" + std::string(name) + " ";
    size_t at = r.body.find(line);
    if (at == std::string::npos) return -1;
    return std::stod(r.body.substr(at + line.size()));
  }

  fs::path root_;
  uint16_t smtp_port_ = 0;
  std::unique_ptr<SmtpServer> smtp_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<HttpClient> client_;
  Login admin_;
};

TEST_F(CocreationMailTest, DeliversThreeInvitationsWithWorkingLinks) {
  ASSERT_TRUE(smtp_->start(smtp_port_));
  ASSERT_NO_FATAL_FAILURE(start_cocity());
  ASSERT_NO_FATAL_FAILURE(login_admin());
  const std::set<std::string> to = {"a@x.de", "b@x.de", "c@x.de"};
  invite({to.begin(), to.end()});

  auto mails = smtp_->wait_for(3, 20s);
  ASSERT_EQ(mails.size(), 3u);
  std::set<std::string> received;
  for (const auto& raw : mails) {
    auto m = parse_mail(raw);
    received.insert(m.headers["to"]);
    EXPECT_EQ(m.headers["x-rcptto"], m.headers["to"]);
    EXPECT_EQ(decode_header(m.headers["from"]),
              "Stadt Müllheim <beteiligung@muellheim.de>");
    EXPECT_EQ(decode_header(m.headers["subject"]),
              "Umfrage / Survey: Umfrage Frühjahr");
    EXPECT_TRUE(m.headers["message-id"].ends_with("@muellheim.de>"));
    EXPECT_FALSE(m.headers["date"].empty());
    EXPECT_EQ(m.headers["content-type"], "text/plain; charset=UTF-8");
    std::string body = decode_quoted_printable(m.body);
    EXPECT_NE(body.find("Ihr persönlicher Link"), std::string::npos) << body;
    const std::string prefix = "http://127.0.0.1/survey#token=";
    size_t at = body.find(prefix);
    ASSERT_NE(at, std::string::npos) << body;
    std::string token = body.substr(at + prefix.size(), 64);
    // The link in the mail opens that recipient's survey.
    auto opened = client_->request("GET", "/api/v1/respond", "",
                                   {{"x-invitation-token", token}});
    EXPECT_EQ(opened.status, 200u) << opened.body;
  }
  EXPECT_EQ(received, to);
  // The outbox shows them sent (marked right after the server's 250).
  auto deadline = std::chrono::steady_clock::now() + 5s;
  while (outbox().second < 3 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(50ms);
  }
  EXPECT_EQ(outbox(), std::make_pair(size_t{0}, size_t{3}));
  EXPECT_EQ(metric("cocity_mail_sent_total"), 3);
  EXPECT_EQ(metric("cocity_mail_failed_total"), 0);
}

TEST_F(CocreationMailTest, RetriesWhileTheServerIsDownAndNeverResends) {
  // The SMTP server is not running yet.
  ASSERT_NO_FATAL_FAILURE(start_cocity());
  ASSERT_NO_FATAL_FAILURE(login_admin());
  invite({"a@x.de", "b@x.de", "c@x.de"});
  auto deadline = std::chrono::steady_clock::now() + 10s;
  while (metric("cocity_mail_failed_total") < 2 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(50ms);
  }
  EXPECT_GE(metric("cocity_mail_failed_total"), 2);  // tried and retried
  EXPECT_EQ(outbox(), std::make_pair(size_t{3}, size_t{0}));  // none lost

  ASSERT_TRUE(smtp_->start(smtp_port_));
  EXPECT_EQ(smtp_->wait_for(3, 20s).size(), 3u);
  deadline = std::chrono::steady_clock::now() + 5s;
  while (outbox().second < 3 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(50ms);
  }
  EXPECT_EQ(outbox(), std::make_pair(size_t{0}, size_t{3}));

  // A restart sends nothing again; a new mail still goes out, once.
  server_->kill(SIGTERM);
  EXPECT_EQ(server_->wait_exit(), 0);
  ASSERT_NO_FATAL_FAILURE(start_cocity());
  ASSERT_NO_FATAL_FAILURE(login_admin());
  invite({"d@x.de"});
  auto mails = smtp_->wait_for(4, 20s);
  std::this_thread::sleep_for(500ms);  // five more passes
  mails = smtp_->mails();
  std::multiset<std::string> to;
  for (const auto& raw : mails) to.insert(parse_mail(raw).headers["to"]);
  EXPECT_EQ(
      to, (std::multiset<std::string>{"a@x.de", "b@x.de", "c@x.de", "d@x.de"}));
  EXPECT_EQ(metric("cocity_mail_sent_total"), 1);
}

// A self-signed certificate for 127.0.0.1: {cert, key}.
std::pair<std::string, std::string> make_certificate(const fs::path& dir) {
  std::string cert = (dir / "cert.pem").string();
  std::string key = (dir / "key.pem").string();
  std::string cmd =
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 "
      "-nodes -days 2 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1"
      " -keyout " +
      key + " -out " + cert + " > /dev/null 2>&1";
  EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd;
  return {cert, key};
}

TEST_F(CocreationMailTest, StartTlsRequiredSendsOnlyOverTls) {
  // A server without TLS: nothing goes out in plain text.
  ASSERT_TRUE(smtp_->start(smtp_port_));
  auto [cert, key] = make_certificate(root_);
  ASSERT_NO_FATAL_FAILURE(start_cocity(
      {"COCITY_SMTP_STARTTLS=required", "COCITY_SMTP_CA_FILE=" + cert}));
  ASSERT_NO_FATAL_FAILURE(login_admin());
  invite({"a@x.de"});
  auto deadline = std::chrono::steady_clock::now() + 10s;
  while (metric("cocity_mail_failed_total") < 1 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(50ms);
  }
  EXPECT_GE(metric("cocity_mail_failed_total"), 1);
  EXPECT_TRUE(smtp_->mails().empty());
  EXPECT_EQ(outbox(), std::make_pair(size_t{1}, size_t{0}));

  // The same port now insists on STARTTLS with a certificate we trust.
  smtp_->stop();
  ASSERT_TRUE(smtp_->start(smtp_port_, {"--tlscert", cert, "--tlskey", key}));
  auto mails = smtp_->wait_for(1, 20s);
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(parse_mail(mails[0]).headers["to"], "a@x.de");
}

}  // namespace
}  // namespace cocity::test
