// Group commit of live sessions' records: the joins and votes of many
// participants are written in one transaction per tenant database, and each
// record's callback runs once its transaction is durable (or failed).
//
// One background thread. append() never blocks on I/O; callbacks run on
// the background thread, in append order per database. The destructor
// writes what is queued, runs its callbacks, then joins.
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "core/error.h"
#include "store/cocreation_store.h"

namespace cocity::apps::cocreation {

class LiveVoteLog {
 public:
  using Done = std::function<void(Status)>;

  LiveVoteLog();
  ~LiveVoteLog();
  LiveVoteLog(const LiveVoteLog&) = delete;
  LiveVoteLog& operator=(const LiveVoteLog&) = delete;

  void append_vote(std::shared_ptr<store::CocreationStore> db,
                   store::CcLiveVote vote, Done done);
  void append_participant(std::shared_ptr<store::CocreationStore> db,
                          store::CcLiveParticipant participant, Done done);

 private:
  struct Pending {
    std::shared_ptr<store::CocreationStore> db;
    std::optional<store::CcLiveParticipant> participant;
    std::optional<store::CcLiveVote> vote;
    Done done;
  };
  void append(Pending pending);
  void run();
  static void commit(std::vector<Pending>& batch);

  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Pending> queue_;  // guarded by mu_
  bool stop_ = false;           // guarded by mu_
  std::thread thread_;
};

}  // namespace cocity::apps::cocreation
