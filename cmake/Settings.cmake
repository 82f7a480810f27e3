# INTERFACE targets carrying the project's compiler settings; every target links one of them.

add_library(ble2garmin_warnings INTERFACE)
target_compile_options(ble2garmin_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow
                       -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Woverloaded-virtual
                       -Wconversion -Wsign-conversion -Wdouble-promotion
                       -Wimplicit-fallthrough)
# GCC 12 at -O3 reports -Wrestrict inside libstdc++'s own std::string code (GCC bug 105329, fixed in
# GCC 13): a false positive a user cannot act on, and an error with BLE2GARMIN_WERROR.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(ble2garmin_warnings INTERFACE -Wno-restrict)
endif()
# 32-bit ARM (armhf, a Pi on 32-bit Raspberry Pi OS): GCC notes that passing some structs "changed
# in GCC 7.1" (-Wpsabi) — a note about linking with code built by GCC 6 or older, which a build of
# ble2garmin never does; hundreds of lines of it would bury the real output.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_SYSTEM_PROCESSOR MATCHES "^(arm|ARM)" AND CMAKE_SIZEOF_VOID_P EQUAL 4)
  target_compile_options(ble2garmin_warnings INTERFACE -Wno-psabi)
endif()
if(BLE2GARMIN_WERROR)
  target_compile_options(ble2garmin_warnings INTERFACE -Werror)
endif()

# Third-party headers are included as system headers so their warnings are not ours.
add_library(ble2garmin_settings INTERFACE)
target_link_libraries(ble2garmin_settings INTERFACE ble2garmin_warnings)
target_include_directories(ble2garmin_settings INTERFACE ${PROJECT_SOURCE_DIR}/include ${PROJECT_SOURCE_DIR}/src)
