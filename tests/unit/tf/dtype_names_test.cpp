#include "tf/dtype_names.h"

#include <gtest/gtest.h>

#include "base/error.h"

namespace q8::tf {
namespace {

TEST(DtypeNames, CanonicalNamesRoundTrip) {
  for (int t = DT_FLOAT; t <= DT_UINT64; ++t) {
    const std::string name = dtype_name(t);
    EXPECT_EQ(dtype_from_name(name), t) << name;
  }
  EXPECT_EQ(dtype_name(DT_FLOAT), "float32");
  EXPECT_EQ(dtype_name(DT_HALF), "float16");
  EXPECT_EQ(dtype_name(DT_INT64), "int64");
  EXPECT_EQ(dtype_name(DT_BFLOAT16), "bfloat16");
}

TEST(DtypeNames, AliasesAndTensorFlowSpelling) {
  EXPECT_EQ(dtype_from_name("float"), DT_FLOAT);
  EXPECT_EQ(dtype_from_name("fp32"), DT_FLOAT);
  EXPECT_EQ(dtype_from_name("half"), DT_HALF);
  EXPECT_EQ(dtype_from_name("i64"), DT_INT64);
  EXPECT_EQ(dtype_from_name("double"), DT_DOUBLE);
  EXPECT_EQ(dtype_from_name("DT_FLOAT"), DT_FLOAT);
  EXPECT_EQ(dtype_from_name("DT_UINT32"), DT_UINT32);
}

TEST(DtypeNames, UnknownValueIsPrintedNotInvented) {
  EXPECT_EQ(dtype_name(77), "DT_?(77)");
}

TEST(DtypeNames, UnknownNameIsUsageError) {
  for (const char* bad : {"float33", "", "DT_INVALID", "Float32"}) {
    try {
      dtype_from_name(bad);
      FAIL() << "accepted " << bad;
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::kUsage);
      EXPECT_NE(std::string(e.what()).find("float32"), std::string::npos);
    }
  }
}

}  // namespace
}  // namespace q8::tf
