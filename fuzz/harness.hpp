// The bodies of the fuzz targets, compiled once and shared by all of them.
#ifndef MF_FUZZ_HARNESS_HPP
#define MF_FUZZ_HARNESS_HPP

#include <mf/formats.hpp>

#include <cstddef>
#include <cstdint>

namespace mf_fuzz {

/// One input of a ratings target: option bytes (see fuzz_input.hpp), then the
/// file, read as `format`. The public reader and the reader cut into small
/// chunks with 1 and 3 threads, and with every line through the full parser,
/// must agree, and a successful read must keep the invariants of a Dataset and
/// its ReadReport. mf::error and mf::invalid_argument are accepted outcomes;
/// anything else aborts with a message on stderr. With Format::automatic,
/// detect_format must agree with the read, and so must a read with the
/// detected format named.
void fuzz_ratings(mf::Format format, const std::uint8_t* data, std::size_t size);

/// One input of the titles target: the whole input is a u.item file.
void fuzz_titles(const std::uint8_t* data, std::size_t size);

}  // namespace mf_fuzz

#endif  // MF_FUZZ_HARNESS_HPP
