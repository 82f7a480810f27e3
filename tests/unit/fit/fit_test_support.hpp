#pragma once
// Hex helpers for the FIT tests: expected files are written as hex text copied from shared/spec.

#include <string_view>

#include <gtest/gtest.h>

#include "ble2garmin/advertisement.hpp"

#include "util/hex.hpp"

namespace ble2garmin::fit::test {

inline Bytes bytes_of(std::string_view hex)
{
    auto bytes = parse_hex(hex);
    EXPECT_TRUE(bytes.ok()) << hex;
    return bytes.ok() ? *bytes : Bytes{};
}

}  // namespace ble2garmin::fit::test
