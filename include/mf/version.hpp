// The version of mf. CMakeLists.txt reads it from here: this is the only place it is written.
#ifndef MF_VERSION_HPP
#define MF_VERSION_HPP

#define MF_VERSION_MAJOR 0
#define MF_VERSION_MINOR 1
#define MF_VERSION_PATCH 0

/// MAJOR * 10000 + MINOR * 100 + PATCH.
#define MF_VERSION (MF_VERSION_MAJOR * 10000 + MF_VERSION_MINOR * 100 + MF_VERSION_PATCH)

#endif  // MF_VERSION_HPP
