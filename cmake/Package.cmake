# The Debian package (scripts/package; docs/operations.md "Install from the package"): CPack's DEB
# generator over the install rules, for the architecture of the machine that builds it (a Pi builds
# armhf or arm64, a PC amd64). Maintainer scripts, changelog and copyright: packaging/debian/.
set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGE_NAME "ble2garmin")
set(CPACK_PACKAGE_VENDOR "ble2garmin")
set(CPACK_PACKAGE_CONTACT "ble2garmin maintainers <ble2garmin@localhost.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Bluetooth bathroom scales and blood-pressure cuffs to Garmin Connect")
# The synopsis is CPACK_PACKAGE_DESCRIPTION_SUMMARY; this is the long description below it.
set(CPACK_PACKAGE_DESCRIPTION
    "A small daemon for a Raspberry Pi or any Debian machine with BlueZ. It reads\n\
Xiaomi Mi and S400 scales from the air, computes the body composition, keeps\n\
export2garmin-compatible CSV backups and uploads every measurement to Garmin\n\
Connect. It replaces export2garmin's scripts and keeps their history.")
set(CPACK_DEBIAN_PACKAGE_SECTION "utils")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://github.com/RobertWojtowicz/export2garmin")
set(CPACK_DEBIAN_FILE_NAME "DEB-DEFAULT")
# Debian revision of this upstream version.
set(CPACK_DEBIAN_PACKAGE_RELEASE "1")
# Library dependencies worked out by dpkg-shlibdeps from the binary (Debian's own packages only);
# bluez provides the `bluetooth` group the unit needs; systemd runs sysusers and tmpfiles;
# init-system-helpers has deb-systemd-invoke (the maintainer scripts start and stop through it).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# Cross-built (scripts/cross-test), the package is for the target (arm64, armhf), not for the PC.
if(CMAKE_CROSSCOMPILING AND BLE2GARMIN_DEB_ARCHITECTURE)
  set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE ${BLE2GARMIN_DEB_ARCHITECTURE})
endif()
set(CPACK_DEBIAN_PACKAGE_DEPENDS "bluez, systemd, init-system-helpers (>= 1.54)")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    "${PROJECT_SOURCE_DIR}/packaging/debian/postinst;${PROJECT_SOURCE_DIR}/packaging/debian/prerm;${PROJECT_SOURCE_DIR}/packaging/debian/postrm;${PROJECT_SOURCE_DIR}/packaging/debian/conffiles")
set(CPACK_STRIP_FILES ON)
# The install rules put the conffile in /etc (an absolute destination): install with DESTDIR into the
# staging tree, with the prefix the build was configured for (scripts/package: /usr).
set(CPACK_SET_DESTDIR ON)
# Lintian overrides, each justified in the file.
install(FILES "${PROJECT_SOURCE_DIR}/packaging/debian/lintian-overrides" DESTINATION ${CMAKE_INSTALL_DATADIR}/lintian/overrides
        RENAME ble2garmin)
# Debian's changelog and copyright, gzip -9n as Debian policy wants (no time stamp: reproducible).
set(deb_doc_dir "${CMAKE_BINARY_DIR}/debian-doc")
file(MAKE_DIRECTORY "${deb_doc_dir}")
file(COPY_FILE "${PROJECT_SOURCE_DIR}/packaging/debian/changelog" "${deb_doc_dir}/changelog.Debian")
execute_process(COMMAND gzip -9nf "${deb_doc_dir}/changelog.Debian")
install(FILES "${deb_doc_dir}/changelog.Debian.gz" "${PROJECT_SOURCE_DIR}/packaging/debian/copyright"
        DESTINATION ${CMAKE_INSTALL_DOCDIR})
include(CPack)
