# framealloc_add_analysis(<target> [NAME <test>] [FA <fa executable>] [ARGS <fa check arguments>...])
#
# Registers a ctest test (default name <target>_fa) that runs `fa check` (docs/analyzer.md) on the C++
# sources of <target>, with this build's compile database. The test fails when a denied code fires
# (pass e.g. ARGS --all --deny FA6xx) or a file cannot be analysed. fa is the `fa` target of this build,
# the one installed beside this package, or the first on the PATH.
set(_framealloc_analysis_dir ${CMAKE_CURRENT_LIST_DIR})

function(framealloc_add_analysis target)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "NAME;FA" "ARGS")
  if(NOT arg_NAME)
    set(arg_NAME ${target}_fa)
  endif()
  if(NOT arg_FA)
    if(TARGET fa)
      set(arg_FA $<TARGET_FILE:fa>)
    else()
      find_program(FRAMEALLOC_FA_EXECUTABLE fa HINTS ${_framealloc_analysis_dir}/../../../bin)
      if(NOT FRAMEALLOC_FA_EXECUTABLE)
        message(FATAL_ERROR "framealloc_add_analysis(${target}): fa not found (build framealloc with "
                            "FRAMEALLOC_BUILD_TOOLS=ON, or pass FA <path>)")
      endif()
      set(arg_FA ${FRAMEALLOC_FA_EXECUTABLE})
    endif()
  endif()
  if(NOT CMAKE_EXPORT_COMPILE_COMMANDS)
    message(FATAL_ERROR "framealloc_add_analysis(${target}): fa reads compile_commands.json; set "
                        "CMAKE_EXPORT_COMPILE_COMMANDS ON")
  endif()
  get_target_property(sources ${target} SOURCES)
  get_target_property(source_dir ${target} SOURCE_DIR)
  set(files)
  foreach(source IN LISTS sources)
    if(source MATCHES "\\.(cpp|cc|cxx|c\\+\\+)$" AND NOT source MATCHES "^\\$<")
      cmake_path(ABSOLUTE_PATH source BASE_DIRECTORY ${source_dir} NORMALIZE OUTPUT_VARIABLE file)
      list(APPEND files ${file})
    endif()
  endforeach()
  if(NOT files)
    message(FATAL_ERROR "framealloc_add_analysis(${target}): the target has no C++ sources to analyse")
  endif()
  add_test(NAME ${arg_NAME} COMMAND ${arg_FA} check -p ${CMAKE_BINARY_DIR} ${arg_ARGS} ${files}
           WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR})
  set_tests_properties(${arg_NAME} PROPERTIES LABELS fa)
endfunction()
