#include "ngsi/type_expression.h"

#include <algorithm>

#include "ngsi/entity_parser.h"

namespace cocity::ngsi {
namespace {

using Clauses = std::vector<std::vector<std::string>>;

class TypeParser {
 public:
  TypeParser(std::string_view text, const Context* ctx)
      : text_(text), ctx_(ctx), what_(ctx ? "type" : "scopeQ") {}

  Result<Clauses> parse() {
    auto out = expr(0);
    if (!out) return out;
    if (pos_ != text_.size()) return unexpected("an operator or end");
    return out;
  }

 private:
  std::unexpected<Error> unexpected(std::string_view wanted) const {
    std::string found = pos_ < text_.size()
                            ? "'" + std::string(1, text_[pos_]) + "'"
                            : std::string("end of the expression");
    return fail(Code::kBadRequestData,
                what_ + ": expected " + std::string(wanted) + ", found " +
                    found + " at position " + std::to_string(pos_ + 1));
  }

  bool at(char c) const { return pos_ < text_.size() && text_[pos_] == c; }

  Result<Clauses> expr(int depth) {
    auto out = all(depth);
    if (!out) return out;
    while (at('|') || at(',')) {
      ++pos_;
      auto next = all(depth);
      if (!next) return next;
      out->insert(out->end(), next->begin(), next->end());
      if (out->size() > kMaxTypeClauses) return too_complex();
    }
    return out;
  }

  // AND of ORs becomes OR of the pairwise unions (distribution).
  Result<Clauses> all(int depth) {
    auto out = factor(depth);
    if (!out) return out;
    while (at(';')) {
      ++pos_;
      auto next = factor(depth);
      if (!next) return next;
      if (out->size() * next->size() > kMaxTypeClauses) return too_complex();
      Clauses product;
      for (const auto& a : *out) {
        for (const auto& b : *next) {
          std::vector<std::string> both = a;
          both.insert(both.end(), b.begin(), b.end());
          std::sort(both.begin(), both.end());
          both.erase(std::unique(both.begin(), both.end()), both.end());
          product.push_back(std::move(both));
        }
      }
      *out = std::move(product);
    }
    return out;
  }

  Result<Clauses> factor(int depth) {
    if (at('(')) {
      if (depth >= kMaxTypeExpressionDepth) return too_complex();
      size_t open = pos_++;
      auto out = expr(depth + 1);
      if (!out) return out;
      if (!at(')')) {
        return unexpected("')' to close the '(' at position " +
                          std::to_string(open + 1));
      }
      ++pos_;
      return out;
    }
    size_t start = pos_;
    while (pos_ < text_.size() && std::string_view("|,;()").find(text_[pos_]) ==
                                      std::string_view::npos) {
      ++pos_;
    }
    if (pos_ == start) return unexpected(ctx_ ? "a type name" : "a scope");
    std::string_view name = text_.substr(start, pos_ - start);
    if (ctx_ == nullptr) {
      if (!valid_scope_pattern(name)) {
        return fail(Code::kBadRequestData,
                    "scopeQ: '" + std::string(name) + "' at position " +
                        std::to_string(start + 1) +
                        " is not a scope (/level/level, + or # as levels)");
      }
      return Clauses{{std::string(name)}};
    }
    if (!valid_name(name) && !is_absolute_uri(name)) {
      return fail(Code::kBadRequestData,
                  "type: '" + std::string(name) + "' at position " +
                      std::to_string(start + 1) + " is not a valid type name");
    }
    return Clauses{{ctx_->expand(name)}};
  }

  static bool valid_scope_pattern(std::string_view s) {
    if (s.size() < 2 || s[0] != '/') return false;
    size_t start = 1;
    while (start <= s.size()) {
      size_t end = std::min(s.find('/', start), s.size());
      std::string_view level = s.substr(start, end - start);
      if (level.empty()) return false;
      if (level == "#" && end != s.size()) return false;
      if (level.find_first_of(" \"'=<>") != std::string_view::npos)
        return false;
      start = end + 1;
    }
    return true;
  }

  std::unexpected<Error> too_complex() const {
    return fail(Code::kTooComplexQuery,
                what_ + ": the expression expands to more than " +
                    std::to_string(kMaxTypeClauses) +
                    " alternatives or nests deeper than " +
                    std::to_string(kMaxTypeExpressionDepth) + " levels");
  }

  std::string_view text_;
  const Context* ctx_;  // null: scopeQ
  std::string what_;
  size_t pos_ = 0;
};

// Whether the scope "/a/b/c" matches the pattern "/a/+/c", "/a/#", ...
bool scope_matches_pattern(std::string_view scope, std::string_view pattern) {
  size_t s = 1, p = 1;
  while (true) {
    size_t p_end = std::min(pattern.find('/', p), pattern.size());
    std::string_view level = pattern.substr(p, p_end - p);
    if (level == "#") return true;
    if (s > scope.size()) return false;
    size_t s_end = std::min(scope.find('/', s), scope.size());
    if (level != "+" && level != scope.substr(s, s_end - s)) return false;
    if (p_end == pattern.size()) return s_end == scope.size();
    p = p_end + 1;
    s = s_end + 1;
  }
}

}  // namespace

Result<TypeExpression> parse_scope_query(std::string_view text) {
  if (text.size() > kMaxTypeExpressionLength) {
    return fail(Code::kTooComplexQuery,
                "scopeQ: the expression is longer than " +
                    std::to_string(kMaxTypeExpressionLength) + " characters");
  }
  auto clauses = TypeParser(text, nullptr).parse();
  if (!clauses) return std::unexpected(clauses.error());
  return TypeExpression{std::move(*clauses)};
}

bool scope_matches(const TypeExpression& query,
                   const std::vector<std::string>& scopes) {
  for (const auto& clause : query.clauses) {
    bool all = std::all_of(clause.begin(), clause.end(), [&](const auto& p) {
      return std::any_of(scopes.begin(), scopes.end(), [&](const auto& s) {
        return scope_matches_pattern(s, p);
      });
    });
    if (all) return true;
  }
  return false;
}

bool TypeExpression::is_plain_list() const {
  return std::all_of(clauses.begin(), clauses.end(),
                     [](const auto& c) { return c.size() == 1; });
}

Result<TypeExpression> parse_type_expression(std::string_view text,
                                             const Context& ctx) {
  if (text.size() > kMaxTypeExpressionLength) {
    return fail(Code::kTooComplexQuery,
                "type: the expression is longer than " +
                    std::to_string(kMaxTypeExpressionLength) + " characters");
  }
  auto clauses = TypeParser(text, &ctx).parse();
  if (!clauses) return std::unexpected(clauses.error());
  std::sort(clauses->begin(), clauses->end());
  clauses->erase(std::unique(clauses->begin(), clauses->end()), clauses->end());
  return TypeExpression{std::move(*clauses)};
}

bool matches(const TypeExpression& expr,
             const std::vector<std::string>& types) {
  for (const auto& clause : expr.clauses) {
    bool all = std::all_of(clause.begin(), clause.end(), [&](const auto& t) {
      return std::binary_search(types.begin(), types.end(), t);
    });
    if (all) return true;
  }
  return false;
}

}  // namespace cocity::ngsi
