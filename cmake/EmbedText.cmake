# ble2garmin_embed_text(<target> <namespace-qualified variable> <file>): compiles the text of
# <file> into <target> as `extern const std::string_view <variable>` (the demo's recorded session
# and config ship inside the binary, so `ble2garmin demo` works from any directory).
function(ble2garmin_embed_text target variable file)
  get_filename_component(name ${file} NAME)
  string(MAKE_C_IDENTIFIER ${name} id)
  set(out ${CMAKE_CURRENT_BINARY_DIR}/embedded_${id}.cpp)
  file(READ ${file} BLE2GARMIN_EMBED_CONTENT)
  string(REGEX MATCH "^(.*)::([^:]+)$" _ ${variable})
  set(BLE2GARMIN_EMBED_NAMESPACE ${CMAKE_MATCH_1})
  set(BLE2GARMIN_EMBED_NAME ${CMAKE_MATCH_2})
  configure_file(${PROJECT_SOURCE_DIR}/cmake/embedded_text.cpp.in ${out} @ONLY)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${file})
  target_sources(${target} PRIVATE ${out})
endfunction()
