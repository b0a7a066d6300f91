#include "store/sqlite/history_log_index.h"

#include <cstddef>

namespace cocity::store::sqlite {

void HistoryLogIndex::add(const std::vector<Row>& rows) {
  if (rows.empty()) return;
  std::lock_guard lock(mutex_);
  for (const auto& r : rows) {
    std::vector<Span>& spans = rows_of_[r.entity];
    if (spans.empty()) by_oldest_.emplace(r.seq, r.entity);
    spans.push_back({r.seq, r.first_us, r.last_us});
  }
  rows_ += rows.size();
}

void HistoryLogIndex::clear() {
  std::unordered_map<int64_t, std::vector<Span>> old;
  std::map<int64_t, int64_t> old_order;
  {
    std::lock_guard lock(mutex_);
    old.swap(rows_of_);
    old_order.swap(by_oldest_);
    rows_ = 0;
  }
  // The old lists are freed here, outside the lock.
}

HistoryLogIndex::Rows HistoryLogIndex::peek(uint64_t max_rows) const {
  Rows out;
  uint64_t n = 0;
  std::lock_guard lock(mutex_);
  for (const auto& [oldest, entity] : by_oldest_) {
    if (n >= max_rows) break;
    const std::vector<Span>& spans = rows_of_.at(entity);
    std::vector<int64_t> seqs;
    seqs.reserve(spans.size());
    for (const auto& s : spans) seqs.push_back(s.seq);
    out.emplace_back(entity, std::move(seqs));
    n += spans.size();
  }
  return out;
}

void HistoryLogIndex::remove(const Rows& consumed) {
  std::lock_guard lock(mutex_);
  for (const auto& [entity, gone] : consumed) {
    auto found = rows_of_.find(entity);
    if (found == rows_of_.end()) continue;
    std::vector<Span>& spans = found->second;
    // Seqs are ascending and new ones are appended: `gone` is a prefix.
    size_t k = 0;
    while (k < spans.size() && k < gone.size() && spans[k].seq == gone[k]) ++k;
    if (k == 0) continue;
    by_oldest_.erase(spans.front().seq);
    spans.erase(spans.begin(), spans.begin() + static_cast<std::ptrdiff_t>(k));
    rows_ -= k;
    if (spans.empty()) {
      rows_of_.erase(found);
    } else {
      by_oldest_.emplace(spans.front().seq, entity);
    }
  }
}

std::optional<int64_t> HistoryLogIndex::oldest() const {
  std::lock_guard lock(mutex_);
  if (by_oldest_.empty()) return std::nullopt;
  return by_oldest_.begin()->first;
}

std::vector<int64_t> HistoryLogIndex::seqs(
    int64_t entity, std::optional<int64_t> observed_us) const {
  std::vector<int64_t> out;
  std::lock_guard lock(mutex_);
  auto found = rows_of_.find(entity);
  if (found == rows_of_.end()) return out;
  for (const auto& s : found->second) {
    if (!observed_us ||
        (s.first_us <= *observed_us && *observed_us <= s.last_us)) {
      out.push_back(s.seq);
    }
  }
  return out;
}

uint64_t HistoryLogIndex::size() const {
  std::lock_guard lock(mutex_);
  return rows_;
}

}  // namespace cocity::store::sqlite
