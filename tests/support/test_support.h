#pragma once
// Helpers shared by every test tier: where things are, temp dirs, running tools.
#include <string>
#include <vector>

namespace q8::test {

std::string source_dir();                     // repository root
std::string bin_dir();                        // where tool binaries are built
std::string fixture(const std::string& rel);  // tests/fixtures/<rel>
// ../shared/material/<rel>; empty string when the material folder is absent.
std::string material(const std::string& rel);

// A fresh directory removed at destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

struct RunResult {
  int exit_code = -1;
  std::string out, err;
};
// Runs bin_dir()/tool with args (no shell), capturing stdout and stderr.
RunResult run_tool(const std::string& tool, const std::vector<std::string>& args);
// Runs any program (a path, or a name looked up in PATH) the same way.
RunResult run_program(const std::string& program, const std::vector<std::string>& args);

std::string read(const std::string& path);
void write(const std::string& path, const std::string& data);
bool exists(const std::string& path);
// Names of files in `dir` (no recursion), sorted.
std::vector<std::string> list_dir(const std::string& dir);

}  // namespace q8::test
