#include <gtest/gtest.h>

#include "base/error.h"
#include "tensor/convert.h"
#include "tensor/npy.h"

namespace q8 {
namespace {

TEST(Npy, RoundTripsEveryType) {
  for (ElementType t : {ElementType::kF32, ElementType::kF16, ElementType::kF64, ElementType::kI8,
                        ElementType::kU8, ElementType::kI32, ElementType::kI64, ElementType::kBoolean}) {
    Tensor v = convert(make_f32({2, 3}, {0, 1, 2, 3, 4, 5}), t);
    Tensor back = parse_npy(to_npy(v), "x.npy");
    EXPECT_TRUE(back.same_as(v)) << to_string(t);
  }
  Tensor scalar = make_f32({}, {7});
  EXPECT_TRUE(parse_npy(to_npy(scalar), "s").same_as(scalar));
  Tensor vec = make_i64({3}, {1, 2, 3});
  EXPECT_TRUE(parse_npy(to_npy(vec), "v").same_as(vec));
}

TEST(Npy, HeaderIsNumpyCompatible) {
  std::string bytes = to_npy(make_f32({1, 3}, {1, 2, 3}));
  EXPECT_EQ(bytes.substr(0, 8), std::string("\x93NUMPY\x01\x00", 8));
  size_t header_len = static_cast<unsigned char>(bytes[8]) | (static_cast<unsigned char>(bytes[9]) << 8);
  EXPECT_EQ((10 + header_len) % 64, 0u);
  std::string header = bytes.substr(10, header_len);
  EXPECT_NE(header.find("'descr': '<f4'"), std::string::npos);
  EXPECT_NE(header.find("'shape': (1, 3)"), std::string::npos);
  EXPECT_NE(to_npy(make_i64({2}, {1, 2})).find("'shape': (2,)"), std::string::npos);
}

TEST(Npy, BadFilesAreNamed) {
  std::string good = to_npy(make_f32({2, 2}, {1, 2, 3, 4}));
  for (const std::string& bad :
       {std::string(), std::string("garbage"), good.substr(0, good.size() - 3), good.substr(0, 20)}) {
    try {
      parse_npy(bad, "in.npy");
      FAIL() << "accepted " << bad.size() << " bytes";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::kBadInput);
      EXPECT_NE(e.describe().find("in.npy"), std::string::npos);
    }
  }
  std::string big_endian = good;
  big_endian.replace(big_endian.find("<f4"), 3, ">f4");
  EXPECT_THROW(parse_npy(big_endian, "be.npy"), Error);
  std::string fortran = good;
  fortran.replace(fortran.find("False"), 5, "True ");
  EXPECT_THROW(parse_npy(fortran, "f.npy"), Error);
}

TEST(Convert, SaturatesAndTruncates) {
  Tensor f = make_f32({5}, {-300.7f, -1.5f, 0.5f, 1.9f, 300.2f});
  auto i8 = to_ints(convert(f, ElementType::kI8));
  EXPECT_EQ(i8, (std::vector<int64_t>{-128, -1, 0, 1, 127}));
  auto u8 = to_ints(convert(f, ElementType::kU8));
  EXPECT_EQ(u8, (std::vector<int64_t>{0, 0, 0, 1, 255}));
  auto b = to_ints(convert(f, ElementType::kBoolean));
  EXPECT_EQ(b, (std::vector<int64_t>{1, 1, 1, 1, 1}));
  auto h = to_floats(convert(convert(f, ElementType::kF16), ElementType::kF32));
  EXPECT_FLOAT_EQ(h[2], 0.5f);
  EXPECT_FLOAT_EQ(h[4], 300.25f);  // nearest half
}

}  // namespace
}  // namespace q8
