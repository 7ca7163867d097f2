#include "sim/report/layer_rows.h"

#include <stdexcept>

namespace npusim {

const nlohmann::ordered_json& LayerRowView::operator[](std::string_view column) const {
  return rows_.at(row_, column);
}

bool LayerRowView::contains(std::string_view column) const { return rows_.has_column(column); }

nlohmann::ordered_json LayerRowView::to_json() const {
  nlohmann::ordered_json row = nlohmann::ordered_json::object();
  const std::vector<nlohmann::ordered_json>& values = rows_.values(row_);
  for (size_t c = 0; c < values.size(); ++c) row[rows_.columns()[c]] = values[c];
  return row;
}

void LayerRows::push_back(const nlohmann::ordered_json& row) {
  if (columns_.empty() && values_.empty()) {
    for (const auto& item : row.items()) {
      index_.emplace(item.key(), columns_.size());
      columns_.push_back(item.key());
    }
  }
  if (row.size() != columns_.size()) throw std::logic_error("layer rows: a row with another column list");
  std::vector<nlohmann::ordered_json> values;
  values.reserve(columns_.size());
  size_t c = 0;
  for (const auto& item : row.items()) {
    if (item.key() != columns_[c++]) throw std::logic_error("layer rows: column '" + item.key() + "' out of place");
    values.push_back(item.value());
  }
  values_.push_back(std::move(values));
}

size_t LayerRows::column_index(std::string_view column) const {
  const auto found = index_.find(column);
  if (found == index_.end()) throw std::out_of_range("layer rows: no column '" + std::string(column) + "'");
  return found->second;
}

const nlohmann::ordered_json& LayerRows::at(size_t row, std::string_view column) const {
  return values_.at(row)[column_index(column)];
}

void LayerRows::set(size_t row, std::string_view column, nlohmann::ordered_json value) {
  values_.at(row)[column_index(column)] = std::move(value);
}

}  // namespace npusim
