#include "store/sqlite/history_log_index.h"

#include <cstddef>

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

HistoryLogIndex::Rows HistoryLogIndex::peek(uint64_t max_rows) const {
  Rows out;
  uint64_t n = 0;
  std::lock_guard lock(mutex_);
  for (const auto& [entity, seqs] : seqs_) {
    if (n >= max_rows) break;
    out.emplace_back(entity, seqs);
    n += seqs.size();
  }
  return out;
}

void HistoryLogIndex::remove(const Rows& consumed) {
  std::lock_guard lock(mutex_);
  for (const auto& [entity, gone] : consumed) {
    auto found = seqs_.find(entity);
    if (found == seqs_.end()) continue;
    std::vector<int64_t>& seqs = found->second;
    // Seqs are ascending and new ones are appended: `gone` is a prefix.
    size_t k = 0;
    while (k < seqs.size() && k < gone.size() && seqs[k] == gone[k]) ++k;
    seqs.erase(seqs.begin(), seqs.begin() + static_cast<std::ptrdiff_t>(k));
    rows_ -= k;
    if (seqs.empty()) seqs_.erase(found);
  }
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
