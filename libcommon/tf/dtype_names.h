#pragma once
// Names of TensorFlow data types as q8 prints and accepts them: "float32", "int64", ...
// (numpy-style, the same spelling the ONNX side uses), plus TF's own "DT_FLOAT" spelling.
#include <string>

#include "tf/graph_def.pb.h"

namespace q8::tf {

// "float32" for DT_FLOAT, ...; "DT_?(N)" for a value this build does not know.
std::string dtype_name(int dtype);
// Accepts "float32"/"float"/"f32"/"fp32", "float16"/"half", "int64"/"i64", ..., and
// "DT_FLOAT"-style enum names. Unknown or DT_INVALID -> usage error listing the names.
DataType dtype_from_name(const std::string& name);

}  // namespace q8::tf
