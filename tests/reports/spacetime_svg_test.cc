// "Why it failed": the report shows each explained violation as a sentence,
// a well-formed space-time diagram (a lane per node, arrows between lanes,
// fault spans, marks) and its steps; JUnit's failure message is the why plus
// the repro command.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "reports/html_report.h"
#include "reports/junit.h"
#include "reports/spacetime_svg.h"
#include "tests/reports/report_test_support.h"

namespace sluice {
namespace {

using nlohmann::json;
using namespace test;  // SyntheticRun, synthetic_summary, XmlDocument

json explained_summary() {
  SyntheticRun r;
  json summary = synthetic_summary(r);
  summary["ok"] = false;
  summary["topology"]["nodes"] = {"edge", "worker", "db"};
  summary["faults"] = json::array({{{"at_ns", 20'000'000'000}, {"end_ns", 25'000'000'000}, {"kind", "partition_one_way"},
                                    {"target", "db -> worker"}, {"nodes", {"db", "worker"}}}});
  auto step = [](long long t, const char* node, const char* kind, const char* event, const char* text) {
    return json{{"t_ns", t}, {"t", "x"}, {"node", node}, {"part", "p"}, {"kind", kind}, {"event", event}, {"text", text}};
  };
  json explanation = {
      {"why", "A retry after a lost reply: partition_one_way db -> worker cut the reply."},
      {"at_ns", 21'026'000'000},
      {"steps",
       {step(19'900'000'000, "edge", "produce", "0:7", "produced"), step(19'910'000'000, "worker", "deliver", "0:7", "handed over"),
        step(19'920'000'000, "db", "effect", "0:7", "first effect"), step(20'000'000'000, "", "fault", "", "the partition"),
        step(20'500'000'000, "worker", "rebalance", "", "a mark"),
        step(21'000'000'000, "worker", "attempt_failed", "0:7", "timed out"),
        step(21'026'000'000, "db", "effect", "0:7", "second effect")}}};
  summary["invariants"]["no_duplicate_effects"] = {
      {"ok", false}, {"checked", 10}, {"violations", 1}, {"first", {{"text", "event 0:7 took effect twice"}, {"explanation", explanation}}}};
  summary["expectations"]["hold"] = {"no_duplicate_effects"};
  return summary;
}

TEST(SpacetimeSvg, ReportHasAWellFormedWhyItFailedDiagram) {
  const json summary = explained_summary();
  const std::string html = render_run_report(summary, json::object());
  XmlDocument doc(html);
  ASSERT_TRUE(doc.ok()) << doc.error();
  const std::vector<int> section = doc.find("section");
  bool found = false;
  for (int s : section) found = found || doc.attribute(s, "id") == "why";
  ASSERT_TRUE(found) << "no 'Why it failed' section";
  std::vector<int> svgs = doc.find("svg", "spacetime");
  ASSERT_EQ(svgs.size(), 1u);
  const int svg = svgs[0];
  EXPECT_EQ(doc.find("g", "lane", svg).size(), 3u);  // one lane per node
  // edge -> worker -> db, db -> worker (the failed attempt), worker -> db: four hops.
  EXPECT_EQ(doc.find("line", "arrow", svg).size(), 4u);
  EXPECT_EQ(doc.find("rect", "fault", svg).size(), 2u);  // the partition on both lanes it hits
  EXPECT_EQ(doc.find("line", "mark", svg).size(), 2u);   // the fault's start and the rebalance
  EXPECT_EQ(doc.find("circle", "step", svg).size(), 5u);
  EXPECT_NE(html.find("A retry after a lost reply"), std::string::npos);
  EXPECT_NE(html.find("first effect"), std::string::npos);
}

TEST(SpacetimeSvg, NoExplanationNoSection) {
  SyntheticRun r;
  r.ok = false;
  const std::string html = render_run_report(synthetic_summary(r), json::object());
  EXPECT_EQ(html.find("Why it failed"), std::string::npos);
  EXPECT_EQ(reports::render_spacetime(json::object(), json::array(), json::array()), "");
}

TEST(SpacetimeSvg, JunitFailureIsTheWhyAndTheReproWithTheStepsInTheBody) {
  const std::string xml = render_junit(explained_summary());
  XmlDocument doc(xml);
  ASSERT_TRUE(doc.ok()) << doc.error();
  std::vector<int> failures = doc.find("failure");
  ASSERT_EQ(failures.size(), 1u);
  const std::string message = doc.attribute(failures[0], "message");
  EXPECT_EQ(message.rfind("A retry after a lost reply", 0), 0u) << message;
  EXPECT_NE(message.find("Reproduce: "), std::string::npos) << message;
  EXPECT_NE(xml.find("second effect"), std::string::npos);
}

}  // namespace
}  // namespace sluice
