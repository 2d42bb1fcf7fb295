# cmake --install + find_package(framealloc CONFIG): the module interface sources are installed and the
# consumer's build compiles their BMIs with its own flags (BMIs are not portable between builds).
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(FRAMEALLOC_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/framealloc)
install(TARGETS framealloc EXPORT framealloc-targets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  FILE_SET CXX_MODULES DESTINATION ${CMAKE_INSTALL_DATADIR}/framealloc/modules
  FILE_SET HEADERS DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
if(FRAMEALLOC_TRACY)  # framealloc::tracy, the Tracy adapter; the config then finds Tracy too
  install(TARGETS framealloc_tracy EXPORT framealloc-targets
    ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
    FILE_SET CXX_MODULES DESTINATION ${CMAKE_INSTALL_DATADIR}/framealloc/modules)
endif()
install(EXPORT framealloc-targets
  NAMESPACE framealloc::
  DESTINATION ${FRAMEALLOC_CMAKE_DIR}
  CXX_MODULES_DIRECTORY cxx-modules)
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/framealloc-config.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/framealloc-config.cmake
  INSTALL_DESTINATION ${FRAMEALLOC_CMAKE_DIR})
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/framealloc-config-version.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/framealloc-config.cmake
              ${CMAKE_CURRENT_BINARY_DIR}/framealloc-config-version.cmake
              ${CMAKE_CURRENT_LIST_DIR}/framealloc_analysis.cmake
        DESTINATION ${FRAMEALLOC_CMAKE_DIR})

# fa-insight: the built page and its server under share/framealloc/fa-insight, the launcher in bin.
if(FRAMEALLOC_BUILD_INSIGHT)
  set(FRAMEALLOC_INSIGHT_DIR ${CMAKE_INSTALL_DATADIR}/framealloc/fa-insight)
  install(FILES ${PROJECT_BINARY_DIR}/tools/fa-insight/app/index.html ${PROJECT_BINARY_DIR}/tools/fa-insight/app/app.js
                ${PROJECT_BINARY_DIR}/tools/fa-insight/app/app.css
          DESTINATION ${FRAMEALLOC_INSIGHT_DIR}/app)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/tools/fa-insight/server/ DESTINATION ${FRAMEALLOC_INSIGHT_DIR}/server
          FILES_MATCHING PATTERN "*.mjs")
  install(PROGRAMS ${PROJECT_BINARY_DIR}/tools/fa-insight/install/fa-insight DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()

if(TARGET fa)  # the analyzer, when it was built (FRAMEALLOC_BUILD_TOOLS and clang-19 LibTooling found)
  install(TARGETS fa RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  # The page each code's diagnostic links to in an editor (`fa lsp`).
  install(FILES ${PROJECT_SOURCE_DIR}/docs/analyzer.md DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/framealloc)
endif()
