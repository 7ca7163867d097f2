#include "arch/spec/json_text.h"

#include <algorithm>
#include <set>
#include <vector>

#include "arch/spec/input_error.h"

namespace npusim {
namespace {

// Deeper nesting than any config, trace or spec needs; it bounds the work of recursive consumers
// (merge patches, readers) so a hostile file cannot overflow the stack.
constexpr size_t kMaxJsonDepth = 256;

// nlohmann's DOM builder behind a SAX interface that keeps the position of the first error of any kind:
// a syntax error, or a number too large for a double, which the plain parse() throws as out_of_range
// without a position. It also refuses duplicate keys in one object (nlohmann silently keeps the last,
// so a typo'd override would be lost) and nesting deeper than kMaxJsonDepth.
class PositionedDomParser {
 public:
  explicit PositionedDomParser(nlohmann::json& root) : dom_(root, false) {}
  bool null() { return dom_.null(); }
  bool boolean(bool value) { return dom_.boolean(value); }
  bool number_integer(nlohmann::json::number_integer_t value) { return dom_.number_integer(value); }
  bool number_unsigned(nlohmann::json::number_unsigned_t value) { return dom_.number_unsigned(value); }
  bool number_float(nlohmann::json::number_float_t value, const nlohmann::json::string_t& text) {
    return dom_.number_float(value, text);
  }
  bool string(nlohmann::json::string_t& value) { return dom_.string(value); }
  bool binary(nlohmann::json::binary_t& value) { return dom_.binary(value); }
  bool start_object(std::size_t size) {
    open_.emplace_back();
    return deep_enough() && dom_.start_object(size);
  }
  bool key(nlohmann::json::string_t& value) {
    if (!open_.back().insert(value).second) {
      semantic_error = "duplicate key '" + value.substr(0, 100) + "' in one object";
      return false;
    }
    return dom_.key(value);
  }
  bool end_object() {
    open_.pop_back();
    return dom_.end_object();
  }
  bool start_array(std::size_t size) {
    open_.emplace_back();
    return deep_enough() && dom_.start_array(size);
  }
  bool end_array() {
    open_.pop_back();
    return dom_.end_array();
  }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& error) {
    error_position = position;
    error_message = error.what();
    return false;
  }

  std::string semantic_error;  // duplicate key or nesting too deep; the parser's position is not kept

  std::size_t error_position = 0;  // bytes read when the error was found, counting from 1
  std::string error_message;

 private:
  bool deep_enough() {
    if (open_.size() <= kMaxJsonDepth) return true;
    semantic_error = "nesting deeper than " + std::to_string(kMaxJsonDepth) + " levels";
    return false;
  }

  nlohmann::detail::json_sax_dom_parser<nlohmann::json> dom_;
  std::vector<std::set<std::string>> open_;  // keys seen in each open object (empty for arrays)
};

}  // namespace

nlohmann::json parse_json_text(const std::string& text, const std::string& file) {
  nlohmann::json root;
  PositionedDomParser sax(root);
  const bool parsed = nlohmann::json::sax_parse(text, &sax);
  if (!sax.semantic_error.empty()) throw InputError(file, "", "expected valid JSON (" + sax.semantic_error + ")");
  if (parsed && sax.error_message.empty()) return root;
  // Line and column of the byte the parser stopped at.
  size_t line = 1, column = 1;
  const size_t end = std::min<size_t>(sax.error_position == 0 ? 0 : sax.error_position - 1, text.size());
  for (size_t i = 0; i < end; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  std::string detail = sax.error_message;
  const auto column_at = detail.find("column");
  const auto colon = detail.find(": ", column_at == std::string::npos ? 0 : column_at);
  if (colon != std::string::npos) detail = detail.substr(colon + 2);
  if (detail.rfind("[json.exception", 0) == 0 && detail.find("] ") != std::string::npos) {
    detail = detail.substr(detail.find("] ") + 2);
  }
  detail = detail.substr(0, 200);
  throw InputError(file, "line " + std::to_string(line) + ", column " + std::to_string(column),
                   "expected valid JSON (" + detail + ")");
}

}  // namespace npusim
