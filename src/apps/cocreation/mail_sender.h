// Sends the co-creation outbox: every tenant's unsent mails (invitations,
// survey links, reminders) go to an SMTP server through a mail::Transport,
// and each is marked sent only after the server accepted it.
//
// Delivery is at least once: a mail is marked sent after the server's 250
// to the end of DATA, so neither a failure nor a restart loses one; only a
// crash between that reply and the mark (a few microseconds) sends it
// twice, and then with the same Message-ID, which lets receivers drop the
// copy. A mail marked sent is never sent again, also after a restart. While
// a sender runs, nobody else should drain the outbox (POST
// /api/v1/outbox/{id}/sent), or a mail may go out twice.
//
// Failures and backoff:
//   - The server is unreachable, refuses the login or answers 4xx
//     (kUnavailable from the transport): the pass stops and the whole
//     sender waits interval * 2^(n-1) (n consecutive failures, at most
//     max_backoff) before it tries again.
//   - The server refuses one mail for good (5xx), or the mail cannot be
//     rendered (a bad address): that mail waits the same backoff, counted
//     per mail, and the others go on.
// The backoff state is in memory: after a restart every unsent mail is
// tried at once.
//
// Thread-safe: run_once() passes are serialised; start()/stop() from one
// owner thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <utility>

#include "core/error.h"
#include "core/time.h"
#include "mail/message.h"
#include "mail/smtp_transport.h"
#include "store/cocreation_store.h"

namespace cocity::apps::cocreation {

struct MailSenderOptions {
  std::string from;  // "Stadt Musterstadt <noreply@musterstadt.de>"
  std::chrono::milliseconds interval{10000};  // between passes
  std::chrono::milliseconds max_backoff{3600000};
  size_t batch = 1000;  // mails read per tenant and pass
};

struct MailSenderStats {
  uint64_t sent = 0;    // accepted by the server since start
  uint64_t failed = 0;  // attempts that failed since start
};

class MailSender {
 public:
  // kInvalidRequest naming "smtp.from" or "smtp.interval_ms" for bad
  // options. `stores` and `clock` must outlive the sender.
  static Result<std::unique_ptr<MailSender>> create(
      store::CocreationStores* stores,
      std::unique_ptr<mail::Transport> transport, MailSenderOptions options,
      const Clock* clock = Clock::system());

  ~MailSender();  // stop()
  MailSender(const MailSender&) = delete;
  MailSender& operator=(const MailSender&) = delete;

  // Runs passes on a background thread, one every interval.
  void start();
  // Cancels a send in progress, ends the thread and waits for it. The mail
  // being sent stays unsent (unless the server already accepted it).
  void stop();

  // One pass over all tenants; returns how many mails were sent. Skips mails
  // whose backoff has not run out, and does nothing while the sender backs
  // off after a kUnavailable failure.
  size_t run_once();

  MailSenderStats stats() const;

 private:
  MailSender(store::CocreationStores* stores,
             std::unique_ptr<mail::Transport> transport,
             MailSenderOptions options, mail::Mailbox from, const Clock* clock);

  using MailKey = std::pair<std::string, int64_t>;  // tenant, mail id
  struct Retry {
    int attempts = 0;
    TimePoint next;
  };
  enum class Outcome { kSent, kNext, kStopPass };

  // Sends the due unsent mails of one tenant; false when the pass stops.
  bool drain_tenant(const std::string& tenant, size_t* sent);
  Outcome send_one(const std::string& tenant, store::CocreationStore& db,
                   const store::CcMail& mail);
  Status record_sent(const std::string& tenant, store::CocreationStore& db,
                     int64_t mail_id);
  std::string message_id(const std::string& tenant,
                         const store::CcMail& mail) const;
  std::chrono::microseconds backoff(int failures) const;
  void loop();

  store::CocreationStores* stores_;
  std::unique_ptr<mail::Transport> transport_;
  MailSenderOptions options_;
  mail::Mailbox from_;
  const Clock* clock_;

  std::mutex pass_mutex_;  // one pass at a time; guards the fields below
  std::map<MailKey, Retry> retries_;
  // Accepted by the server but not marked sent yet (the store failed): only
  // the mark is retried, never the send.
  std::set<MailKey> unrecorded_;
  int server_failures_ = 0;  // consecutive kUnavailable failures
  TimePoint paused_until_;

  std::atomic<uint64_t> sent_{0};
  std::atomic<uint64_t> failed_{0};

  std::atomic<bool> stopping_{false};
  std::mutex wait_mutex_;  // with wake_, for the wait between passes
  std::condition_variable wake_;
  std::thread thread_;
};

}  // namespace cocity::apps::cocreation
