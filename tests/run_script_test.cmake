# Runs one script test: `spindle run SCRIPT` must print exactly EXPECTED
# (stdout, then stderr, as `python3 SCRIPT > out 2>&1` would interleave them
# for scripts that print nothing on stderr) and exit with the status in
# SCRIPT.status if that file exists (default 0).
#
# Optional files beside NAME.py:
#   NAME.expected     stdout; a test without it must print nothing on stdout
#   NAME.status       the exit status (default 0)
#   NAME.args         extra arguments for `spindle run` (e.g. --frames 10)
#   NAME.stderr       stderr, exactly
#   NAME.stderr_last  the first and the last line of stderr: for tracebacks,
#                     where CPython 3.11 prints `^^^` marker lines Spindle
#                     does not, only the "Traceback (most recent call last):"
#                     line and the final "Type: message" line are compared
# Before stderr is compared, every occurrence of the script's directory
# followed by '/' is removed, so the expected text names files by their bare
# name: "/abs/tests/scripts/errors/walrus.py:1: ..." is written
# "walrus.py:1: ...".
get_filename_component(args_dir ${SCRIPT} DIRECTORY)
get_filename_component(args_name ${SCRIPT} NAME_WE)
if(EXISTS ${args_dir}/${args_name}.args)
  file(READ ${args_dir}/${args_name}.args file_args)
  string(STRIP "${file_args}" file_args)
  separate_arguments(file_args UNIX_COMMAND "${file_args}")
  list(APPEND EXTRA_ARGS ${file_args})
endif()
execute_process(
  COMMAND ${SPINDLE} run ${SCRIPT} ${EXTRA_ARGS}
  WORKING_DIRECTORY ${WORKDIR}
  OUTPUT_VARIABLE out
  ERROR_VARIABLE err
  RESULT_VARIABLE status)
set(expected "")
if(EXISTS ${EXPECTED})
  file(READ ${EXPECTED} expected)
endif()
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

string(REPLACE "${dir}/" "" err_relative "${err}")
if(EXISTS ${dir}/${name}.stderr)
  file(READ ${dir}/${name}.stderr expected_err)
  if(NOT err_relative STREQUAL expected_err)
    message(FATAL_ERROR "stderr differs from ${dir}/${name}.stderr\n--- expected\n${expected_err}\n--- actual\n${err_relative}")
  endif()
endif()

# First and last line of a text, without list splitting (lines may hold ';').
function(first_and_last_line text first_var last_var)
  string(REGEX REPLACE "\n+$" "" text "${text}")
  string(FIND "${text}" "\n" first_break)
  if(first_break EQUAL -1)
    set(${first_var} "${text}" PARENT_SCOPE)
    set(${last_var} "${text}" PARENT_SCOPE)
    return()
  endif()
  string(SUBSTRING "${text}" 0 ${first_break} first)
  string(FIND "${text}" "\n" last_break REVERSE)
  math(EXPR last_start "${last_break} + 1")
  string(SUBSTRING "${text}" ${last_start} -1 last)
  set(${first_var} "${first}" PARENT_SCOPE)
  set(${last_var} "${last}" PARENT_SCOPE)
endfunction()

if(EXISTS ${dir}/${name}.stderr_last)
  file(READ ${dir}/${name}.stderr_last expected_ends)
  first_and_last_line("${expected_ends}" want_first want_last)
  first_and_last_line("${err_relative}" got_first got_last)
  if(NOT got_first STREQUAL want_first OR NOT got_last STREQUAL want_last)
    message(FATAL_ERROR "stderr does not match ${dir}/${name}.stderr_last\n--- expected first/last line\n${want_first}\n${want_last}\n--- actual stderr\n${err_relative}")
  endif()
endif()
