# `spindle check FILE...` compiles every file without running it: one
# "FILE:LINE: message" line on stderr per file that fails, nothing for the
# files that compile, exit status 2 if any failed (0 otherwise). Run in DIR
# (tests/check) with relative names, so the expected text is stable.
execute_process(
  COMMAND ${SPINDLE} check good.py bad1.py bad2.py bad3.py
  WORKING_DIRECTORY ${DIR}
  OUTPUT_VARIABLE out
  ERROR_VARIABLE err
  RESULT_VARIABLE status)
set(expected_err "bad1.py:3: '(' was never closed
bad2.py:4: no binding for nonlocal 'missing' found
bad3.py:3: expected ':'
")
if(NOT status EQUAL 2 OR NOT out STREQUAL "" OR NOT err STREQUAL expected_err)
  message(FATAL_ERROR "spindle check: status ${status} (expected 2)\n--- stdout\n${out}\n--- stderr\n${err}\n--- expected stderr\n${expected_err}")
endif()

execute_process(
  COMMAND ${SPINDLE} check good.py
  WORKING_DIRECTORY ${DIR}
  OUTPUT_VARIABLE out
  ERROR_VARIABLE err
  RESULT_VARIABLE status)
if(NOT status EQUAL 0 OR NOT out STREQUAL "" OR NOT err STREQUAL "")
  message(FATAL_ERROR "spindle check good.py: status ${status} (expected 0)\n--- stdout\n${out}\n--- stderr\n${err}")
endif()
