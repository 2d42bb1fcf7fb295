# Run by the install_consumer test (see CMakeLists.txt next to this file):
#   cmake -DFRAMEALLOC_BUILD_DIR=... -DPREFIX=... -DCONSUMER_SOURCE_DIR=... -DCONSUMER_BINARY_DIR=...
#         -DCXX_COMPILER=... [-DFRAMEALLOC_CONFIG=...] [-DBUILD_TYPE=...] [-DCXX_FLAGS=...]
#         [-DEXE_LINKER_FLAGS=...] [-DMAKE_PROGRAM=...] -P run_consumer.cmake
# 1. cmake --install the framealloc build into PREFIX; 2. configure the consumer against PREFIX with
# the same compiler, build type and flags; 3. build it; 4. run it. A failing step stops with its output.
cmake_minimum_required(VERSION 3.28)

foreach(var FRAMEALLOC_BUILD_DIR PREFIX CONSUMER_SOURCE_DIR CONSUMER_BINARY_DIR CXX_COMPILER)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "run_consumer.cmake: -D${var}=... is required")
  endif()
endforeach()

# Runs one step; on failure stops the script with the step's command and everything it printed.
function(run_step name)
  string(REPLACE ";" " " shown "${ARGN}")
  message(STATUS "install_consumer: ${name}: ${shown}")
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "install_consumer: ${name} failed (${result})\n  command: ${shown}\n${output}")
  endif()
  set(step_output "${output}" PARENT_SCOPE)
endfunction()

# Start clean: a stale prefix or consumer cache (another compiler, other flags) must not hide a problem.
file(REMOVE_RECURSE "${PREFIX}" "${CONSUMER_BINARY_DIR}")

set(install_args --install "${FRAMEALLOC_BUILD_DIR}" --prefix "${PREFIX}")
if(DEFINED FRAMEALLOC_CONFIG AND NOT FRAMEALLOC_CONFIG STREQUAL "")
  list(APPEND install_args --config "${FRAMEALLOC_CONFIG}")
endif()
run_step(install "${CMAKE_COMMAND}" ${install_args})

set(configure_args
  -S "${CONSUMER_SOURCE_DIR}" -B "${CONSUMER_BINARY_DIR}" -G Ninja
  "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}"
  "-DCMAKE_BUILD_TYPE=${BUILD_TYPE}"
  "-DCMAKE_CXX_FLAGS=${CXX_FLAGS}"
  "-DCMAKE_EXE_LINKER_FLAGS=${EXE_LINKER_FLAGS}"
  "-DCMAKE_PREFIX_PATH=${PREFIX}"
  # Only the prefix under test: never a framealloc from the user package registry.
  -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF
  # For the installed analyzer (below): it reads the consumer's compile database.
  -DCMAKE_EXPORT_COMPILE_COMMANDS=ON)
if(DEFINED MAKE_PROGRAM AND NOT MAKE_PROGRAM STREQUAL "")
  list(APPEND configure_args "-DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM}")
endif()
run_step(configure "${CMAKE_COMMAND}" ${configure_args})

run_step(build "${CMAKE_COMMAND}" --build "${CONSUMER_BINARY_DIR}")

run_step(run "${CONSUMER_BINARY_DIR}/framealloc_consumer")
set(run_output "${step_output}")

# The installed analyzer (present when framealloc was built with its tools) on the consumer's code, on
# the BMIs the consumer's own build produced: clean, with the dangerous codes denied.
if(EXISTS "${PREFIX}/bin/fa")
  run_step(analyze "${PREFIX}/bin/fa" check -p "${CONSUMER_BINARY_DIR}" --all --deny FA2xx --deny FA6xx --deny FA7xx
           "${CONSUMER_SOURCE_DIR}/main.cpp")
  message(STATUS "install_consumer: fa check on the consumer: clean")
endif()
message(STATUS "install_consumer: passed\n${run_output}")
