#include "ngsi/query.h"

namespace cocity::ngsi {

std::string_view meta_member(MetaField field) {
  switch (field) {
    case MetaField::kNone:
      return "";
    case MetaField::kObservedAt:
      return "observedAt";
    case MetaField::kModifiedAt:
      return "modifiedAt";
    case MetaField::kCreatedAt:
      return "createdAt";
    case MetaField::kUnitCode:
      return "unitCode";
    case MetaField::kDatasetId:
      return "datasetId";
  }
  return "";
}

std::vector<const Term*> top_level_terms(const Query& query) {
  std::vector<const Term*> out;
  const Node& root = query.root;
  if (root.kind == Node::Kind::kTerm) {
    out.push_back(&root.term);
  } else if (root.kind == Node::Kind::kAnd) {
    for (const Node& child : root.children) {
      if (child.kind == Node::Kind::kTerm) out.push_back(&child.term);
    }
  }
  return out;
}

}  // namespace cocity::ngsi

namespace cocity::ngsi {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Reads exactly two digits at text[*i] into *out.
bool two_digits(std::string_view text, size_t* i, int* out) {
  if (*i + 2 > text.size() || !is_digit(text[*i]) || !is_digit(text[*i + 1])) {
    return false;
  }
  *out = (text[*i] - '0') * 10 + (text[*i + 1] - '0');
  *i += 2;
  return true;
}

}  // namespace

bool parse_time_of_day(std::string_view text, TimePoint* out) {
  size_t i = 0;
  int hh = 0, mm = 0, ss = 0;
  if (!two_digits(text, &i, &hh) || i >= text.size() || text[i++] != ':' ||
      !two_digits(text, &i, &mm)) {
    return false;
  }
  int64_t frac_us = 0;
  if (i < text.size() && text[i] == ':') {
    ++i;
    if (!two_digits(text, &i, &ss)) return false;
    if (i < text.size() && text[i] == '.') {
      ++i;
      size_t digits = 0;
      int64_t scale = 100000;
      while (i < text.size() && is_digit(text[i]) && digits < 9) {
        frac_us += (text[i] - '0') * scale;
        scale /= 10;
        ++i;
        ++digits;
      }
      if (digits == 0) return false;
    }
  }
  if (i < text.size() && text[i] == 'Z') ++i;
  if (i != text.size() || hh > 23 || mm > 59 || ss > 59) return false;
  *out = from_micros((hh * 3600LL + mm * 60LL + ss) * 1000000LL + frac_us);
  return true;
}

}  // namespace cocity::ngsi
