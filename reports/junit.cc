#include "reports/junit.h"

#include <algorithm>
#include <vector>

#include <nlohmann/json.hpp>

#include "reports/json_access.h"
#include "reports/number_format.h"
#include "reports/xml_escape.h"
#include "sim/catalog/invariant_catalog.h"

namespace sluice {
namespace {

using reports::first_text;
using reports::format_count;
using reports::format_fixed;
using reports::integer_text;
using reports::member;
using reports::number_or;
using reports::string_or;
using reports::strings_of;
using reports::xml_attr;
using reports::xml_escape;

bool contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

struct TestCase {
  std::string classname, name;
  enum { passed, failed, skipped } status = passed;
  std::string message = {}, body = {};  // failure or skip reason, and failure details
  std::string output = {};              // <system-out>
};

struct Suite {
  std::string name;
  double time_s = 0;
  std::vector<std::pair<std::string, std::string>> properties;
  std::vector<TestCase> cases;
};

std::string testcase_xml(const TestCase& c) {
  std::string out = "    <testcase classname=\"" + xml_attr(c.classname) + "\" name=\"" + xml_attr(c.name) + "\"";
  if (c.status == TestCase::passed && c.output.empty()) return out + "/>\n";
  out += ">\n";
  if (c.status == TestCase::failed) {
    out += "      <failure message=\"" + xml_attr(c.message) + "\" type=\"expectation\">" + xml_escape(c.body) +
           "</failure>\n";
  }
  if (c.status == TestCase::skipped) out += "      <skipped message=\"" + xml_attr(c.message) + "\"/>\n";
  if (!c.output.empty()) out += "      <system-out>" + xml_escape(c.output) + "</system-out>\n";
  return out + "    </testcase>\n";
}

std::string suite_head(const Suite& suite, const JunitCounts& n) {
  std::string counts = " tests=\"" + std::to_string(n.tests) + "\" failures=\"" + std::to_string(n.failures) +
                       "\" errors=\"0\" skipped=\"" + std::to_string(n.skipped) + "\" time=\"" +
                       format_fixed(suite.time_s, 3) + "\"";
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"sluice\"" + counts + ">\n";
  out += "  <testsuite name=\"" + xml_attr(suite.name) + "\"" + counts + ">\n";
  if (!suite.properties.empty()) {
    out += "    <properties>\n";
    for (const auto& [name, value] : suite.properties) {
      out += "      <property name=\"" + xml_attr(name) + "\" value=\"" + xml_attr(value) + "\"/>\n";
    }
    out += "    </properties>\n";
  }
  return out;
}

std::string suite_tail() { return "  </testsuite>\n</testsuites>\n"; }

std::string suite_xml(const Suite& suite) {
  JunitCounts counts;
  std::string cases;
  for (const TestCase& c : suite.cases) {
    ++counts.tests;
    counts.failures += c.status == TestCase::failed;
    counts.skipped += c.status == TestCase::skipped;
    cases += testcase_xml(c);
  }
  return suite_head(suite, counts) + cases + suite_tail();
}

// Which binary and scenario file the results came from (summary.json's or sweep.json's "provenance").
std::vector<std::pair<std::string, std::string>> provenance_properties(const nlohmann::json& provenance) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const char* key : {"sluice_version", "commit", "build_type", "scenario_sha256"}) {
    if (member(provenance, key).is_string()) out.emplace_back(key, member(provenance, key).get<std::string>());
  }
  return out;
}

// The explanation's steps, one per line: "21.026 s  db  sink 'db'  effect 0:17: text".
std::string explanation_text(const nlohmann::json& explanation) {
  std::string out;
  const nlohmann::json& steps = member(explanation, "steps");
  if (!steps.is_array()) return out;
  for (const nlohmann::json& step : steps) {
    out += "  " + string_or(step, "t") + "  " + string_or(step, "node", "-") + "  " + string_or(step, "kind") + " " +
           string_or(step, "event") + ": " + string_or(step, "text") + "\n";
  }
  return out;
}

TestCase invariant_case(const std::string& classname, const std::string& name, const nlohmann::json& verdict,
                        const nlohmann::json& expectations, const std::string& repro) {
  TestCase c{classname, name};
  bool ok = member(verdict, "ok").is_boolean() ? member(verdict, "ok").get<bool>() : true;
  std::string first = first_text(verdict);
  const nlohmann::json& explanation = member(member(verdict, "first"), "explanation");
  const std::string why = string_or(explanation, "why");
  double violations = number_or(verdict, "violations", 0);
  c.output = "checked " + format_count(number_or(verdict, "checked", 0)) + ", violations " + format_count(violations);
  if (!first.empty()) c.output += "\nfirst violation: " + first;
  if (contains(strings_of(member(expectations, "hold")), name) && !ok) {
    c.status = TestCase::failed;
    c.message = first.empty() ? name + " broke (" + format_count(violations) + " violations)" : first;
    c.body = name + " was expected to hold but broke: " + c.message + "\nviolations: " + format_count(violations) +
             "\nreproduce: " + repro;
    if (!why.empty()) {
      // The why and the repro command up front; the causal steps in the body.
      c.message = why + " Reproduce: " + repro;
      c.body += "\nwhy: " + why + "\n" + explanation_text(explanation);
    }
  } else if (contains(strings_of(member(expectations, "violate")), name) && ok) {
    c.status = TestCase::failed;
    c.message = name + " was expected to be violated but held";
    c.body = c.message + "\nreproduce: " + repro;
  } else if (member(verdict, "not_applicable").is_string()) {
    c.status = TestCase::skipped;
    c.message = "not applicable: " + member(verdict, "not_applicable").get<std::string>();
  }
  return c;
}

