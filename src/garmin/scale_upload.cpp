#include "garmin/scale_upload.hpp"

#include "fit/weight_scale_file.hpp"
#include "pipeline/pipeline.hpp"
#include "pipeline/user_resolver.hpp"
#include "util/time.hpp"

namespace ble2garmin::garmin {

std::optional<User> owner_of_row(const store::MiscaleRow& row, const store::RowOwners& owners,
                                 std::span<const User> users)
{
    if (const auto name = owners.owner_of(row.unix_time())) {
        for (const auto& user : users) {
            if (user.name == *name) {
                return user;
            }
        }
    }
    return pipeline::resolve_user(users, row.weight_kg());
}

Result<ScaleUpload> prepare_scale_upload(const store::MiscaleRow& row, const User& user)
{
    ScaleUpload upload;
    upload.unix_time = row.unix_time();
    upload.user = user;
    upload.measured_at = from_unix_seconds(row.unix_time());
    ScaleReading scale;
    scale.weight_kg = row.weight_kg();
    scale.impedance_ohm = row.impedance_ohm();
    auto composition = body::compose(pipeline::composition_inputs(user, scale, upload.measured_at));
    if (!composition) {
        return composition.error();
    }
    upload.composition = std::move(*composition);
    auto fit =
        fit::encode_weight_scale_file(fit::make_weight_scale_entry(upload.composition, upload.measured_at));
    if (!fit) {
        return fit.error();
    }
    upload.fit = std::move(*fit);
    return upload;
}

}  // namespace ble2garmin::garmin
