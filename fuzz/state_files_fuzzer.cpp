// libFuzzer target for the state files ble2garmin reads back at start-up besides the scale backup:
// omron_backup.csv (export2garmin's blood-pressure backup), miscale_owners.tsv and
// garmin_outbox.json. Any content must load without a crash (unreadable parts are skipped or the
// file is treated as empty), and every pending blood-pressure row must make an uploaded row and a
// payload decision.

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <string>

#include <unistd.h>

#include "garmin/blood_pressure_upload.hpp"
#include "garmin/outbox_schedule.hpp"
#include "store/omron_backup.hpp"
#include "store/row_owners.hpp"
#include "util/time.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace ble2garmin;
    static const std::string path = "/tmp/ble2garmin-fuzz-state-" + std::to_string(::getpid());
    {
        std::ofstream file(path, std::ios::binary | std::ios::trunc);
        file.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    }
    if (auto omron = store::OmronBackup::open(path)) {
        for (const auto& row : omron->pending()) {
            (void)store::make_uploaded_omron_row(row, from_unix_seconds(1'721'232'000));
            (void)garmin::prepare_blood_pressure_upload(row);
        }
    }
    if (auto owners = store::RowOwners::open(path)) {
        (void)owners->owner_of(1'721'076'654);
    }
    auto schedule = garmin::OutboxSchedule::open(path, [] { return 0.75; });
    (void)schedule.next_attempt(from_unix_seconds(0));
    (void)schedule.is_parked(1'721'076'654);
    return 0;
}
