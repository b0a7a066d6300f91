#include "apps/cocreation/live_items.h"

#include <algorithm>
#include <set>

#include "apps/cocreation/json_fields.h"

namespace cocity::apps::cocreation {

namespace {

constexpr size_t kMaxItems = 200;
constexpr size_t kMaxOptions = 20;

std::unexpected<Error> bad(const std::string& where, const std::string& what) {
  return fail(Code::kBadRequestData, where + ": " + what);
}

Result<LiveItemType> parse_type(std::string_view name) {
  if (name == "idea_rating") return LiveItemType::kIdeaRating;
  if (name == "likert") return LiveItemType::kLikert;
  if (name == "single_choice") return LiveItemType::kSingleChoice;
  return fail(Code::kBadRequestData,
              "must be idea_rating, likert or single_choice");
}

std::string_view type_name(LiveItemType type) {
  switch (type) {
    case LiveItemType::kIdeaRating:
      return "idea_rating";
    case LiveItemType::kLikert:
      return "likert";
    case LiveItemType::kSingleChoice:
      return "single_choice";
  }
  return "likert";
}

bool valid_criterion(std::string_view c) {
  return c == "benefit" || c == "urgency" || c == "feasibility" || c == "cost";
}

Status parse_options(const json::object& o, const std::string& where,
                     LiveItem* item) {
  const json::value* options = o.if_contains("options");
  if (options == nullptr || !options->is_array() ||
      options->as_array().size() < 2 ||
      options->as_array().size() > kMaxOptions) {
    return bad(where + ".options", "an array of 2 to 20 strings is required");
  }
  for (const json::value& v : options->as_array()) {
    if (!v.is_string() || v.as_string().empty() || v.as_string().size() > 200) {
      return bad(where + ".options", "each option is a string of 1..200 bytes");
    }
    item->options.emplace_back(v.as_string());
  }
  return ok();
}

Result<LiveItem> parse_item(const json::value& v, size_t index) {
  std::string where = "items[" + std::to_string(index) + "]";
  if (!v.is_object()) return bad(where, "must be an object");
  const json::object& o = v.as_object();
  LiveItem item;
  auto type = string_field(o, "type", true, 20);
  if (!type) return bad(where + ".type", type.error().detail);
  auto parsed = parse_type(*type);
  if (!parsed) return bad(where + ".type", parsed.error().detail);
  item.type = *parsed;
  auto id = string_field(o, "id", false, 64, "i" + std::to_string(index + 1));
  auto text =
      string_field(o, "text", item.type != LiveItemType::kIdeaRating, 1000);
  if (!id) return bad(where, id.error().detail);
  if (!text) return bad(where, text.error().detail);
  item.id = std::move(*id);
  item.text = std::move(*text);
  if (item.type == LiveItemType::kIdeaRating) {
    auto idea = string_field(o, "idea", true, 100);
    auto criterion = string_field(o, "criterion", false, 20, "benefit");
    if (!idea) return bad(where, idea.error().detail);
    if (!criterion || !valid_criterion(*criterion)) {
      return bad(where + ".criterion",
                 "must be benefit, urgency, feasibility or cost");
    }
    item.idea = std::move(*idea);
    item.criterion = std::move(*criterion);
  } else if (item.type == LiveItemType::kSingleChoice) {
    if (auto s = parse_options(o, where, &item); !s) {
      return std::unexpected(s.error());
    }
  }
  return item;
}

}  // namespace

Result<std::vector<LiveItem>> parse_live_items(const json::value& items) {
  if (!items.is_array() || items.as_array().empty() ||
      items.as_array().size() > kMaxItems) {
    return bad("items", "an array of 1 to 200 items is required");
  }
  std::vector<LiveItem> out;
  std::set<std::string> ids;
  for (size_t i = 0; i < items.as_array().size(); ++i) {
    auto item = parse_item(items.as_array()[i], i);
    if (!item) return std::unexpected(item.error());
    if (!ids.insert(item->id).second) {
      return bad("items[" + std::to_string(i) + "].id",
                 "'" + item->id + "' is used twice");
    }
    out.push_back(std::move(*item));
  }
  return out;
}

json::object live_item_json(const LiveItem& item) {
  json::object o{
      {"id", item.id}, {"type", type_name(item.type)}, {"text", item.text}};
  if (item.type == LiveItemType::kIdeaRating) {
    o["idea"] = item.idea;
    o["criterion"] = item.criterion;
  }
  if (item.type == LiveItemType::kSingleChoice) {
    json::array options;
    for (const auto& opt : item.options) options.emplace_back(opt);
    o["options"] = std::move(options);
  }
  return o;
}

json::array live_items_json(const std::vector<LiveItem>& items) {
  json::array out;
  for (const auto& item : items) out.emplace_back(live_item_json(item));
  return out;
}

Result<std::string> parse_live_value(const LiveItem& item,
                                     const json::value& value) {
  if (item.type == LiveItemType::kSingleChoice) {
    if (value.is_int64() && value.as_int64() >= 0 &&
        value.as_int64() < static_cast<int64_t>(item.options.size())) {
      return std::to_string(value.as_int64());
    }
    return fail(Code::kBadRequestData,
                "value: must be an option index 0.." +
                    std::to_string(item.options.size() - 1));
  }
  if (value.is_int64() && value.as_int64() >= 1 && value.as_int64() <= 5) {
    return std::to_string(value.as_int64());
  }
  if (item.type == LiveItemType::kLikert && value.is_string() &&
      value.as_string() == "dont_know") {
    return std::string("dont_know");
  }
  return fail(Code::kBadRequestData,
              item.type == LiveItemType::kLikert
                  ? "value: must be an integer 1..5 or \"dont_know\""
                  : "value: must be an integer 1..5");
}

LiveTally::LiveTally(const LiveItem& item) {
  if (item.type == LiveItemType::kSingleChoice) {
    numeric_ = false;
    for (size_t i = 0; i < item.options.size(); ++i) {
      keys_.push_back(std::to_string(i));
    }
  } else {
    for (int v = 1; v <= 5; ++v) keys_.push_back(std::to_string(v));
    if (item.type == LiveItemType::kLikert) keys_.emplace_back("dont_know");
  }
  counts_.assign(keys_.size(), 0);
}

void LiveTally::add(std::string_view value) {
  auto it = std::find(keys_.begin(), keys_.end(), value);
  if (it == keys_.end()) return;
  ++counts_[it - keys_.begin()];
  ++n_;
}

json::object LiveTally::to_json() const {
  json::object counts;
  int64_t numeric_n = 0;
  double sum = 0;
  for (size_t i = 0; i < keys_.size(); ++i) {
    counts[keys_[i]] = counts_[i];
    if (numeric_ && i < 5) {
      numeric_n += counts_[i];
      sum += static_cast<double>((i + 1) * counts_[i]);
    }
  }
  json::object out{{"counts", std::move(counts)}, {"n", n_}};
  if (numeric_ && numeric_n > 0) {
    out["mean"] = sum / static_cast<double>(numeric_n);
  }
  return out;
}

}  // namespace cocity::apps::cocreation
