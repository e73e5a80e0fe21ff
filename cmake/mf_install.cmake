# Install rules of mf (MF_INSTALL): the headers, a CMake package that exports
# mf::mf, and a pkg-config file. mf is header-only, so everything but the
# headers goes under share/ and one installed copy serves every architecture.
include(CMakePackageConfigHelpers)

set(mf_package_dir "${CMAKE_INSTALL_DATADIR}/mf")

install(DIRECTORY "${PROJECT_SOURCE_DIR}/include/mf"
        DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}"
        FILES_MATCHING PATTERN "*.hpp")

install(TARGETS mf EXPORT mfTargets)
install(EXPORT mfTargets NAMESPACE mf:: DESTINATION "${mf_package_dir}")

# Until 1.0, a minor release may break the API: find_package(mf 0.1) accepts 0.1.x only.
write_basic_package_version_file("${PROJECT_BINARY_DIR}/mfConfigVersion.cmake"
  COMPATIBILITY SameMinorVersion
  ARCH_INDEPENDENT)

# With MF_WITH_ZLIB, mfConfig.cmake finds zlib, and mf.pc requires zlib.pc,
# whose --libs give -lz.
if(MF_WITH_ZLIB)
  set(mf_config_with_zlib ON)
  set(mf_pc_requires ", zlib")
  set(mf_pc_cflags " -DMF_WITH_ZLIB=1")
else()
  set(mf_config_with_zlib OFF)
  set(mf_pc_requires "")
  set(mf_pc_cflags "")
endif()
configure_file("${PROJECT_SOURCE_DIR}/cmake/mfConfig.cmake.in" "${PROJECT_BINARY_DIR}/mfConfig.cmake"
               @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/mfConfig.cmake"
              "${PROJECT_BINARY_DIR}/mfConfigVersion.cmake"
        DESTINATION "${mf_package_dir}")

# mf.pc names its prefix relative to its own folder (${pcfiledir}), so that the
# installed tree can be moved; absolute install folders are written as they are.
if(IS_ABSOLUTE "${CMAKE_INSTALL_DATADIR}" OR IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
  set(mf_pc_prefix "${CMAKE_INSTALL_PREFIX}")
  set(mf_pc_includedir "${CMAKE_INSTALL_FULL_INCLUDEDIR}")
else()
  file(RELATIVE_PATH mf_pc_to_prefix "/${CMAKE_INSTALL_DATADIR}/pkgconfig" "/")
  string(REGEX REPLACE "/$" "" mf_pc_to_prefix "${mf_pc_to_prefix}")
  set(mf_pc_prefix "\${pcfiledir}/${mf_pc_to_prefix}")
  set(mf_pc_includedir "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
endif()
configure_file("${PROJECT_SOURCE_DIR}/cmake/mf.pc.in" "${PROJECT_BINARY_DIR}/mf.pc" @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/mf.pc" DESTINATION "${CMAKE_INSTALL_DATADIR}/pkgconfig")
