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
if(BLE2GARMIN_WERROR)
  target_compile_options(ble2garmin_warnings INTERFACE -Werror)
endif()

# Third-party headers are included as system headers so their warnings are not ours.
add_library(ble2garmin_settings INTERFACE)
target_link_libraries(ble2garmin_settings INTERFACE ble2garmin_warnings)
target_include_directories(ble2garmin_settings INTERFACE ${PROJECT_SOURCE_DIR}/include ${PROJECT_SOURCE_DIR}/src)
