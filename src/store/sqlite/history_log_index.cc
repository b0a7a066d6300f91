#include "store/sqlite/history_log_index.h"

namespace cocity::store::sqlite {

void HistoryLogIndex::add(
    const std::vector<std::pair<int64_t, int64_t>>& rows) {
  if (rows.empty()) return;
  std::lock_guard lock(mutex_);
  for (const auto& [entity, seq] : rows) seqs_[entity].push_back(seq);
  rows_ += rows.size();
}

void HistoryLogIndex::clear() {
  std::unordered_map<int64_t, std::vector<int64_t>> old;
  {
    std::lock_guard lock(mutex_);
    old.swap(seqs_);
    rows_ = 0;
  }
  // `old` is freed here, outside the lock.
}

std::vector<int64_t> HistoryLogIndex::seqs_of(int64_t entity) const {
  std::lock_guard lock(mutex_);
  auto found = seqs_.find(entity);
  if (found == seqs_.end()) return {};
  return found->second;
}

uint64_t HistoryLogIndex::size() const {
  std::lock_guard lock(mutex_);
  return rows_;
}

}  // namespace cocity::store::sqlite
