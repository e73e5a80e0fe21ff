// libFuzzer target: mf::read_ratings on MovieLens 1M and 10M's ratings.dat.
// The input is option bytes, then the file; see fuzz_input.hpp.
#include <cstddef>
#include <cstdint>

#include "harness.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    mf_fuzz::fuzz_ratings(mf::Format::movielens_dat, data, size);
    return 0;
}
