#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <atomic>
#include <cmath>
#include <thread>

#include "base/error.h"
#include "base/file.h"
#include "base/strings.h"
#include "test_support.h"

namespace q8 {
namespace {

TEST(Error, ContextIsPrintedOutermostFirst) {
  try {
    with_context("model.xml",
                 [] { with_context("layer 'conv' (id 3)", [] { throw_bad_input("bad stride"); }); });
    FAIL() << "no throw";
  } catch (const Error& e) {
    EXPECT_EQ(e.describe(), "model.xml: layer 'conv' (id 3): bad stride");
    EXPECT_EQ(exit_code_for(e.kind()), ExitCode::kBadInput);
  }
}

TEST(Error, ExitCodesAreDocumentedValues) {
  EXPECT_EQ(static_cast<int>(exit_code_for(ErrorKind::kUsage)), 1);
  EXPECT_EQ(static_cast<int>(exit_code_for(ErrorKind::kBadInput)), 2);
  EXPECT_EQ(static_cast<int>(exit_code_for(ErrorKind::kInternal)), 3);
}

TEST(Strings, ParseIsStrict) {
  EXPECT_EQ(parse_int("42"), 42);
  EXPECT_EQ(parse_int(" -7 "), -7);
  EXPECT_FALSE(parse_int("4x"));
  EXPECT_FALSE(parse_int(""));
  EXPECT_FALSE(parse_int("1.5"));
  EXPECT_DOUBLE_EQ(*parse_double("1e-05"), 1e-05);
  EXPECT_FALSE(parse_double("1.0.0"));
  EXPECT_TRUE(std::isinf(*parse_double("-inf")));
}

TEST(Strings, FormatDoubleRoundTrips) {
  for (double v : {0.1, 1e-05, 123.675, 58.395, 1.0 / 3.0, -0.0, 65504.0, 1e300}) {
    EXPECT_EQ(*parse_double(format_double(v)), v) << format_double(v);
  }
  EXPECT_EQ(format_double(0.5), "0.5");
  EXPECT_EQ(format_double(2.0), "2");
}

TEST(Strings, SplitKeepsEmptyFields) {
  EXPECT_EQ(split("a,,b", ','), (std::vector<std::string>{"a", "", "b"}));
  EXPECT_EQ(join({"x", "y"}, ", "), "x, y");
}

TEST(AtomicOutputs, NothingAppearsUntilCommit) {
  test::TempDir dir;
  {
    AtomicOutputs out;
    out.add(dir.file("a.xml"), "xml");
    out.add(dir.file("a.bin"), "bin");
    EXPECT_FALSE(test::exists(dir.file("a.xml")));
  }  // not committed: temporaries removed
  EXPECT_TRUE(test::list_dir(dir.path()).empty());
  AtomicOutputs out;
  out.add(dir.file("a.xml"), "xml");
  out.add(dir.file("a.bin"), "bin");
  out.commit();
  EXPECT_EQ(test::list_dir(dir.path()), (std::vector<std::string>{"a.bin", "a.xml"}));
  EXPECT_EQ(test::read(dir.file("a.bin")), "bin");
}

TEST(AtomicOutputs, ConcurrentSetsIntoOneDirectoryStayPaired) {
  // Four writers commit model.xml + model.bin pairs into one directory (as concurrent mo/pot runs
  // with one output dir do). Commits hold the directory's flock: a reader taking the same lock must
  // always find the two files from the same commit, and the final state is one complete pair.
  test::TempDir dir;
  {
    AtomicOutputs first;
    first.add(dir.file("m.xml"), "init");
    first.add(dir.file("m.bin"), "init");
    first.commit();
  }
  std::atomic<bool> done{false};
  std::vector<std::thread> writers;
  for (int t = 0; t < 4; ++t) {
    writers.emplace_back([&, t] {
      for (int i = 0; i < 150; ++i) {
        const std::string tag = std::to_string(t) + ":" + std::to_string(i);
        AtomicOutputs out;
        out.add(dir.file("m.xml"), tag);
        out.add(dir.file("m.bin"), tag);
        out.commit();
      }
    });
  }
  int checks = 0, mismatches = 0;
  std::thread reader([&] {
    while (!done) {
      int fd = ::open(dir.path().c_str(), O_RDONLY | O_DIRECTORY);
      ASSERT_GE(fd, 0);
      ::flock(fd, LOCK_EX);
      mismatches += test::read(dir.file("m.xml")) != test::read(dir.file("m.bin"));
      ++checks;
      ::close(fd);
    }
  });
  for (auto& w : writers) w.join();
  done = true;
  reader.join();
  EXPECT_GT(checks, 0);
  EXPECT_EQ(mismatches, 0);
  EXPECT_EQ(test::read(dir.file("m.xml")), test::read(dir.file("m.bin")));
  EXPECT_EQ(test::list_dir(dir.path()), (std::vector<std::string>{"m.bin", "m.xml"}));  // no temporaries left
}

TEST(AtomicOutputs, MissingDirectoryIsAUsageError) {
  test::TempDir dir;
  AtomicOutputs out;
  try {
    out.add(dir.file("nope/a.xml"), "x");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kUsage);
    EXPECT_NE(e.describe().find("nope"), std::string::npos);
  }
}

TEST(Files, ReadMissingFileNamesIt) {
  try {
    read_file("/nonexistent/model.onnx");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kBadInput);
    EXPECT_NE(e.describe().find("/nonexistent/model.onnx"), std::string::npos);
  }
}

TEST(Files, RefusesToOverwriteInput) {
  test::TempDir dir;
  test::write(dir.file("m.onnx"), "x");
  EXPECT_THROW(check_not_same_file(dir.file("m.onnx"), dir.path() + "/./m.onnx"), Error);
  EXPECT_NO_THROW(check_not_same_file(dir.file("m.onnx"), dir.file("out.onnx")));
}

}  // namespace
}  // namespace q8
