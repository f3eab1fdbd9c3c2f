#pragma once

namespace gh::app {

// Builds the command line (CLI11), dispatches to the subcommand and returns the exit code.
int runCli(int argc, char** argv);

} // namespace gh::app
