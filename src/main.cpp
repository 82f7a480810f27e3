// ble2garmin entry point: everything happens in the subcommands (src/cli).
#include "cli/commands.hpp"

int main(int argc, char** argv)
{
    return ble2garmin::cli::run_cli(argc, argv);
}
