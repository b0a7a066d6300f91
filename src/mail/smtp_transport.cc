#include "mail/smtp_transport.h"

#include <curl/curl.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <mutex>

namespace cocity::mail {

namespace {

// The message being uploaded, read by libcurl in pieces.
struct Upload {
  std::string_view data;
  size_t offset = 0;
};

size_t read_upload(char* buffer, size_t size, size_t count, void* user) {
  auto* up = static_cast<Upload*>(user);
  size_t n = std::min(size * count, up->data.size() - up->offset);
  std::memcpy(buffer, up->data.data() + up->offset, n);
  up->offset += n;
  return n;
}

int check_cancelled(void* user, curl_off_t, curl_off_t, curl_off_t,
                    curl_off_t) {
  return static_cast<const std::atomic<bool>*>(user)->load() ? 1 : 0;
}

// Recipient list for one send; frees itself.
class RecipientList {
 public:
  explicit RecipientList(const std::string& to)
      : list_(curl_slist_append(nullptr, to.c_str())) {}
  ~RecipientList() { curl_slist_free_all(list_); }
  RecipientList(const RecipientList&) = delete;
  RecipientList& operator=(const RecipientList&) = delete;
  curl_slist* get() const { return list_; }

 private:
  curl_slist* list_;
};

class CurlTransport final : public Transport {
 public:
  CurlTransport(SmtpSettings settings, CURL* curl)
      : settings_(std::move(settings)), curl_(curl) {}
  ~CurlTransport() override { curl_easy_cleanup(curl_); }
  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;

  Status send(std::string_view from, std::string_view to,
              std::string_view data) override {
    if (cancelled_) return fail(Code::kUnavailable, "mail sending cancelled");
    std::string envelope_from = "<" + std::string(from) + ">";
    RecipientList rcpt("<" + std::string(to) + ">");
    Upload upload{data, 0};
    set_options(envelope_from, rcpt.get(), &upload);
    error_[0] = '\0';
    CURLcode code = curl_easy_perform(curl_);
    if (code == CURLE_OK) return ok();
    return classify(code, to);
  }

  void cancel() override { cancelled_ = true; }

 private:
  void set_options(const std::string& from, curl_slist* rcpt, Upload* up) {
    curl_easy_setopt(curl_, CURLOPT_URL, settings_.url.c_str());
    curl_easy_setopt(curl_, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl_, CURLOPT_USE_SSL,
                     settings_.starttls == StartTls::kRequired
                         ? static_cast<long>(CURLUSESSL_ALL)
                         : static_cast<long>(CURLUSESSL_TRY));
    if (!settings_.user.empty()) {
      curl_easy_setopt(curl_, CURLOPT_USERNAME, settings_.user.c_str());
      curl_easy_setopt(curl_, CURLOPT_PASSWORD, settings_.password.c_str());
    }
    if (!settings_.ca_file.empty()) {
      curl_easy_setopt(curl_, CURLOPT_CAINFO, settings_.ca_file.c_str());
    }
    curl_easy_setopt(curl_, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(settings_.connect_timeout.count()));
    curl_easy_setopt(curl_, CURLOPT_TIMEOUT_MS,
                     static_cast<long>(settings_.timeout.count()));
    curl_easy_setopt(curl_, CURLOPT_MAIL_FROM, from.c_str());
    curl_easy_setopt(curl_, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(curl_, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl_, CURLOPT_READFUNCTION, read_upload);
    curl_easy_setopt(curl_, CURLOPT_READDATA, up);
    curl_easy_setopt(curl_, CURLOPT_INFILESIZE_LARGE,
                     static_cast<curl_off_t>(up->data.size()));
    curl_easy_setopt(curl_, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl_, CURLOPT_XFERINFOFUNCTION, check_cancelled);
    curl_easy_setopt(curl_, CURLOPT_XFERINFODATA, &cancelled_);
    curl_easy_setopt(curl_, CURLOPT_ERRORBUFFER, error_);
  }

  Status classify(CURLcode code, std::string_view to) {
    long reply = 0;
    curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &reply);
    std::string why = error_[0] != '\0' ? error_ : curl_easy_strerror(code);
    std::string detail =
        "SMTP " + settings_.url + ", mail to " + std::string(to) + ": " + why;
    if (reply >= 500 && reply < 600 && code != CURLE_LOGIN_DENIED &&
        code != CURLE_USE_SSL_FAILED) {
      return fail(Code::kBadRequestData, detail);
    }
    return fail(Code::kUnavailable, detail);
  }

  SmtpSettings settings_;
  CURL* curl_;
  std::atomic<bool> cancelled_{false};
  char error_[CURL_ERROR_SIZE] = {};
};

}  // namespace

Status check_smtp_url(std::string_view url) {
  std::string_view rest;
  if (url.starts_with("smtp://")) {
    rest = url.substr(7);
  } else if (url.starts_with("smtps://")) {
    rest = url.substr(8);
  } else {
    return fail(Code::kInvalidRequest,
                "smtp.url: '" + std::string(url) +
                    "' must start with smtp:// or smtps://");
  }
  if (rest.empty() || rest.front() == ':' || rest.front() == '/') {
    return fail(Code::kInvalidRequest,
                "smtp.url: '" + std::string(url) + "' names no host");
  }
  return ok();
}

Result<std::unique_ptr<Transport>> open_smtp_transport(
    const SmtpSettings& settings) {
  if (auto s = check_smtp_url(settings.url); !s) {
    return std::unexpected(s.error());
  }
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  CURL* curl = curl_easy_init();
  if (curl == nullptr) {
    return fail(Code::kInternal, "libcurl: cannot create a handle");
  }
  return std::make_unique<CurlTransport>(settings, curl);
}

}  // namespace cocity::mail
