#include "sim/cli/budget_args.h"

#include "sim/scenario/defect_injection.h"
#include "sim/scenario/units.h"

namespace sluice {

void take_budget_options(Args& args, RunOptions& options) {
  if (std::optional<std::string> text = args.option("--max-virtual-time")) {
    std::string why;
    std::optional<Nanos> duration = parse_duration(*text, &why);
    if (!duration || *duration <= 0) {
      throw UsageError("--max-virtual-time takes a positive duration such as 10s or 2h, not '" + *text + "'" +
                       (why.empty() ? "" : ": " + why));
    }
    options.budgets.max_virtual_time = *duration;
  }
  if (std::optional<std::uint64_t> n = args.unsigned_option("--max-events")) {
    if (*n == 0) throw UsageError("--max-events must be at least 1");
    options.budgets.max_events = *n;
  }
  if (std::optional<std::uint64_t> n = args.unsigned_option("--max-wall-ms")) {
    if (*n == 0 || *n > static_cast<std::uint64_t>(INT64_MAX)) throw UsageError("--max-wall-ms must be at least 1");
    options.budgets.max_wall_ms = static_cast<std::int64_t>(*n);
  }
  options.strict = args.flag("--strict");
}

std::vector<std::string> take_defect_option(Args& args) {
  std::vector<std::string> names;
  if (std::optional<std::string> text = args.option("--defect")) {
    std::string why;
    if (!parse_defect_list(*text, &names, &why)) throw UsageError("--defect: " + why);
  }
  return names;
}

}  // namespace sluice
