// get-annotations misuse and malformed inputs: one line naming the file and the element, a
// documented exit code, nothing written.
#include <algorithm>
#include <filesystem>

#include "base/error.h"
#include "dataset/annotations_filter.h"
#include "get_annotations_support.h"

namespace q8::test::ann {
namespace {

struct Case {
  TempDir dir;
  std::string out = dir.file("o.json");
  std::string list = write_list(dir, "list.txt", {"a.jpg"});
};

// Runs COCO mode on `json` (written to bad.json); expects a one-line bad-input error.
void expect_bad_coco(const std::string& json, const std::vector<std::string>& parts) {
  Case c;
  std::string path = c.dir.file("bad.json");
  write(path, json);
  std::vector<std::string> all = {path};
  all.insert(all.end(), parts.begin(), parts.end());
  std::string err =
      expect_failure(c.dir, c.out, {"--instances", path, "--list", c.list, "-o", c.out}, kBadInput, all);
  EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;
}

TEST(GetAnnotationsErrors, NotJson) {
  expect_bad_coco("hello", {"not a json object"});
  expect_bad_coco("{\"images\": [}", {"invalid json"});
  expect_bad_coco("", {});
  expect_bad_coco("[1,2]", {"top level is not a json object"});
}

TEST(GetAnnotationsErrors, NoImagesArray) {
  expect_bad_coco(R"({"annotations":[]})", {"no \"images\" array"});
  expect_bad_coco(R"({"images":{"file_name":"a.jpg","id":1}})", {"images", "not an array"});
  expect_bad_coco(R"({"images":[],"images":[]})", {"images", "appears twice"});
}

TEST(GetAnnotationsErrors, ImageSchema) {
  expect_bad_coco(R"({"images":[{"file_name":"a.jpg","id":1},{"id":2}]})", {"images[1]", "no \"file_name\""});
  expect_bad_coco(R"({"images":[{"file_name":"a.jpg"}]})", {"images[0]", "no \"id\""});
  expect_bad_coco(R"({"images":[{"file_name":"a.jpg","id":"1"}]})",
                  {"images[0]", "\"id\" is not an integer"});
  expect_bad_coco(R"({"images":[{"file_name":"a.jpg","id":1.5}]})",
                  {"images[0]", "\"id\" is not an integer"});
  expect_bad_coco(R"({"images":[{"file_name":7,"id":1}]})", {"images[0]", "\"file_name\" is not a string"});
  expect_bad_coco(R"({"images":[{"file_name":"a.jpg","id":1},3]})", {"images[1]", "not an object"});
}

TEST(GetAnnotationsErrors, AnnotationSchema) {
  const std::string images = R"({"images":[{"file_name":"a.jpg","id":1}],)";
  expect_bad_coco(images + R"("annotations":[{"image_id":1,"id":1},{"segmentation":[[1,2]],"id":2}]})",
                  {"annotations[1]", "no \"image_id\""});
  expect_bad_coco(images + R"("annotations":[{"image_id":"1"}]})",
                  {"annotations[0]", "\"image_id\" is not an integer"});
  expect_bad_coco(images + R"("annotations":{"image_id":1}})", {"annotations", "not an array"});
  expect_bad_coco(images + R"("annotations":[[1]]})", {"annotations[0]", "not an object"});
}

TEST(GetAnnotationsErrors, ElementLineNumber) {
  expect_bad_coco(
      "{\n\"images\": [\n  {\"file_name\": \"a.jpg\", \"id\": 1},\n  {\"file_name\": \"b.jpg\"}\n]}\n",
      {"images[1] (line 4)", "no \"id\""});
}

// What ondemand skips is checked where it is copied: a kept element must be valid json.
TEST(GetAnnotationsErrors, InvalidJsonInsideAKeptElement) {
  expect_bad_coco(
      R"({"images":[{"file_name":"a.jpg","id":1}],"annotations":[{"image_id":1,"bbox":[1,2,tru]}]})",
      {"annotations[0]", "invalid json"});
  expect_bad_coco(R"({"info":{"year":20x17},"images":[{"file_name":"a.jpg","id":1}]})",
                  {"info", "invalid json"});
}

TEST(GetAnnotationsErrors, TruncatedFile) {
  std::string text = read(kInstances);
  expect_bad_coco(text.substr(0, text.size() / 2), {});
  expect_bad_coco(text.substr(0, text.size() - 1), {});
  size_t image_end = text.find("\"id\":31}") + 8;  // ends on an element's '}'
  expect_bad_coco(text.substr(0, image_end), {});
  expect_bad_coco(text + "x", {});
}

// Every prefix of the fixture is rejected as bad input, never accepted and never a crash.
TEST(GetAnnotationsErrors, EveryTruncationIsBadInput) {
  TempDir dir;
  std::vector<dataset::LabeledFile> list = {{"000000000009.jpg", -1, 1}};
  for (const std::string& fixture : {kInstances, kPretty}) {
    std::string text = read(fixture);
    for (size_t n = 0; n < text.size(); ++n) {
      if (text.find_first_not_of(" \n", n) == std::string::npos) break;  // only whitespace cut
      // A new file each time: rewriting one file in place makes ext4 flush it on every close.
      std::string cut = dir.file("cut" + std::to_string(n) + ".json");
      write(cut, text.substr(0, n));
      try {
        dataset::filter_coco(cut, list);
        ADD_FAILURE() << fixture << " cut at " << n << " was accepted";
      } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::kBadInput) << n << ": " << e.describe();
        EXPECT_NE(e.describe().find(cut), std::string::npos) << e.describe();
      }
      std::filesystem::remove(cut);
    }
  }
}

