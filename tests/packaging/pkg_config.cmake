# cmake -DPKG_CONFIG=<program> -DCXX=<compiler> -DSTAGE=<prefix> -DVERSION=<x.y.z>
#       -DWITH_ZLIB=<ON|OFF> -DSOURCE=<consumer.cpp> -DBINARY_DIR=<folder> -P pkg_config.cmake
#
# Compiles the one-file consumer with nothing but the flags of
# `pkg-config --cflags --libs mf`, mf being installed in STAGE, and runs it.
# With MF_WITH_ZLIB they must turn zlib on and link it.
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

list(FIND cflags "-DMF_WITH_ZLIB=1" zlib_flag)
if(WITH_ZLIB AND zlib_flag EQUAL -1)
  message(FATAL_ERROR "pkg-config --cflags mf lacks -DMF_WITH_ZLIB=1: ${cflags}")
elseif(NOT WITH_ZLIB AND NOT zlib_flag EQUAL -1)
  message(FATAL_ERROR "pkg-config --cflags mf has -DMF_WITH_ZLIB=1, but mf was built without")
endif()
pkg_config(libs --libs)
separate_arguments(libs UNIX_COMMAND "${libs}")

file(MAKE_DIRECTORY "${BINARY_DIR}")
execute_process(COMMAND "${CXX}" -std=c++17 ${cflags} "${SOURCE}" -o "${BINARY_DIR}/consumer"
                        ${libs}
                RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "the consumer does not compile with the flags of pkg-config: ${cflags} ${libs}")
endif()
execute_process(COMMAND "${BINARY_DIR}/consumer" WORKING_DIRECTORY "${BINARY_DIR}"
                RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "the consumer built with pkg-config's flags failed: ${result}")
endif()
message(STATUS "compiled and ran with: ${cflags} ${libs}")