// Expectation failures no invariant testcase reports (a deadlock, an event limit).
std::vector<std::string> unexplained_failures(const nlohmann::json& summary, const std::vector<TestCase>& cases) {
  std::vector<std::string> out;
  for (const std::string& text : strings_of(member(member(summary, "expectations"), "failures"))) {
    bool explained = std::any_of(cases.begin(), cases.end(), [&](const TestCase& c) {
      return c.status == TestCase::failed && text.rfind(c.name + " ", 0) == 0;
    });
    if (!explained) out.push_back(text);
  }
  return out;
}

TestCase run_failure_case(const std::string& classname, const std::string& message, const std::string& repro) {
  TestCase c{classname, "run"};
  c.status = TestCase::failed;
  c.message = message;
  c.body = message + "\nreproduce: " + repro;
  return c;
}

}  // namespace

std::string render_junit(const nlohmann::json& summary) {
  Suite suite;
  suite.name = string_or(summary, "scenario", "unknown");
  suite.time_s = number_or(summary, "wall_ms", 0) / 1000;
  std::string seed = integer_text(member(summary, "seed"));
  std::string classname = "sluice." + suite.name + ".seed" + seed;
  std::string repro = string_or(summary, "repro");
  suite.properties = {{"seed", seed},
                      {"trace_hash", string_or(summary, "trace_hash")},
                      {"outcome", string_or(summary, "outcome")},
                      {"repro", repro}};
  for (auto& property : provenance_properties(member(summary, "provenance"))) suite.properties.push_back(property);
  const nlohmann::json& invariants = member(summary, "invariants");
  if (invariants.is_object()) {
    for (const std::string& name : names_in_report_order(invariants)) {
      const nlohmann::json& verdict = invariants[name];
      suite.cases.push_back(invariant_case(classname, name, verdict, member(summary, "expectations"), repro));
    }
  }
  std::vector<std::string> rest = unexplained_failures(summary, suite.cases);
  bool not_ok = member(summary, "ok").is_boolean() && !member(summary, "ok").get<bool>();
  bool any_failed = std::any_of(suite.cases.begin(), suite.cases.end(),
                                [](const TestCase& c) { return c.status == TestCase::failed; });
  if (rest.empty() && not_ok && !any_failed) rest.push_back("the run failed its expectations");
  if (!rest.empty()) {
    std::string message = rest[0];
    for (std::size_t i = 1; i < rest.size(); ++i) message += "; " + rest[i];
    suite.cases.push_back(run_failure_case(classname, message, repro));
  }
  return suite_xml(suite);
}

std::vector<std::string> sweep_invariants(const nlohmann::json& sweep) {
  std::vector<std::string> invariants = strings_of(member(sweep, "invariants"));
  if (!invariants.empty()) return invariants;
  // A sweep lists only what failed: every invariant of the catalog was judged.
  invariants = invariant_names();
  for (const auto& seed : member(sweep, "seeds")) {
    for (const std::string& name : strings_of(member(seed, "failed"))) {
      if (!contains(invariants, name)) invariants.push_back(name);
    }
  }
  return invariants;
}

std::string sweep_seed_testcases(const std::string& scenario, const nlohmann::json& seed,
                                 const std::vector<std::string>& invariants, JunitCounts& counts) {
  std::string n = integer_text(member(seed, "seed"));
  std::string classname = "sluice." + scenario + ".seed" + n;
  std::string repro = string_or(seed, "repro");
  std::vector<std::string> failed = strings_of(member(seed, "failed"));
  std::vector<TestCase> cases;
  for (const std::string& name : invariants) {
    TestCase c{classname, name};
    if (contains(failed, name)) {
      c.status = TestCase::failed;
      c.message = name + " failed its expectation with seed " + n;
      c.body = c.message + "\nreproduce: " + repro;
    }
    cases.push_back(std::move(c));
  }
  bool not_ok = member(seed, "ok").is_boolean() && !member(seed, "ok").get<bool>();
  bool reported = std::any_of(failed.begin(), failed.end(),
                              [&](const std::string& name) { return contains(invariants, name); });
  if (not_ok && !reported) cases.push_back(run_failure_case(classname, "seed " + n + " failed its expectations", repro));
  std::string out;
  for (const TestCase& c : cases) {
    ++counts.tests;
    counts.failures += c.status == TestCase::failed;
    counts.skipped += c.status == TestCase::skipped;
    out += testcase_xml(c);
  }
  return out;
}

std::string sweep_junit_head(const nlohmann::json& sweep, const JunitCounts& counts) {
  Suite suite;
  suite.name = string_or(sweep, "scenario", "unknown");
  suite.time_s = number_or(sweep, "wall_ms", 0) / 1000;
  suite.properties = provenance_properties(member(sweep, "provenance"));
  if (member(sweep, "interrupted").is_boolean() && member(sweep, "interrupted").get<bool>()) {
    suite.properties.emplace_back("interrupted", "true");
  }
  return suite_head(suite, counts);
}

std::string sweep_junit_tail() { return suite_tail(); }

std::string render_sweep_junit(const nlohmann::json& sweep) {
  std::vector<std::string> invariants = sweep_invariants(sweep);
  std::string scenario = string_or(sweep, "scenario", "unknown");
  JunitCounts counts;
  std::string cases;
  for (const auto& seed : member(sweep, "seeds")) cases += sweep_seed_testcases(scenario, seed, invariants, counts);
  return sweep_junit_head(sweep, counts) + cases + sweep_junit_tail();
}

}  // namespace sluice
