// get-annotations --imagenet: val_map.txt lines of the listed files, in list order.
#include "get_annotations_support.h"

namespace q8::test::ann {
namespace {

// `n` class names, one per line.
std::string write_classes(const TempDir& dir, int n) {
  std::string text;
  for (int i = 0; i < n; ++i)
    text += "n" + std::to_string(1440764 + i) + " class " + std::to_string(i) + "\n";
  write(dir.file("classes.txt"), text);
  return dir.file("classes.txt");
}

TEST(GetAnnotationsImagenet, ListOrderWithAndWithoutDirectory) {
  TempDir dir;
  auto r = run({"--imagenet", kValMap, "--list", kCalList, "-o", dir.file("cali.txt")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read(dir.file("cali.txt")),
            "ILSVRC2012_val_00000004.JPEG 809\nILSVRC2012_val_00000001.JPEG 65\n");
  EXPECT_NE(r.err.find("kept 2 of 5 entries"), std::string::npos) << r.err;
}

TEST(GetAnnotationsImagenet, FileWrittenAsInValMap) {
  TempDir dir;
  write(dir.file("val_map.txt"), "val/a.JPEG 3\r\nval/b.JPEG 4\r\n");
  std::string list = write_list(dir, "list.txt", {"b.JPEG", "other/a.JPEG", "b.JPEG"});
  auto r = run({"--imagenet", dir.file("val_map.txt"), "--list", list, "-o", dir.file("o.txt")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read(dir.file("o.txt")), "val/b.JPEG 4\nval/a.JPEG 3\n");
  EXPECT_NE(r.err.find("1 duplicates counted once"), std::string::npos) << r.err;
}

TEST(GetAnnotationsImagenet, MissingNames) {
  TempDir dir;
  std::string list =
      write_list(dir, "list.txt", {"ILSVRC2012_val_00000002.JPEG", "ILSVRC2012_val_00009999.JPEG"});
  std::string out = dir.file("o.txt");
  expect_failure(dir, out, {"--imagenet", kValMap, "--list", list, "-o", out}, kBadInput,
                 {"1 of 2 names match no file", "ILSVRC2012_val_00009999.JPEG"});
  auto r = run({"--imagenet", kValMap, "--list", list, "-o", out, "--allow-missing"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read(out), "ILSVRC2012_val_00000002.JPEG 970\n");
  list = write_list(dir, "none.txt", {"x.JPEG"});
  expect_failure(dir, out + "2", {"--imagenet", kValMap, "--list", list, "-o", out + "2", "--allow-missing"},
                 kBadInput, {"no file of"});
}

TEST(GetAnnotationsImagenet, ClassesBoundTheLabels) {
  TempDir dir;
  auto r = run({"--imagenet", kValMap, "--list", kCalList, "-o", dir.file("o.txt"), "--classes",
                write_classes(dir, 1000)});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("1000 classes"), std::string::npos) << r.err;
  std::string out = dir.file("o2.txt");
  expect_failure(dir, out,
                 {"--imagenet", kValMap, "--list", kCalList, "-o", out, "--classes", write_classes(dir, 100)},
                 kBadInput, {kValMap + ":4:", "label 809", "ILSVRC2012_val_00000004.JPEG", "100 classes"});
}

TEST(GetAnnotationsImagenet, SameFileWithTwoLabels) {
  TempDir dir;
  write(dir.file("val_map.txt"), "a.JPEG 1\nb.JPEG 2\na.JPEG 1\nval/b.JPEG 7\n");
  std::string list = write_list(dir, "list.txt", {"a.JPEG"}), out = dir.file("o.txt");
  expect_failure(dir, out, {"--imagenet", dir.file("val_map.txt"), "--list", list, "-o", out}, kBadInput,
                 {"val_map.txt:4:", "label 7", "line 2", "label 2"});
}

TEST(GetAnnotationsImagenet, MalformedValMap) {
  TempDir dir;
  write(dir.file("val_map.txt"), "a.JPEG 1\nb.JPEG\n");
  std::string list = write_list(dir, "list.txt", {"a.JPEG"}), out = dir.file("o.txt");
  expect_failure(dir, out, {"--imagenet", dir.file("val_map.txt"), "--list", list, "-o", out}, kBadInput,
                 {"val_map.txt:2:"});
}

TEST(GetAnnotationsImagenet, OutputIsTheValMap) {
  TempDir dir;
  write(dir.file("val_map.txt"), "a.JPEG 1\n");
  std::string list = write_list(dir, "list.txt", {"a.JPEG"});
  auto r = run({"--imagenet", dir.file("val_map.txt"), "--list", list, "-o", dir.file("val_map.txt")});
  EXPECT_EQ(r.exit_code, kUsage) << r.err;
  EXPECT_EQ(read(dir.file("val_map.txt")), "a.JPEG 1\n");
}

}  // namespace
}  // namespace q8::test::ann
