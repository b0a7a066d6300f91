// A small test network: a square whose bottom side A -> B is a one-way
// street (eastwards); the other three sides B-C-D-A are two-way. A separate
// two-way street E-F lies ~2 km away (kept: the largest-component filter is
// off), so points there are unreachable from the square.
//
//   D(4) ------- C(3)
//    |            |
//   A(1) -----> B(2)          E(5) --- F(6)
#pragma once

#include "osm_fixture.h"

namespace cocity::roads::testing {

inline Result<Graph> square_graph() {
  return graph_from(
      {{1, 49.440, 7.760},
       {2, 49.440, 7.762},
       {3, 49.442, 7.762},
       {4, 49.442, 7.760},
       {5, 49.440, 7.790},
       {6, 49.440, 7.792}},
      {{10, {1, 2}, {{"highway", "residential"}, {"oneway", "yes"}}},
       {11, {2, 3, 4, 1}, {{"highway", "residential"}}},
       {12, {5, 6}, {{"highway", "residential"}}}},
      /*keep_largest_component=*/false);
}

// Points just north of A -> B, a quarter and three quarters along it, and
// one on E-F.
inline constexpr LatLon kP{49.4401, 7.7605};
inline constexpr LatLon kQ{49.4401, 7.7615};
inline constexpr LatLon kR{49.4401, 7.7910};

}  // namespace cocity::roads::testing
