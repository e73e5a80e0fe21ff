// libFuzzer target: mf::load_model and mf::inspect_model on an mf model file,
// the whole input.
#include <cstddef>
#include <cstdint>

#include "harness.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    mf_fuzz::fuzz_model(data, size);
    return 0;
}
