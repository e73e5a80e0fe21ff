# cmake -DPKG_CONFIG=<program> -DCXX=<compiler> -DSTAGE=<prefix> -DVERSION=<x.y.z>
#       -DSOURCE=<consumer.cpp> -DBINARY_DIR=<folder> -P pkg_config.cmake
#
# Compiles the one-file consumer with nothing but the flags of
# `pkg-config --cflags mf`, mf being installed in STAGE, and runs it.
if(NOT PKG_CONFIG)
  message("SKIPPED: no pkg-config program found")
  return()
endif()
set(ENV{PKG_CONFIG_PATH} "${STAGE}/share/pkgconfig")

function(pkg_config out)
  execute_process(COMMAND "${PKG_CONFIG}" ${ARGN} mf
                  OUTPUT_VARIABLE output OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE result)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "pkg-config ${ARGN} mf failed: ${result}")
  endif()
  set(${out} "${output}" PARENT_SCOPE)
endfunction()

pkg_config(version --modversion)
if(NOT version STREQUAL VERSION)
  message(FATAL_ERROR "pkg-config gives mf ${version}; expected ${VERSION}")
endif()

# The include folder must be the staged one: mf.pc is relocatable.
pkg_config(cflags --cflags)
separate_arguments(cflags UNIX_COMMAND "${cflags}")
file(REAL_PATH "${STAGE}/include" staged_include)
set(found_stage OFF)
foreach(flag IN LISTS cflags)
  if(flag MATCHES "^-I(.+)$")
    file(REAL_PATH "${CMAKE_MATCH_1}" dir)
    if(dir STREQUAL staged_include)
      set(found_stage ON)
    endif()
  endif()
endforeach()
if(NOT found_stage)
  message(FATAL_ERROR "pkg-config --cflags mf does not name ${STAGE}/include: ${cflags}")
endif()

file(MAKE_DIRECTORY "${BINARY_DIR}")
execute_process(COMMAND "${CXX}" -std=c++17 ${cflags} "${SOURCE}" -o "${BINARY_DIR}/consumer"
                RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "the consumer does not compile with the flags of pkg-config: ${cflags}")
endif()
execute_process(COMMAND "${BINARY_DIR}/consumer" RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "the consumer built with pkg-config's flags failed: ${result}")
endif()
message(STATUS "compiled and ran with: ${cflags}")
