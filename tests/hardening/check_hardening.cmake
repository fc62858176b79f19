# Checks a built ELF file (FILE) for the hardening the build asks for, by
# reading it with readelf (binutils):
#   - full RELRO: a GNU_RELRO segment and immediate binding (BIND_NOW, or NOW
#     in FLAGS_1), so the GOT is read-only once the program has started;
#   - stack canaries: __stack_chk_fail is imported;
#   - FORTIFY=ON: at least one of glibc's checked functions (__*_chk) is
#     imported in place of the plain one;
#   - KIND=executable: position-independent (ELF type DYN).
foreach(var FILE KIND FORTIFY)
    if(NOT DEFINED ${var})
        message(FATAL_ERROR "check_hardening.cmake needs -D${var}=…")
    endif()
endforeach()

execute_process(COMMAND readelf -W --file-header --program-headers --dynamic --dyn-syms "${FILE}"
                OUTPUT_VARIABLE elf ERROR_VARIABLE elf_error RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "readelf failed on ${FILE}: ${elf_error}")
endif()

set(missing "")
if(NOT elf MATCHES "GNU_RELRO")
    list(APPEND missing "RELRO (no GNU_RELRO segment: link with -Wl,-z,relro)")
endif()
if(NOT elf MATCHES "\\(BIND_NOW\\)" AND NOT elf MATCHES "\\(FLAGS\\)[^\n]*BIND_NOW"
   AND NOT elf MATCHES "\\(FLAGS_1\\)[^\n]*[: ]NOW")
    list(APPEND missing "immediate binding for full RELRO (no BIND_NOW: link with -Wl,-z,now)")
endif()
if(NOT elf MATCHES "UND __stack_chk_fail")
    list(APPEND missing "stack protector (__stack_chk_fail not imported: -fstack-protector-strong)")
endif()
string(REGEX MATCHALL "UND __[a-z0-9_]+_chk[@ \n]" checked "${elf}")
list(TRANSFORM checked REPLACE "^UND (__[a-z0-9_]+_chk).*" "\\1")
if(FORTIFY AND NOT checked)
    list(APPEND missing "FORTIFY_SOURCE (no __*_chk function imported: -D_FORTIFY_SOURCE=2 -O2)")
endif()
if(KIND STREQUAL "executable" AND NOT elf MATCHES "Type: +DYN")
    list(APPEND missing "position independence (ELF type is not DYN: build with -fPIE -pie)")
endif()

if(missing)
    string(REPLACE ";" "\n  " missing "${missing}")
    message(FATAL_ERROR "${FILE} lacks:\n  ${missing}")
endif()
list(REMOVE_DUPLICATES checked)
string(REPLACE ";" ", " checked "${checked}")
message(STATUS "${FILE}: full RELRO, stack protector; checked functions: ${checked}")
