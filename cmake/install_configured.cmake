# Run by `cmake --install` (cmake/install.cmake): writes the files that name
# installed paths for the prefix being installed into and installs them.
# file(INSTALL) honours DESTDIR, which the Debian package build uses.
set(prefix "${CMAKE_INSTALL_PREFIX}")
set(RL_FULL_BINDIR "${prefix}/${RL_BINDIR}")
set(RL_FULL_LIBDIR "${prefix}/${RL_LIBDIR}")
set(RL_FULL_INCLUDEDIR "${prefix}/${RL_INCLUDEDIR}")
set(RL_FULL_DOCDIR "${prefix}/${RL_DOCDIR}")
# As GNUInstallDirs and Debian do: the /usr prefix keeps its configuration in
# /etc and its units in /lib/systemd/system; any other prefix inside itself.
if(prefix STREQUAL "/usr")
    set(RL_FULL_SYSCONFDIR "/etc")
    set(RL_UNIT_DIR "/lib/systemd/system")
else()
    set(RL_FULL_SYSCONFDIR "${prefix}/etc")
    set(RL_UNIT_DIR "${prefix}/lib/systemd/system")
endif()
set(RL_CONFIG_DIR "${RL_FULL_SYSCONFDIR}/reform-ledger")
# systemd's StateDirectory=reform-ledger.
set(RL_STATE_DIR "/var/lib/reform-ledger")

set(templates "${RL_SOURCE_DIR}/packaging")
# One folder per destination: a staging install and the package build may run at once.
string(MD5 destination "$ENV{DESTDIR}|${prefix}")
set(RL_WORK_DIR "${RL_WORK_DIR}/${destination}")
configure_file("${templates}/reform-ledger.pc.in" "${RL_WORK_DIR}/reform-ledger.pc" @ONLY)
configure_file("${templates}/reform-ledger-server.service.in"
               "${RL_WORK_DIR}/reform-ledger-server.service" @ONLY)
configure_file("${templates}/server.properties.in" "${RL_WORK_DIR}/server.properties" @ONLY)
configure_file("${templates}/plugin.json.in" "${RL_WORK_DIR}/plugin.json" @ONLY)

file(INSTALL DESTINATION "${RL_FULL_LIBDIR}/pkgconfig" TYPE FILE
     FILES "${RL_WORK_DIR}/reform-ledger.pc")
file(INSTALL DESTINATION "${RL_UNIT_DIR}" TYPE FILE
     FILES "${RL_WORK_DIR}/reform-ledger-server.service")
file(INSTALL DESTINATION "${RL_CONFIG_DIR}" TYPE FILE
     FILES "${RL_WORK_DIR}/server.properties" "${RL_WORK_DIR}/plugin.json"
     PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ)
