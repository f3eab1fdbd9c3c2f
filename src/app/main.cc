// gatehouse: one binary, one subcommand per job.
#include <cstdio>
#include <exception>

#include "app/cli.h"

int main(int argc, char** argv) {
  try {
    return gh::app::runCli(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gatehouse: fatal: %s\n", e.what());
    return 70;
  }
}
