// The NGSI-LD query language `q` (ETSI GS CIM 009 v1.8, clause 4.9) as a
// syntax tree.
//
// parse_query (ngsi/query_parser.h) turns the text of a `q` parameter into
// a Query; evaluate (ngsi/query_eval.h) tests a stored Entity against it.
// The tree is public so that a planner can look at the top-level AND terms
// (top_level_terms below) and use indexes for their attributes and
// constants before evaluating the whole query on the candidates.
//
// A Query is immutable once parsed and safe to share between threads
// (compiled regular expressions are shared and only read).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.h"

namespace re2 {
class RE2;
}

namespace cocity::ngsi {

// Limits of a parsed query. Longer or more complex queries are rejected
// with kTooComplexQuery, never truncated.
inline constexpr size_t kMaxQueryLength = 4096;  // characters of q
inline constexpr int kMaxQueryDepth = 32;        // nested parentheses
inline constexpr int kMaxQueryTerms = 256;       // comparison terms
// Memory RE2 may use for one compiled pattern; bigger patterns are
// rejected. RE2 matches in time linear in the input, so a compiled pattern
// cannot blow up at evaluation time.
inline constexpr int64_t kMaxPatternMemory = 256 * 1024;

// The metadata member a path may end with ("temperature.observedAt").
enum class MetaField {
  kNone,  // the path addresses the attribute's value
  kObservedAt,
  kModifiedAt,
  kCreatedAt,
  kUnitCode,
  kDatasetId,
};

// The member name of `field` in a stored instance ("observedAt", ...); ""
// for kNone.
std::string_view meta_member(MetaField field);

// What a term addresses: `attr(.sub)*(.meta)?([key])*`.
struct AttrPath {
  std::string attr;                    // expanded IRI of the attribute
  std::vector<std::string> sub_attrs;  // expanded IRIs, outermost first
  MetaField meta = MetaField::kNone;
  // JSON member names into the (compound) value, outermost first. Not
  // expanded: they are keys of a JSON value, not NGSI-LD terms.
  std::vector<std::string> compound;
  std::string text;  // the path as written in q, for messages
};

enum class Op {
  kExists,  // bare attribute path: the attribute (member) is present
  kEqual,
  kUnequal,
  kGreater,
  kGreaterEq,
  kLess,
  kLessEq,
  kMatch,     // ~=  the value is a string and the pattern matches part of it
  kNotMatch,  // !~= the value is a string and the pattern matches no part
};

// The kind of a constant in q.
enum class ValueKind {
  kNumber,    // `number`
  kString,    // `text`, from a quoted string
  kBool,      // `boolean`, from true / false
  kDateTime,  // `time`, from 2026-11-25T10:00:00Z (an offset is required)
  kDate,      // `time` at midnight UTC, from 2026-11-25
  kTime,      // `time` as the time of day after the epoch, from 10:00:00Z
  kUri,       // `text`, from an unquoted absolute URI (urn:ngsi-ld:X:1)
};

// One constant. Only the member named for its kind is meaningful.
// Numbers compare with JSON numbers; strings and URIs with JSON strings;
// dates, date-times and times with JSON strings that parse as such (dates
// and date-times as instants, times as the time of day).
// A VocabProperty's "vocab" holds expanded IRIs, so strings and URIs are
// compared with it in their expanded form (`expanded`).
struct Constant {
  ValueKind kind = ValueKind::kNumber;
  double number = 0;
  bool boolean = false;
  TimePoint time{};
  std::string text;
  std::string expanded;  // kString, kUri: text expanded with the Context
};

// One comparison: `path op value`.
//
// `values` holds: nothing for kExists and the pattern ops; one constant for
// an ordering op; for kEqual/kUnequal one constant, the alternatives of a
// value list (is_range false, size >= 2) or the low and high ends of a
// range (is_range true, size 2, both of one kind, low..high inclusive).
struct Term {
  AttrPath path;
  Op op = Op::kExists;
  std::vector<Constant> values;
  bool is_range = false;
  std::shared_ptr<const re2::RE2> pattern;  // set for kMatch / kNotMatch
  std::string pattern_text;
  // The addressed attribute's term is typed "@type": "@vocab" in the
  // query's context: its Property string values are stored expanded, so
  // strings are compared in their expanded form, as for a VocabProperty.
  bool vocab_values = false;
};

// A node of the expression tree: a term, or an AND / OR of >= 2 children.
// AND binds tighter than OR; a;b;c is one kAnd node with three children.
// The depth of the tree is bounded by kMaxQueryDepth, so recursion over it
// (evaluation, destruction) is bounded too.
struct Node {
  enum class Kind { kTerm, kAnd, kOr };
  Kind kind = Kind::kTerm;
  Term term;                   // kTerm only
  std::vector<Node> children;  // kAnd / kOr only
};

struct Query {
  Node root;
  int term_count = 0;
};

// The terms that must all hold for the query to hold: the root itself when
// it is a term, the term children of a root AND, nothing for a root OR.
// Pointers stay valid as long as `query` lives and is not modified.
std::vector<const Term*> top_level_terms(const Query& query);

// Parses a time of day "hh:mm[:ss[.fraction]][Z]" to that many
// microseconds after the epoch (how kTime constants are held). Returns
// false on anything else; `out` is then unchanged.
bool parse_time_of_day(std::string_view text, TimePoint* out);

}  // namespace cocity::ngsi
