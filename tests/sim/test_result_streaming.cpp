// Result files rendered in pieces (sim/io/json_stream.h) and rows stored compactly
// (sim/report/layer_rows.h) must give exactly the bytes and values of the plain JSON forms they replace.
#include <doctest/doctest.h>

#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "sim/io/json_stream.h"
#include "sim/report/layer_rows.h"

namespace {

using Json = nlohmann::ordered_json;

// Streams `object` member by member, its member `rows_key` element by element.
std::string streamed(const Json& object, const std::string& rows_key) {
  std::string text;
  const npusim::ChunkSink emit = [&text](std::string_view chunk) { text.append(chunk); };
  npusim::JsonObjectStream out(emit);
  for (const auto& item : object.items()) {
    if (item.key() != rows_key) {
      out.member(item.key(), item.value());
      continue;
    }
    out.begin_array(item.key());
    for (const auto& element : item.value()) out.element(element);
    out.end_array();
  }
  out.finish();
  return text;
}

}  // namespace

TEST_CASE("a streamed object is byte for byte nlohmann's dump(2) plus a newline") {
  const Json nested = {{"a", 1}, {"b", {{"c", {1, 2, {{"d", "two\nlines"}}}}, {"e", Json::array()}}}};
  const Json rows = Json::array({{{"name", "x"}, {"cycles", 3}, {"shape", {1, 2}}}, {{"name", "y\"q"}, {"cycles", 4}}});
  Json object = {{"schema_version", 1}, {"nested", nested}, {"layers", rows}, {"empty", Json::object()},
                 {"totals", {{"time_s", 0.125}}}};
  CHECK(streamed(object, "layers") == object.dump(2) + "\n");
  object["layers"] = Json::array();  // no rows: "[]" as nlohmann writes it
  CHECK(streamed(object, "layers") == object.dump(2) + "\n");
  CHECK(streamed(Json::object(), "layers") == "{}\n");
}

TEST_CASE("layer rows keep every value in column order and read like objects") {
  npusim::LayerRows rows;
  const Json first = {{"index", 0}, {"name", "conv1"}, {"cycles", 100}, {"time_s", 1e-6}};
  const Json second = {{"index", 1}, {"name", "fc"}, {"cycles", 7}, {"time_s", 2.5e-8}};
  rows.push_back(first);
  rows.push_back(second);
  REQUIRE(rows.size() == 2);
  CHECK(rows.columns() == std::vector<std::string>{"index", "name", "cycles", "time_s"});
  CHECK(rows[0].to_json() == first);
  CHECK(rows[1].to_json().dump() == second.dump());
  CHECK(rows[1]["cycles"].get<uint64_t>() == 7);
  CHECK(rows[0].contains("name"));
  CHECK_FALSE(rows[0].contains("energy_j"));
  rows.set(1, "name", "fc renamed");
  CHECK(rows[1]["name"] == "fc renamed");
  CHECK_THROWS_AS(rows[0]["energy_j"], std::out_of_range);
  // Rows of one run share one column list; another list is a bug upstream, not something to store.
  CHECK_THROWS_AS(rows.push_back(Json{{"index", 2}, {"cycles", 1}, {"name", "z"}, {"time_s", 0.0}}),
                  std::logic_error);
  CHECK_THROWS_AS(rows.push_back(Json{{"index", 2}}), std::logic_error);
  rows.clear();
  CHECK(rows.empty());
}
