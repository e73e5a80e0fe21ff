// libFuzzer target: mf::movielens::read_titles on a u.item file, the whole input.
#include <cstddef>
#include <cstdint>

#include "harness.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    mf_fuzz::fuzz_titles(data, size);
    return 0;
}
