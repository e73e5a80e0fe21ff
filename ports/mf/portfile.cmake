# Overlay port of mf, built from the checkout that holds it:
#     vcpkg install mf --overlay-ports=<checkout>/ports
# mf is header-only: one release configuration, and nothing under lib/.
set(VCPKG_BUILD_TYPE release)
get_filename_component(SOURCE_PATH "${CURRENT_PORT_DIR}/../.." ABSOLUTE)

vcpkg_cmake_configure(
    SOURCE_PATH "${SOURCE_PATH}"
    OPTIONS
        -DMF_BUILD_TESTS=OFF
        -DMF_BUILD_EXAMPLES=OFF
        -DMF_BUILD_BENCHMARKS=OFF
        -DMF_DOWNLOAD_MOVIELENS=OFF
        -DMF_INSTALL=ON
        -DMF_WITH_ZLIB=ON
)
vcpkg_cmake_install()

# mf installs its CMake package to share/mf, where this looks by default.
vcpkg_cmake_config_fixup()
vcpkg_fixup_pkgconfig()

file(INSTALL "${CURRENT_PORT_DIR}/usage" DESTINATION "${CURRENT_PACKAGES_DIR}/share/${PORT}")

# mf has no licence file yet, and vcpkg requires a copyright file: this notice
# stands in until a LICENSE exists, to be installed then with
# vcpkg_install_copyright(FILE_LIST "${SOURCE_PATH}/LICENSE").
file(WRITE "${CURRENT_PACKAGES_DIR}/share/${PORT}/copyright"
     "mf has not been given a licence yet; see https://github.com/mf-recommender/mf\n")
