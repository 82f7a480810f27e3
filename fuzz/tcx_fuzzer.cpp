// Any bytes as a TCX file: the reader must answer with a workout or a one-line error, never crash,
// hang or grow without bound; a workout it returns must build and encode (or be refused cleanly).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fit/activity_file.hpp"
#include "rowing/activity_builder.hpp"
#include "rowing/tcx_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto workout = ble2garmin::rowing::read_tcx_text(text);
    if (!workout) {
        return 0;
    }
    auto activity = ble2garmin::rowing::build_activity(*workout);
    if (activity) {
        (void)ble2garmin::fit::encode_activity_file(*activity);
    }
    return 0;
}
