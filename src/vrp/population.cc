#include "vrp/population.h"

#include <algorithm>
#include <numeric>

namespace cocity::vrp {
namespace {

void forget(Individual* ind, const Individual* gone) {
  auto& p = ind->proximity;
  p.erase(std::remove_if(p.begin(), p.end(),
                         [&](const auto& e) { return e.second == gone; }),
          p.end());
}

void link(Individual* a, Individual* b) {
  const double d = broken_pairs_distance(*a, *b);
  auto put = [](Individual* x, double dist, const Individual* y) {
    auto& p = x->proximity;
    auto at =
        std::upper_bound(p.begin(), p.end(), dist,
                         [](double v, const auto& e) { return v < e.first; });
    p.insert(at, {dist, y});
  };
  put(a, d, b);
  put(b, d, a);
}

}  // namespace

bool Population::add(std::unique_ptr<Individual> ind,
                     const Penalties& penalties) {
  bool improved = false;
  if (ind->feasible && (!best_ || ind->cost < best_->cost - 1e-9)) {
    best_ = std::make_unique<Individual>(*ind);
    best_->proximity.clear();
    improved = true;
  }
  Group* group = ind->feasible ? &feasible_ : &infeasible_;
  insert(group, std::move(ind), penalties);
  if (static_cast<int>(group->size()) > params_.mu + params_.lambda) {
    while (static_cast<int>(group->size()) > params_.mu) remove_worst(group);
  }
  return improved;
}

void Population::insert(Group* group, std::unique_ptr<Individual> ind,
                        const Penalties& penalties) {
  for (auto& other : *group) link(ind.get(), other.get());
  const double c = ind->penalised_cost(penalties);
  auto at = std::upper_bound(group->begin(), group->end(), c,
                             [&](double v, const auto& e) {
                               return v < e->penalised_cost(penalties);
                             });
  group->insert(at, std::move(ind));
}

double Population::diversity(const Individual& ind) const {
  const size_t k = std::min<size_t>(params_.close, ind.proximity.size());
  if (k == 0) return 0;
  double sum = 0;
  for (size_t i = 0; i < k; ++i) sum += ind.proximity[i].first;
  return sum / static_cast<double>(k);
}

// Group is sorted by penalised cost, so the cost rank is the index.
void Population::update_fitness(Group* group) {
  const size_t n = group->size();
  if (n == 0) return;
  if (n == 1) {
    (*group)[0]->biased_fitness = 0;
    return;
  }
  std::vector<std::pair<double, size_t>> by_diversity;
  for (size_t i = 0; i < n; ++i) {
    by_diversity.push_back({-diversity(*(*group)[i]), i});
  }
  std::sort(by_diversity.begin(), by_diversity.end());
  const double elite_weight =
      1.0 - static_cast<double>(params_.elite) / static_cast<double>(n);
  for (size_t rank = 0; rank < n; ++rank) {
    const size_t i = by_diversity[rank].second;
    const double div_rank = static_cast<double>(rank) / (n - 1);
    const double cost_rank = static_cast<double>(i) / (n - 1);
    (*group)[i]->biased_fitness = cost_rank + elite_weight * div_rank;
  }
}

void Population::remove_worst(Group* group) {
  update_fitness(group);
  size_t worst = 0;
  bool worst_clone = false;
  double worst_fit = -1;
  for (size_t i = 1; i < group->size(); ++i) {  // never the best
    const Individual& ind = *(*group)[i];
    const bool clone = !ind.proximity.empty() && ind.proximity[0].first < 1e-9;
    if ((clone && !worst_clone) ||
        (clone == worst_clone && ind.biased_fitness > worst_fit)) {
      worst = i;
      worst_clone = clone;
      worst_fit = ind.biased_fitness;
    }
  }
  const Individual* gone = (*group)[worst].get();
  for (auto& other : *group) forget(other.get(), gone);
  group->erase(group->begin() + worst);
}

const Individual& Population::select(std::mt19937* rng) {
  update_fitness(&feasible_);
  update_fitness(&infeasible_);
  auto pick = [&]() -> const Individual& {
    const size_t k = (*rng)() % size();
    return k < feasible_.size() ? *feasible_[k]
                                : *infeasible_[k - feasible_.size()];
  };
  const Individual& a = pick();
  const Individual& b = pick();
  return a.biased_fitness <= b.biased_fitness ? a : b;
}

void Population::reprice(const Penalties& penalties) {
  std::stable_sort(infeasible_.begin(), infeasible_.end(),
                   [&](const auto& x, const auto& y) {
                     return x->penalised_cost(penalties) <
                            y->penalised_cost(penalties);
                   });
}

void Population::clear() {
  feasible_.clear();
  infeasible_.clear();
}

}  // namespace cocity::vrp
