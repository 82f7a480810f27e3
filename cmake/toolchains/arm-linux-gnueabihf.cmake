# Debian's armhf, ARMv7 (Raspberry Pi 2 and later with a 32-bit OS; not the ARMv6 Pi Zero W / Pi 1):
# see debian-cross.cmake.
set(BLE2GARMIN_CROSS_TRIPLE arm-linux-gnueabihf)
set(BLE2GARMIN_CROSS_PROCESSOR arm)
set(BLE2GARMIN_DEB_ARCHITECTURE armhf)
include(${CMAKE_CURRENT_LIST_DIR}/debian-cross.cmake)
