# Writes the man page ble2garmin.1 from the program's own --help (help2man), with every subcommand's
# --help as a COMMANDS section, so the page never drifts from the program. Run as
#   cmake -DBINARY=… -DOUTPUT=…/ble2garmin.1 -P cmake/ManPage.cmake
execute_process(COMMAND ${BINARY} --help OUTPUT_VARIABLE main_help RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "ble2garmin --help failed: ${result}")
endif()
# The subcommand names: the indented words under "SUBCOMMANDS:" in the main help.
string(REGEX REPLACE ".*SUBCOMMANDS:\n" "" commands_text "${main_help}")
string(REGEX MATCHALL "\n?  [a-z][a-z-]*" commands "${commands_text}")
set(include_text "[COMMANDS]\n")
foreach(command IN LISTS commands)
  string(STRIP "${command}" command)
  execute_process(COMMAND ${BINARY} ${command} --help OUTPUT_VARIABLE help RESULT_VARIABLE result)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "ble2garmin ${command} --help failed: ${result}")
  endif()
  # roff: a leading dot or quote would be a request; backslashes are escapes.
  string(REPLACE "\\" "\\e" help "${help}")
  string(REGEX REPLACE "\n([.'])" "\n\\\\&\\1" help "${help}")
  string(APPEND include_text ".SS ${command}\n.nf\n${help}\n.fi\n")
endforeach()
string(APPEND include_text "[SEE ALSO]\n/usr/share/doc/ble2garmin/ (operations.md, configuration.md, garmin.md, report.md)\n")
get_filename_component(directory "${OUTPUT}" DIRECTORY)
file(WRITE "${directory}/ble2garmin.h2m" "${include_text}")
execute_process(COMMAND help2man --no-info --section=1 --name "Bluetooth scales and blood-pressure cuffs to Garmin Connect"
                        --include "${directory}/ble2garmin.h2m" --output "${OUTPUT}" ${BINARY}
                RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "help2man failed: ${result}")
endif()
