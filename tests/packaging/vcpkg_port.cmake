# cmake -DSOURCE_DIR=<checkout> -DVERSION=<x.y.z> -DWORK_DIR=<folder>
#       -DGENERATOR=<generator> -DCXX=<compiler> -P vcpkg_port.cmake
#
# Checks the vcpkg port in ports/mf and the developers' manifest vcpkg.json
# without vcpkg (which cannot be had offline): the manifests' fields, versions
# equal to the project's, no deprecated vcpkg helper, and a dry run of the
# portfile in which small stand-ins for vcpkg's helpers configure and install
# this checkout into a package folder whose layout is then checked.
set(port_dir "${SOURCE_DIR}/ports/mf")

# expect(<message> <condition>...): stops with the message unless the condition holds.
function(expect message)
  if(NOT (${ARGN}))
    message(FATAL_ERROR "${message}")
  endif()
endfunction()

# The manifests.
file(READ "${port_dir}/vcpkg.json" port_manifest)
file(READ "${SOURCE_DIR}/vcpkg.json" dev_manifest)
foreach(manifest port_manifest dev_manifest)
  string(JSON name GET "${${manifest}}" name)
  string(JSON version GET "${${manifest}}" version)
  expect("${manifest}: name is '${name}', expected 'mf'" name STREQUAL "mf")
  expect("${manifest}: version ${version} differs from the project's, ${VERSION}"
         version STREQUAL VERSION)
endforeach()

set(host_tools "")
set(libraries "")
string(JSON count LENGTH "${port_manifest}" dependencies)
math(EXPR last "${count} - 1")
foreach(i RANGE ${last})
  string(JSON dependency GET "${port_manifest}" dependencies ${i})
  string(JSON type TYPE "${port_manifest}" dependencies ${i})
  if(type STREQUAL "OBJECT")
    string(JSON name GET "${dependency}" name)
    string(JSON host ERROR_VARIABLE no_host GET "${dependency}" host)
    if(NOT no_host AND host)
      list(APPEND host_tools "${name}")
      continue()
    endif()
    set(dependency "${name}")
  endif()
  list(APPEND libraries "${dependency}")
endforeach()
string(JOIN " " host_tools ${host_tools})
string(JOIN " " libraries ${libraries})
expect("ports/mf/vcpkg.json: host tools '${host_tools}'; expected vcpkg-cmake vcpkg-cmake-config"
       host_tools STREQUAL "vcpkg-cmake vcpkg-cmake-config")
expect("ports/mf/vcpkg.json: dependencies '${libraries}'; expected xtensor zlib"
       libraries STREQUAL "xtensor zlib")

string(JSON dev_dependencies GET "${dev_manifest}" dependencies)
foreach(package xtensor zlib)
  expect("vcpkg.json does not depend on ${package}" dev_dependencies MATCHES "\"${package}\"")
endforeach()

foreach(feature_and_package tests=doctest benchmarks=benchmark)
  string(REPLACE "=" ";" pair "${feature_and_package}")
  list(GET pair 0 feature)
  list(GET pair 1 package)
  string(JSON feature_dependencies ERROR_VARIABLE missing
         GET "${dev_manifest}" features ${feature} dependencies)
  expect("vcpkg.json has no feature '${feature}' with dependencies" NOT missing)
  expect("vcpkg.json: feature '${feature}' does not depend on ${package}"
         feature_dependencies MATCHES "\"${package}\"")
endforeach()

# The portfile: current helpers only.
file(READ "${port_dir}/portfile.cmake" portfile)
foreach(deprecated vcpkg_configure_cmake vcpkg_build_cmake vcpkg_install_cmake
                   vcpkg_fixup_cmake_targets vcpkg_extract_source_archive_ex
                   vcpkg_apply_patches vcpkg_test_cmake)
  expect("ports/mf/portfile.cmake calls the deprecated ${deprecated}"
         NOT portfile MATCHES "${deprecated}[ \t]*\\(")
endforeach()
foreach(current vcpkg_cmake_configure vcpkg_cmake_install vcpkg_cmake_config_fixup
                vcpkg_fixup_pkgconfig)
  expect("ports/mf/portfile.cmake does not call ${current}"
         portfile MATCHES "${current}[ \t]*\\(")
endforeach()

# The dry run. Each stand-in does what its vcpkg namesake does to a header-only
# CMake project with VCPKG_BUILD_TYPE release, and rejects arguments it does not know.
set(PORT mf)
set(CURRENT_PORT_DIR "${port_dir}")
set(CURRENT_BUILDTREES_DIR "${WORK_DIR}/buildtrees")
set(CURRENT_PACKAGES_DIR "${WORK_DIR}/packages/mf")
file(REMOVE_RECURSE "${WORK_DIR}")

