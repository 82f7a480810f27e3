// libFuzzer target for the miscale_backup.csv reader: any bytes must parse without a crash, every
// row must format back to text that parses to the same row, and formatting the whole document
// must be stable (format(parse(format(parse(x)))) == format(parse(x))).

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "store/miscale_csv.hpp"
#include "store/miscale_row.hpp"
#include "store/miscale_uploaded_row.hpp"

namespace {

using namespace ble2garmin::store;

void check_row(const MiscaleCsv& csv, const MiscaleRow& row)
{
    const std::string line = format_miscale_row(row);
    auto again = MiscaleRow::parse(line);
    if (!again || again->text() != line || again->status() != row.status() ||
        again->layout() != row.layout() || again->unix_time() != row.unix_time() ||
        again->extras().size() != row.extras().size()) {
        std::abort();
    }
    // The accessors a caller uses must hold for every row the parser accepted.
    static_cast<void>(row.impedance_ohm());
    static_cast<void>(row.weight_kg());
    if (const auto email = row.email()) {
        static_cast<void>(
            format_change(row.weight_text(), previous_uploaded_weight(csv, *email, row.unix_time())));
    }
    if (row.status() != RowStatus::uploaded) {
        auto failed = row.with_status(RowStatus::failed);
        if (!failed || failed->text().substr(failed->text().find(';')) != line.substr(line.find(';'))) {
            std::abort();
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const MiscaleCsv csv = parse_miscale_csv(text);
    for (const MiscaleRow& row : csv.rows) {
        check_row(csv, row);
    }
    const std::string once = format_miscale_csv(csv);
    if (format_miscale_csv(parse_miscale_csv(once)) != once) {
        std::abort();
    }
    return 0;
}
