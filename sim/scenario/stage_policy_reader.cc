#include "sim/scenario/stage_policy_reader.h"

#include "sim/scenario/message_text.h"
#include "sim/scenario/suggest.h"

namespace sluice {
namespace {

// "breaker": {"failures": 5, "open_for": "2s"}
BreakerConfig read_breaker(const JsonReader& reader) {
  const ObjectReader object = reader.object();
  object.allow({"failures", "open_for"});
  object.finish();
  BreakerConfig breaker;
  breaker.failure_threshold = static_cast<std::uint32_t>(object.at("failures").integer(1, 1'000'000));
  breaker.open_for = object.duration_or("open_for", breaker.open_for, 1);
  return breaker;
}

// "failure": {"probability": 0.01, "poison": 0.001}
void read_failure(const JsonReader& reader, StagePolicies& policies) {
  const ObjectReader object = reader.object();
  object.allow({"probability", "poison"});
  object.finish();
  if (auto p = object.maybe("probability")) policies.failure_probability = p->probability();
  if (auto p = object.maybe("poison")) policies.poison_fraction = p->probability();
}

}  // namespace

TokenBucketConfig read_rate_limit(const JsonReader& reader) {
  const ObjectReader object = reader.object();
  object.allow({"rate", "per", "burst"});
  object.finish();
  double rate = object.at("rate").number(1e-9, 1e9);
  Nanos per = object.duration_or("per", kNanosPerSecond, 1);
  double burst = object.number_or("burst", 1, 1, 1e9);
  return TokenBucketConfig{rate / to_seconds(per), burst};
}

RetryPolicy read_retry(const JsonReader& reader, double* budget) {
  const ObjectReader object = reader.object();
  object.allow({"max_attempts", "backoff", "max_backoff", "jitter"});
  if (budget != nullptr) object.allow({"budget"});
  object.finish();
  RetryPolicy retry;
  retry.max_attempts = static_cast<std::uint32_t>(object.integer_or("max_attempts", 1, 1, 1000));
  retry.backoff = object.duration_or("backoff", retry.backoff, 0);
  retry.max_backoff = object.duration_or("max_backoff", retry.max_backoff, 0);
  retry.jitter = object.number_or("jitter", retry.jitter, 0, 1);
  if (retry.max_backoff < retry.backoff) object.reader().fail("max_backoff must be at least backoff");
  if (budget != nullptr) *budget = object.number_or("budget", 0, 0, kMaxRetryBudgetRatio);
  return retry;
}

const std::vector<std::string_view>& stage_policy_fields() {
  static const std::vector<std::string_view> fields = {"prefetch", "key_ordered", "rate_limit", "concurrency",
                                                       "timeout",  "retry",       "failure",    "breaker",
                                                       "dead_letter", "on_give_up"};
  return fields;
}

StagePolicies read_stage_policies(const ObjectReader& stage) {
  StagePolicies policies;
  policies.prefetch = static_cast<std::uint32_t>(stage.integer_or("prefetch", 1, 1, 1'000'000));
  policies.key_ordered = stage.boolean_or("key_ordered", true);
  if (auto r = stage.maybe("rate_limit")) policies.rate_limit = read_rate_limit(*r);
  policies.concurrency = static_cast<std::uint32_t>(stage.integer_or("concurrency", 0, 1, 1'000'000));
  policies.timeout = stage.duration_or("timeout", kNever, 1);
  if (auto r = stage.maybe("retry")) policies.retry = read_retry(*r);
  if (auto r = stage.maybe("failure")) read_failure(*r, policies);
  if (auto r = stage.maybe("breaker")) policies.breaker = read_breaker(*r);
  policies.dead_letter = stage.string_or("dead_letter", "");
  if (auto r = stage.maybe("on_give_up")) {
    policies.drop_on_give_up = r->enumeration<bool>({{"drop", true}, {"lose", false}});
    // A dead-letter sink already accounts for every give-up: "drop" would say nothing.
    if (policies.drop_on_give_up && !policies.dead_letter.empty()) {
      r->fail("\"drop\" and a dead_letter sink exclude each other: give-ups already go to the dead-letter sink");
    }
  }
  return policies;
}

std::vector<Outage> read_outages(const JsonReader& reader) {
  std::vector<Outage> outages;
  for (const JsonReader& item : reader.array()) {
    const ObjectReader object = item.object();
    object.allow({"at", "duration"});
    object.finish();
    Nanos at = object.at("at").duration(0);
    const JsonReader duration = object.at("duration");
    outages.push_back(Outage{at, window_end(duration, at, duration.duration(1))});
  }
  return outages;
}

Defects read_defects(const JsonReader& reader) {
  Defects defects;
  for (const JsonReader& item : reader.array()) {
    std::string name = item.string();
    if (enable_defect(defects, name)) continue;
    std::vector<std::string> known(implemented_defect_names().begin(), implemented_defect_names().end());
    std::optional<std::string> near = nearest_name(name, known);
    item.fail("unknown defect " + in_quotes(name, '\'') + (near ? " (did you mean '" + *near + "'?)" : ""));
  }
  return defects;
}

std::vector<Burst> read_bursts(const JsonReader& reader) {
  std::vector<Burst> bursts;
  for (const JsonReader& item : reader.array()) {
    const ObjectReader object = item.object();
    object.allow({"at", "duration", "factor"});
    object.finish();
    Nanos at = object.at("at").duration(0);
    const JsonReader duration = object.at("duration");
    Nanos end = window_end(duration, at, duration.duration(1));
    bursts.push_back(Burst{at, end, object.at("factor").number(1e-3, 1e6)});
  }
  return bursts;
}

}  // namespace sluice
