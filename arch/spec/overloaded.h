// Overloaded{lambda...}: one visitor from several lambdas, for std::visit over a closed std::variant.
// Give one lambda per alternative (no generic `auto` catch-all), so that a new alternative without a
// handler is a compile error rather than a silently taken default.
#pragma once

namespace npusim {

template <class... Visitors>
struct Overloaded : Visitors... {
  using Visitors::operator()...;
};
template <class... Visitors>
Overloaded(Visitors...) -> Overloaded<Visitors...>;

}  // namespace npusim
