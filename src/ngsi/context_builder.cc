#include "ngsi/context_builder.h"

#include <string>
#include <unordered_map>
#include <utility>

namespace cocity::ngsi {

// Applies @context items one after the other onto a copy of the core.
class ContextBuilder {
 public:
  ContextBuilder(const ContextLoader& load, int depth)
      : load_(load), depth_(depth), ctx_(new Context(*Context::core())) {
    ctx_->url_.clear();
  }

  Status apply(const json::value& item) {
    if (item.is_null()) {
      ctx_.reset(new Context(*Context::core()));
      ctx_->url_.clear();
      return ok();
    }
    if (item.is_string()) return apply_url(item.get_string());
    if (item.is_object()) return apply_object(item.get_object());
    if (item.is_array()) {
      for (const auto& nested : item.get_array()) {
        if (auto s = apply(nested); !s) return s;
      }
      return ok();
    }
    return fail(Code::kBadRequestData,
                "@context entries must be URLs, objects or arrays of them");
  }

  std::shared_ptr<const Context> finish() { return std::move(ctx_); }

 private:
  // One term of the object being applied: its raw IRI and @vocab flag.
  struct RawTerm {
    std::string raw;  // "" with undefined = true for null
    bool undefined = false;
    bool vocab = false;
    bool has_id = true;
  };
  using RawTerms = std::unordered_map<std::string, RawTerm>;

  Status apply_url(std::string_view url) {
    if (depth_ >= kMaxContextDepth) {
      return fail(Code::kBadRequestData,
                  "@context references nest deeper than " +
                      std::to_string(kMaxContextDepth) + " levels at '" +
                      std::string(url.substr(0, 200)) + "'");
    }
    auto c = load_(url, depth_);
    if (!c) return std::unexpected(c.error());
    ctx_->merge(**c);
    return ok();
  }

  static Result<RawTerm> read_term(const std::string& term,
                                   const json::value& v) {
    RawTerm t;
    if (v.is_null()) {
      t.undefined = true;
      return t;
    }
    if (v.is_string()) {
      t.raw = v.get_string();
      return t;
    }
    if (!v.is_object()) {
      return fail(
          Code::kBadRequestData,
          "@context term '" + term + "' must map to an IRI, null or an object");
    }
    const auto& o = v.get_object();
    if (const auto* type = o.if_contains("@type")) {
      t.vocab = type->is_string() && type->get_string() == "@vocab";
    }
    const auto* id = o.if_contains("@id");
    if (!id) {
      t.has_id = false;
    } else if (id->is_null()) {
      t.undefined = true;
    } else if (id->is_string()) {
      t.raw = id->get_string();
    } else {
      return fail(Code::kBadRequestData,
                  "@context term '" + term + "': '@id' must be a string");
    }
    return t;
  }

  // The IRI of `raw` in the object being applied: other terms of the same
  // object count as terms and prefixes (at most kMaxContextDepth hops).
  std::string resolve(const std::string& raw, const RawTerms& terms,
                      int hops) const {
    if (hops < kMaxContextDepth) {
      size_t colon = raw.find(':');
      if (colon == std::string::npos) {
        auto it = terms.find(raw);
        if (it != terms.end() && !it->second.undefined && it->second.has_id &&
            it->second.raw != raw) {
          return resolve(it->second.raw, terms, hops + 1);
        }
      } else if (raw.compare(colon + 1, 2, "//") != 0) {
        auto it = terms.find(raw.substr(0, colon));
        if (it != terms.end() && !it->second.undefined && it->second.has_id) {
          return resolve(it->second.raw, terms, hops + 1) +
                 raw.substr(colon + 1);
        }
      }
    }
    return ctx_->expand(raw);
  }

  Status apply_object(const json::object& o) {
    if (const auto* import = o.if_contains("@import")) {
      if (!import->is_string()) {
        return fail(Code::kBadRequestData, "@context '@import' must be a URL");
      }
      if (auto s = apply_url(import->get_string()); !s) return s;
    }
    if (const auto* vocab = o.if_contains("@vocab")) {
      if (vocab->is_string()) {
        ctx_->vocab_ = ctx_->expand(vocab->get_string());
      } else if (!vocab->is_null()) {
        return fail(Code::kBadRequestData, "@context '@vocab' must be an IRI");
      }
    }
    RawTerms terms;
    for (const auto& kv : o) {
      std::string term(kv.key());
      if (term.empty()) {
        return fail(Code::kBadRequestData, "@context defines an empty term");
      }
      if (term.front() == '@') continue;  // keywords
      auto t = read_term(term, kv.value());
      if (!t) return std::unexpected(t.error());
      if (!t->undefined && t->has_id && t->raw.starts_with('@')) continue;
      terms.emplace(std::move(term), std::move(*t));
    }
    for (const auto& [term, t] : terms) {
      if (t.undefined) {
        ctx_->undefine(term);
        continue;
      }
      std::string iri =
          t.has_id ? resolve(t.raw, terms, 0) : resolve(term, RawTerms(), 0);
      if (!is_absolute_uri(iri)) {
        return fail(Code::kBadRequestData, "@context term '" + term +
                                               "' does not map to an IRI ('" +
                                               iri.substr(0, 200) + "')");
      }
      ctx_->define(term, iri, t.vocab);
    }
    return ok();
  }

  const ContextLoader& load_;
  int depth_;
  std::shared_ptr<Context> ctx_;
};

Result<std::shared_ptr<const Context>> build_context(const json::value& value,
                                                     const ContextLoader& load,
                                                     int depth) {
  ContextBuilder builder(load, depth);
  if (auto s = builder.apply(value); !s) return std::unexpected(s.error());
  return builder.finish();
}

Result<const json::value*> context_member(const json::value& document,
                                          std::string_view what) {
  const json::value* member = nullptr;
  if (document.is_object())
    member = document.get_object().if_contains("@context");
  if (!member) {
    return fail(Code::kBadRequestData,
                "the context document '" + std::string(what.substr(0, 200)) +
                    "' is not a JSON object with an '@context' member");
  }
  return member;
}

}  // namespace cocity::ngsi
