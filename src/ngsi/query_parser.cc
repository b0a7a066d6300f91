#include "ngsi/query_parser.h"

#include <re2/re2.h>

#include <charconv>
#include <cmath>
#include <string>
#include <utility>

#include "ngsi/entity.h"

namespace cocity::ngsi {
namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Characters that end an attribute or sub-attribute name.
bool ends_name(char c) {
  static constexpr std::string_view kStop = "=!<>~;|()[].,\"'\\";
  return static_cast<unsigned char>(c) <= ' ' || c == 0x7f ||
         kStop.find(c) != std::string_view::npos;
}

// Characters that end an unquoted constant (besides "..").
bool ends_constant(char c) {
  return is_space(c) || c == ';' || c == '|' || c == '(' || c == ')' ||
         c == ',' || c == '"';
}

bool is_op_char(char c) {
  return c == '=' || c == '!' || c == '<' || c == '>' || c == '~';
}

MetaField meta_field(std::string_view name) {
  if (name == "observedAt") return MetaField::kObservedAt;
  if (name == "modifiedAt") return MetaField::kModifiedAt;
  if (name == "createdAt") return MetaField::kCreatedAt;
  if (name == "unitCode") return MetaField::kUnitCode;
  if (name == "datasetId") return MetaField::kDatasetId;
  return MetaField::kNone;
}

bool op_from_text(std::string_view s, Op* op) {
  static constexpr std::pair<std::string_view, Op> kOps[] = {
      {"==", Op::kEqual},     {"!=", Op::kUnequal},   {">", Op::kGreater},
      {">=", Op::kGreaterEq}, {"<", Op::kLess},       {"<=", Op::kLessEq},
      {"~=", Op::kMatch},     {"!~=", Op::kNotMatch},
  };
  for (const auto& [text, value] : kOps) {
    if (s == text) {
      *op = value;
      return true;
    }
  }
  return false;
}

bool is_ordering(Op op) {
  return op == Op::kGreater || op == Op::kGreaterEq || op == Op::kLess ||
         op == Op::kLessEq;
}

// -?digits[.digits][(e|E)[+-]digits]
bool looks_like_number(std::string_view s) {
  size_t i = 0;
  auto digits = [&] {
    size_t start = i;
    while (i < s.size() && is_digit(s[i])) ++i;
    return i > start;
  };
  if (i < s.size() && s[i] == '-') ++i;
  if (!digits()) return false;
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (!digits()) return false;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == s.size();
}

// YYYY-MM-DD at the start of s.
bool starts_with_date(std::string_view s) {
  if (s.size() < 10) return false;
  for (size_t i = 0; i < 10; ++i) {
    bool dash = i == 4 || i == 7;
    if (dash ? s[i] != '-' : !is_digit(s[i])) return false;
  }
  return true;
}

bool looks_like_time(std::string_view s) {
  return s.size() >= 3 && is_digit(s[0]) && is_digit(s[1]) && s[2] == ':';
}

void append_utf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

class Parser {
 public:
  Parser(std::string_view text, const Context& ctx) : text_(text), ctx_(ctx) {}

  Result<Query> parse();

 private:
  Result<Node> parse_or(int depth);
  Result<Node> parse_and(int depth);
  Result<Node> parse_factor(int depth);
  Result<Node> parse_term();
  Result<AttrPath> parse_path();
  Result<std::string> parse_name(std::string_view what);
  Status parse_compound(AttrPath* path);
  Result<Op> parse_op(std::string_view* op_text);
  Status parse_values(Term* term, std::string_view op_text);
  Status parse_more_values(Term* term, std::string_view op_text);
  Result<Constant> parse_constant(std::string_view op_text);
  Result<Constant> classify(std::string_view token, size_t start);
  Result<std::string> parse_string();
  Result<std::string> parse_pattern_text(std::string_view op_text);
  Status parse_pattern(Term* term, std::string_view op_text);

