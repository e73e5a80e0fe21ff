// libFuzzer target: mf::read_libmf_model on LIBMF's text model format, the
// whole input.
#include <cstddef>
#include <cstdint>

#include "harness.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    mf_fuzz::fuzz_libmf_model(data, size);
    return 0;
}
