# The save-game command line: bad save files, refused saves, `spindle dump`
# (text and JSON) and saves whose scripts changed on disk.
set(dir ${CMAKE_CURRENT_LIST_DIR}/scripts/save)
set(work ${WORKDIR}/save-cli)
file(REMOVE_RECURSE ${work})
file(MAKE_DIRECTORY ${work})

function(run_spindle)
  execute_process(COMMAND ${SPINDLE} ${ARGN} WORKING_DIRECTORY ${work}
    OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE status)
  set(out "${out}" PARENT_SCOPE)
  set(err "${err}" PARENT_SCOPE)
  set(status "${status}" PARENT_SCOPE)
endfunction()

# expect(MESSAGE CONDITION...): fails with MESSAGE unless CONDITION holds.
macro(expect message)
  if(NOT (${ARGN}))
    message(FATAL_ERROR "${message}\n--- status ${status}\n--- stdout\n${out}\n--- stderr\n${err}")
  endif()
endmacro()

# A file that is not a save: exit status 1 and one line naming the problem.
file(WRITE ${work}/garbage.sav "SPNDLSAV but not really a save file")
run_spindle(run --load ${work}/garbage.sav --frames 1)
string(REGEX MATCHALL "\n" lines "${err}")
list(LENGTH lines line_count)
if(NOT status EQUAL 1 OR NOT line_count EQUAL 1 OR NOT err MATCHES "^spindle: .*garbage.sav: offset [0-9]+: ")
  message(FATAL_ERROR "a bad save must give status 1 and one line naming the offset\n--- status ${status}\n--- stderr\n${err}")
endif()
run_spindle(dump ${work}/garbage.sav)
expect("dump of a bad save must fail" status EQUAL 1)
run_spindle(run --load ${work}/missing.sav --frames 1)
expect("a missing save must fail" status EQUAL 1)

# A value no save can hold: the save is refused naming its path, nothing is written.
run_spindle(run ${dir}/_unpicklable.py --frames 2 --save-at 1 --save ${work}/refused.sav)
expect("a refused save must end with status 1" status EQUAL 1)
string(FIND "${err}" "root['modules']['__main__'].__dict__['table']['cursor'][1]" at)
expect("the refusal must name the value's path" NOT at EQUAL -1)
if(EXISTS ${work}/refused.sav)
  message(FATAL_ERROR "a refused save wrote a file")
endif()

# dump: the scheduler, sleeping tasklets with their stacks, globals, code.
configure_file(${dir}/agents_random.py ${work}/world.py COPYONLY)
run_spindle(run ${work}/world.py --frames 3 --save-at 3 --save ${work}/world.sav)
expect("saving the world failed" status EQUAL 0)
run_spindle(dump ${work}/world.sav)
expect("dump failed" status EQUAL 0)
foreach(needle "section HEAP:" "scheduler: frame 3," "sleeping until frame" "world.py:26 life" "module __main__"
               "  log = [(1, 'a'" "same: life" "world.py, script same)")
  string(FIND "${out}" "${needle}" at)
  expect("dump does not show '${needle}'" NOT at EQUAL -1)
endforeach()
# The script version is a digest of each script's source (save/script_version.hpp).
expect("the save's script version must name __main__ with a digest" out MATCHES "scripts '__main__=[0-9a-f]+'\n")
run_spindle(dump ${work}/world.sav --json)
expect("dump --json failed" status EQUAL 0)
string(JSON frame GET "${out}" scheduler frame)
string(JSON tasklets LENGTH "${out}" tasklets)
string(JSON state GET "${out}" tasklets 0 state)
string(JSON line GET "${out}" tasklets 0 stack 0 line)
if(NOT frame EQUAL 3 OR NOT tasklets EQUAL 5 OR NOT state STREQUAL "sleeping" OR NOT line EQUAL 26)
  message(FATAL_ERROR "dump --json: frame ${frame}, ${tasklets} tasklets, first ${state} at line ${line}\n${out}")
endif()

# The script changes on disk: dump reports which saved functions differ.
file(READ ${work}/world.py source)
string(REPLACE "self.energy -= 1" "self.energy -= 2" source "${source}")
file(WRITE ${work}/world.py "${source}")
run_spindle(dump ${work}/world.sav)
foreach(needle "changed: Agent.step" "same: life" "world.py, script changed)")
  string(FIND "${out}" "${needle}" at)
  expect("dump after the edit does not show '${needle}'" NOT at EQUAL -1)
endforeach()
# ... and the game resumes with the code it was saved with.
run_spindle(run ${dir}/agents_random.py --frames 8)
set(straight "${out}")
run_spindle(run ${work}/world.py --frames 8)
expect("the edit must change what a fresh run prints" NOT out STREQUAL straight)
run_spindle(run ${dir}/agents_random.py --frames 3)
set(first "${out}")
run_spindle(run --load ${work}/world.sav --frames 5)
set(resumed "${first}${out}")
expect("a save must resume its own code after the script changed" status EQUAL 0 AND resumed STREQUAL straight)
file(REMOVE ${work}/world.py)
run_spindle(dump ${work}/world.sav)
string(FIND "${out}" "missing: life" at)
expect("dump without the script must report it missing" NOT at EQUAL -1)

# dump: a world deeper than the pickler nests (FORWARD/DEFINE records):
# 2,000 stages each blocked on its own channel, 3,000 sleeping watchers.
run_spindle(run ${dir}/deep_chains.py --frames 2 --save-at 2 --save ${work}/deep.sav)
expect("saving the deep world failed" status EQUAL 0)
run_spindle(dump ${work}/deep.sav)
expect("dump of the deep world failed" status EQUAL 0)
foreach(needle "tasklets: 5001" "channels: 2000" "  #2000: balance -1, preference -1, blocked: #"
               "blocked on channel #1999 receiving" "deep_chains.py:18 stage" "sleeping until frame")
  string(FIND "${out}" "${needle}" at)
  expect("dump of the deep world does not show '${needle}'" NOT at EQUAL -1)
endforeach()
