// The one place where mf includes xtensor.
//
// xtensor 0.26 moved its headers from a flat layout (xtensor/xtensor.hpp) into
// sub-folders (xtensor/containers/xtensor.hpp). Its configuration header moved
// too, so a version macro cannot choose the path: the presence of a moved
// header does.
#ifndef MF_DETAIL_XTENSOR_HPP
#define MF_DETAIL_XTENSOR_HPP

#if __has_include(<xtensor/containers/xtensor.hpp>)
#include <xtensor/containers/xadapt.hpp>
#include <xtensor/containers/xtensor.hpp>
#include <xtensor/views/xview.hpp>
#elif __has_include(<xtensor/xtensor.hpp>)
#include <xtensor/xadapt.hpp>
#include <xtensor/xtensor.hpp>
#include <xtensor/xview.hpp>
#else
#error "mf needs xtensor (0.24 or newer): its headers were not found on the include path"
#endif

#endif  // MF_DETAIL_XTENSOR_HPP
