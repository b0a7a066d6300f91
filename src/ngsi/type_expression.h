// NGSI-LD type expressions (ETSI GS CIM 009 v1.8, clause 4.17): the `type`
// parameter of a query and the "type" member of a Query body.
//
// Grammar (whitespace is not allowed, as in the spec's examples):
//
//   expr   = all *(("|" / ",") all)   ; OR, binds loosest
//   all    = factor *(";" factor)     ; AND: the entity has every type
//   factor = "(" expr ")" / type-name
//
// An entity (which may have several types) matches when the expression holds
// for its set of types. The parsed form is a disjunction of conjunctions
// (DNF) of expanded type IRIs, which is what an index planner wants: the
// candidates are the union, over the clauses, of the members of one type of
// the clause.
//
// Immutable once parsed; safe to share between threads.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "ngsi/context.h"

namespace cocity::ngsi {

// Limits: longer or larger expressions are kTooComplexQuery, never cut.
inline constexpr size_t kMaxTypeExpressionLength = 2048;
inline constexpr size_t kMaxTypeClauses = 64;  // conjunctions after expansion
inline constexpr int kMaxTypeExpressionDepth = 16;

struct TypeExpression {
  // OR of ANDs: each inner vector holds sorted, unique expanded type IRIs,
  // and the outer vector is non-empty. ["A"], ["B","C"] means A | (B;C).
  std::vector<std::vector<std::string>> clauses;

  // True when every clause has one type (a plain list, "A,B|C").
  bool is_plain_list() const;
};

// Parses `text`, expanding each type name with `ctx`. Errors:
// kBadRequestData naming the position and the problem ("type: expected a
// type name at position 3"), or an invalid type name; kTooComplexQuery
// when a limit above is passed.
Result<TypeExpression> parse_type_expression(std::string_view text,
                                             const Context& ctx);

// Whether an entity with `types` (sorted, unique expanded IRIs) matches.
bool matches(const TypeExpression& expr, const std::vector<std::string>& types);

// scopeQ (4.19) has the same grammar with scope patterns for names:
// "/Madrid/Gardens" (that scope), "/Madrid/+" (one level below),
// "/Madrid/#" (Madrid and every level below), "/#" (any scope). The clauses
// hold the patterns as written (not expanded). Errors as above, "scopeQ: ...".
Result<TypeExpression> parse_scope_query(std::string_view text);

// Whether an entity with `scopes` matches: in some clause, every pattern
// matches one of the scopes.
bool scope_matches(const TypeExpression& query,
                   const std::vector<std::string>& scopes);

}  // namespace cocity::ngsi
