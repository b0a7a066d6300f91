// Ordered crossover (OX) of two giant tours: a random cyclic slice of the
// first parent is kept in place, the other positions are filled with the
// remaining jobs in the second parent's order.
#pragma once

#include <random>
#include <vector>

namespace cocity::vrp {

// REQUIRES: a and b are permutations of the same job set.
std::vector<int> order_crossover(const std::vector<int>& a,
                                 const std::vector<int>& b, std::mt19937* rng);

}  // namespace cocity::vrp
