# scbnn_library(<folder> SOURCES ...): one library per top-level folder, exported as scbnn::<folder>.
function(scbnn_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;PUBLIC_DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(scbnn_${name} ${ARG_SOURCES})
  add_library(scbnn::${name} ALIAS scbnn_${name})
  set_target_properties(scbnn_${name} PROPERTIES EXPORT_NAME ${name} POSITION_INDEPENDENT_CODE ON)
  target_compile_features(scbnn_${name} PUBLIC cxx_std_17)
  target_include_directories(scbnn_${name} PUBLIC
    $<BUILD_INTERFACE:${CMAKE_CURRENT_SOURCE_DIR}/include>
    $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
  target_link_libraries(scbnn_${name} PUBLIC ${ARG_PUBLIC_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
  scbnn_warnings(scbnn_${name})
  install(TARGETS scbnn_${name} EXPORT scbnnTargets
    ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
    LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
  install(DIRECTORY include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
endfunction()

function(scbnn_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wnon-virtual-dtor
                         $<IF:$<CXX_COMPILER_ID:GNU>,-Wshadow=local,-Wshadow-uncaptured-local>)
  if(SCBNN_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

# Hardware popcount for the bit-packed hot paths.
function(scbnn_hw_popcount target)
  if(CMAKE_SYSTEM_PROCESSOR MATCHES "x86_64|AMD64")
    target_compile_options(${target} PUBLIC -mpopcnt)
  endif()
endfunction()
