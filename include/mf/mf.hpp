// mf: matrix-factorization recommenders on xtensor arrays.
//
// The one header to include. Everything is in namespace mf; headers under
// mf/detail/ are internal and may change without notice.
#ifndef MF_MF_HPP
#define MF_MF_HPP

#include "mf/cross_validation.hpp"
#include "mf/errors.hpp"
#include "mf/formats.hpp"
#include "mf/interop.hpp"
#include "mf/metrics.hpp"
#include "mf/model.hpp"
#include "mf/model_io.hpp"
#include "mf/movielens.hpp"
#include "mf/ranking.hpp"
#include "mf/ratings.hpp"
#include "mf/recommend.hpp"
#include "mf/sgd_trainer.hpp"
#include "mf/split.hpp"
#include "mf/synthetic.hpp"
#include "mf/version.hpp"

#endif  // MF_MF_HPP
