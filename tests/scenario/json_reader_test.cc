#include "sim/scenario/json_reader.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include "sim/scenario/suggest.h"

namespace sluice {
namespace {

constexpr std::int64_t kInt64Max = std::numeric_limits<std::int64_t>::max();
constexpr char kFile[] = "scenario.json";

enum class Policy { kBlock, kDropNewest, kDropOldest };

Policy read_policy(const JsonReader& reader) {
  return reader.enumeration<Policy>(
      {{"block", Policy::kBlock}, {"drop_newest", Policy::kDropNewest}, {"drop_oldest", Policy::kDropOldest}});
}

// Runs `action`, which must throw ScenarioError, and returns the error.
template <class Action>
ScenarioError error_of(Action&& action) {
  try {
    action();
  } catch (const ScenarioError& error) {
    return error;
  }
  ADD_FAILURE() << "expected a ScenarioError";
  return ScenarioError("", "", "");
}

// Keeps the parsed document alive for the readers a test takes from it.
class JsonReaderTest : public ::testing::Test {
 protected:
  JsonReader read(std::string_view text) {
    document_ = parse_json_text(text, kFile);
    return JsonReader(document_, kFile);
  }
  // The reader of member "v" of `{"v": <value>}`: most tests need one value.
  JsonReader value(std::string_view json_value) {
    document_ = parse_json_text("{\"v\": " + std::string(json_value) + "}", kFile);
    return JsonReader(document_["v"], kFile, "/v");
  }
  nlohmann::json document_;
};

std::string temp_path(const std::string& name) {
  return ::testing::TempDir() + "sluice_json_reader_" + std::to_string(::getpid()) + "_" + name;
}

std::string write_temp(const std::string& name, const std::string& content) {
  const std::string path = temp_path(name);
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

// ---------------------------------------------------------------------------
// Names and suggestions

TEST(Suggest, FindsTheIntendedName) {
  EXPECT_EQ(nearest_name("capcity", {"policy", "capacity", "to"}), "capacity");
  EXPECT_EQ(nearest_name("partitons", {"id", "partitions", "max_msgs"}), "partitions");
  EXPECT_EQ(nearest_name("wokers", {"from", "workers", "prefetch"}), "workers");
  EXPECT_EQ(nearest_name("capaicty", {"capacity"}), "capacity");  // one transposition
  EXPECT_EQ(nearest_name("CAPACITY", {"capacity"}), "capacity");
  EXPECT_EQ(nearest_name("ti", {"id", "to"}), "to");
}

TEST(Suggest, StaysQuietWhenNothingIsClose) {
  EXPECT_EQ(nearest_name("foo", {"capacity", "policy"}), std::nullopt);
  EXPECT_EQ(nearest_name("x", {}), std::nullopt);
  EXPECT_EQ(nearest_name(std::string(100'000, 'a'), {"capacity"}), std::nullopt);
}

TEST(Suggest, TiesGoToTheEarlierCandidate) {
  EXPECT_EQ(nearest_name("cat", {"bat", "hat"}), "bat");
  EXPECT_EQ(nearest_name("cat", {"hat", "bat"}), "hat");
}

TEST(Suggest, EditDistanceIsOptimalStringAlignment) {
  EXPECT_EQ(edit_distance("", ""), 0u);
  EXPECT_EQ(edit_distance("abc", ""), 3u);
  EXPECT_EQ(edit_distance("ca", "ac"), 1u);
  EXPECT_EQ(edit_distance("ca", "abc"), 3u);  // OSA does not edit a transposed pair again
  EXPECT_EQ(edit_distance("Kitten", "sitting"), 3u);
}

// ---------------------------------------------------------------------------
// Errors and pointers

TEST(ScenarioErrorTest, WhatNamesFilePointerAndMessage) {
  const ScenarioError error("a.json", "/stages/2/capacity", "must be at least 1, got 0");
  EXPECT_STREQ(error.what(), "a.json: /stages/2/capacity: must be at least 1, got 0");
  EXPECT_EQ(error.file, "a.json");
  EXPECT_EQ(error.pointer, "/stages/2/capacity");
  EXPECT_EQ(error.message, "must be at least 1, got 0");
  EXPECT_STREQ(ScenarioError("a.json", "", "bad").what(), "a.json: /: bad");
}

// Whatever the file, pointer or message hold (a key with NUL, newline and ESC,
// bytes that are not UTF-8, megabytes of them), what() is one short line of
// printable text; the fields keep the raw values for programs.
TEST(ScenarioErrorTest, WhatIsOneShortEscapedLine) {
  const std::string raw = std::string("a\0b\nc\x1b[31m\xff\xc3(", 13) + std::string(2'000'000, 'x');
  const ScenarioError error("dir/" + raw + ".json", "/nodes/" + raw, "no node named '" + raw + "'");
  const std::string what = error.what();
  EXPECT_LT(what.size(), 1100u);
  for (unsigned char c : what) ASSERT_TRUE(c >= 0x20 && c < 0x7F) << what;
  EXPECT_NE(what.find("xxx.json: /nodes/a\\u0000b\\u000ac\\u001b[31m\\xff\\xc3(xxx"), std::string::npos) << what;
  EXPECT_NE(what.find(": no node named 'a\\u0000b\\u000ac\\u001b[31m\\xff\\xc3(xxx"), std::string::npos) << what;
  EXPECT_EQ(what.substr(0, 3), "...");  // a long file name keeps its tail
  EXPECT_EQ(error.pointer, "/nodes/" + raw);
}

// Messages quote values already escaped (in_quotes); the escaping in what()
// leaves those escapes as they are.
TEST(ScenarioErrorTest, EscapingTwiceChangesNothing) {
  EXPECT_STREQ(ScenarioError("a.json", "/k", "got \"\\u0001\" and \\x41").what(), "a.json: /k: got \"\\u0001\" and \\x41");
}

// A reader holds a pointer to its value and a shared link to its place in
// the file: no copy of the file name or the pointer, however long either is.
TEST(JsonReaderPath, ReadersShareTheirPathAndBuildPointersOnDemand) {
  static_assert(sizeof(JsonReader) <= 3 * sizeof(void*));
  const nlohmann::json doc = nlohmann::json::parse(R"({"a/b": [[1, {"~k": 2}]]})");
  const std::string file(3000, 'f');
  const JsonReader root(doc, file);
  const JsonReader leaf = root.object().at("a/b").array()[0].array()[1].object().at("~k");
  EXPECT_EQ(leaf.pointer(), "/a~1b/0/1/~0k");
  EXPECT_EQ(&leaf.file(), &root.file());
  EXPECT_EQ(leaf.integer(0, 5), 2);
  EXPECT_EQ(JsonReader(doc["a/b"], "x.json", "/a~1b").array()[0].pointer(), "/a~1b/0");
}

// A huge array is checked from its first element, without a reader per
// element made beforehand: only the visited element gets one.
TEST(JsonReaderPath, ArraysAreReadLazily) {
  const nlohmann::json doc = {{"v", nlohmann::json::array()}};
  nlohmann::json big = doc;
  for (int i = 0; i < 200'000; ++i) big["v"].push_back(i);
  const JsonReader root(big, "big.json");
  const ArrayReader items = root.object().at("v").array(1);
  EXPECT_EQ(items.size(), 200'000u);
  std::size_t visited = 0;
  const ScenarioError error = error_of([&] {
    for (const JsonReader& item : items) {
      ++visited;
      item.object();
    }
  });
  EXPECT_EQ(visited, 1u);
  EXPECT_EQ(error.pointer, "/v/0");
}

TEST(ParseJson, ValuesAreLimitedToAMillion) {
  std::string text = "{\"v\": [";
  for (std::size_t i = 0; i + 2 < kMaxJsonValues; ++i) text += i ? ",0" : "0";
  EXPECT_NO_THROW(parse_json_text(text + "]}", kFile));  // the root, the array and its elements
  const ScenarioError error = error_of([&] { parse_json_text(text + ",0]}", kFile); });
  EXPECT_EQ(error.pointer, "/v");
  EXPECT_EQ(error.message.substr(0, 42), "the file holds more than 1000000 JSON valu");
}

TEST(AppendPointer, EscapesTildeAndSlash) {
  EXPECT_EQ(append_pointer("", "stages"), "/stages");
  EXPECT_EQ(append_pointer("/stages", "2"), "/stages/2");
  EXPECT_EQ(append_pointer("", "a/b"), "/a~1b");
  EXPECT_EQ(append_pointer("", "m~n"), "/m~0n");
  EXPECT_EQ(append_pointer("", "~1"), "/~01");  // "~1" literally, not "/"
  EXPECT_EQ(append_pointer("/x", ""), "/x/");
}

TEST_F(JsonReaderTest, MemberPointersAreEscaped) {
  const ObjectReader root = read(R"({"a/b": 1, "m~n": {"c/~": 2}})").object();
  EXPECT_EQ(root.at("a/b").pointer(), "/a~1b");
  const JsonReader nested = root.at("m~n").object().at("c/~");
  EXPECT_EQ(nested.pointer(), "/m~0n/c~1~0");
  EXPECT_EQ(error_of([&] { nested.integer(5, 9); }).pointer, "/m~0n/c~1~0");
  EXPECT_EQ(nlohmann::json::json_pointer(nested.pointer()).to_string(), nested.pointer());
  EXPECT_EQ(document_.at(nlohmann::json::json_pointer(nested.pointer())), 2);
}

TEST_F(JsonReaderTest, NestedArraysOfObjectsGiveFullPointers) {
  const ObjectReader root = read(R"({"stages": [{"capacity": 1}, {"capacity": 2}, {"capacity": "lots"}]})").object();
  const ScenarioError error = error_of([&] {
    for (const JsonReader& stage : root.at("stages").array(1)) stage.object().at("capacity").integer(1, 100);
  });
  EXPECT_EQ(error.file, "scenario.json");
  EXPECT_EQ(error.pointer, "/stages/2/capacity");
  EXPECT_EQ(error.message, "expected an integer, got string \"lots\"");
  EXPECT_STREQ(error.what(), "scenario.json: /stages/2/capacity: expected an integer, got string \"lots\"");
}

TEST_F(JsonReaderTest, FailAndFailAtUseTheReadersPointer) {
  const JsonReader stage = read(R"({"stages": [{"to": "nowhere"}]})").object().at("stages").array()[0];
  EXPECT_STREQ(error_of([&] { stage.fail("no such sink"); }).what(), "scenario.json: /stages/0: no such sink");
  EXPECT_STREQ(error_of([&] { stage.fail_at("to", "no stage or sink named \"nowhere\""); }).what(),
               "scenario.json: /stages/0/to: no stage or sink named \"nowhere\"");
  EXPECT_EQ(error_of([&] { stage.fail_at("a/b", "x"); }).pointer, "/stages/0/a~1b");
}

// ---------------------------------------------------------------------------
// Objects: declared fields, finish(), helpers

TEST_F(JsonReaderTest, FinishCatchesATypoAndSuggests) {
  const ObjectReader buffer = read(R"({"id": "ingest", "capcity": 64, "policy": "block"})").object();
  buffer.at("id").string();
  EXPECT_EQ(buffer.integer_or("capacity", 16, 1, 1'000'000), 16);  // the typo hid the value
  read_policy(buffer.at("policy"));
  const ScenarioError error = error_of([&] { buffer.finish(); });
  EXPECT_EQ(error.pointer, "/capcity");
  EXPECT_EQ(error.message, "unknown field 'capcity' (did you mean 'capacity'?)");
  EXPECT_STREQ(error.what(), "scenario.json: /capcity: unknown field 'capcity' (did you mean 'capacity'?)");
}

TEST_F(JsonReaderTest, FinishListsValidFieldsWhenNothingIsClose) {
  const ObjectReader buffer = read(R"({"policy": "block", "zzzzzz": 1})").object();
  buffer.allow({"policy", "id", "capacity"});
  EXPECT_EQ(error_of([&] { buffer.finish(); }).message, "unknown field 'zzzzzz'; valid fields: capacity, id, policy");
  const ObjectReader empty = read(R"({"x": 1})").object();
  EXPECT_EQ(error_of([&] { empty.finish(); }).message, "unknown field 'x'; this object takes no fields");
}

TEST_F(JsonReaderTest, FinishEscapesAndShortensOddKeys) {
  const ObjectReader odd = read("{\"a\\u0001b/c\": 1}").object();
  const ScenarioError error = error_of([&] { odd.finish(); });
  EXPECT_EQ(error.pointer, "/a\x01" "b~1c");
  EXPECT_EQ(error.message, "unknown field 'a\\u0001b/c'; this object takes no fields");
  const ObjectReader long_key = read("{\"" + std::string(1000, 'k') + "\": 1}").object();
  EXPECT_EQ(error_of([&] { long_key.finish(); }).message,
            "unknown field '" + std::string(60, 'k') + "...'; this object takes no fields");
}

TEST_F(JsonReaderTest, EveryWayOfReadingDeclaresTheKey) {
  const ObjectReader object = read(R"({"a": 1, "b": 2, "c": 3, "d": "x", "e": true, "f": null})").object();
  EXPECT_TRUE(object.has("a"));
  EXPECT_FALSE(object.has("missing"));
  EXPECT_EQ(object.at("b").integer(0, 9), 2);
  EXPECT_TRUE(object.maybe("c").has_value());
  EXPECT_FALSE(object.maybe("absent").has_value());
  EXPECT_EQ(object.string_or("d", "y"), "x");
  EXPECT_TRUE(object.boolean_or("e", false));
  object.allow({"f"});
  object.finish();  // nothing undeclared is left
}

TEST_F(JsonReaderTest, MissingRequiredFieldIsReportedAtTheObject) {
  const ObjectReader root = read(R"({"stages": [{"id": "enrich"}]})").object();
  const ScenarioError error = error_of([&] { root.at("stages").array()[0].object().at("capacity"); });
  EXPECT_STREQ(error.what(), "scenario.json: /stages/0: missing required field 'capacity'");
}

TEST_F(JsonReaderTest, OptionalHelpersUseTheFallbackOnlyWhenAbsent) {
  const ObjectReader o = read(R"({"n": 7, "x": 0.5, "t": "2s", "b": "1KiB", "s": "hi", "f": false})").object();
  EXPECT_EQ(o.integer_or("n", 1, 0, 10), 7);
  EXPECT_EQ(o.integer_or("n2", 1, 0, 10), 1);
  EXPECT_EQ(o.number_or("x", 0.1, 0, 1), 0.5);
  EXPECT_EQ(o.number_or("x2", 0.1, 0, 1), 0.1);
  EXPECT_EQ(o.duration_or("t", 5), 2 * kNanosPerSecond);
  EXPECT_EQ(o.duration_or("t2", 5), 5);
  EXPECT_EQ(o.bytes_or("b", 9, 0, kInt64Max), 1024);
  EXPECT_EQ(o.bytes_or("b2", 9, 0, kInt64Max), 9);
  EXPECT_EQ(o.string_or("s", "d"), "hi");
  EXPECT_EQ(o.string_or("s2", "d"), "d");
  EXPECT_FALSE(o.boolean_or("f", true));
  EXPECT_TRUE(o.boolean_or("f2", true));
  o.finish();
  EXPECT_EQ(error_of([&] { o.integer_or("x", 1, 0, 10); }).message, "expected an integer, got number 0.5");
  EXPECT_EQ(error_of([&] { o.duration_or("n", 1); }).message, "durations are strings with a unit, e.g. \"250ms\"");
}

TEST_F(JsonReaderTest, ObjectAndArrayTypeErrors) {
  EXPECT_EQ(error_of([&] { value("[1]").object(); }).message, "expected an object, got array");
  EXPECT_EQ(error_of([&] { value("{}").array(); }).message, "expected an array, got object");
  EXPECT_EQ(error_of([&] { value("[]").array(1); }).message, "must have at least 1 item, got 0");
  EXPECT_EQ(error_of([&] { value("[1]").array(2); }).message, "must have at least 2 items, got 1");
  const ArrayReader items = value("[10, 20]").array(2);
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[1].pointer(), "/v/1");
  EXPECT_EQ(items[1].integer(0, 100), 20);
}

// ---------------------------------------------------------------------------
// Scalars

TEST_F(JsonReaderTest, StringsAndBooleans) {
  EXPECT_EQ(value("\"hello\"").string(), "hello");
  EXPECT_EQ(error_of([&] { value("3").string(); }).message, "expected a string, got number 3");
  EXPECT_TRUE(value("true").boolean());
  EXPECT_EQ(error_of([&] { value("\"yes\"").boolean(); }).message, "expected true or false, got string \"yes\"");
  EXPECT_EQ(error_of([&] { value("null").boolean(); }).message, "expected true or false, got null");
}

TEST_F(JsonReaderTest, Integers) {
  EXPECT_EQ(value("3").integer(0, 10), 3);
  EXPECT_EQ(value("-3").integer(-10, 10), -3);
  EXPECT_EQ(value("3.0").integer(0, 10), 3);  // JSON Schema's "integer" accepts this too
  EXPECT_EQ(value("1e2").integer(0, 1000), 100);
  EXPECT_EQ(value("9223372036854775807").integer(0, kInt64Max), kInt64Max);
  EXPECT_EQ(error_of([&] { value("1.5").integer(0, 10); }).message, "expected an integer, got number 1.5");
  EXPECT_EQ(error_of([&] { value("\"3\"").integer(0, 10); }).message, "expected an integer, got string \"3\"");
  EXPECT_EQ(error_of([&] { value("true").integer(0, 10); }).message, "expected an integer, got boolean true");
  EXPECT_EQ(error_of([&] { value("-1").integer(0, 10); }).message, "must be between 0 and 10, got -1");
  EXPECT_EQ(error_of([&] { value("0").integer(1, kInt64Max); }).message, "must be at least 1, got 0");
  EXPECT_EQ(error_of([&] { value("11").integer(std::numeric_limits<std::int64_t>::min(), 10); }).message,
            "must be at most 10, got 11");
  EXPECT_EQ(error_of([&] { value("18446744073709551615").integer(0, kInt64Max); }).message,
            "must be at least 0, got 18446744073709551615");
  EXPECT_EQ(error_of([&] { value("1e300").integer(0, kInt64Max); }).message, "must be at least 0, got 1e+300");
}

TEST_F(JsonReaderTest, NumbersAndProbabilities) {
  EXPECT_EQ(value("2.5").number(0, 10), 2.5);
  EXPECT_EQ(value("7").number(0, 10), 7.0);
  EXPECT_EQ(error_of([&] { value("11").number(0, 10); }).message, "must be between 0 and 10, got 11");
  EXPECT_EQ(error_of([&] { value("0.05").number(0.1, 2.5); }).message, "must be between 0.1 and 2.5, got 0.05");
  EXPECT_EQ(error_of([&] { value("-1").number(0, std::numeric_limits<double>::max()); }).message,
            "must be at least 0, got -1");
  EXPECT_EQ(error_of([&] { value("\"1\"").number(0, 10); }).message, "expected a number, got string \"1\"");
  EXPECT_EQ(value("0").probability(), 0.0);
  EXPECT_EQ(value("1").probability(), 1.0);
  EXPECT_EQ(value("0.001").probability(), 0.001);
  EXPECT_EQ(error_of([&] { value("1.5").probability(); }).message, "must be between 0 and 1, got 1.5");
  EXPECT_EQ(error_of([&] { value("-0.1").probability(); }).message, "must be between 0 and 1, got -0.1");
  // JSON text cannot spell NaN, but a document built in code can.
  const nlohmann::json nan = std::nan("");
  EXPECT_EQ(error_of([&] { JsonReader(nan, kFile, "/p").probability(); }).message,
            "must be between 0 and 1, got nan");
}

TEST_F(JsonReaderTest, Durations) {
  EXPECT_EQ(value("\"250us\"").duration(), 250'000);
  EXPECT_EQ(value("\"0\"").duration(), 0);
  EXPECT_EQ(error_of([&] { value("5").duration(); }).message, "durations are strings with a unit, e.g. \"250ms\"");
  EXPECT_EQ(error_of([&] { value("0").duration(); }).message, "durations are strings with a unit, e.g. \"250ms\"");
  EXPECT_EQ(error_of([&] { value("\"5\"").duration(); }).message,
            "invalid duration \"5\": durations need a unit: 250ms, 2s, 1m");
  EXPECT_EQ(error_of([&] { value("\"5 sec\"").duration(); }).message,
            "invalid duration \"5 sec\": whitespace is not allowed; write the number and unit together, e.g. 250ms");
  EXPECT_EQ(error_of([&] { value("\"2m\"").duration(kNanosPerMilli, 60 * kNanosPerSecond); }).message,
            "must be between 1ms and 1m, got 2m");
  EXPECT_EQ(error_of([&] { value("\"0\"").duration(kNanosPerMilli); }).message, "must be at least 1ms, got 0");
  EXPECT_EQ(error_of([&] { value("\"2h\"").duration(0, 3600 * kNanosPerSecond); }).message,
            "must be at most 1h, got 2h");
  EXPECT_EQ(error_of([&] { value("null").duration(); }).message, "expected a duration such as \"250ms\", got null");
}

TEST_F(JsonReaderTest, Bytes) {
  EXPECT_EQ(value("\"64MiB\"").bytes(0, kInt64Max), 64LL << 20);
  EXPECT_EQ(value("1024").bytes(0, kInt64Max), 1024);
  EXPECT_EQ(value("\"100\"").bytes(0, kInt64Max), 100);
  EXPECT_EQ(error_of([&] { value("1.5").bytes(0, kInt64Max); }).message,
            "expected a size such as \"64MiB\" or a whole number of bytes, got number 1.5");
  EXPECT_EQ(error_of([&] { value("\"4kib\"").bytes(0, kInt64Max); }).message,
            "invalid size \"4kib\": unknown unit 'kib'; valid units: B, KB, MB, GB, KiB, MiB, GiB");
  EXPECT_EQ(error_of([&] { value("\"2GiB\"").bytes(1, 1LL << 30); }).message, "must be between 1B and 1GiB, got 2GiB");
  EXPECT_EQ(error_of([&] { value("-5").bytes(1, 1LL << 30); }).message, "must be between 1B and 1GiB, got -5B");
}

TEST_F(JsonReaderTest, Enumerations) {
  EXPECT_EQ(read_policy(value("\"drop_oldest\"")), Policy::kDropOldest);
  const ScenarioError typo = error_of([&] { read_policy(value("\"blok\"")); });
  EXPECT_EQ(typo.pointer, "/v");
  EXPECT_EQ(typo.message, "must be one of: block, drop_newest, drop_oldest; got \"blok\" (did you mean \"block\"?)");
  EXPECT_EQ(error_of([&] { read_policy(value("\"shed\"")); }).message,
            "must be one of: block, drop_newest, drop_oldest; got \"shed\"");
  EXPECT_EQ(error_of([&] { read_policy(value("3")); }).message,
            "expected one of: block, drop_newest, drop_oldest, got number 3");
}

TEST_F(JsonReaderTest, MessagesStayValidUtf8) {
  const nlohmann::json broken = std::string("\xff\xfe ok \xc3\xa9");
  const std::string message = error_of([&] { JsonReader(broken, kFile).integer(0, 1); }).message;
  EXPECT_EQ(message, "expected an integer, got string \"\\xff\\xfe ok \xc3\xa9\"");
}

// ---------------------------------------------------------------------------
// Parsing files and text

TEST(ParseJson, AcceptsAnObject) {
  const nlohmann::json doc = parse_json_text(" {\"a\": [1, {\"b\": null}]}\n", kFile);
  EXPECT_EQ(doc["a"][1].size(), 1u);
}

TEST(ParseJson, RejectsEmptyBlankAndNonObjectDocuments) {
  EXPECT_STREQ(error_of([] { parse_json_text("", kFile); }).what(), "scenario.json: /: the file is empty");
  EXPECT_EQ(error_of([] { parse_json_text(" \n\t ", kFile); }).message, "the file contains only whitespace");
  EXPECT_STREQ(error_of([] { parse_json_text("[1, 2]", kFile); }).what(),
               "scenario.json: /: expected the top-level value to be an object, got array");
  EXPECT_EQ(error_of([] { parse_json_text("42", kFile); }).message,
            "expected the top-level value to be an object, got number 42");
}

TEST(ParseJson, SyntaxErrorsHaveLineAndColumn) {
  const ScenarioError error = error_of([] { parse_json_text("{\n  \"a\": 1,\n  \"b\": tru\n}", kFile); });
  EXPECT_EQ(error.pointer, "");
  EXPECT_EQ(error.message.rfind("invalid JSON at line 3, column 11: syntax error while parsing value", 0), 0u)
      << error.message;
  EXPECT_EQ(error_of([] { parse_json_text("{\"a\": 1,}", kFile); }).message,
            "invalid JSON at line 1, column 9: syntax error while parsing object key - unexpected '}'; "
            "expected string literal");
  // Columns count characters, as editors do, not bytes.
  EXPECT_EQ(error_of([] { parse_json_text("{\"\xc3\xa9\xc3\xa9\": x}", kFile); }).message.substr(0, 34),
            "invalid JSON at line 1, column 8: ");
  EXPECT_EQ(error_of([] { parse_json_text("{\"a\": 1", kFile); }).message.substr(0, 34),
            "invalid JSON at line 1, column 8: ");
  EXPECT_EQ(error_of([] { parse_json_text("{\"a\": 1} x", kFile); }).message.substr(0, 35),
            "invalid JSON at line 1, column 10: ");
}

TEST(ParseJson, RejectsWhatStrictJsonForbids) {
  EXPECT_EQ(error_of([] { parse_json_text("{\"a\": 1e999}", kFile); }).message,
            "invalid JSON at line 1, column 11: number overflow parsing '1e999'");
  EXPECT_NO_THROW(parse_json_text("{\"a\": 1}", kFile));
  error_of([] { parse_json_text("{\"a\": 1 // comment\n}", kFile); });
  error_of([] { parse_json_text("{'a': 1}", kFile); });
  error_of([] { parse_json_text("{\"a\": NaN}", kFile); });
  const std::string message = error_of([] { parse_json_text("{\"a\": \"\xff\"}", kFile); }).message;
  EXPECT_EQ(message.find('\xff'), std::string::npos) << "raw invalid UTF-8 must not reach the message";
}

TEST(ParseJson, RejectsDuplicateKeysAtTheirPointer) {
  EXPECT_STREQ(error_of([] { parse_json_text(R"({"a": 1, "a": 2})", kFile); }).what(),
               "scenario.json: /a: duplicate field 'a'");
  const ScenarioError nested = error_of(
      [] { parse_json_text(R"({"stages": [{"id": "x"}, {"capacity": 1, "x/y": [], "capacity": 2}]})", kFile); });
  EXPECT_EQ(nested.pointer, "/stages/1/capacity");
  EXPECT_EQ(nested.message, "duplicate field 'capacity'");
  EXPECT_EQ(error_of([] { parse_json_text(R"({"a": [[0, {"k": 1, "k": 1}]]})", kFile); }).pointer, "/a/0/1/k");
}

std::string nested(std::size_t levels) {
  return "{\"a\": " + std::string(levels - 1, '[') + std::string(levels - 1, ']') + "}";
}

TEST(ParseJson, NestingIsLimitedTo64Levels) {
  EXPECT_NO_THROW(parse_json_text(nested(64), kFile));
  EXPECT_EQ(error_of([] { parse_json_text(nested(65), kFile); }).message,
            "nesting deeper than 64 levels at line 1, column 70");
  const std::string strings_are_not_nesting = "{\"a\": \"" + std::string(1000, '[') + "\"}";
  EXPECT_NO_THROW(parse_json_text(strings_are_not_nesting, kFile));
}

TEST(ParseJson, DepthBombIsRejectedWithoutCrashing) {
  const std::string arrays = std::string(100'000, '[') + std::string(100'000, ']');
  EXPECT_EQ(error_of([&] { parse_json_text(arrays, kFile); }).message,
            "nesting deeper than 64 levels at line 1, column 65");
  std::string objects;
  for (int i = 0; i < 100'000; ++i) objects += "{\"a\":";
  EXPECT_EQ(error_of([&] { parse_json_text(objects, kFile); }).message,
            "nesting deeper than 64 levels at line 1, column 321");
  const std::string unclosed = "{\"a\": " + std::string(100'000, '[');
  EXPECT_EQ(error_of([&] { parse_json_text(unclosed, kFile); }).message.substr(0, 29),
            "nesting deeper than 64 levels");
}

TEST(ParseJson, SizeIsLimitedTo16MiB) {
  std::string at_limit(kMaxScenarioFileBytes, ' ');
  at_limit.replace(0, 2, "{}");
  EXPECT_NO_THROW(parse_json_text(at_limit, kFile));
  at_limit += ' ';
  EXPECT_EQ(error_of([&] { parse_json_text(at_limit, kFile); }).message,
            "the file is larger than the 16 MiB limit for scenario files");
}

TEST(ParseJsonFile, ReadsAFile) {
  const std::string path = write_temp("ok.json", R"({"name": "x"})");
  EXPECT_EQ(parse_json_file(path)["name"], "x");
  std::remove(path.c_str());
}

TEST(ParseJsonFile, ErrorsNameTheFile) {
  const std::string path = write_temp("bad.json", "{\n\"a\": ]\n}");
  const ScenarioError bad = error_of([&] { parse_json_file(path); });
  EXPECT_EQ(bad.file, path);
  EXPECT_EQ(bad.message.substr(0, 34), "invalid JSON at line 2, column 6: ");
  std::remove(path.c_str());
  const std::string empty = write_temp("empty.json", "");
  EXPECT_EQ(error_of([&] { parse_json_file(empty); }).message, "the file is empty");
  std::remove(empty.c_str());
}

TEST(ParseJsonFile, RejectsMissingDirectoriesAndEndlessFiles) {
  EXPECT_STREQ(error_of([] { parse_json_file("/nonexistent/sluice/x.json"); }).what(),
               "/nonexistent/sluice/x.json: /: cannot open the file: No such file or directory");
  EXPECT_EQ(error_of([] { parse_json_file(::testing::TempDir()); }).message,
            "cannot read the file: Is a directory");
  if (std::filesystem::exists("/dev/zero")) {
    EXPECT_EQ(error_of([] { parse_json_file("/dev/zero"); }).message,
              "the file is larger than the 16 MiB limit for scenario files");
  }
}

// ---------------------------------------------------------------------------
// Fuzzing: every input is either accepted or rejected with a ScenarioError.

struct SplitMix64 {
  std::uint64_t state;
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  std::size_t below(std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(next() % n); }
};

constexpr char kSeedScenario[] = R"({
  "name": "slow-consumer",
  "description": "A steady source feeds a 64-slot buffer; the worker is 20% too slow.",
  "seed": 1,
  "run": { "until": "10m", "faults_end": "8m", "drain_within": "2m" },
  "delivery": "exactly_once",
  "sources": [ { "id": "orders", "node": "edge", "count": 10000,
      "arrival": { "dist": "exponential", "rate": 100 },
      "keys": { "count": 500, "dist": "zipf", "s": 1.1 },
      "retry": { "max_attempts": 8, "backoff": "10ms", "max_backoff": "2s", "jitter": 0.2 },
      "to": "ingest" } ],
  "buffers": [ { "id": "ingest", "node": "edge", "capacity": 64, "policy": "block", "to": "orders-topic" } ],
  "topics": [ { "id": "orders-topic", "node": "broker-1", "partitions": 4, "max_msgs": 100000,
      "max_bytes": "64MiB", "max_msg_size": "1MiB", "discard": "new", "fsync": "every_write" } ],
  "network": { "latency": { "dist": "uniform", "min": "1ms", "max": "3ms" }, "drop": 0.001, "duplicate": 0.0005 },
  "faults": [
    { "at": "60s",  "kind": "crash", "target": "worker-1", "restart_after": "5s" },
    { "at": "120s", "kind": "partition", "groups": [["broker-1"], ["worker-2"]], "duration": "10s" } ],
  "defects": [],
  "expect": { "hold": ["no_loss", "per_key_order", "bounded_queues"], "violate": [] }
})";

std::string mutate(std::string text, SplitMix64& rng) {
  const int edits = 1 + static_cast<int>(rng.below(3));
  for (int e = 0; e < edits; ++e) {
    const std::size_t at = rng.below(text.size() + 1);
    switch (rng.below(6)) {
      case 0:  // flip one bit
        if (at < text.size()) text[at] = static_cast<char>(text[at] ^ (1 << rng.below(8)));
        break;
      case 1:  // truncate
        text.resize(at);
        break;
      case 2: {  // insert a structural character, sometimes a long run of it
        const char structural[] = {'{', '[', '"', '-'};
        const std::size_t run = rng.below(4) == 0 ? 1 + rng.below(200) : 1;
        text.insert(at, run, structural[rng.below(4)]);
        break;
      }
      case 3: {  // duplicate a slice somewhere else
        const std::size_t from = rng.below(text.size() + 1);
        const std::string slice = text.substr(from, rng.below(64));
        text.insert(std::min(at, text.size()), slice);
        break;
      }
      case 4:  // delete a slice
        text.erase(std::min(at, text.size()), rng.below(16));
        break;
      default:  // overwrite with any byte
        if (at < text.size()) text[at] = static_cast<char>(rng.next() & 0xFF);
        break;
    }
  }
  return text;
}

// Reads the way a loader would, so type and range errors on mutated values
// are exercised, not just parsing.
void read_like_a_loader(const JsonReader& root) {
  enum class Delivery { kAtMostOnce, kAtLeastOnce, kExactlyOnce };
  const ObjectReader doc = root.object();
  doc.string_or("name", "");
  doc.integer_or("seed", 1, 0, kInt64Max);
  if (const auto run = doc.maybe("run")) {
    const ObjectReader r = run->object();
    for (const char* key : {"until", "faults_end", "drain_within"}) r.duration_or(key, 0);
    r.finish();
  }
  if (const auto delivery = doc.maybe("delivery")) {
    delivery->enumeration<Delivery>({{"at_most_once", Delivery::kAtMostOnce},
                                     {"at_least_once", Delivery::kAtLeastOnce},
                                     {"exactly_once", Delivery::kExactlyOnce}});
  }
  for (const JsonReader& buffer : doc.at("buffers").array(1)) {
    const ObjectReader b = buffer.object();
    b.at("id").string();
    b.at("capacity").integer(1, 1'000'000);
    read_policy(b.at("policy"));
    b.allow({"node", "to"});
    b.finish();
  }
  for (const JsonReader& topic : doc.at("topics").array()) {
    const ObjectReader t = topic.object();
    t.bytes_or("max_bytes", 0, 0, kInt64Max);
    t.bytes_or("max_msg_size", 0, 1, 1LL << 30);
    t.allow({"id", "node", "partitions", "max_msgs", "discard", "fsync"});
    t.finish();
  }
  const ObjectReader network = doc.at("network").object();
  network.at("drop").probability();
  network.number_or("duplicate", 0, 0, 1);
  network.allow({"latency"});
  network.finish();
  doc.allow({"description", "sources", "topics", "faults", "defects", "expect"});
  doc.finish();
}

// Applies every reader to every value; each may only throw ScenarioError.
void read_everything(const JsonReader& reader, std::size_t& errors) {
  const auto attempt = [&errors](auto&& read) {
    try {
      read();
    } catch (const ScenarioError&) {
      ++errors;
    }
  };
  attempt([&] { reader.string(); });
  attempt([&] { reader.boolean(); });
  attempt([&] { reader.number(-1e9, 1e9); });
  attempt([&] { reader.integer(-5, 1'000'000); });
  attempt([&] { reader.duration(); });
  attempt([&] { reader.bytes(0, kInt64Max); });
  attempt([&] { reader.probability(); });
  attempt([&] { read_policy(reader); });
  attempt([&] { reader.object().finish(); });
  if (reader.is_array()) {
    for (const JsonReader& element : reader.array()) read_everything(element, errors);
  }
  if (reader.is_object()) {
    const ObjectReader object = reader.object();
    for (const auto& member : reader.value().items()) read_everything(object.at(member.key()), errors);
  }
}

// Parses through a temporary file, which is removed whatever the outcome.
nlohmann::json parse_via_temp_file(const std::string& text) {
  const std::string path = write_temp("fuzz.json", text);
  try {
    nlohmann::json doc = parse_json_file(path);
    std::remove(path.c_str());
    return doc;
  } catch (...) {
    std::remove(path.c_str());
    throw;
  }
}

TEST(JsonFuzz, MutatedScenariosFailOnlyWithScenarioErrors) {
  const std::uint64_t seed = 20240601;
  SplitMix64 rng{seed};
  std::size_t accepted = 0, rejected = 0, read_errors = 0;
  for (int i = 0; i < 20'000; ++i) {
    const std::string text = mutate(kSeedScenario, rng);
    try {
      nlohmann::json doc;
      if (i % 1000 == 0) {  // now and then, the file path end to end
        doc = parse_via_temp_file(text);
      } else {
        doc = parse_json_text(text, "fuzz.json");
      }
      ++accepted;
      try {
        read_like_a_loader(JsonReader(doc, "fuzz.json"));
      } catch (const ScenarioError&) {
        ++read_errors;
      }
      if (accepted % 25 == 0) read_everything(JsonReader(doc, "fuzz.json"), read_errors);
    } catch (const ScenarioError& error) {
      ++rejected;
      ASSERT_FALSE(error.message.empty());
      ASSERT_TRUE(error.file == "fuzz.json" || error.file == temp_path("fuzz.json")) << error.file;
    } catch (const std::exception& other) {
      FAIL() << "seed " << seed << ", iteration " << i << ": unexpected exception: " << other.what();
    } catch (...) {
      FAIL() << "seed " << seed << ", iteration " << i << ": unexpected non-std exception";
    }
  }
  // Both outcomes must be common, or the mutations are not testing much.
  EXPECT_GT(accepted, 1000u);
  EXPECT_GT(rejected, 1000u);
  EXPECT_GT(read_errors, 100u);
  std::printf("fuzz: %zu accepted, %zu rejected, %zu read errors\n", accepted, rejected, read_errors);
}

}  // namespace
}  // namespace sluice
