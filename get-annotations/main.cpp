// get-annotations: the annotations of a calibration subset, by image file name.
//   get-annotations --instances instances_train2017.json --list cali.txt -o cali.json
//   get-annotations --imagenet val_map.txt --list cal_image_list.txt -o cali.txt [--classes synset_words.txt]
// COCO: keeps the listed images, their annotations and every other key (info, licenses, categories).
// ImageNet: keeps the listed "file label" lines of val_map.txt, in list order.
#include <chrono>
#include <cstdio>

#include "base/error.h"
#include "base/file.h"
#include "base/log.h"
#include "base/tool.h"
#include "dataset/annotations_filter.h"
#include "dataset/label_list.h"

namespace {

struct Options {
  std::string instances, imagenet, list, output, classes;
  bool allow_missing = false;
};

std::string fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

// Names of the list that match nothing: an error (nothing written) unless --allow-missing.
void check_missing(const q8::dataset::ListMatchReport& m, const Options& o, const std::string& source,
                   const char* what) {
  if (m.missing.empty()) return;
  std::string msg = o.list + ": " + std::to_string(m.missing.size()) + " of " +
                    std::to_string(m.list_entries - m.duplicates) + " names match no " + what + " in " +
                    source + ":";
  for (size_t i = 0; i < m.missing.size() && i < 5; ++i) msg += (i ? ", " : " ") + m.missing[i];
  if (m.missing.size() > 5) msg += ", ...";
  if (!o.allow_missing) q8::throw_bad_input(msg + " (--allow-missing skips them)");
  q8::log::warn(msg + " (skipped: --allow-missing)");
}

std::string list_summary(const q8::dataset::ListMatchReport& m, const std::string& list) {
  std::string s = "list " + list + ": " + std::to_string(m.list_entries) + " names";
  if (m.duplicates) s += ", " + std::to_string(m.duplicates) + " duplicates counted once";
  if (!m.missing.empty()) s += ", " + std::to_string(m.missing.size()) + " missing";
  return s;
}

void run(const Options& o) {
  auto start = std::chrono::steady_clock::now();
  auto seconds = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  const bool coco = !o.instances.empty();
  if (coco == !o.imagenet.empty()) q8::throw_usage("give --instances FILE (COCO) or --imagenet VAL_MAP");
  if (coco && !o.classes.empty()) q8::throw_usage("--classes applies to --imagenet only");
  const std::string& source = coco ? o.instances : o.imagenet;
  q8::check_not_same_file(source, o.output);
  q8::check_not_same_file(o.list, o.output);
  if (!o.classes.empty()) q8::check_not_same_file(o.classes, o.output);

  auto list = q8::dataset::read_name_list(o.list);
  if (list.empty()) q8::throw_bad_input(o.list + ": no names");

  if (coco) {
    auto r = q8::dataset::filter_coco(o.instances, list);
    check_missing(r.match, o, o.instances, "image");
    if (r.images_kept == 0) q8::throw_bad_input("no image of " + o.list + " is in " + o.instances);
    q8::write_file_atomic(o.output, r.json);
    q8::log::info(o.output + ": kept " + std::to_string(r.images_kept) + " of " +
                  std::to_string(r.images_total) + " images, " +
                  (r.has_annotations ? std::to_string(r.annotations_kept) + " of " +
                                           std::to_string(r.annotations_total) + " annotations"
                                     : std::string("no annotations in the input")) +
                  " from " + o.instances + " (" + fixed(q8::file_size(o.instances) / 1e6, 1) + " MB) in " +
                  fixed(seconds(), 2) + " s; " + list_summary(r.match, o.list));
    return;
  }
  int64_t num_classes = 0;
  if (!o.classes.empty()) num_classes = static_cast<int64_t>(q8::dataset::read_class_names(o.classes).size());
  auto r = q8::dataset::filter_val_map(o.imagenet, list, num_classes);
  check_missing(r.match, o, o.imagenet, "file");
  if (r.entries_kept == 0) q8::throw_bad_input("no file of " + o.list + " is in " + o.imagenet);
  q8::write_file_atomic(o.output, r.text);
  q8::log::info(o.output + ": kept " + std::to_string(r.entries_kept) + " of " +
                std::to_string(r.entries_total) + " entries of " + o.imagenet +
                (num_classes ? ", labels checked against " + std::to_string(num_classes) + " classes" : "") +
                " in " + fixed(seconds(), 2) + " s; " + list_summary(r.match, o.list));
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "Restricts dataset annotations to a list of image file names (e.g. the MLPerf calibration list).\n"
      "COCO: keeps the listed images, their annotations and every other key of the instances json.\n"
      "ImageNet: keeps the listed 'file label' lines of val_map.txt, in list order.\n"
      "List entries match by file name, with or without a directory (train2017/x.jpg matches x.jpg).",
      "get-annotations"};
  Options o;
  auto* instances =
      app.add_option("--instances", o.instances, "COCO instances json (instances_train2017.json)");
  auto* imagenet = app.add_option("--imagenet", o.imagenet, "ImageNet val_map.txt ('file label' lines)");
  instances->excludes(imagenet);
  app.add_option("--list", o.list, "Image file names, one per line (first column used)")->required();
  app.add_option("-o,--output", o.output, "File to write: COCO json, or val_map lines")->required();
  app.add_option("--classes", o.classes,
                 "ImageNet: class names, one per line; labels must be below their count");
  app.add_flag("--allow-missing", o.allow_missing, "Warn, instead of failing, about list names not found");
  app.footer(
      "Exit codes: 0 ok, 1 usage, 2 bad input (malformed or wrong-schema file, list names not found,\n"
      "nothing kept, label out of range), 3 internal error. Nothing is written unless the run succeeds.");
  q8::add_common_flags(app);
  return q8::run_tool(app, argc, argv, [&] { run(o); });
}

// simdjson indexes the whole input before ondemand walks it: for a 450 MB instances file that is
// ~500 MB of freshly allocated memory (a new[] inside libsimdjson), and faulting it in 4 KB pages
// took about 70% of the run (measured: 2.1 s -> 0.3-0.6 s on a 2-core VM). Big array allocations
// therefore ask for transparent huge pages. The array forms are replaced as a set and forward to
// the scalar ones, as the default definitions do, so every new[] still pairs with its delete[].
#include <sys/mman.h>

#include <cstdint>
#include <new>

namespace {
void* advise_huge_pages(void* p, std::size_t n) {
  constexpr std::uintptr_t kHuge = std::uintptr_t{2} << 20;
  if (p && n >= 32 * kHuge) {
    auto begin = (reinterpret_cast<std::uintptr_t>(p) + kHuge - 1) & ~(kHuge - 1);
    auto end = (reinterpret_cast<std::uintptr_t>(p) + n) & ~(kHuge - 1);
    if (end > begin) ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
  }
  return p;
}
}  // namespace

void* operator new[](std::size_t n) {
  return advise_huge_pages(::operator new(n), n);
}
void* operator new[](std::size_t n, const std::nothrow_t& tag) noexcept {
  return advise_huge_pages(::operator new(n, tag), n);
}
void operator delete[](void* p) noexcept {
  ::operator delete(p);
}
void operator delete[](void* p, std::size_t) noexcept {
  ::operator delete(p);
}
void operator delete[](void* p, const std::nothrow_t&) noexcept {
  ::operator delete(p);
}
