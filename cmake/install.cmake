# Installing: `cmake --install build [--prefix DIR]`, and the Debian package
# (`cpack --config build/CPackConfig.cmake`). What goes where is in README.md,
# "Installing". Hosts find the plugin relative to their own bin/ (install_layout.h),
# so an install into any prefix, or a staging folder, stands on its own.
include(CMakePackageConfigHelpers)

set(RL_DOC_DIR ${CMAKE_INSTALL_DATADIR}/doc/reform-ledger)
set(RL_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/ReformLedger)

# The plugin (libreform_ledger.so.1.0, SONAME libreform_ledger.so.1). Hosts dlopen
# it by that name; nothing links it, so no libreform_ledger.so link is installed.
install(TARGETS reform_ledger LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} NAMELINK_SKIP)
install(TARGETS oa-stub reform-ledger-server RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES api/reform_ledger.h DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(FILES README.md DESTINATION ${RL_DOC_DIR})
file(GLOB RL_DOCS CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/docs/*.md ${PROJECT_SOURCE_DIR}/docs/*.png)
install(FILES ${RL_DOCS} DESTINATION ${RL_DOC_DIR}/docs)
# The demo (the 2019 Yanji plan and its org chart), an example for oa-stub demo
# and for writing a court's own org chart. Its config.json carries the stub
# receiver's demo secret; nothing under /etc does.
install(DIRECTORY host_stub/demo/ DESTINATION ${CMAKE_INSTALL_DATADIR}/reform-ledger/demo)

# find_package(ReformLedger): ReformLedger::reform_ledger (the header, and libdl
# for dlopen), ReformLedger::plugin (the library, for $<TARGET_FILE:…>), and
# ReformLedger_PLUGIN (its path). Relocatable: paths are found from the file's own place.
configure_package_config_file(cmake/ReformLedgerConfig.cmake.in
    ${CMAKE_CURRENT_BINARY_DIR}/ReformLedgerConfig.cmake
    INSTALL_DESTINATION ${RL_CMAKE_DIR}
    PATH_VARS CMAKE_INSTALL_INCLUDEDIR CMAKE_INSTALL_LIBDIR)
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/ReformLedgerConfigVersion.cmake
    VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/ReformLedgerConfig.cmake
              ${CMAKE_CURRENT_BINARY_DIR}/ReformLedgerConfigVersion.cmake
        DESTINATION ${RL_CMAKE_DIR})

# Files that name installed paths (the pkg-config file, the systemd unit, the
# server's configuration and the plugin's) are written when installing, for the
# prefix installed into: `--prefix`, or /usr inside the Debian package.
install(CODE "
set(RL_SOURCE_DIR \"${PROJECT_SOURCE_DIR}\")
set(RL_WORK_DIR \"${CMAKE_CURRENT_BINARY_DIR}/install-generated\")
set(RL_VERSION \"${PROJECT_VERSION}\")
set(RL_BINDIR \"${CMAKE_INSTALL_BINDIR}\")
set(RL_LIBDIR \"${CMAKE_INSTALL_LIBDIR}\")
set(RL_INCLUDEDIR \"${CMAKE_INSTALL_INCLUDEDIR}\")
set(RL_DOCDIR \"${RL_DOC_DIR}\")
set(RL_PLUGIN_SONAME \"${RL_PLUGIN_SONAME}\")
include(\"${PROJECT_SOURCE_DIR}/cmake/install_configured.cmake\")
")

# The Debian package: one package, reform-ledger, with the service installed but
# not enabled (see README.md, "Installing").
set(RL_PACKAGE_MAINTAINER "Reform Ledger maintainers <reform-ledger@example.invalid>"
    CACHE STRING "The Debian package's Maintainer field")
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME reform-ledger)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "Reform Ledger")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "Judicial-reform plan ledger: OA plugin (C ABI), HTTP sidecar and stand-in host")
set(CPACK_PACKAGE_DESCRIPTION
    "Reform Ledger runs a court's judicial-reform plan as a ledger inside its OA platform: \
the plugin libreform_ledger.so with a plain C ABI, the HTTP sidecar reform-ledger-server \
(a systemd service, not enabled at install), the oa-stub command line, the header, \
CMake and pkg-config files for hosts, and the documentation.")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${RL_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
# Library dependencies from dpkg-shlibdeps (Poco, OpenSSL, SQLite, libxlsxwriter4 for the
# ledger's Excel export, libstdc++ …);
# adduser for the service's user (postinst).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser")
# Install with DESTDIR into /usr (CPACK_INSTALL_PREFIX is the prefix then), so that
# CMAKE_INSTALL_PREFIX is /usr while the files are written: the generated files
# above name /usr and /etc, not a staging folder.
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_INSTALL_PREFIX /usr)
set(CPACK_SET_DESTDIR ON)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${PROJECT_SOURCE_DIR}/packaging/debian/postinst
    ${PROJECT_SOURCE_DIR}/packaging/debian/prerm
    ${PROJECT_SOURCE_DIR}/packaging/debian/postrm
    ${PROJECT_SOURCE_DIR}/packaging/debian/conffiles)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)
include(CPack)