TEST(GetAnnotationsErrors, MissingInstancesFile) {
  Case c;
  expect_failure(c.dir, c.out, {"--instances", c.dir.file("none.json"), "--list", c.list, "-o", c.out},
                 kBadInput, {"none.json"});
}

TEST(GetAnnotationsErrors, OutputIsAnInput) {
  TempDir dir;
  std::string input = dir.file("in.json"), list = write_list(dir, "list.txt", {"000000000009.jpg"});
  const std::string original = read(kInstances);
  write(input, original);
  auto r = run({"--instances", input, "--list", list, "-o", input});
  EXPECT_EQ(r.exit_code, kUsage) << r.err;
  EXPECT_NE(r.err.find("refusing to overwrite the input"), std::string::npos) << r.err;
  EXPECT_EQ(read(input), original);
  r = run({"--instances", input, "--list", list, "-o", list});
  EXPECT_EQ(r.exit_code, kUsage) << r.err;
  EXPECT_EQ(read(list), "000000000009.jpg\n");
}

TEST(GetAnnotationsErrors, ExistingOutputUntouchedOnFailure) {
  Case c;
  write(c.out, "previous");
  auto r = run({"--instances", kInstances, "--list", c.list, "-o", c.out});
  EXPECT_EQ(r.exit_code, kBadInput) << r.err;
  EXPECT_EQ(read(c.out), "previous");
}

TEST(GetAnnotationsErrors, Usage) {
  Case c;
  expect_failure(c.dir, c.out, {"--instances", kInstances, "-o", c.out}, kUsage, {"--list"});
  expect_failure(c.dir, c.out, {"--instances", kInstances, "--list", c.list}, kUsage, {"--output"});
  expect_failure(c.dir, c.out, {"--list", c.list, "-o", c.out}, kUsage, {"--instances", "--imagenet"});
  expect_failure(c.dir, c.out,
                 {"--instances", kInstances, "--imagenet", kValMap, "--list", c.list, "-o", c.out}, kUsage,
                 {"excludes"});
  expect_failure(c.dir, c.out,
                 {"--instances", kInstances, "--classes", kValMap, "--list", c.list, "-o", c.out}, kUsage,
                 {"--classes applies to --imagenet only"});
}

TEST(GetAnnotationsErrors, EmptyList) {
  Case c;
  write(c.list, "# nothing\n\n");
  expect_failure(c.dir, c.out, {"--instances", kInstances, "--list", c.list, "-o", c.out}, kBadInput,
                 {c.list, "no names"});
}

}  // namespace
}  // namespace q8::test::ann
