// A polygonal query area prepared for many point tests (geoQ within,
// intersects and disjoint against stored Points).
//
// A grid of cells covers the area's box (grown by a hair, so that points on
// the box's edge fall inside the grid). Every cell that some ring edge
// touches (its closed rectangle grown by a small epsilon) is a boundary
// cell; every other cell lies wholly inside or wholly outside the area, and
// which one is decided once per run of such cells in a row by a crossing
// test at the run's first centre (far from every edge, so exact enough).
// A point in an inside or outside cell is answered by the grid; a point in
// a boundary cell needs the exact test, which the caller makes
// (Boost.Geometry, ngsi/geo_shape.h), so the answers equal the exact ones.
//
// Size: about 256 cells per vertex of the area, between 4,096 and 65,536
// cells of one byte; built in well under a millisecond for a 200-vertex
// district. Immutable once built; safe to share between threads.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "ngsi/geo_shape.h"

namespace cocity::ngsi {

class AreaGrid {
 public:
  enum class Cell : uint8_t { kOutside, kInside, kBoundary };

  // The grid of `area`, or nullptr when it is not a Polygon or
  // MultiPolygon.
  static std::shared_ptr<const AreaGrid> build(const geo::Geometry& area);

  // Where (lon, lat) falls: kOutside outside the grid, kBoundary when only
  // the exact test can tell.
  Cell cell_of(double lon, double lat) const;

  int columns() const { return columns_; }
  int rows() const { return rows_; }

 private:
  struct Edge {
    double x0, y0, x1, y1;
  };
  // The edges of one polygon: ring 0 is the outer ring, the rest holes.
  using Rings = std::vector<std::vector<Edge>>;

  AreaGrid() = default;
  void mark_edge(const Edge& e);
  void classify_rows(const std::vector<Rings>& polygons);
  bool centre_inside(int column, int row,
                     const std::vector<Rings>& polygons) const;

  double min_lon_ = 0, min_lat_ = 0, cell_w_ = 1, cell_h_ = 1, eps_ = 0;
  int columns_ = 0, rows_ = 0;
  std::vector<Cell> cells_;  // row-major
};

}  // namespace cocity::ngsi
