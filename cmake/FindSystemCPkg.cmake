# Debian ships SystemC with pkg-config files only; wrap them as SystemC::systemc.
find_package(PkgConfig REQUIRED)
pkg_check_modules(SYSTEMC_PC REQUIRED IMPORTED_TARGET systemc)
if(NOT TARGET SystemC::systemc)
  add_library(SystemC::systemc INTERFACE IMPORTED)
  target_link_libraries(SystemC::systemc INTERFACE PkgConfig::SYSTEMC_PC)
endif()
include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(SystemCPkg DEFAULT_MSG SYSTEMC_PC_FOUND)
