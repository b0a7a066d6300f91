#include "apps/cocreation/mail_sender.h"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace cocity::apps::cocreation {

Result<std::unique_ptr<MailSender>> MailSender::create(
    store::CocreationStores* stores, std::unique_ptr<mail::Transport> transport,
    MailSenderOptions options, const Clock* clock) {
  auto from = mail::parse_mailbox(options.from);
  if (!from) {
    return fail(Code::kInvalidRequest, "smtp.from: " + from.error().detail);
  }
  if (options.interval.count() <= 0) {
    return fail(Code::kInvalidRequest, "smtp.interval_ms: must be positive");
  }
  options.max_backoff = std::max(options.max_backoff, options.interval);
  return std::unique_ptr<MailSender>(new MailSender(
      stores, std::move(transport), std::move(options), *from, clock));
}

MailSender::MailSender(store::CocreationStores* stores,
                       std::unique_ptr<mail::Transport> transport,
                       MailSenderOptions options, mail::Mailbox from,
                       const Clock* clock)
    : stores_(stores),
      transport_(std::move(transport)),
      options_(std::move(options)),
      from_(std::move(from)),
      clock_(clock) {}

MailSender::~MailSender() { stop(); }

void MailSender::start() {
  if (thread_.joinable()) return;
  thread_ = std::thread([this] { loop(); });
}

void MailSender::stop() {
  {
    std::lock_guard lock(wait_mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  transport_->cancel();
  if (thread_.joinable()) thread_.join();
}

void MailSender::loop() {
  while (!stopping_) {
    run_once();
    std::unique_lock lock(wait_mutex_);
    wake_.wait_for(lock, options_.interval,
                   [this] { return stopping_.load(); });
  }
}

MailSenderStats MailSender::stats() const { return {sent_, failed_}; }

size_t MailSender::run_once() {
  std::lock_guard lock(pass_mutex_);
  if (clock_->now() < paused_until_) return 0;
  auto tenants = stores_->list_tenants();
  if (!tenants) {
    spdlog::warn("mail: cannot list tenants: {}", tenants.error().detail);
    return 0;
  }
  size_t sent = 0;
  for (const std::string& tenant : *tenants) {
    if (stopping_ || !drain_tenant(tenant, &sent)) break;
  }
  return sent;
}

bool MailSender::drain_tenant(const std::string& tenant, size_t* sent) {
  auto db = stores_->tenant(tenant, false);
  if (!db) {
    spdlog::warn("mail: tenant '{}': {}", tenant, db.error().detail);
    return true;
  }
  auto mails = (*db)->list_outbox(options_.batch);
  if (!mails) {
    spdlog::warn("mail: tenant '{}': {}", tenant, mails.error().detail);
    return true;
  }
  for (const store::CcMail& mail : *mails) {
    if (mail.sent_at || stopping_) break;  // unsent mails come first
    auto retry = retries_.find({tenant, mail.id});
    if (retry != retries_.end() && clock_->now() < retry->second.next) {
      continue;
    }
    Outcome outcome = send_one(tenant, **db, mail);
    if (outcome == Outcome::kStopPass) return false;
    if (outcome == Outcome::kSent) ++*sent;
  }
  return true;
}

MailSender::Outcome MailSender::send_one(const std::string& tenant,
                                         store::CocreationStore& db,
                                         const store::CcMail& mail) {
  MailKey key{tenant, mail.id};
  if (unrecorded_.contains(key)) {
    return record_sent(tenant, db, mail.id) ? Outcome::kNext
                                            : Outcome::kStopPass;
  }
  mail::Message message{from_,     mail.to,         mail.subject,
                        mail.body, mail.created_at, message_id(tenant, mail)};
  auto data = mail::render_message(message);
  Status s = data ? transport_->send(from_.address, mail.to, *data)
                  : Status(std::unexpected(data.error()));
  if (!s) {
    ++failed_;
    bool server_trouble = s.error().code == Code::kUnavailable;
    int n = 0;
    if (server_trouble) {
      n = ++server_failures_;
      paused_until_ = clock_->now() + backoff(n);
    } else {
      Retry& retry = retries_[key];
      n = ++retry.attempts;
      retry.next = clock_->now() + backoff(n);
    }
    spdlog::warn(
        "mail: tenant '{}', mail {}: {} (attempt {}, next in {} s)", tenant,
        mail.id, s.error().detail, n,
        std::chrono::duration_cast<std::chrono::seconds>(backoff(n)).count());
    return server_trouble ? Outcome::kStopPass : Outcome::kNext;
  }
  ++sent_;
  server_failures_ = 0;
  retries_.erase(key);
  unrecorded_.insert(key);
  return record_sent(tenant, db, mail.id) ? Outcome::kSent : Outcome::kStopPass;
}

// Marks a mail the server accepted; on failure it stays in unrecorded_ so
// that the next pass retries the mark, not the send.
Status MailSender::record_sent(const std::string& tenant,
                               store::CocreationStore& db, int64_t mail_id) {
  Status s = db.mark_sent(mail_id, clock_->now());
  if (s || s.error().code == Code::kNotFound) {
    unrecorded_.erase({tenant, mail_id});
    return ok();
  }
  spdlog::error("mail: tenant '{}', mail {} was sent but cannot be marked: {}",
                tenant, mail_id, s.error().detail);
  return s;
}

// Stable across restarts, so a mail sent twice carries the same id.
std::string MailSender::message_id(const std::string& tenant,
                                   const store::CcMail& mail) const {
  std::string domain = from_.address.substr(from_.address.find('@') + 1);
  return "cocity." + (tenant.empty() ? std::string("default") : tenant) + "." +
         std::to_string(mail.id) + "." +
         std::to_string(mail.created_at.time_since_epoch().count()) + "@" +
         domain;
}

std::chrono::microseconds MailSender::backoff(int failures) const {
  auto max = std::chrono::duration_cast<std::chrono::microseconds>(
      options_.max_backoff);
  std::chrono::microseconds delay = options_.interval;
  for (int i = 1; i < failures && delay < max; ++i) delay *= 2;
  return std::min(delay, max);
}

}  // namespace cocity::apps::cocreation
