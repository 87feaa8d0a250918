// ir-tool: inspect, validate and rewrite OpenVINO IR files.
//   ir-tool info model.xml [--json]        what the model contains
//   ir-tool check model.xml                validate only (exit 0 when the IR is sound)
//   ir-tool convert in.xml -o out.xml      read IR v10/v11, write IR v10 (round trip)
#include <cstdio>

#include "base/file.h"
#include "base/log.h"
#include "base/tool.h"
#include "ir/ir.h"
#include "ir/summary.h"

int main(int argc, char** argv) {
  CLI::App app{"Inspect, validate and rewrite OpenVINO IR (.xml + .bin)", "ir-tool"};
  q8::add_common_flags(app);
  app.require_subcommand(1);
  std::string input, output, weights, out_weights;
  bool json = false;

  auto* info = app.add_subcommand("info", "Print inputs, outputs, op histogram and weight sizes");
  info->add_option("model", input, "IR .xml")->required();
  info->add_option("-w,--weights", weights, "IR .bin (default: beside the .xml)");
  info->add_flag("--json", json, "JSON output");

  auto* check = app.add_subcommand("check", "Validate the IR against the op declarations");
  check->add_option("model", input, "IR .xml")->required();
  check->add_option("-w,--weights", weights, "IR .bin (default: beside the .xml)");

  auto* convert = app.add_subcommand("convert", "Read IR v10/v11 and write it as IR v10");
  convert->add_option("model", input, "IR .xml")->required();
  convert->add_option("-w,--weights", weights, "IR .bin (default: beside the .xml)");
  convert->add_option("-o,--output", output, "output .xml (the .bin is written beside it)")->required();
  convert->add_option("--output-weights", out_weights, "output .bin (default: beside the output .xml)");

  return q8::run_tool(app, argc, argv, [&] {
    if (convert->parsed()) q8::check_not_same_file(input, output);
    auto model = q8::ir::read(input, weights);
    if (info->parsed()) {
      auto s = q8::ir::summarize(model.graph, model.version);
      std::fputs((json ? q8::ir::to_json(s) : q8::ir::to_text(s)).c_str(), stdout);
    } else if (check->parsed()) {
      q8::log::info(input + ": ok (IR v" + std::to_string(model.version) + ", " +
                    std::to_string(model.graph.size()) + " layers)");
    } else {
      std::string bin = out_weights.empty() ? q8::ir::bin_path_for(output) : out_weights;
      q8::check_not_same_file(weights.empty() ? q8::ir::bin_path_for(input) : weights, bin);
      q8::ir::write(model.graph, output, bin);
      q8::log::info("wrote " + output + " and " + bin);
    }
  });
}
