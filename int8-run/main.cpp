// int8-run: run models on the CPU. Today: `infer` and `eval` with the reference executor (the
// oracle every conversion is checked against); the fast runtime and benchmark mode come next.
//   int8-run infer -m model.xml -i input.npy [-o outputs/]
//   int8-run eval -m model.xml --dataset DIR --annotations val_map.txt --metric top1
#include <cstdio>

#include "base/tool.h"
#include "convert/eval.h"
#include "convert/infer.h"

namespace {

// The preprocessing flags infer and eval share (image/preprocess.h is the contract).
void add_image_flags(CLI::App* cmd, q8::image::PreprocessOptions& p, bool* resize_given = nullptr) {
  cmd->add_option("--layout", p.layout, "Images: NCHW or NHWC (default: from the model input)");
  cmd->add_flag("--bgr", p.bgr, "Images: the model wants BGR channel order (default RGB)");
  auto* resize = cmd->add_option("--resize", p.resize_short,
                                 "Images: short side before the center crop (e.g. 256); default: just cover");
  if (resize_given) resize->each([resize_given](const std::string&) { *resize_given = true; });
  cmd->add_flag_callback(
      "--stretch",
      [&p, resize_given] {
        p.fit = q8::image::Fit::kStretch;
        if (resize_given) *resize_given = true;
      },
      "Images: resize straight to the input size, ignoring the aspect ratio (no crop)");
  cmd->add_flag_callback(
      "--area", [&p] { p.interp = q8::image::Interp::kArea; },
      "Images: area (box) interpolation, not bilinear");
  cmd->add_option("--mean", p.mean, "Images: per-channel mean to subtract (model channel order)")
      ->delimiter(',');
  cmd->add_option("--scale", p.scale, "Images: per-channel divisor")->delimiter(',');
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Run OpenVINO IR or ONNX models on the CPU", "int8-run"};
  q8::add_common_flags(app);
  app.require_subcommand(1);
  q8::tools::InferOptions o;
  auto* infer = app.add_subcommand("infer", "Run one inference and print or write the outputs");
  infer->add_option("-m,--model", o.model, "IR .xml or .onnx")->required();
  infer
      ->add_option("-i,--input", o.inputs,
                   "Input .npy, image (.jpg/.png), or raw .bin with --shape; NAME=FILE for several")
      ->required();
  infer->add_option("--shape", o.shape, "Shape of raw .bin inputs: 1,3,224,224");
  add_image_flags(infer, o.image);
  infer->add_option("-o,--output", o.output_dir, "Directory for one <output>.npy per model output");
  infer->add_option("--top", o.top_k, "How many classes to print for a classifier")
      ->check(CLI::PositiveNumber);
  infer->footer("Exit codes: 0 ok, 1 usage, 2 bad input, 3 internal error.");

  q8::tools::EvalOptions e;
  auto* eval = app.add_subcommand("eval", "Measure accuracy on a dataset: top-1/top-5 or COCO mAP");
  eval->add_option("-m,--model", e.model, "IR .xml or .onnx")->required();
  eval->add_option(
          "--dataset", e.dataset,
          "Image directory, *-images-idx3-ubyte[.gz] (Fashion-MNIST), .npy [N,...] or a directory of .npy")
      ->required();
  eval->add_option(
      "--annotations", e.annotations,
      "'file label' list (ImageNet val_map), COCO instances json (coco_map), or labels for .npy");
  eval->add_option("--metric", e.metric, "top1 | top5 | coco_map")->default_str("top1");
  eval->add_option("--limit", e.limit, "Evaluate only the first N samples");
  eval->add_option("--label-offset", e.label_offset,
                   "Added to the dataset's labels (1 for 1001-class models with a background class)");
  eval->add_option(
      "--label-map", e.label_map,
      "coco_map: model labels to COCO ids: auto (coco80 when the json has 80 categories), coco80, "
      "identity");
  eval->add_option("--score-threshold", e.score_threshold, "coco_map: drop detections scoring at or below");
  eval->add_option("--detections", e.detections_out, "coco_map: write the detections as a COCO results json");
  add_image_flags(eval, e.image, &e.resize_given);
  eval->footer(
      "Prints the score as its last line, e.g. 'top1: 90.92' (percent). coco_map resizes images straight to "
      "the "
      "input size unless --resize is given. Exit codes: 0 ok, 1 usage, 2 bad input, 3 internal error.");

  return q8::run_tool(app, argc, argv, [&] {
    if (infer->parsed()) std::fputs(q8::tools::run_infer(o).c_str(), stdout);
    if (eval->parsed()) std::fputs(q8::tools::run_eval(e).c_str(), stdout);
  });
}
