# Debian's arm64 (Raspberry Pi 3/4/5 with a 64-bit OS): see debian-cross.cmake.
set(BLE2GARMIN_CROSS_TRIPLE aarch64-linux-gnu)
set(BLE2GARMIN_CROSS_PROCESSOR aarch64)
set(BLE2GARMIN_DEB_ARCHITECTURE arm64)
include(${CMAKE_CURRENT_LIST_DIR}/debian-cross.cmake)
