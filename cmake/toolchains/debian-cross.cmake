# Shared by the toolchain files of cmake/toolchains/: cross-compiling for a Debian (Raspberry Pi OS
# bookworm) architecture with Debian's cross toolchain and multiarch -dev packages, which
# scripts/cross-test installs. The including file sets BLE2GARMIN_CROSS_TRIPLE,
# BLE2GARMIN_CROSS_PROCESSOR and BLE2GARMIN_DEB_ARCHITECTURE (the package's, cmake/Package.cmake)
# first. Programs built here run under qemu-user: CMake runs them through
# CMAKE_CROSSCOMPILING_EMULATOR (tests, test discovery), and what starts a program itself (help2man,
# the integration tests) gets a launcher script (cmake/Launcher.cmake).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR ${BLE2GARMIN_CROSS_PROCESSOR})
set(CMAKE_C_COMPILER ${BLE2GARMIN_CROSS_TRIPLE}-gcc-12)
set(CMAKE_CXX_COMPILER ${BLE2GARMIN_CROSS_TRIPLE}-g++-12)
set(CMAKE_LIBRARY_ARCHITECTURE ${BLE2GARMIN_CROSS_TRIPLE})
# Libraries and headers of the target architecture only; programs (pkg-config, python3) of the host.
set(CMAKE_FIND_ROOT_PATH /usr/${BLE2GARMIN_CROSS_TRIPLE})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE BOTH)
set(ENV{PKG_CONFIG_LIBDIR} /usr/lib/${BLE2GARMIN_CROSS_TRIPLE}/pkgconfig:/usr/share/pkgconfig)
set(ENV{PKG_CONFIG_PATH} "")
# No `-L /usr/<triple>`: that prefix holds the cross toolchain's own glibc (libc6-<arch>-cross, an
# older build), and qemu would load its ld.so while the libraries come from the multiarch libc6:<arch>
# in /lib/<triple> — two glibc builds in one process. Thread creation then walks a list whose layout
# the two disagree on and spins for ever (seen: the daemon never started its upload worker). Without
# a prefix, qemu uses /lib/ld-linux-*.so.* from libc6:<arch>, exactly as on the Pi.
set(CMAKE_CROSSCOMPILING_EMULATOR /usr/bin/qemu-${BLE2GARMIN_CROSS_PROCESSOR}-static)
