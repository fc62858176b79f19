# nm -D --defined-only LIBRARY must list exactly reform_ledger_entry_v1.
execute_process(COMMAND nm -D --defined-only "${LIBRARY}"
                OUTPUT_VARIABLE symbols RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "nm failed on ${LIBRARY}")
endif()
string(STRIP "${symbols}" symbols)
string(REGEX REPLACE "[^\n]* [A-Za-z] " "" names "${symbols}")
if(NOT names STREQUAL "reform_ledger_entry_v1")
    message(FATAL_ERROR "expected exactly reform_ledger_entry_v1 to be exported, got:\n${symbols}")
endif()
message(STATUS "exports: ${symbols}")
