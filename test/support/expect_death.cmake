# Runs COMMAND (a ;-list) and passes when it dies (non-zero exit or a signal) with output matching
# EXPECT. A death test in a subprocess: ctest alone counts a signal as a failure whatever the output.
execute_process(COMMAND ${COMMAND} RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE err)
set(all "${out}${err}")
if(result EQUAL 0)
  message(FATAL_ERROR "expected the program to die, it exited 0:\n${all}")
endif()
if(NOT all MATCHES "${EXPECT}")
  message(FATAL_ERROR "died (${result}) without the expected report '${EXPECT}':\n${all}")
endif()
message(STATUS "died as expected (${result}): ${EXPECT}")
