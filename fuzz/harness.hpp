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

/// One input of the model target: the whole input is an mf model file, loaded
/// as given and again with both its checksums made to match. inspect_model,
/// load_model<float> and load_model<double> must agree; a loaded model must be
/// finite, match its header and id maps, and save to the very bytes it was
/// loaded from.
void fuzz_model(const std::uint8_t* data, std::size_t size);

/// One input of the LIBMF model target: the whole input is a LIBMF text model,
/// read with read_libmf_model<float> and <double>. A model read must have the
/// shape of its header, finite known rows and zeros in the others, and must
/// come back bit for bit from the file write_libmf_model writes of it (by
/// index, and the same bytes with the id maps read gave); the double reader
/// must read every file the float one reads, to the same shape.
void fuzz_libmf_model(const std::uint8_t* data, std::size_t size);

}  // namespace mf_fuzz

#endif  // MF_FUZZ_HARNESS_HPP