  bool at_end() const { return pos_ >= text_.size(); }
  char peek() const { return at_end() ? '\0' : text_[pos_]; }
  void skip_space() {
    while (!at_end() && is_space(text_[pos_])) ++pos_;
  }
  // "end of query" or "'x'" for the character at pos_.
  std::string found() const;
  std::unexpected<Error> bad(std::string what, size_t pos) const {
    return fail(Code::kBadRequestData,
                "q: " + what + " at position " + std::to_string(pos + 1));
  }
  std::unexpected<Error> bad_here(std::string what) const {
    return bad(std::move(what) + ", found " + found(), pos_);
  }

  std::string_view text_;
  const Context& ctx_;
  size_t pos_ = 0;
  int term_count_ = 0;
};

std::string Parser::found() const {
  if (at_end()) return "end of query";
  return "'" + std::string(1, text_[pos_]) + "'";
}

Result<Query> Parser::parse() {
  if (text_.size() > kMaxQueryLength) {
    return fail(Code::kTooComplexQuery, "q is " + std::to_string(text_.size()) +
                                            " characters long (limit " +
                                            std::to_string(kMaxQueryLength) +
                                            ", max_query_length)");
  }
  skip_space();
  if (at_end()) return fail(Code::kBadRequestData, "q: empty query");
  auto root = parse_or(0);
  if (!root) return std::unexpected(root.error());
  skip_space();
  if (!at_end()) {
    if (peek() == ')')
      return bad("unexpected ')' without a matching '('", pos_);
    return bad_here("expected ';', '|' or end of query");
  }
  Query query;
  query.root = std::move(*root);
  query.term_count = term_count_;
  return query;
}

// Folds `first` and the nodes after each `sep` into one node of `kind`.
Result<Node> Parser::parse_or(int depth) {
  auto first = parse_and(depth);
  if (!first) return first;
  Node node;
  node.kind = Node::Kind::kOr;
  node.children.push_back(std::move(*first));
  for (skip_space(); peek() == '|'; skip_space()) {
    ++pos_;
    auto next = parse_and(depth);
    if (!next) return next;
    node.children.push_back(std::move(*next));
  }
  if (node.children.size() == 1) return std::move(node.children[0]);
  return node;
}

Result<Node> Parser::parse_and(int depth) {
  auto first = parse_factor(depth);
  if (!first) return first;
  Node node;
  node.kind = Node::Kind::kAnd;
  node.children.push_back(std::move(*first));
  for (skip_space(); peek() == ';'; skip_space()) {
    ++pos_;
    auto next = parse_factor(depth);
    if (!next) return next;
    node.children.push_back(std::move(*next));
  }
  if (node.children.size() == 1) return std::move(node.children[0]);
  return node;
}

Result<Node> Parser::parse_factor(int depth) {
  skip_space();
  if (peek() != '(') return parse_term();
  size_t open = pos_;
  if (depth + 1 > kMaxQueryDepth) {
    return fail(Code::kTooComplexQuery,
                "q: parentheses nested deeper than " +
                    std::to_string(kMaxQueryDepth) + " levels at position " +
                    std::to_string(open + 1) + " (limit max_query_depth)");
  }
  ++pos_;
  auto node = parse_or(depth + 1);
  if (!node) return node;
  skip_space();
  if (peek() != ')') {
    return bad_here("expected ')' to close the '(' at position " +
                    std::to_string(open + 1));
  }
  ++pos_;
  return node;
}

Result<Node> Parser::parse_term() {
  if (++term_count_ > kMaxQueryTerms) {
    return fail(Code::kTooComplexQuery,
                "q: more than " + std::to_string(kMaxQueryTerms) +
                    " terms (limit max_query_terms) at position " +
                    std::to_string(pos_ + 1));
  }
  Node node;
  auto path = parse_path();
  if (!path) return std::unexpected(path.error());
  node.term.path = std::move(*path);
  const AttrPath& p = node.term.path;
  node.term.vocab_values =
      p.meta == MetaField::kNone && p.compound.empty() &&
      ctx_.is_vocab_attribute(p.sub_attrs.empty() ? p.attr
                                                  : p.sub_attrs.back());
  skip_space();
  std::string_view op_text;
  auto op = parse_op(&op_text);
  if (!op) return std::unexpected(op.error());
  node.term.op = *op;
  if (*op == Op::kExists) return node;
  auto values = (*op == Op::kMatch || *op == Op::kNotMatch)
                    ? parse_pattern(&node.term, op_text)
                    : parse_values(&node.term, op_text);
  if (!values) return std::unexpected(values.error());
  return node;
}

Result<std::string> Parser::parse_name(std::string_view what) {
  size_t start = pos_;
  while (!at_end() && !ends_name(text_[pos_])) ++pos_;
  if (pos_ == start) {
    if (peek() == ')' && what == "an attribute name") {
      return bad("expected an attribute name before ')'", pos_);
    }
    return bad_here("expected " + std::string(what));
  }
  return std::string(text_.substr(start, pos_ - start));
}

Result<AttrPath> Parser::parse_path() {
  size_t start = pos_;
  AttrPath path;
  auto name = parse_name("an attribute name");
  if (!name) return std::unexpected(name.error());
  if (name->find("://") != std::string::npos) {
    // A full IRI: its dots belong to it, so it has no sub-attributes.
    while (peek() == '.' && pos_ + 1 < text_.size() &&
           !ends_name(text_[pos_ + 1])) {
      size_t dot = pos_++;
      while (!at_end() && !ends_name(text_[pos_])) ++pos_;
      name->append(text_.substr(dot, pos_ - dot));
    }
  }
  path.attr = ctx_.expand(*name);
  if (is_private_attr(path.attr)) {
    return bad("attribute '" + *name + "' is reserved for cocity", pos_);
  }
  while (peek() == '.') {
    ++pos_;
    size_t name_pos = pos_;
    name = parse_name("a sub-attribute name after '.'");
    if (!name) return std::unexpected(name.error());
    if (path.meta != MetaField::kNone) {
      return bad("'" + std::string(meta_member(path.meta)) +
                     "' must be the last element of a path",
                 name_pos);
    }
    path.meta = meta_field(*name);
    if (path.meta == MetaField::kNone) {
      path.sub_attrs.push_back(ctx_.expand(*name));
    }
  }
  auto compound = parse_compound(&path);
  if (!compound) return std::unexpected(compound.error());
  path.text = std::string(text_.substr(start, pos_ - start));
  return path;
}

Status Parser::parse_compound(AttrPath* path) {
  while (peek() == '[') {
    size_t open = pos_++;
    size_t start = pos_;
    while (!at_end() && text_[pos_] != ']' && text_[pos_] != '[') ++pos_;
    if (peek() != ']') {
      return bad_here("expected ']' to close the '[' at position " +
                      std::to_string(open + 1));
    }
    if (pos_ == start) return bad("empty member name in '[]'", open);
    path->compound.emplace_back(text_.substr(start, pos_ - start));
    ++pos_;
  }
  if (peek() == '.') {
    return bad("a '.' sub-attribute cannot follow a '[...]' member", pos_);
  }
  return ok();
}

Result<Op> Parser::parse_op(std::string_view* op_text) {
  size_t start = pos_;
  while (!at_end() && is_op_char(text_[pos_])) ++pos_;
  *op_text = text_.substr(start, pos_ - start);
  if (op_text->empty()) return Op::kExists;
  Op op;
  if (!op_from_text(*op_text, &op)) {
    return bad("unknown operator '" + std::string(*op_text) +
                   "' (expected ==, !=, >, >=, <, <=, ~= or !~=)",
               start);
  }
  return op;
}

Status Parser::parse_values(Term* term, std::string_view op_text) {
  auto first = parse_constant(op_text);
  if (!first) return std::unexpected(first.error());
  if (is_ordering(term->op) &&
      (first->kind == ValueKind::kBool || first->kind == ValueKind::kUri)) {
    return bad(
        "'" + std::string(op_text) + "' needs a number, string, date or time",
        pos_ - 1);
  }
  term->values.push_back(std::move(*first));
  return parse_more_values(term, op_text);
}

bool is_time_kind(ValueKind k) {
  return k == ValueKind::kDate || k == ValueKind::kDateTime;
}

// The range or list after the first constant, if any.
Status Parser::parse_more_values(Term* term, std::string_view op_text) {
  skip_space();
  bool range = text_.substr(pos_).starts_with("..");
  if (!range && peek() != ',') return ok();
  size_t sep = pos_;
  if (term->op != Op::kEqual && term->op != Op::kUnequal) {
    return bad(std::string(range ? "a range" : "a value list") +
                   " needs == or !=, not '" + std::string(op_text) + "'",
               sep);
  }
  if (range) {
    pos_ += 2;
    auto high = parse_constant("..");
    if (!high) return std::unexpected(high.error());
    ValueKind lo = term->values[0].kind, hi = high->kind;
    bool same = lo == hi || (is_time_kind(lo) && is_time_kind(hi));
    if (!same || lo == ValueKind::kBool || lo == ValueKind::kUri) {
      return bad("a range needs two numbers, strings, dates or times", sep);
    }
    term->values.push_back(std::move(*high));
    term->is_range = true;
    return ok();
  }
  while (peek() == ',') {
    ++pos_;
    auto next = parse_constant(",");
    if (!next) return std::unexpected(next.error());
    term->values.push_back(std::move(*next));
    skip_space();
  }
  if (text_.substr(pos_).starts_with("..")) {
    return bad("a value list cannot contain a range", pos_);
  }
  return ok();
}

Result<Constant> Parser::parse_constant(std::string_view op_text) {
  skip_space();
  size_t start = pos_;
  if (peek() == '"') {
    auto s = parse_string();
    if (!s) return std::unexpected(s.error());
    std::string expanded = ctx_.expand(*s);
    return Constant{.kind = ValueKind::kString,
                    .text = std::move(*s),
                    .expanded = std::move(expanded)};
  }
  while (!at_end() && !ends_constant(text_[pos_]) &&
         !text_.substr(pos_).starts_with("..")) {
    ++pos_;
  }
  if (pos_ == start) {
    return bad_here("expected a value after '" + std::string(op_text) + "'");
  }
  return classify(text_.substr(start, pos_ - start), start);
}

Result<Constant> Parser::classify(std::string_view token, size_t start) {
  Constant c;
  std::string quoted = "'" + std::string(token) + "'";
  if (looks_like_number(token)) {
    auto [end, ec] =
        std::from_chars(token.data(), token.data() + token.size(), c.number);
    if (ec != std::errc() || !std::isfinite(c.number)) {
      return bad("number " + quoted + " is out of range", start);
    }
    return c;
  }
  if (token == "true" || token == "false") {
    c.kind = ValueKind::kBool;
    c.boolean = token == "true";
    return c;
  }
  if (starts_with_date(token)) {
    bool date_only = token.size() == 10;
    auto t = date_only ? parse_iso_date(token) : parse_iso_time(token);
    if (!t) {
      return bad(quoted + (date_only ? " is not a valid date"
                                     : " is not a valid date-time (an offset "
                                       "such as Z is required)"),
                 start);
    }
    c.kind = date_only ? ValueKind::kDate : ValueKind::kDateTime;
    c.time = *t;
    return c;
  }
  if (looks_like_time(token)) {
    if (!parse_time_of_day(token, &c.time)) {
      return bad(quoted + " is not a valid time (hh:mm:ss[.fff][Z])", start);
    }
    c.kind = ValueKind::kTime;
    return c;
  }
  if (is_absolute_uri(token)) {
    c.kind = ValueKind::kUri;
    c.text = std::string(token);
    c.expanded = ctx_.expand(token);
    return c;
  }
  return bad(quoted +
                 " is not a number, true/false, date, time or URI "
                 "(strings must be quoted: \"...\")",
             start);
}

Result<std::string> Parser::parse_string() {
  size_t open = pos_++;
  std::string out;
  while (!at_end() && text_[pos_] != '"') {
    char c = text_[pos_++];
    if (c != '\\') {
      out.push_back(c);
      continue;
    }
    if (at_end()) break;
    char e = text_[pos_++];
    static constexpr std::string_view kFrom = "\"\\/bfnrt";
    static constexpr std::string_view kTo = "\"\\/\b\f\n\r\t";
    if (size_t k = kFrom.find(e); k != std::string_view::npos) {
      out.push_back(kTo[k]);
      continue;
    }
    uint32_t cp = 0;
    auto hex = text_.substr(pos_, 4);
    auto [end, ec] =
        std::from_chars(hex.data(), hex.data() + hex.size(), cp, 16);
    if (e != 'u' || hex.size() != 4 || ec != std::errc() ||
        end != hex.data() + 4 || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return bad("bad escape '\\" + std::string(1, e) + "' in string",
                 pos_ - 2);
    }
    pos_ += 4;
    append_utf8(cp, &out);
  }
  if (at_end()) {
    return bad("unterminated string starting", open);
  }
  ++pos_;
  return out;
}

// An unquoted pattern ends at ; | ) outside (), [] and escapes.
Result<std::string> Parser::parse_pattern_text(std::string_view op_text) {
  skip_space();
  if (peek() == '"') {
    size_t open = pos_++;
    std::string out;
    while (!at_end() && text_[pos_] != '"') {
      if (text_[pos_] == '\\' && pos_ + 1 < text_.size() &&
          text_[pos_ + 1] == '"') {
        ++pos_;
      } else if (text_[pos_] == '\\' && pos_ + 1 < text_.size()) {
        out.push_back(text_[pos_++]);
      }
      out.push_back(text_[pos_++]);
    }
    if (at_end()) return bad("unterminated pattern starting", open);
    ++pos_;
    return out;
  }
  size_t start = pos_;
  int parens = 0;
  bool in_class = false;
  for (; !at_end(); ++pos_) {
    char c = text_[pos_];
    if (c == '\\') {
      if (pos_ + 1 < text_.size()) ++pos_;
    } else if (in_class) {
      in_class = c != ']';
    } else if (c == '[') {
      in_class = true;
    } else if (c == '(') {
      ++parens;
    } else if (c == ')' && parens > 0) {
      --parens;
    } else if (parens == 0 && (c == ';' || c == '|' || c == ')')) {
      break;
    }
  }
  if (pos_ == start) {
    return bad_here("expected a pattern after '" + std::string(op_text) + "'");
  }
  return std::string(text_.substr(start, pos_ - start));
}

Status Parser::parse_pattern(Term* term, std::string_view op_text) {
  size_t start = (skip_space(), pos_);
  auto text = parse_pattern_text(op_text);
  if (!text) return std::unexpected(text.error());
  RE2::Options options;
  options.set_log_errors(false);
  options.set_max_mem(kMaxPatternMemory);
  auto re = std::make_shared<const RE2>(*text, options);
  if (re->error_code() == RE2::ErrorPatternTooLarge) {
    return fail(Code::kTooComplexQuery,
                "q: the pattern at position " + std::to_string(start + 1) +
                    " is too large (limit " +
                    std::to_string(kMaxPatternMemory / 1024) +
                    " KiB compiled, max_pattern_memory)");
  }
  if (!re->ok()) {
    return bad("bad regular expression (" + re->error() + ")", start);
  }
  term->pattern = std::move(re);
  term->pattern_text = std::move(*text);
  return ok();
}

}  // namespace

Result<Query> parse_query(std::string_view text, const Context& ctx) {
  return Parser(text, ctx).parse();
}

}  // namespace cocity::ngsi
