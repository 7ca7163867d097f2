#include "arch/core/command_unit.h"

namespace npusim {

const char* unit_kind_name(UnitKind kind) {
  switch (kind) {
    case UnitKind::kLoad:
      return "dma.load";
    case UnitKind::kStore:
      return "dma.store";
    case UnitKind::kArray:
      return "array";
    case UnitKind::kVector:
      return "vector";
  }
  return "?";
}

}  // namespace npusim
