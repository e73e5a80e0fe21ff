// libFuzzer target: mf::read_ratings on delimited text. The option bytes choose
// the separator, columns, header, quoting, scale, policies and threads; the
// rest is the file. See fuzz_input.hpp.
#include <cstddef>
#include <cstdint>

#include "harness.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    mf_fuzz::fuzz_ratings(mf::Format::delimited, data, size);
    return 0;
}
