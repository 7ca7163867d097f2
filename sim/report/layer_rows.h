// The per-layer rows of a run, stored compactly: the column names once, each row as its values in
// column order. A row as an ordered JSON object repeats every key and costs ~3.5 KB; stored like this
// it costs ~1 KB, which keeps a decode with every step simulated (~200k rows) or a 100k-operator
// trace within the memory budget. Rows read like objects: rows[i]["cycles"].
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace npusim {

class LayerRows;

// One row, read by column name.
class LayerRowView {
 public:
  LayerRowView(const LayerRows& rows, size_t row) : rows_(rows), row_(row) {}
  // Throws std::out_of_range for a column the rows do not have.
  const nlohmann::ordered_json& operator[](std::string_view column) const;
  bool contains(std::string_view column) const;
  nlohmann::ordered_json to_json() const;  // the row as an object, keys in column order

 private:
  const LayerRows& rows_;
  size_t row_;
};

class LayerRows {
 public:
  // An object whose keys are the first row's, in the same order (a logic error otherwise: every row
  // of a run comes from the same column list).
  void push_back(const nlohmann::ordered_json& row);
  size_t size() const { return values_.size(); }
  bool empty() const { return values_.empty(); }
  void clear() { values_.clear(); }
  const std::vector<std::string>& columns() const { return columns_; }
  LayerRowView operator[](size_t row) const { return LayerRowView(*this, row); }
  LayerRowView front() const { return (*this)[0]; }
  const std::vector<nlohmann::ordered_json>& values(size_t row) const { return values_[row]; }
  const nlohmann::ordered_json& at(size_t row, std::string_view column) const;
  bool has_column(std::string_view column) const { return index_.find(column) != index_.end(); }
  void set(size_t row, std::string_view column, nlohmann::ordered_json value);

 private:
  size_t column_index(std::string_view column) const;
  std::vector<std::string> columns_;
  std::map<std::string, size_t, std::less<>> index_;
  std::vector<std::vector<nlohmann::ordered_json>> values_;
};

}  // namespace npusim
