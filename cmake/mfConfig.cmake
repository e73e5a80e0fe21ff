# The CMake package of mf: find_package(mf CONFIG) defines the target mf::mf.
include(CMakeFindDependencyMacro)

# The exported target links xtensor by that name, so xtensor comes first.
find_dependency(xtensor 0.24)

include("${CMAKE_CURRENT_LIST_DIR}/mfTargets.cmake")
