# Run at build time (tools/CMakeLists.txt): writes OUTPUT, the C++ definition of
# scbnn::build_info(), with the source revision of SOURCE_DIR and whether its tracked files
# differ from it (git; "unknown" outside a work tree), and the compiler, flags and build type
# the configuration passed in. configure_file leaves OUTPUT untouched when nothing changed,
# so an unchanged tree recompiles nothing.
set(revision "unknown")
set(modified "false")
find_package(Git QUIET)
if(GIT_FOUND)
  execute_process(COMMAND ${GIT_EXECUTABLE} -C ${SOURCE_DIR} rev-parse HEAD
                  OUTPUT_VARIABLE head RESULT_VARIABLE head_failed OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  if(NOT head_failed)
    set(revision "${head}")
    execute_process(COMMAND ${GIT_EXECUTABLE} -C ${SOURCE_DIR} status --porcelain --untracked-files=no
                    OUTPUT_VARIABLE changes OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
    if(NOT changes STREQUAL "")
      set(modified "true")
    endif()
  endif()
endif()
configure_file(${TEMPLATE} ${OUTPUT} @ONLY)
