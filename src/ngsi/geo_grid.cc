#include "ngsi/geo_grid.h"

#include <algorithm>
#include <cmath>
#include <type_traits>
#include <variant>

namespace cocity::ngsi {
namespace {

constexpr double kCellsPerVertex = 256;
constexpr double kMinCells = 4096;
constexpr double kMaxCells = 65536;

template <typename Ring, typename Out>
void add_ring(const Ring& ring, Out* out) {
  std::vector<typename Out::value_type::value_type> edges;
  for (size_t i = 0; i + 1 < ring.size(); ++i) {
    edges.push_back(
        {ring[i].x(), ring[i].y(), ring[i + 1].x(), ring[i + 1].y()});
  }
  out->push_back(std::move(edges));
}

// Even-odd crossing test of (x, y) against one ring's edges.
template <typename Edges>
bool in_ring(const Edges& edges, double x, double y) {
  bool inside = false;
  for (const auto& e : edges) {
    if ((e.y0 > y) == (e.y1 > y)) continue;
    double cross = e.x0 + (y - e.y0) * (e.x1 - e.x0) / (e.y1 - e.y0);
    if (x < cross) inside = !inside;
  }
  return inside;
}

}  // namespace

std::shared_ptr<const AreaGrid> AreaGrid::build(const geo::Geometry& area) {
  std::vector<Rings> polygons;
  auto add_polygon = [&](const geo::Polygon& p) {
    Rings rings;
    add_ring(p.outer(), &rings);
    for (const auto& inner : p.inners()) add_ring(inner, &rings);
    polygons.push_back(std::move(rings));
  };
  if (const auto* p = std::get_if<geo::Polygon>(&area)) {
    add_polygon(*p);
  } else if (const auto* mp = std::get_if<geo::MultiPolygon>(&area)) {
    for (const auto& p : *mp) add_polygon(p);
  } else {
    return nullptr;
  }
  size_t vertices = 0;
  for (const auto& rings : polygons) {
    for (const auto& ring : rings) vertices += ring.size();
  }
  if (vertices == 0) return nullptr;
  GeoBox box = box_of(area);
  std::shared_ptr<AreaGrid> g(new AreaGrid());
  double w = box.max_lon - box.min_lon, h = box.max_lat - box.min_lat;
  g->eps_ = 1e-9 + 1e-9 * std::max(w, h);
  w += 4 * g->eps_;
  h += 4 * g->eps_;
  g->min_lon_ = box.min_lon - 2 * g->eps_;
  g->min_lat_ = box.min_lat - 2 * g->eps_;
  double cells =
      std::clamp(kCellsPerVertex * double(vertices), kMinCells, kMaxCells);
  double side = std::sqrt(w * h / cells);
  g->columns_ = std::clamp(int(std::ceil(w / side)), 1, 4096);
  g->rows_ = std::clamp(int(std::ceil(h / side)), 1, 4096);
  g->cell_w_ = w / g->columns_;
  g->cell_h_ = h / g->rows_;
  g->cells_.assign(size_t(g->columns_) * g->rows_, Cell::kOutside);
  for (const auto& rings : polygons) {
    for (const auto& ring : rings) {
      for (const Edge& e : ring) g->mark_edge(e);
    }
  }
  g->classify_rows(polygons);
  return g;
}

// Marks every cell the edge comes within eps_ of, column strip by column
// strip: in each strip the edge spans a y interval, grown by eps_.
void AreaGrid::mark_edge(const Edge& e) {
  auto column = [&](double x) {
    return std::clamp(int(std::floor((x - min_lon_) / cell_w_)), 0,
                      columns_ - 1);
  };
  auto row = [&](double y) {
    return std::clamp(int(std::floor((y - min_lat_) / cell_h_)), 0, rows_ - 1);
  };
  double lo_x = std::min(e.x0, e.x1), hi_x = std::max(e.x0, e.x1);
  double dx = e.x1 - e.x0;
  for (int c = column(lo_x - eps_); c <= column(hi_x + eps_); ++c) {
    double a = std::max(lo_x, min_lon_ + c * cell_w_ - eps_);
    double b = std::min(hi_x, min_lon_ + (c + 1) * cell_w_ + eps_);
    double ya = e.y0, yb = e.y1;
    if (dx != 0) {
      ya = e.y0 + (a - e.x0) / dx * (e.y1 - e.y0);
      yb = e.y0 + (b - e.x0) / dx * (e.y1 - e.y0);
    }
    int r0 = row(std::min(ya, yb) - eps_), r1 = row(std::max(ya, yb) + eps_);
    for (int r = r0; r <= r1; ++r) {
      cells_[size_t(r) * columns_ + c] = Cell::kBoundary;
    }
  }
}

bool AreaGrid::centre_inside(int column, int row,
                             const std::vector<Rings>& polygons) const {
  double x = min_lon_ + (column + 0.5) * cell_w_;
  double y = min_lat_ + (row + 0.5) * cell_h_;
  return std::any_of(polygons.begin(), polygons.end(), [&](const Rings& p) {
    if (!in_ring(p.front(), x, y)) return false;
    return std::none_of(p.begin() + 1, p.end(),
                        [&](const auto& hole) { return in_ring(hole, x, y); });
  });
}

// Neighbouring cells of one row that no edge touches lie on the same side:
// one test per run.
void AreaGrid::classify_rows(const std::vector<Rings>& polygons) {
  for (int r = 0; r < rows_; ++r) {
    Cell* row = &cells_[size_t(r) * columns_];
    for (int c = 0; c < columns_;) {
      if (row[c] == Cell::kBoundary) {
        ++c;
        continue;
      }
      Cell side =
          centre_inside(c, r, polygons) ? Cell::kInside : Cell::kOutside;
      for (; c < columns_ && row[c] != Cell::kBoundary; ++c) row[c] = side;
    }
  }
}

AreaGrid::Cell AreaGrid::cell_of(double lon, double lat) const {
  double fx = (lon - min_lon_) / cell_w_, fy = (lat - min_lat_) / cell_h_;
  if (!(fx >= 0 && fy >= 0 && fx < columns_ && fy < rows_))
    return Cell::kOutside;
  return cells_[size_t(fy) * columns_ + size_t(fx)];
}

}  // namespace cocity::ngsi
