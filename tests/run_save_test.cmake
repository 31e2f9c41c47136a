# The save-game determinism property for one scripted world: running N
# frames straight must give exactly what running k frames, saving, loading
# the save in a fresh process and running the N-k frames left gives: the
# same stdout, the same stderr, the same exit status and the same world hash
# (`--hash`: a digest of the heap and scheduler, so an identical world is
# checked, not only identical printing), for every k from 0 to N.
#
# Files beside NAME.py:
#   NAME.frames   N (required)
#   NAME.args     extra arguments for the first run (e.g. --slice 7); a
#                 loaded game keeps its time slice and frame budget
#   NAME.every    check every k-th split only (default 1: every k)
get_filename_component(dir ${SCRIPT} DIRECTORY)
get_filename_component(name ${SCRIPT} NAME_WE)
file(READ ${dir}/${name}.frames frames)
string(STRIP "${frames}" frames)
set(args "")
if(EXISTS ${dir}/${name}.args)
  file(READ ${dir}/${name}.args args)
  string(STRIP "${args}" args)
  separate_arguments(args UNIX_COMMAND "${args}")
endif()
set(every 1)
if(EXISTS ${dir}/${name}.every)
  file(READ ${dir}/${name}.every every)
  string(STRIP "${every}" every)
endif()
# STRESS: the split runs collect garbage at every safe point (--gc-stress),
# so a loaded value the collector cannot reach is freed at once.
set(stress "")
if(STRESS)
  set(stress --gc-stress)
  set(every 3)
endif()
set(save ${WORKDIR}/save-${name}${stress}.sav)

execute_process(
  COMMAND ${SPINDLE} run ${SCRIPT} --frames ${frames} ${args} --hash
  WORKING_DIRECTORY ${WORKDIR}
  OUTPUT_VARIABLE straight_out ERROR_VARIABLE straight_err RESULT_VARIABLE straight_status)
if(NOT straight_out MATCHES "world hash: [0-9a-f]+\n$")
  message(FATAL_ERROR "the straight run printed no world hash\n--- stdout\n${straight_out}\n--- stderr\n${straight_err}")
endif()

foreach(k RANGE 0 ${frames} ${every})
  math(EXPR rest "${frames} - ${k}")
  file(REMOVE ${save})
  execute_process(
    COMMAND ${SPINDLE} run ${SCRIPT} --frames ${k} ${args} ${stress} --save-at ${k} --save ${save}
    WORKING_DIRECTORY ${WORKDIR}
    OUTPUT_VARIABLE first_out ERROR_VARIABLE first_err RESULT_VARIABLE first_status)
  if(NOT EXISTS ${save})
    message(FATAL_ERROR "k=${k}: no save was written (status ${first_status})\n--- stderr\n${first_err}")
  endif()
  execute_process(
    COMMAND ${SPINDLE} run --load ${save} --frames ${rest} ${stress} --hash
    WORKING_DIRECTORY ${WORKDIR}
    OUTPUT_VARIABLE second_out ERROR_VARIABLE second_err RESULT_VARIABLE second_status)
  if(NOT "${first_out}${second_out}" STREQUAL "${straight_out}")
    message(FATAL_ERROR "k=${k}: stdout differs from the straight run\n--- straight\n${straight_out}\n--- saved at ${k}, then loaded\n${first_out}${second_out}\n--- stderr of the load\n${second_err}")
  endif()
  if(NOT "${first_err}${second_err}" STREQUAL "${straight_err}")
    message(FATAL_ERROR "k=${k}: stderr differs from the straight run\n--- straight\n${straight_err}\n--- saved at ${k}, then loaded\n${first_err}${second_err}")
  endif()
  if(NOT second_status STREQUAL straight_status)
    message(FATAL_ERROR "k=${k}: exit status ${second_status}, the straight run's was ${straight_status}\n--- stderr\n${second_err}")
  endif()
endforeach()
file(REMOVE ${save})
