// jpeglib.h needs size_t and FILE declared before it.
#include <atomic>
#include <csetjmp>
#include <cstddef>
#include <cstdio>
#include <cstring>

#include <jpeglib.h>
#include <png.h>

#include "base/error.h"
#include "base/file.h"
#include "image/image.h"

namespace q8::image {
namespace {

std::atomic<int64_t> g_max_pixels{int64_t{1} << 28};

// Checked on the header's dimensions, before anything is allocated for the pixels.
void check_size(uint64_t width, uint64_t height, const std::string& name) {
  if (width == 0 || height == 0 || width * height > static_cast<uint64_t>(max_image_pixels()))
    throw_bad_input(name + ": image of " + std::to_string(width) + "x" + std::to_string(height) +
                    " pixels is empty or larger than the limit of " + std::to_string(max_image_pixels()) +
                    " pixels");
}

// libjpeg reports fatal errors through error_exit; we jump back to decode_jpeg, never throw
// through the C library's frames.
struct JpegError {
  jpeg_error_mgr mgr;
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
};

void jpeg_fail(j_common_ptr cinfo) {
  auto* err = reinterpret_cast<JpegError*>(cinfo->err);
  (*cinfo->err->format_message)(cinfo, err->message);
  std::longjmp(err->jump, 1);
}

// Warnings (level -1, e.g. "premature end of data") are counted, not printed.
void jpeg_quiet(j_common_ptr cinfo, int level) {
  if (level < 0) cinfo->err->num_warnings++;
}

Image decode_jpeg(const std::string& bytes, const std::string& name) {
  jpeg_decompress_struct cinfo{};
  JpegError err{};
  cinfo.err = jpeg_std_error(&err.mgr);
  err.mgr.error_exit = jpeg_fail;
  err.mgr.emit_message = jpeg_quiet;
  Image img;
  if (setjmp(err.jump)) {
    jpeg_destroy_decompress(&cinfo);
    throw_bad_input(name + ": corrupt JPEG: " + err.message);
  }
  jpeg_create_decompress(&cinfo);
  jpeg_mem_src(&cinfo, reinterpret_cast<const unsigned char*>(bytes.data()),
               static_cast<unsigned long>(bytes.size()));
  jpeg_read_header(&cinfo, TRUE);
  if (static_cast<uint64_t>(cinfo.image_width) * cinfo.image_height >
      static_cast<uint64_t>(max_image_pixels())) {
    uint64_t w = cinfo.image_width, h = cinfo.image_height;
    jpeg_destroy_decompress(&cinfo);
    check_size(w, h, name);
  }
  cinfo.out_color_space = JCS_RGB;
  jpeg_start_decompress(&cinfo);
  img.width = static_cast<int>(cinfo.output_width);
  img.height = static_cast<int>(cinfo.output_height);
  img.pixels.resize(static_cast<size_t>(img.width) * img.height * 3);
  while (cinfo.output_scanline < cinfo.output_height) {
    JSAMPROW row = img.pixels.data() + static_cast<size_t>(cinfo.output_scanline) * img.width * 3;
    jpeg_read_scanlines(&cinfo, &row, 1);
  }
  // A truncated file decodes with a warning and grey rows; treat it as the error it is.
  bool truncated = err.mgr.num_warnings > 0;
  jpeg_finish_decompress(&cinfo);
  jpeg_destroy_decompress(&cinfo);
  if (truncated) throw_bad_input(name + ": truncated or damaged JPEG data");
  return img;
}

// libpng also reports errors through longjmp; the message is kept for the exception.
struct PngReader {
  const std::string* bytes;
  size_t pos = 0;
  std::string message;
};

void png_fail(png_structp png, png_const_charp msg) {
  static_cast<PngReader*>(png_get_error_ptr(png))->message = msg;
  png_longjmp(png, 1);
}

void png_quiet(png_structp, png_const_charp) {}

void png_read_bytes(png_structp png, png_bytep out, png_size_t n) {
  auto* r = static_cast<PngReader*>(png_get_io_ptr(png));
  if (r->bytes->size() - r->pos < n) png_error(png, "truncated PNG data");
  std::memcpy(out, r->bytes->data() + r->pos, n);
  r->pos += n;
}

// The low-level API, so that 16-bit samples scale to 8 bits exactly (v*257 -> v) with no gamma
// change; the simplified API treats 16-bit files as linear light and gamma-encodes them.
Image decode_png(const std::string& bytes, const std::string& name) {
  PngReader reader{&bytes, 0, {}};
  png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &reader, png_fail, png_quiet);
  if (!png) throw_internal("libpng: out of memory");
  png_infop info = png_create_info_struct(png);
  Image img;
  std::vector<png_bytep> rows;
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_read_struct(&png, &info, nullptr);
    throw_bad_input(name + ": corrupt PNG: " + reader.message);
  }
  if (!info) png_error(png, "out of memory");
  png_set_read_fn(png, &reader, png_read_bytes);
  png_read_info(png, info);
  png_uint_32 width = png_get_image_width(png, info), height = png_get_image_height(png, info);
  if (static_cast<uint64_t>(width) * height > static_cast<uint64_t>(max_image_pixels())) {
    png_destroy_read_struct(&png, &info, nullptr);
    check_size(width, height, name);
  }
  int color = png_get_color_type(png, info);
  png_set_scale_16(png);
  png_set_packing(png);
  if (color == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
  if (color == PNG_COLOR_TYPE_GRAY || color == PNG_COLOR_TYPE_GRAY_ALPHA) {
    png_set_expand_gray_1_2_4_to_8(png);
    png_set_gray_to_rgb(png);
  }
  // Alpha is dropped (as PIL's convert("RGB") does), tRNS transparency too.
  png_set_strip_alpha(png);
  png_read_update_info(png, info);
  if (png_get_rowbytes(png, info) != static_cast<size_t>(width) * 3) png_error(png, "unexpected row layout");
  img.width = static_cast<int>(width);
  img.height = static_cast<int>(height);
  img.pixels.resize(static_cast<size_t>(width) * height * 3);
  rows.resize(height);
  for (png_uint_32 y = 0; y < height; ++y) rows[y] = img.pixels.data() + static_cast<size_t>(y) * width * 3;
  png_read_image(png, rows.data());
  png_read_end(png, nullptr);
  png_destroy_read_struct(&png, &info, nullptr);
  return img;
}

}  // namespace

int64_t max_image_pixels() {
  return g_max_pixels.load(std::memory_order_relaxed);
}

void set_max_image_pixels(int64_t pixels) {
  g_max_pixels.store(pixels, std::memory_order_relaxed);
}

Image decode(const std::string& bytes, const std::string& name) {
  if (bytes.size() >= 3 && static_cast<unsigned char>(bytes[0]) == 0xFF &&
      static_cast<unsigned char>(bytes[1]) == 0xD8)
    return decode_jpeg(bytes, name);
  if (bytes.size() >= 8 && bytes.compare(0, 8, "\x89PNG\r\n\x1a\n") == 0) return decode_png(bytes, name);
  throw_bad_input(name + ": not a JPEG or PNG image");
}

Image read(const std::string& path) {
  return decode(read_file(path), path);
}

}  // namespace q8::image
