#include "store/row_status.hpp"

namespace ble2garmin::store {

std::string_view status_word(RowStatus status)
{
    switch (status) {
        case RowStatus::to_import:
            return "to_import";
        case RowStatus::failed:
            return "failed";
        case RowStatus::uploaded:
            return "uploaded";
        case RowStatus::unassigned:
            return "unassigned";
        case RowStatus::local:
            return "local";
    }
    return "to_import";
}

std::optional<RowStatus> parse_status(std::string_view word)
{
    for (const RowStatus status : {RowStatus::to_import, RowStatus::failed, RowStatus::uploaded,
                                   RowStatus::unassigned, RowStatus::local}) {
        if (word == status_word(status)) {
            return status;
        }
    }
    return std::nullopt;
}

bool is_pending(RowStatus status)
{
    return status == RowStatus::to_import || status == RowStatus::failed;
}

}  // namespace ble2garmin::store

namespace ble2garmin::store {

bool is_complete(RowStatus status)
{
    return status == RowStatus::uploaded || status == RowStatus::local;
}

}  // namespace ble2garmin::store
