// Hands rendered messages (mail/message.h) to an SMTP server.
//
// Transport is the seam between whoever decides what to send (the
// co-creation outbox sender) and the network; tests use a fake. The real one
// speaks SMTP through libcurl: `smtp://host:port` upgrades to TLS with
// STARTTLS when the server offers it (or insists on it, see StartTls),
// `smtps://host:port` is TLS from the first byte; AUTH when a user is set.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "core/error.h"

namespace cocity::mail {

class Transport {
 public:
  virtual ~Transport() = default;

  // Sends one message (`data`, as render_message produced it) from the
  // envelope address `from` to `to` (bare addresses). Succeeds only once
  // the server answered 250 to the end of DATA, so a message reported sent
  // was accepted; a failure after that reply is impossible, a duplicate
  // only if the caller crashes between this return and recording it.
  // Errors: kUnavailable for trouble worth retrying soon with any message
  // (no connection, timeout, TLS, login refused, a 4xx reply, cancelled);
  // kBadRequestData when the server refused this message for good (a 5xx
  // reply to MAIL, RCPT or DATA).
  //
  // Not thread-safe except cancel().
  virtual Status send(std::string_view from, std::string_view to,
                      std::string_view data) = 0;

  // Aborts a send in progress and makes later sends fail (kUnavailable).
  // Callable from any thread.
  virtual void cancel() = 0;
};

enum class StartTls {
  kAuto,      // upgrade when the server offers STARTTLS, else plain
  kRequired,  // refuse to send over a connection without TLS
};

struct SmtpSettings {
  std::string url;  // "smtp://host:port" or "smtps://host:port"
  StartTls starttls = StartTls::kAuto;
  std::string user;      // empty: no AUTH
  std::string password;  // with user
  std::string ca_file;   // PEM bundle to trust instead of the system's
  std::chrono::milliseconds connect_timeout{10000};
  std::chrono::milliseconds timeout{60000};  // whole send
};

// Checks `url` (scheme smtp or smtps, a host) and returns a libcurl
// transport. kInvalidRequest naming the setting for a bad url. Connects
// lazily on the first send and keeps the connection for the next one.
Result<std::unique_ptr<Transport>> open_smtp_transport(
    const SmtpSettings& settings);

// Whether `url` is an SMTP url cocity can use ("smtp://" or "smtps://" and
// a host); the error names the rule broken.
Status check_smtp_url(std::string_view url);

}  // namespace cocity::mail
