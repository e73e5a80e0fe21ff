// libFuzzer target: mf::read_ratings on any file with Format::automatic, and detect_format.
// The input is option bytes, then the file; see fuzz_input.hpp.
#include <cstddef>
#include <cstdint>

#include "harness.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    mf_fuzz::fuzz_ratings(mf::Format::automatic, data, size);
    return 0;
}
