# How the build and the tests start one of our programs: the program itself, or — cross-compiled — a
# small script at `script` that runs it under the emulator (CMAKE_CROSSCOMPILING_EMULATOR, qemu-user).
# CTest already runs test programs through the emulator; this is for everything that starts a program
# itself (the man page's help2man, the tests that run ble2garmin). `out` names the path to start.
function(ble2garmin_launcher target script out)
  if(NOT CMAKE_CROSSCOMPILING_EMULATOR)
    set(${out} "$<TARGET_FILE:${target}>" PARENT_SCOPE)
    return()
  endif()
  list(JOIN CMAKE_CROSSCOMPILING_EMULATOR " " emulator)
  file(GENERATE OUTPUT "${script}" CONTENT "#!/bin/sh\nexec ${emulator} \"$<TARGET_FILE:${target}>\" \"$@\"\n"
       FILE_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
  set(${out} "${script}" PARENT_SCOPE)
endfunction()
