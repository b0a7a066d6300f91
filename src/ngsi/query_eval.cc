#include "ngsi/query_eval.h"

#include <re2/re2.h>

#include <compare>
#include <string_view>
#include <vector>

#include "ngsi/entity_parser.h"

namespace cocity::ngsi {
namespace {

// How a target value orders against a constant.
enum class Cmp { kIncompatible, kLess, kEqual, kGreater };

template <typename T>
Cmp order(const T& a, const T& b) {
  auto c = a <=> b;
  if (c < 0) return Cmp::kLess;
  if (c > 0) return Cmp::kGreater;
  return Cmp::kEqual;
}

const json::value& unwrap(const json::value& v) {
  if (const auto* o = v.if_object()) {
    if (const auto* inner = o->if_contains("@value")) return *inner;
  }
  return v;
}

double as_double(const json::value& v) {
  if (v.is_double()) return v.get_double();
  if (v.is_int64()) return static_cast<double>(v.get_int64());
  return static_cast<double>(v.get_uint64());
}

// A date-time ("...T...+01:00") or a date ("2026-11-25") as an instant.
bool as_instant(std::string_view s, TimePoint* out) {
  auto t = s.size() == 10 ? parse_iso_date(s) : parse_iso_time(s);
  if (!t) return false;
  *out = *t;
  return true;
}

Cmp compare_time(const json::value& v, const Constant& c) {
  if (!v.is_string()) return Cmp::kIncompatible;
  std::string_view s = v.get_string();
  TimePoint t;
  bool parsed =
      c.kind == ValueKind::kTime ? parse_time_of_day(s, &t) : as_instant(s, &t);
  return parsed ? order(t, c.time) : Cmp::kIncompatible;
}

// One value to compare, and whether it is a VocabProperty's (expanded) IRI.
struct Target {
  const json::value* value;
  bool vocab;
};

Cmp compare(const Target& target, const Constant& c) {
  const json::value& v = unwrap(*target.value);
  switch (c.kind) {
    case ValueKind::kNumber:
      if (!v.is_number()) return Cmp::kIncompatible;
      return order(as_double(v), c.number);
    case ValueKind::kString:
    case ValueKind::kUri:
      if (!v.is_string()) return Cmp::kIncompatible;
      return order(std::string_view(v.get_string()),
                   std::string_view(target.vocab ? c.expanded : c.text));
    case ValueKind::kBool:
      if (!v.is_bool()) return Cmp::kIncompatible;
      return order(v.get_bool(), c.boolean);
    case ValueKind::kDateTime:
    case ValueKind::kDate:
    case ValueKind::kTime:
      return compare_time(v, c);
  }
  return Cmp::kIncompatible;
}

bool compatible(const Term& term, const Target& v) {
  for (const Constant& c : term.values) {
    if (compare(v, c) != Cmp::kIncompatible) return true;
  }
  return false;
}

// == for one scalar: in the range, or equal to any listed constant.
bool equal(const Term& term, const Target& v) {
  if (term.is_range && term.values.size() == 2) {
    Cmp lo = compare(v, term.values[0]);
    Cmp hi = compare(v, term.values[1]);
    return (lo == Cmp::kEqual || lo == Cmp::kGreater) &&
           (hi == Cmp::kEqual || hi == Cmp::kLess);
  }
  for (const Constant& c : term.values) {
    if (compare(v, c) == Cmp::kEqual) return true;
  }
  return false;
}

bool ordered(Op op, const Target& v, const Constant& c) {
  Cmp r = compare(v, c);
  switch (op) {
    case Op::kGreater:
      return r == Cmp::kGreater;
    case Op::kGreaterEq:
      return r == Cmp::kGreater || r == Cmp::kEqual;
    case Op::kLess:
      return r == Cmp::kLess;
    case Op::kLessEq:
      return r == Cmp::kLess || r == Cmp::kEqual;
    default:
      return false;
  }
}

bool is_string(const Target& t) { return unwrap(*t.value).is_string(); }

bool pattern_matches(const Term& term, const Target& t) {
  const json::value& v = unwrap(*t.value);
  if (!v.is_string() || !term.pattern) return false;
  std::string_view s = v.get_string();
  return RE2::PartialMatch(re2::StringPiece(s.data(), s.size()), *term.pattern);
}

template <typename Pred>
bool any_of(const std::vector<Target>& targets, Pred pred) {
  for (const Target& t : targets) {
    if (pred(t)) return true;
  }
  return false;
}

// Applies the term's operator to the candidate values of one instance.
bool match_targets(const Term& term, const std::vector<Target>& targets) {
  auto eq = [&](const Target& v) { return equal(term, v); };
  auto comparable = [&](const Target& v) { return compatible(term, v); };
  auto re = [&](const Target& v) { return pattern_matches(term, v); };
  switch (term.op) {
    case Op::kExists:
      return true;
    case Op::kEqual:
      return any_of(targets, eq);
    case Op::kUnequal:
      return any_of(targets, comparable) && !any_of(targets, eq);
    case Op::kMatch:
      return any_of(targets, re);
    case Op::kNotMatch:
      return any_of(targets, is_string) && !any_of(targets, re);
    default:
      if (term.values.empty()) return false;
      return any_of(targets, [&](const Target& v) {
        return ordered(term.op, v, term.values[0]);
      });
  }
}

// The instance objects reached by following the sub-attribute path.
std::vector<const json::object*> follow_subs(const json::value& attr,
                                             const AttrPath& path) {
  std::vector<const json::object*> frontier;
  auto add = [&frontier](const json::value& v) {
    if (const auto* o = v.if_object()) frontier.push_back(o);
    if (const auto* a = v.if_array()) {
      for (const json::value& e : *a) {
        if (const auto* o = e.if_object()) frontier.push_back(o);
      }
    }
  };
  add(attr);
  for (const std::string& sub : path.sub_attrs) {
    std::vector<const json::object*> current;
    current.swap(frontier);
    for (const json::object* o : current) {
      if (const json::value* s = o->if_contains(sub)) add(*s);
    }
  }
  return frontier;
}

// What the addressed value is, for how to compare it.
enum class Shape {
  kPlain,
  kLanguageMap,  // a LanguageProperty's map: compared by its strings
  kVocab,        // a VocabProperty's expanded IRI(s)
};

// The value the path addresses in one instance, or null.
const json::value* addressed_value(const json::object& inst,
                                   const AttrPath& path, Shape* shape) {
  const json::value* v = nullptr;
  *shape = Shape::kPlain;
  if (path.meta != MetaField::kNone) {
    v = inst.if_contains(meta_member(path.meta));
  } else {
    std::string_view type;
    if (const auto* t = inst.if_contains("type"); t && t->is_string()) {
      type = t->get_string();
    }
    std::string_view member = value_member(type);
    if (member == "languageMap") *shape = Shape::kLanguageMap;
    if (member == "vocab") *shape = Shape::kVocab;
    v = inst.if_contains(member);
  }
  for (const std::string& key : path.compound) {
    const json::object* o = v ? unwrap(*v).if_object() : nullptr;
    v = o ? o->if_contains(key) : nullptr;
    if (*shape == Shape::kLanguageMap) *shape = Shape::kPlain;
  }
  return v;
}

// The values to compare: the elements of an array, the strings of a
// language map (whose entries may be arrays), or the value itself.
std::vector<Target> targets_of(const json::value& v, Shape shape) {
  std::vector<Target> out;
  bool vocab = shape == Shape::kVocab;
  auto add = [&](const json::value& x) {
    if (const auto* a = x.if_array()) {
      for (const json::value& e : *a) out.push_back({&e, vocab});
    } else {
      out.push_back({&x, vocab});
    }
  };
  if (const auto* o = v.if_object(); o && shape == Shape::kLanguageMap) {
    for (const auto& member : *o) add(member.value());
  } else {
    add(v);
  }
  return out;
}

}  // namespace

bool evaluate(const Term& term, const Entity& entity) {
  const json::value* attr = entity.attrs.if_contains(term.path.attr);
  if (!attr) return false;
  for (const json::object* inst : follow_subs(*attr, term.path)) {
    Shape shape = Shape::kPlain;
    const json::value* v = addressed_value(*inst, term.path, &shape);
    if (!v) continue;
    if (term.op == Op::kExists) return true;
    if (term.vocab_values && shape == Shape::kPlain) shape = Shape::kVocab;
    if (match_targets(term, targets_of(*v, shape))) return true;
  }
  return false;
}

bool evaluate(const Node& node, const Entity& entity) {
  switch (node.kind) {
    case Node::Kind::kTerm:
      return evaluate(node.term, entity);
    case Node::Kind::kAnd:
      for (const Node& child : node.children) {
        if (!evaluate(child, entity)) return false;
      }
      return true;
    case Node::Kind::kOr:
      for (const Node& child : node.children) {
        if (evaluate(child, entity)) return true;
      }
      return false;
  }
  return false;
}

bool evaluate(const Query& query, const Entity& entity) {
  return evaluate(query.root, entity);
}

}  // namespace cocity::ngsi
