// Test-only: writes the weight-scale FIT file ble2garmin would upload for one measurement, so that
// check_weight_fit.py can decode it with Garmin's official SDK.
//
//   write_weight_fit OUT.fit UNIX_TIME SEX HEIGHT_CM AGE WEIGHT_KG [IMPEDANCE_OHM]
//
// SEX is "male" or "female". Without an impedance the file is the weight-only one. Exit 0 on
// success, 1 with a message on stderr otherwise.

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>

#include "body/composition.hpp"
#include "fit/weight_scale_file.hpp"
#include "util/time.hpp"

namespace {

using namespace ble2garmin;

int fail(const std::string& message)
{
    std::cerr << "write_weight_fit: " << message << '\n';
    return 1;
}

}  // namespace

int main(int argc, char** argv)
{
    if (argc != 7 && argc != 8) {
        return fail("usage: write_weight_fit OUT.fit UNIX_TIME SEX HEIGHT_CM AGE WEIGHT_KG [IMPEDANCE_OHM]");
    }
    const std::string_view sex(argv[3]);
    if (sex != "male" && sex != "female") {
        return fail("SEX must be male or female");
    }
    body::Inputs inputs;
    inputs.sex = sex == "male" ? Sex::male : Sex::female;
    inputs.height_cm = std::strtod(argv[4], nullptr);
    inputs.age_years = std::atoi(argv[5]);
    inputs.weight_kg = std::strtod(argv[6], nullptr);
    if (argc == 8) {
        inputs.impedance_ohm = std::atoi(argv[7]);
    }
    const auto composition = body::compose(inputs);
    if (!composition) {
        return fail(composition.error().message);
    }
    const SystemTime measured_at = from_unix_seconds(std::strtoll(argv[2], nullptr, 10));
    const auto file = fit::encode_weight_scale_file(fit::make_weight_scale_entry(*composition, measured_at));
    if (!file) {
        return fail(file.error().message);
    }
    std::ofstream out(argv[1], std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(file->data()), static_cast<std::streamsize>(file->size()));
    out.close();
    if (!out) {
        return fail(std::string("cannot write ") + argv[1]);
    }
    return 0;
}
