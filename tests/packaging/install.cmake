# cmake -DBUILD_DIR=<mf build> -DSTAGE=<folder> -DVERSION=<x.y.z> -DWITH_ZLIB=<ON|OFF>
#       -P install.cmake
#
# Installs mf from BUILD_DIR into STAGE, a prefix other than the one it was
# configured with, so that the CMake package and mf.pc must be relocatable,
# and checks the installed layout: headers, and the package files under share/,
# which ask for zlib exactly when mf was built with MF_WITH_ZLIB.
file(REMOVE_RECURSE "${STAGE}")
execute_process(COMMAND "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${STAGE}"
                RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "cmake --install failed: ${result}")
endif()

foreach(file include/mf/mf.hpp include/mf/version.hpp include/mf/detail/xtensor.hpp
             share/mf/mfConfig.cmake share/mf/mfConfigVersion.cmake share/mf/mfTargets.cmake
             share/pkgconfig/mf.pc)
  if(NOT EXISTS "${STAGE}/${file}")
    message(FATAL_ERROR "the installed tree lacks ${file}")
  endif()
endforeach()

# Header-only: nothing may depend on the architecture or on where it was installed.
file(GLOB top RELATIVE "${STAGE}" "${STAGE}/*")
list(SORT top)
if(NOT top STREQUAL "include;share")
  message(FATAL_ERROR "expected only include/ and share/ in the installed tree; found ${top}")
endif()
file(GLOB_RECURSE package_files "${STAGE}/share/*")
foreach(file IN LISTS package_files)
  file(STRINGS "${file}" absolute REGEX "${STAGE}|${BUILD_DIR}")
  if(absolute)
    message(FATAL_ERROR "${file} names an absolute path: ${absolute}")
  endif()
endforeach()

file(STRINGS "${STAGE}/share/mf/mfConfigVersion.cmake" version_line
     REGEX "set\\(PACKAGE_VERSION \"${VERSION}\"\\)")
if(NOT version_line)
  message(FATAL_ERROR "mfConfigVersion.cmake does not give version ${VERSION}")
endif()
file(STRINGS "${STAGE}/share/mf/mfConfig.cmake" zlib_line REGEX "^set\\(mf_WITH_ZLIB ")
file(STRINGS "${STAGE}/share/pkgconfig/mf.pc" pc_lines REGEX "^(Requires|Cflags): ")
if(WITH_ZLIB)
  set(expected_zlib_line "set(mf_WITH_ZLIB ON)")
  set(expected_pc_lines "Requires: xtensor >= 0.24, zlib;Cflags: -I\${includedir} -DMF_WITH_ZLIB=1")
else()
  set(expected_zlib_line "set(mf_WITH_ZLIB OFF)")
  set(expected_pc_lines "Requires: xtensor >= 0.24;Cflags: -I\${includedir}")
endif()
if(NOT zlib_line STREQUAL expected_zlib_line)
  message(FATAL_ERROR "mfConfig.cmake has '${zlib_line}'; expected '${expected_zlib_line}'")
endif()
if(NOT pc_lines STREQUAL expected_pc_lines)
  message(FATAL_ERROR "mf.pc has '${pc_lines}'; expected '${expected_pc_lines}'")
endif()
message(STATUS "mf ${VERSION} installed into ${STAGE}")
