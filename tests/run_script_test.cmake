# Runs one script test: `spindle run SCRIPT` must print exactly EXPECTED
# (stdout, then stderr, as `python3 SCRIPT > out 2>&1` would interleave them
# for scripts that print nothing on stderr) and exit with the status in
# SCRIPT.status if that file exists (default 0).
execute_process(
  COMMAND ${SPINDLE} run ${SCRIPT} ${EXTRA_ARGS}
  WORKING_DIRECTORY ${WORKDIR}
  OUTPUT_VARIABLE out
  ERROR_VARIABLE err
  RESULT_VARIABLE status)
file(READ ${EXPECTED} expected)
set(expected_status 0)
get_filename_component(dir ${SCRIPT} DIRECTORY)
get_filename_component(name ${SCRIPT} NAME_WE)
if(EXISTS ${dir}/${name}.status)
  file(READ ${dir}/${name}.status expected_status)
  string(STRIP "${expected_status}" expected_status)
endif()
if(NOT out STREQUAL expected)
  file(WRITE ${WORKDIR}/${name}.actual "${out}")
  message(FATAL_ERROR "output differs from ${EXPECTED}\n--- expected\n${expected}\n--- actual\n${out}\n--- stderr\n${err}")
endif()
if(NOT status STREQUAL expected_status)
  message(FATAL_ERROR "exit status ${status}, expected ${expected_status}\n--- stderr\n${err}")
endif()
