# cmake -DNPM=npm -DSOURCE=dir-with-package.json -DDEST=build-dir -P install_sarif_schema.cmake
# Installs the locked package that carries the SARIF 2.1.0 schema (no scripts run), once.
set(schema ${DEST}/node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json)
if(EXISTS ${schema} AND NOT ${SOURCE}/package-lock.json IS_NEWER_THAN ${schema})
  return()
endif()
file(MAKE_DIRECTORY ${DEST})
file(COPY ${SOURCE}/package.json ${SOURCE}/package-lock.json DESTINATION ${DEST})
execute_process(COMMAND ${NPM} ci --ignore-scripts --no-audit --no-fund --omit=dev
                WORKING_DIRECTORY ${DEST} RESULT_VARIABLE rc OUTPUT_QUIET)
if(NOT rc EQUAL 0 OR NOT EXISTS ${schema})
  message(FATAL_ERROR "npm ci in ${DEST} failed (${rc}): the SARIF schema package could not be installed")
endif()
