// Any text as a replay file: bad lines must be reported, never crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "replay/replay_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    (void)ble2garmin::replay::parse_replay(text);
    return 0;
}
