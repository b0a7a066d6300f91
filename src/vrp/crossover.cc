#include "vrp/crossover.h"

#include <algorithm>

namespace cocity::vrp {

std::vector<int> order_crossover(const std::vector<int>& a,
                                 const std::vector<int>& b, std::mt19937* rng) {
  const int n = static_cast<int>(a.size());
  if (n < 2) return a;
  std::uniform_int_distribution<int> pick(0, n - 1);
  const int start = pick(*rng);
  int end = pick(*rng);
  while (end == start) end = pick(*rng);
  int max_job = 0;
  for (int j : a) max_job = std::max(max_job, j);
  std::vector<bool> taken(max_job + 1, false);
  std::vector<int> child(n, -1);
  for (int k = start; k != end; k = (k + 1) % n) {
    child[k] = a[k];
    taken[a[k]] = true;
  }
  int write = end;
  for (int k = 0; k < n; ++k) {
    const int job = b[(end + k) % n];
    if (job > max_job || taken[job]) continue;
    child[write] = job;
    write = (write + 1) % n;
  }
  return child;
}

}  // namespace cocity::vrp
