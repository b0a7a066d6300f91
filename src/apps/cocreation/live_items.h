// The items a live session steps through, their vote values and tallies.
//
// Item JSON: {"id", "type": "idea_rating" | "likert" | "single_choice",
// "text", "idea" (idea_rating), "criterion": "benefit" | "urgency" |
// "feasibility" | "cost" (idea_rating), "options": [".."] (single_choice,
// 2..20)}. Vote values: idea_rating and likert 1..5 (likert also
// "dont_know"); single_choice the option's 0-based index. A value is kept
// in canonical text form: "1".."5", "dont_know", "0".."n-1".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/json.h"

namespace cocity::apps::cocreation {

enum class LiveItemType { kIdeaRating, kLikert, kSingleChoice };

struct LiveItem {
  std::string id;  // unique within the session; "i1", "i2", ... if not given
  LiveItemType type = LiveItemType::kLikert;
  std::string text;
  std::string idea;                  // idea_rating only
  std::string criterion;             // idea_rating only
  std::vector<std::string> options;  // single_choice only
};

// Parses and checks an "items" array (1..200 items). Idea ids are not
// checked here (the caller knows the tenant's ideas). kBadRequestData
// naming the element ("items[2].options: ...").
Result<std::vector<LiveItem>> parse_live_items(const json::value& items);
json::object live_item_json(const LiveItem& item);
json::array live_items_json(const std::vector<LiveItem>& items);

// The canonical text of a vote value for `item`; kBadRequestData naming
// "value" and the allowed values otherwise.
Result<std::string> parse_live_value(const LiveItem& item,
                                     const json::value& value);

// The votes on one item: a count per canonical value.
class LiveTally {
 public:
  explicit LiveTally(const LiveItem& item);
  // REQUIRES: `value` came from parse_live_value for the same item.
  void add(std::string_view value);
  int64_t n() const { return n_; }
  // {"counts": {"1": n, ...}, "mean"?: x (numeric values only), "n": n}
  json::object to_json() const;

 private:
  std::vector<std::string> keys_;  // the canonical values, in order
  std::vector<int64_t> counts_;
  bool numeric_ = true;  // "1".."5" (and "dont_know", not in the mean)
  int64_t n_ = 0;
};

}  // namespace cocity::apps::cocreation
