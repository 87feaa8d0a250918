// pot: post-training INT8 quantization of an IR with FakeQuantize, as OpenVINO's POT 2020.4.
//   pot -c config.json --output-dir results
//   pot -q default -m model.xml --engine simplified --data-source images/ --output-dir results
//   pot -q accuracy_aware -m model.xml --engine dataset --data-source val/ --annotations val_map.txt \
//       --metric top1 --maximal-drop 0.001
#include <cstdio>

#include "base/tool.h"
#include "quant/config.h"
#include "quant/pot.h"

int main(int argc, char** argv) {
  CLI::App app{"Post-training INT8 quantization (FakeQuantize) of OpenVINO IR", "pot"};
  q8::add_common_flags(app, false);
  q8::quant::PotCli cli;
  std::string output_dir = "results", report;
  app.add_option("-c,--config", cli.config, "POT json config (model / engine / compression)");
  app.add_option("-q,--quantize", cli.quantize, "default | accuracy_aware (without or overriding -c)");
  app.add_option("-m,--model", cli.model_xml, "IR .xml to quantize (FP32 or FP16)");
  app.add_option("-w,--weights", cli.model_bin, "IR .bin (default: beside the .xml)");
  app.add_option("-n,--name", cli.model_name, "Output model name (default: from the config or the model file)");
  app.add_option("--engine", cli.engine, "simplified (images, no labels) | dataset (annotations + metric)");
  app.add_option("--data-source", cli.data_source,
                 "Calibration data: image directory, *-images-idx3-ubyte[.gz], .npy or .npy directory");
  app.add_option("--annotations", cli.annotations, "dataset engine: val_map list or COCO json");
  app.add_option("--metric", cli.metric, "dataset engine: top1 | top5 | coco_map");
  app.add_option("--preset", cli.preset, "performance (symmetric activations) | mixed (asymmetric)");
  app.add_option("--stat-subset-size", cli.stat_subset_size, "Calibration samples (default 300)");
  app.add_option("--maximal-drop", cli.maximal_drop, "accuracy_aware: allowed drop as a fraction (0.001 = 0.1 point)");
  app.add_option("--seed", cli.seed, "Seed for shuffled calibration subsets");
  app.add_option("--range-estimator", cli.range_estimator,
                 "Activations: minmax | mean_minmax (default) | quantile | kl | mse | auto");
  app.add_flag("--per-tensor-weights", cli.per_tensor_weights, "One weight range per tensor (default per channel)");
  app.add_flag("--no-bias-correction", cli.no_bias_correction, "Skip FastBiasCorrection");
  app.add_option("--output-dir", output_dir, "Where <model_name>.xml/.bin and the report go (default results)");
  app.add_option("--report", report, "Per-layer report json (default <output-dir>/<model_name>.report.json)");
  app.footer(
      "Prints the written model's path. Exit codes: 0 ok, 1 usage (bad flags or config), 2 bad input (missing or\n"
      "malformed model/data, already quantized), 3 internal error. Nothing is written unless the run succeeds.");
  return q8::run_tool(app, argc, argv, [&] {
    q8::quant::PotRun run{q8::quant::resolve_pot_config(cli), output_dir, report};
    std::fputs(q8::quant::run_pot(run).c_str(), stdout);
  });
}
