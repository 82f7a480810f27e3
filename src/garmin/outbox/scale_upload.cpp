#include "garmin/outbox/scale_upload.hpp"

#include "fit/weight_scale_file.hpp"
#include "util/time.hpp"

namespace ble2garmin::garmin {

Result<ScaleUpload> prepare_scale_upload(const store::PendingScale& pending)
{
    if (!pending.user) {
        return make_error(pending.why_incomplete.empty() ? "no user for this row" : pending.why_incomplete);
    }
    if (!pending.composition) {
        return make_error("no body composition: " + (pending.why_incomplete.empty()
                                                         ? std::string("not computed")
                                                         : pending.why_incomplete));
    }
    ScaleUpload upload;
    upload.unix_time = pending.row.unix_time();
    upload.user = *pending.user;
    upload.measured_at = from_unix_seconds(pending.row.unix_time());
    upload.composition = *pending.composition;
    auto fit =
        fit::encode_weight_scale_file(fit::make_weight_scale_entry(upload.composition, upload.measured_at));
    if (!fit) {
        return fit.error();
    }
    upload.fit = std::move(*fit);
    return upload;
}

}  // namespace ble2garmin::garmin
