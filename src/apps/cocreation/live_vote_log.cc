#include "apps/cocreation/live_vote_log.h"

#include <algorithm>
#include <utility>

namespace cocity::apps::cocreation {

LiveVoteLog::LiveVoteLog() : thread_([this] { run(); }) {}

LiveVoteLog::~LiveVoteLog() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_one();
  thread_.join();
}

void LiveVoteLog::append_vote(std::shared_ptr<store::CocreationStore> db,
                              store::CcLiveVote vote, Done done) {
  append({std::move(db), std::nullopt, std::move(vote), std::move(done)});
}

void LiveVoteLog::append_participant(std::shared_ptr<store::CocreationStore> db,
                                     store::CcLiveParticipant participant,
                                     Done done) {
  append(
      {std::move(db), std::move(participant), std::nullopt, std::move(done)});
}

void LiveVoteLog::append(Pending pending) {
  {
    std::lock_guard lock(mu_);
    queue_.push_back(std::move(pending));
  }
  cv_.notify_one();
}

void LiveVoteLog::run() {
  std::vector<Pending> batch;
  while (true) {
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return stop_ || !queue_.empty(); });
      if (queue_.empty() && stop_) return;
      batch.swap(queue_);
    }
    commit(batch);
    batch.clear();
  }
}

// One transaction per database in the batch.
void LiveVoteLog::commit(std::vector<Pending>& batch) {
  std::stable_sort(batch.begin(), batch.end(),
                   [](const Pending& a, const Pending& b) {
                     return a.db.get() < b.db.get();
                   });
  size_t begin = 0;
  while (begin < batch.size()) {
    size_t end = begin;
    std::vector<store::CcLiveParticipant> participants;
    std::vector<store::CcLiveVote> votes;
    while (end < batch.size() && batch[end].db == batch[begin].db) {
      if (batch[end].participant)
        participants.push_back(*batch[end].participant);
      if (batch[end].vote) votes.push_back(*batch[end].vote);
      ++end;
    }
    Status status = batch[begin].db->add_live_records(participants, votes);
    for (size_t i = begin; i < end; ++i) batch[i].done(status);
    begin = end;
  }
}

}  // namespace cocity::apps::cocreation