function(check_arguments prefix)
  if(${prefix}_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "unexpected arguments: ${${prefix}_UNPARSED_ARGUMENTS}")
  endif()
endfunction()

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE result)
  expect("failed (${result}): ${ARGN}" result EQUAL 0)
endfunction()

function(vcpkg_cmake_configure)
  cmake_parse_arguments(PARSE_ARGV 0 arg "" "SOURCE_PATH" "OPTIONS;OPTIONS_RELEASE")
  check_arguments(arg)
  expect("the port should build release only" VCPKG_BUILD_TYPE STREQUAL "release")
  run("${CMAKE_COMMAND}" -S "${arg_SOURCE_PATH}" -B "${CURRENT_BUILDTREES_DIR}/rel"
      --no-warn-unused-cli -G "${GENERATOR}" "-DCMAKE_CXX_COMPILER=${CXX}"
      -DCMAKE_BUILD_TYPE=Release "-DCMAKE_INSTALL_PREFIX=${CURRENT_PACKAGES_DIR}"
      -DCMAKE_INSTALL_LIBDIR=lib -DCMAKE_INSTALL_BINDIR=bin -DFETCHCONTENT_FULLY_DISCONNECTED=ON
      ${arg_OPTIONS} ${arg_OPTIONS_RELEASE})
endfunction()

function(vcpkg_cmake_install)
  cmake_parse_arguments(PARSE_ARGV 0 arg "" "" "")
  check_arguments(arg)
  run("${CMAKE_COMMAND}" --build "${CURRENT_BUILDTREES_DIR}/rel" --target install)
endfunction()

function(vcpkg_cmake_config_fixup)
  cmake_parse_arguments(PARSE_ARGV 0 arg "" "PACKAGE_NAME;CONFIG_PATH" "")
  check_arguments(arg)
  if(NOT arg_PACKAGE_NAME)
    set(arg_PACKAGE_NAME "${PORT}")
  endif()
  if(NOT arg_CONFIG_PATH)
    set(arg_CONFIG_PATH "share/${arg_PACKAGE_NAME}")
  endif()
  file(GLOB configs "${CURRENT_PACKAGES_DIR}/${arg_CONFIG_PATH}/*Config.cmake")
  expect("vcpkg_cmake_config_fixup: no *Config.cmake in ${arg_CONFIG_PATH}" configs)
  if(NOT arg_CONFIG_PATH STREQUAL "share/${arg_PACKAGE_NAME}")
    file(RENAME "${CURRENT_PACKAGES_DIR}/${arg_CONFIG_PATH}"
         "${CURRENT_PACKAGES_DIR}/share/${arg_PACKAGE_NAME}")
  endif()
endfunction()

function(vcpkg_fixup_pkgconfig)
  file(GLOB pc_files "${CURRENT_PACKAGES_DIR}/share/pkgconfig/*.pc"
                     "${CURRENT_PACKAGES_DIR}/lib/pkgconfig/*.pc")
  expect("vcpkg_fixup_pkgconfig: no .pc file in share/pkgconfig or lib/pkgconfig" pc_files)
endfunction()

function(vcpkg_install_copyright)
  cmake_parse_arguments(PARSE_ARGV 0 arg "" "" "FILE_LIST")
  check_arguments(arg)
  set(text "")
  foreach(file IN LISTS arg_FILE_LIST)
    file(READ "${file}" part)
    string(APPEND text "${part}")
  endforeach()
  file(WRITE "${CURRENT_PACKAGES_DIR}/share/${PORT}/copyright" "${text}")
endfunction()

include("${port_dir}/portfile.cmake")

# What vcpkg would package: headers, and the package files under share/ only.
foreach(file include/mf/mf.hpp share/mf/mfConfig.cmake share/mf/mfConfigVersion.cmake
             share/mf/mfTargets.cmake share/mf/copyright share/mf/usage share/pkgconfig/mf.pc)
  expect("the port does not install ${file}" EXISTS "${CURRENT_PACKAGES_DIR}/${file}")
endforeach()
file(GLOB top RELATIVE "${CURRENT_PACKAGES_DIR}" "${CURRENT_PACKAGES_DIR}/*")
list(SORT top)
string(JOIN " " top ${top})
expect("the port installs ${top}; a header-only port installs include/ and share/ only"
       top STREQUAL "include share")
file(STRINGS "${CURRENT_PACKAGES_DIR}/share/mf/mfConfig.cmake" zlib_line
     REGEX "^set\\(mf_WITH_ZLIB ON\\)$")
expect("the port's mfConfig.cmake does not find zlib; the port must build MF_WITH_ZLIB" zlib_line)
message(STATUS "the port's dry run installed mf ${VERSION} into ${CURRENT_PACKAGES_DIR}")
