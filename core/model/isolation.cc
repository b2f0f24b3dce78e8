#include "core/model/isolation.h"

namespace sluice {

const char* isolation_name(Isolation isolation) {
  return isolation == Isolation::read_committed ? "read_committed" : "read_uncommitted";
}

}  // namespace sluice
