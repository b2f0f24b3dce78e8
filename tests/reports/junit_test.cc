#include "reports/junit.h"

#include <gtest/gtest.h>

#include "sim/catalog/invariant_catalog.h"
#include "tests/reports/report_test_support.h"

namespace sluice {
namespace {

using nlohmann::json;
using test::SyntheticRun;
using test::XmlDocument;

struct Counts {
  std::size_t testcases = 0, failures = 0, skipped = 0;
};

Counts count(const XmlDocument& doc) {
  return {doc.find("testcase").size(), doc.find("failure").size(), doc.find("skipped").size()};
}

// The suite's own tests/failures/skipped attributes agree with its children.
void expect_consistent(const XmlDocument& doc) {
  Counts c = count(doc);
  for (const char* element : {"testsuites", "testsuite"}) {
    std::vector<int> found = doc.find(element);
    ASSERT_EQ(found.size(), 1u) << element;
    EXPECT_EQ(doc.attribute(found[0], "tests"), std::to_string(c.testcases)) << element;
    EXPECT_EQ(doc.attribute(found[0], "failures"), std::to_string(c.failures)) << element;
    EXPECT_EQ(doc.attribute(found[0], "skipped"), std::to_string(c.skipped)) << element;
    EXPECT_EQ(doc.attribute(found[0], "errors"), "0") << element;
  }
}

int testcase_named(const XmlDocument& doc, const std::string& name) {
  for (int t : doc.find("testcase")) {
    if (doc.attribute(t, "name") == name) return t;
  }
  return -1;
}

TEST(Junit, PassingRunHasOneTestcasePerInvariant) {
  std::string xml = render_junit(test::synthetic_summary(SyntheticRun{}));
  ASSERT_EQ(xml.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>", 0), 0u);
  XmlDocument doc(xml);
  ASSERT_TRUE(doc.ok()) << doc.error();
  EXPECT_EQ(doc.at(doc.root()).name, "testsuites");
  Counts c = count(doc);
  EXPECT_EQ(c.testcases, 7u);
  EXPECT_EQ(c.failures, 0u);
  EXPECT_EQ(c.skipped, 1u);  // flow_control is not applicable
  expect_consistent(doc);
  EXPECT_EQ(doc.attribute(doc.find("testsuite")[0], "name"), "synthetic");
  for (int t : doc.find("testcase")) EXPECT_EQ(doc.attribute(t, "classname"), "sluice.synthetic.seed42");
  int skipped = testcase_named(doc, "flow_control");
  ASSERT_GE(skipped, 0);
  EXPECT_EQ(doc.find("skipped", "", skipped).size(), 1u);
}

TEST(Junit, BrokenInvariantExpectedToHoldFailsWithTheFirstViolation) {
  SyntheticRun r;
  r.ok = false;
  json summary = test::synthetic_summary(r);
  summary["invariants"]["no_loss"]["first"] = "event <41> & \"key 7\" lost";
  XmlDocument doc(render_junit(summary));
  ASSERT_TRUE(doc.ok()) << doc.error();
  Counts c = count(doc);
  EXPECT_EQ(c.testcases, 7u);
  EXPECT_EQ(c.failures, 1u);
  expect_consistent(doc);
  int no_loss = testcase_named(doc, "no_loss");
  ASSERT_GE(no_loss, 0);
  std::vector<int> failure = doc.find("failure", "", no_loss);
  ASSERT_EQ(failure.size(), 1u);
  EXPECT_EQ(doc.attribute(failure[0], "message"), "event <41> & \"key 7\" lost");
  EXPECT_NE(doc.text_of(failure[0]).find("sluice run scenarios/synthetic.json --seed 42"), std::string::npos);
}

TEST(Junit, ViolationsFollowTheExpectations) {
  json summary = test::synthetic_summary(SyntheticRun{});
  // Broke, but the scenario expects it to break: a pass.
  summary["invariants"]["per_key_order"]["ok"] = false;
  summary["invariants"]["per_key_order"]["first"] = "key 3 out of order";
  summary["expectations"]["hold"] = {"no_loss"};
  summary["expectations"]["violate"] = {"per_key_order", "bounded_queues"};
  // bounded_queues held although it was expected to break: a failure.
  // drains_after_heal broke but nothing was expected of it: a pass.
  summary["invariants"]["drains_after_heal"]["ok"] = false;
  summary["expectations"]["failures"] = {"bounded_queues was expected to be violated but held"};
  XmlDocument doc(render_junit(summary));
  ASSERT_TRUE(doc.ok()) << doc.error();
  EXPECT_EQ(count(doc).failures, 1u);
  EXPECT_EQ(doc.find("failure", "", testcase_named(doc, "bounded_queues")).size(), 1u);
  EXPECT_TRUE(doc.find("failure", "", testcase_named(doc, "per_key_order")).empty());
  EXPECT_TRUE(doc.find("failure", "", testcase_named(doc, "drains_after_heal")).empty());
  EXPECT_EQ(count(doc).testcases, 7u);
  expect_consistent(doc);
}

TEST(Junit, FailureNoInvariantExplainsAddsARunTestcase) {
  json summary = test::synthetic_summary(SyntheticRun{});
  summary["ok"] = false;
  summary["outcome"] = "deadlock";
  summary["expectations"]["failures"] = {"the run ended in deadlock: every fiber is blocked"};
  XmlDocument doc(render_junit(summary));
  ASSERT_TRUE(doc.ok()) << doc.error();
  EXPECT_EQ(count(doc).testcases, 8u);
  int run = testcase_named(doc, "run");
  ASSERT_GE(run, 0);
  std::vector<int> failure = doc.find("failure", "", run);
  ASSERT_EQ(failure.size(), 1u);
  EXPECT_EQ(doc.attribute(failure[0], "message"), "the run ended in deadlock: every fiber is blocked");
  expect_consistent(doc);
}

TEST(Junit, ControlCharactersAndMissingFieldsStayWellFormed) {
  json summary = test::synthetic_summary(SyntheticRun{});
  summary["scenario"] = "a\x01\x02<b>";
  summary["invariants"]["no_loss"] = {{"ok", false}, {"first", "line one\nline\x0btwo"}};
  XmlDocument doc(render_junit(summary));
  ASSERT_TRUE(doc.ok()) << doc.error();
  EXPECT_EQ(doc.attribute(doc.find("testsuite")[0], "name"), "a<b>");
  EXPECT_EQ(doc.attribute(doc.find("failure")[0], "message"), "line one\nlinetwo");
  for (const json& odd : {json::object(), json::array(), json(nullptr)}) {
    XmlDocument empty(render_junit(odd));
    EXPECT_TRUE(empty.ok()) << empty.error();
    EXPECT_EQ(count(empty).testcases, 0u);
  }
}

TEST(Junit, SweepHasOneTestcasePerSeedAndInvariant) {
  json sweep = test::synthetic_sweep(30);  // seeds 7, 14, 21 and 28 fail no_loss
  XmlDocument doc(render_sweep_junit(sweep));
  ASSERT_TRUE(doc.ok()) << doc.error();
  Counts c = count(doc);
  EXPECT_EQ(c.testcases, 30u * invariant_names().size());
  EXPECT_EQ(c.failures, 4u);
  EXPECT_EQ(c.skipped, 0u);
  expect_consistent(doc);
  int failing = -1;
  for (int t : doc.find("testcase")) {
    if (doc.attribute(t, "classname") == "sluice.crash-recovery.seed14" && doc.attribute(t, "name") == "no_loss") {
      failing = t;
    }
  }
  ASSERT_GE(failing, 0);
  std::vector<int> failure = doc.find("failure", "", failing);
  ASSERT_EQ(failure.size(), 1u);
  EXPECT_NE(doc.text_of(failure[0]).find("sluice run scenarios/x.json --seed 14"), std::string::npos);
}

TEST(Junit, SweepUsesTheListedInvariantsAndReportsUnexplainedFailures) {
  json sweep = test::synthetic_sweep(3);
  sweep["invariants"] = {"no_loss", "per_key_order"};
  sweep["seeds"][1]["ok"] = false;  // failed, but no invariant named: a "run" testcase
  sweep["seeds"][2]["ok"] = false;
  sweep["seeds"][2]["failed"] = {"deadlock"};
  XmlDocument doc(render_sweep_junit(sweep));
  ASSERT_TRUE(doc.ok()) << doc.error();
  Counts c = count(doc);
  EXPECT_EQ(c.testcases, 3u * 2 + 2);
  EXPECT_EQ(c.failures, 2u);
  expect_consistent(doc);
}

}  // namespace
}  // namespace sluice
