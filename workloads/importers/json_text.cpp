#include "workloads/importers/json_text.h"

#include <algorithm>

#include "arch/spec/input_error.h"

namespace npusim {
namespace {

// nlohmann's DOM builder behind a SAX interface that keeps the position of the first error of any kind:
// a syntax error, or a number too large for a double, which the plain parse() throws as out_of_range
// without a position.
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
  bool start_object(std::size_t size) { return dom_.start_object(size); }
  bool key(nlohmann::json::string_t& value) { return dom_.key(value); }
  bool end_object() { return dom_.end_object(); }
  bool start_array(std::size_t size) { return dom_.start_array(size); }
  bool end_array() { return dom_.end_array(); }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& error) {
    error_position = position;
    error_message = error.what();
    return false;
  }

  std::size_t error_position = 0;  // bytes read when the error was found, counting from 1
  std::string error_message;

 private:
  nlohmann::detail::json_sax_dom_parser<nlohmann::json> dom_;
};

}  // namespace

nlohmann::json parse_json_text(const std::string& text, const std::string& file) {
  nlohmann::json root;
  PositionedDomParser sax(root);
  if (nlohmann::json::sax_parse(text, &sax) && sax.error_message.empty()) return root;
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
