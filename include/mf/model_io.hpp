// Saving and loading trained models: a checksummed little-endian binary file,
// written atomically. docs/model-format.md gives the byte layout.
#ifndef MF_MODEL_IO_HPP
#define MF_MODEL_IO_HPP

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>
#include <vector>

#include "mf/detail/atomic_file.hpp"
#include "mf/detail/xtensor.hpp"
#include "mf/errors.hpp"
#include "mf/model.hpp"
#include "mf/ratings.hpp"
#include "mf/sgd_trainer.hpp"

namespace mf {

/// A model read back by load_model: the factorization, the raw ids of its rows
/// and the hyperparameters it was trained with.
template <class Scalar>
struct SavedModel {
    MatrixFactorization<Scalar> model;
    IdMap users;         ///< the raw id of each user row; users.size() == model.n_users()
    IdMap items;         ///< the raw id of each item row; items.size() == model.n_items()
    SgdOptions options;  ///< the hyperparameters it was trained with
};

/// What the header of a model file says, read by inspect_model.
struct ModelFileInfo {
    std::uint32_t version = 0;     ///< the format version, 1
    std::size_t scalar_bytes = 0;  ///< 4 for a float model, 8 for a double one
    std::size_t users = 0;
    std::size_t items = 0;
    std::size_t factors = 0;  ///< k
    bool biased = false;      ///< whether predictions include μ and the biases
};

namespace detail {

// The file's first 12 bytes. The byte above 0x7F catches a copy that strips the
// eighth bit, CR LF and the lone LF catch line-ending conversion either way, and
// 0x1A (Ctrl-Z) stops a text-mode read on Windows short.
inline constexpr unsigned char model_magic[12] = {0x89, 'M', 'F',  'M',  'O',  'D',
                                                  'E',  'L', '\r', '\n', 0x1A, '\n'};
inline constexpr std::uint32_t model_format_version = 1;
inline constexpr std::size_t model_header_size = 64;
// Header, options and rating scale: the part whose size depends on nothing.
inline constexpr std::size_t model_fixed_size = 168;
inline constexpr std::uint32_t model_flag_biased = 1;
inline constexpr std::uint32_t model_flag_scale = 2;

/// The CRC-32 lookup tables for "slicing by 8": tables[0] is the classic
/// byte-at-a-time table of the reflected polynomial 0xEDB88320; tables[j][b] is
/// the CRC of byte b followed by j zero bytes, so eight bytes fold in one step.
inline const std::array<std::array<std::uint32_t, 256>, 8>& crc32_tables() {
    static const auto tables = [] {
        std::array<std::array<std::uint32_t, 256>, 8> t{};
        for (std::uint32_t b = 0; b < 256; ++b) {
            std::uint32_t c = b;
            for (int bit = 0; bit < 8; ++bit) {
                c = (c & 1) != 0 ? (c >> 1) ^ 0xEDB88320u : c >> 1;
            }
            t[0][b] = c;
        }
        for (std::size_t j = 1; j < 8; ++j) {
            for (std::size_t b = 0; b < 256; ++b) {
                t[j][b] = (t[j - 1][b] >> 8) ^ t[0][t[j - 1][b] & 0xFF];
            }
        }
        return t;
    }();
    return tables;
}

inline std::uint32_t load_u32(const unsigned char* p) noexcept {
    return std::uint32_t{p[0]} | std::uint32_t{p[1]} << 8 | std::uint32_t{p[2]} << 16
           | std::uint32_t{p[3]} << 24;
}

inline std::uint64_t load_u64(const unsigned char* p) noexcept {
    return std::uint64_t{load_u32(p)} | std::uint64_t{load_u32(p + 4)} << 32;
}

inline void store_u32(unsigned char* p, std::uint32_t v) noexcept {
    for (int j = 0; j < 4; ++j) {
        p[j] = static_cast<unsigned char>(v >> (8 * j));
    }
}

inline void store_u64(unsigned char* p, std::uint64_t v) noexcept {
    store_u32(p, static_cast<std::uint32_t>(v));
    store_u32(p + 4, static_cast<std::uint32_t>(v >> 32));
}

/// A running CRC-32 (ISO-HDLC, as zlib and PNG compute it): reflected
/// polynomial 0xEDB88320, initial value and final XOR 0xFFFFFFFF.
class Crc32 {
  public:
    void update(const unsigned char* p, std::size_t n) noexcept {
        const auto& t = crc32_tables();
        std::uint32_t c = m_state;
        for (; n >= 8; p += 8, n -= 8) {
            const std::uint32_t low = c ^ load_u32(p);
            const std::uint32_t high = load_u32(p + 4);
            c = t[7][low & 0xFF] ^ t[6][(low >> 8) & 0xFF] ^ t[5][(low >> 16) & 0xFF]
                ^ t[4][low >> 24] ^ t[3][high & 0xFF] ^ t[2][(high >> 8) & 0xFF]
                ^ t[1][(high >> 16) & 0xFF] ^ t[0][high >> 24];
        }
        for (; n > 0; ++p, --n) {
            c = (c >> 8) ^ t[0][(c ^ *p) & 0xFF];
        }
        m_state = c;
    }

    std::uint32_t value() const noexcept { return m_state ^ 0xFFFFFFFFu; }

  private:
    std::uint32_t m_state = 0xFFFFFFFFu;
};

/// The CRC-32 of `size` bytes (see Crc32).
inline std::uint32_t crc32(const void* data, std::size_t size) noexcept {
    Crc32 crc;
    crc.update(static_cast<const unsigned char*>(data), size);
    return crc.value();
}

// Scalars travel as the little-endian bytes of their IEEE 754 bit pattern,
// assembled by shifts, so the file is the same on every host.
template <class Scalar>
using scalar_bits = std::conditional_t<sizeof(Scalar) == 4, std::uint32_t, std::uint64_t>;

template <class Scalar>
void store_scalar(unsigned char* p, Scalar x) noexcept {
    static_assert(
        std::numeric_limits<Scalar>::is_iec559 && (sizeof(Scalar) == 4 || sizeof(Scalar) == 8),
        "model files hold IEEE 754 binary32 or binary64 numbers");
    scalar_bits<Scalar> bits;
    std::memcpy(&bits, &x, sizeof x);
    for (std::size_t j = 0; j < sizeof x; ++j) {
        p[j] = static_cast<unsigned char>(bits >> (8 * j));
    }
}

template <class Scalar>
Scalar load_scalar(const unsigned char* p) noexcept {
    scalar_bits<Scalar> bits = 0;
    for (std::size_t j = 0; j < sizeof(Scalar); ++j) {
        bits |= static_cast<scalar_bits<Scalar>>(p[j]) << (8 * j);
    }
    Scalar x;
    std::memcpy(&x, &bits, sizeof x);
    return x;
}

inline const char* scalar_name(std::size_t bytes) noexcept {
    return bytes == 4 ? "float" : "double";
}

/// `a` + `b` into `out`; false when the sum overflows 64 bits.
inline bool checked_add(std::uint64_t a, std::uint64_t b, std::uint64_t& out) noexcept {
    out = a + b;
    return out >= a;
}

/// `a` x `b` into `out`; false when the product overflows 64 bits.
inline bool checked_mul(std::uint64_t a, std::uint64_t b, std::uint64_t& out) noexcept {
    if (b != 0 && a > std::numeric_limits<std::uint64_t>::max() / b) {
        return false;
    }
    out = a * b;
    return true;
}

/// The fields of a model file's 64-byte header.
struct ModelHeader {
    std::uint32_t version = model_format_version;
    std::uint32_t scalar_bytes = 0;
    std::uint32_t flags = 0;
    std::uint64_t users = 0;
    std::uint64_t items = 0;
    std::uint64_t factors = 0;
    std::uint64_t file_size = 0;  // the whole file, trailing checksum included
};

/// The size of a model file of this shape whose ids are `id_bytes` bytes in
/// all; nothing when it exceeds 64 bits. With id_bytes = U + I (one byte an id,
/// the least there can be) it is the least size a file of this shape can have.
///     168 + s (1 + (U + I)(k + 1)) + (U + I) + 16 + 4 (U + I) + id_bytes + 4
inline std::optional<std::uint64_t> model_file_size(std::uint64_t scalar_bytes, std::uint64_t users,
                                                    std::uint64_t items, std::uint64_t factors,
                                                    std::uint64_t id_bytes) noexcept {
    std::uint64_t rows = 0;
    std::uint64_t scalars = 0;
    std::uint64_t size = 0;
    std::uint64_t id_lengths = 0;
    if (!checked_add(users, items, rows) || factors == std::numeric_limits<std::uint64_t>::max()
        || !checked_mul(rows, factors + 1, scalars) || !checked_add(scalars, 1, scalars)
        || !checked_mul(scalars, scalar_bytes, size) || !checked_mul(rows, 4, id_lengths)
        || !checked_add(size, model_fixed_size + 16 + 4, size) || !checked_add(size, rows, size)
        || !checked_add(size, id_lengths, size) || !checked_add(size, id_bytes, size)) {
        return std::nullopt;
    }
    return size;
}

/// The 64 header bytes, its own checksum in the last four.
inline std::array<unsigned char, model_header_size> encode_header(const ModelHeader& h) {
    std::array<unsigned char, model_header_size> out{};
    std::memcpy(out.data(), model_magic, sizeof model_magic);
    store_u32(&out[12], h.version);
    store_u32(&out[16], h.scalar_bytes);
    store_u32(&out[20], h.flags);
    store_u64(&out[24], h.users);
    store_u64(&out[32], h.items);
    store_u64(&out[40], h.factors);
    store_u64(&out[48], h.file_size);
    store_u32(&out[60], crc32(out.data(), 60));
    return out;
}

/// A model file open for reading. Opening reads and checks the header and the
/// file's size; read() then hands out the bytes that follow, in order, and
/// keeps their CRC-32.
class ModelInput {
  public:
    /// Throws mf::io_error when the file cannot be opened or read, and
    /// mf::model_error when its header is not that of a valid model file or the
    /// file's size is not the one the header gives.
    explicit ModelInput(std::string path) : m_path(std::move(path)), m_file(nullptr, &std::fclose) {
        std::error_code ec;
        if (std::filesystem::is_directory(m_path, ec)) {
            throw io_error("cannot read '" + m_path + "': it is a directory");
        }
        m_file.reset(std::fopen(m_path.c_str(), "rb"));
        if (!m_file) {
            throw io_error("cannot open '" + m_path + "': " + std::strerror(errno));
        }
        // Reads come in large blocks straight into our buffers; stdio's own
        // buffer would only add a copy.
        std::setvbuf(m_file.get(), nullptr, _IONBF, 0);
        unsigned char bytes[model_header_size];
        const std::size_t got = read_some(bytes, sizeof bytes);
        m_crc.update(bytes, got);
        m_header = decode_header(bytes, got);
        const std::uintmax_t actual = std::filesystem::file_size(m_path, ec);
        if (!ec && actual < m_header.file_size) {
            throw model_error(m_path, "truncated: it holds " + std::to_string(actual) + " of the "
                                          + std::to_string(m_header.file_size)
                                          + " bytes its header gives");
        }
        if (!ec && actual > m_header.file_size) {
            throw model_error(
                m_path, "corrupted: it holds " + std::to_string(actual) + " bytes, more than the "
                            + std::to_string(m_header.file_size) + " its header gives");
        }
    }

    const std::string& path() const noexcept { return m_path; }
    const ModelHeader& header() const noexcept { return m_header; }

    /// The next `size` bytes into `out`. Throws mf::model_error when the file
    /// ends first (it shrank after it was opened).
    void read(unsigned char* out, std::size_t size) {
        if (read_some(out, size) < size) {
            throw model_error(m_path, "truncated: it ends before the "
                                          + std::to_string(m_header.file_size)
                                          + " bytes its header gives");
        }
        m_crc.update(out, size);
        m_position += size;
    }

    /// The bytes from here to the trailing checksum.
    std::uint64_t left() const noexcept { return m_header.file_size - 4 - m_position; }

    /// Reads the trailing checksum and compares it with that of every byte
    /// before it; throws mf::model_error when they differ or bytes follow it.
    void check_checksum() {
        unsigned char trailer[4];
        if (read_some(trailer, 4) < 4) {
            read(trailer, 4);  // throws: truncated
        }
        unsigned char extra;
        if (read_some(&extra, 1) != 0) {
            throw model_error(m_path, "corrupted: it holds bytes after the "
                                          + std::to_string(m_header.file_size)
                                          + " its header gives");
        }
        if (load_u32(trailer) != m_crc.value()) {
            throw model_error(m_path, "corrupted: its checksum does not match its content");
        }
    }

  private:
    std::size_t read_some(unsigned char* out, std::size_t size) {
        std::size_t got = 0;
        while (got < size) {
            const std::size_t n = std::fread(out + got, 1, size - got, m_file.get());
            if (n == 0) {
                if (std::ferror(m_file.get())) {
                    throw io_error("cannot read '" + m_path + "': " + std::strerror(errno));
                }
                break;
            }
            got += n;
        }
        return got;
    }

    // The checks run from the most basic on, so each fault is named as what it
    // most likely is: not a model file, one of another version, then damage.
    ModelHeader decode_header(const unsigned char* bytes, std::size_t size) const {
        const std::size_t magic_size = sizeof model_magic;
        if (std::memcmp(bytes, model_magic, std::min(size, magic_size)) != 0) {
            if (size >= 8 && std::memcmp(bytes, model_magic, 8) == 0) {
                throw model_error(m_path,
                                  "not an mf model file: the line-ending bytes of its signature "
                                  "were changed (was it copied as text?)");
            }
            if (size >= magic_size && bytes[0] == (model_magic[0] & 0x7F)
                && std::memcmp(bytes + 1, model_magic + 1, magic_size - 1) == 0) {
                throw model_error(m_path,
                                  "not an mf model file: the eighth bit of its first byte was "
                                  "cleared (was it copied as 7-bit text?)");
            }
            throw model_error(m_path, "not an mf model file");
        }
        if (size < model_header_size) {
            throw model_error(
                m_path, "truncated: it holds " + std::to_string(size) + " bytes, fewer than the "
                            + std::to_string(model_header_size) + " of a model file's header");
        }
        ModelHeader h;
        h.version = load_u32(bytes + 12);
        if (h.version != model_format_version) {
            throw model_error(m_path, "model format version " + std::to_string(h.version)
                                          + " is not supported; this mf reads version "
                                          + std::to_string(model_format_version));
        }
        if (load_u32(bytes + 60) != crc32(bytes, 60)) {
            throw model_error(m_path, "corrupted: its header checksum does not match");
        }
        h.scalar_bytes = load_u32(bytes + 16);
        h.flags = load_u32(bytes + 20);
        h.users = load_u64(bytes + 24);
        h.items = load_u64(bytes + 32);
        h.factors = load_u64(bytes + 40);
        h.file_size = load_u64(bytes + 48);
        if (h.scalar_bytes != 4 && h.scalar_bytes != 8) {
            throw model_error(m_path, "invalid model: scalar size " + std::to_string(h.scalar_bytes)
                                          + " is neither 4 (float) nor 8 (double)");
        }
        if ((h.flags & ~(model_flag_biased | model_flag_scale)) != 0 || load_u32(bytes + 56) != 0) {
            throw model_error(m_path,
                              "invalid model: its header sets bits this version does not "
                              "define");
        }
        const auto least =
            model_file_size(h.scalar_bytes, h.users, h.items, h.factors, h.users + h.items);
        // xtensor holds strides as std::ptrdiff_t: a dimension beyond its range
        // would overflow them even in a model without rows.
        constexpr std::uint64_t dimension_max = std::numeric_limits<std::ptrdiff_t>::max();
        if (!least || *least > h.file_size || h.users > dimension_max || h.items > dimension_max
            || h.factors > dimension_max) {
            throw model_error(
                m_path, "invalid model: " + std::to_string(h.users) + " users, "
                            + std::to_string(h.items) + " items and " + std::to_string(h.factors)
                            + " factors cannot fit in the " + std::to_string(h.file_size)
                            + " bytes its header gives");
        }
        return h;
    }

    std::string m_path;
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> m_file;
    ModelHeader m_header;
    Crc32 m_crc;
    std::uint64_t m_position = model_header_size;  // bytes read so far
};

/// A model file being written through an AtomicFile (whole or not at all),
/// with the CRC-32 of its bytes kept as they go and appended by commit().
class ModelOutput {
  public:
    /// Creates the temporary file. Throws mf::io_error naming the target.
    explicit ModelOutput(std::string path) : m_file(std::move(path)) {}

    /// Appends `size` bytes.
    void write(const unsigned char* p, std::size_t size) {
        m_crc.update(p, size);
        m_file.write(p, size);
    }

    /// Appends `count` scalars, each as its little-endian bytes.
    template <class Scalar>
    void write_scalars(const Scalar* x, std::size_t count) {
        unsigned char chunk[4096];
        constexpr std::size_t per_chunk = sizeof chunk / sizeof(Scalar);
        while (count > 0) {
            const std::size_t n = std::min(count, per_chunk);
            for (std::size_t j = 0; j < n; ++j) {
                store_scalar(chunk + j * sizeof(Scalar), x[j]);
            }
            write(chunk, n * sizeof(Scalar));
            x += n;
            count -= n;
        }
    }

    /// Appends the CRC-32 of every byte written, puts the file on disk and
    /// renames it over the target. Throws mf::io_error naming the target.
    void commit() {
        unsigned char trailer[4];
        store_u32(trailer, m_crc.value());
        m_file.write(trailer, 4);
        m_file.commit();
    }

  private:
    AtomicFile m_file;
    Crc32 m_crc;
};

// The codes of the enums in a file, fixed whatever values the enums take.
inline int schedule_code(Schedule s) noexcept {
    return s == Schedule::decay ? 0 : s == Schedule::adagrad ? 1 : -1;
}
inline int init_code(Init i) noexcept {
    return i == Init::normal ? 0 : i == Init::uniform ? 1 : -1;
}

/// The 88 bytes of SgdOptions in a file. Throws mf::invalid_argument for an
/// enum that holds no named value.
inline std::array<unsigned char, 88> encode_options(const SgdOptions& o) {
    const int schedule = schedule_code(o.schedule);
    const int init = init_code(o.init);
    if (schedule < 0) {
        throw invalid_argument("save_model: SgdOptions::schedule holds "
                               + std::to_string(static_cast<int>(o.schedule))
                               + ", which names no mf::Schedule");
    }
    if (init < 0) {
        throw invalid_argument("save_model: SgdOptions::init holds "
                               + std::to_string(static_cast<int>(o.init))
                               + ", which names no mf::Init");
    }
    std::array<unsigned char, 88> out{};
    store_u64(&out[0], o.factors);
    store_u64(&out[8], o.epochs);
    store_u64(&out[16], o.seed);
    store_u64(&out[24], o.threads);
    store_u64(&out[32], o.blocks);
    store_scalar(&out[40], o.learning_rate);
    store_scalar(&out[48], o.learning_rate_decay);
    store_scalar(&out[56], o.reg_factors);
    store_scalar(&out[64], o.reg_biases);
    store_scalar(&out[72], o.init_std);
    out[80] = static_cast<unsigned char>(schedule);
    out[81] = static_cast<unsigned char>(init);
    out[82] = o.biases ? 1 : 0;
    out[83] = o.evaluate_train ? 1 : 0;
    return out;
}

/// SgdOptions from their 88 bytes; the first fault, if any, in `problem`.
inline SgdOptions decode_options(const unsigned char* p, std::string& problem) {
    SgdOptions o;
    constexpr std::uint64_t size_max = std::numeric_limits<std::size_t>::max();
    const auto size_field = [&](std::size_t offset, const char* name) -> std::size_t {
        const std::uint64_t v = load_u64(p + offset);
        if (v > size_max && problem.empty()) {
            problem = std::string("SgdOptions::") + name + " holds " + std::to_string(v)
                      + ", more than this platform's std::size_t";
        }
        return static_cast<std::size_t>(v);
    };
    o.factors = size_field(0, "factors");
    o.epochs = size_field(8, "epochs");
    o.seed = load_u64(p + 16);
    o.threads = size_field(24, "threads");
    o.blocks = size_field(32, "blocks");
    o.learning_rate = load_scalar<double>(p + 40);
    o.learning_rate_decay = load_scalar<double>(p + 48);
    o.reg_factors = load_scalar<double>(p + 56);
    o.reg_biases = load_scalar<double>(p + 64);
    o.init_std = load_scalar<double>(p + 72);
    const auto code = [&](std::size_t offset, const char* name, const char* what) {
        if (p[offset] > 1 && problem.empty()) {
            problem = std::string("SgdOptions::") + name + " holds " + std::to_string(p[offset])
                      + ", " + what;
        }
        return p[offset];
    };
    o.schedule = code(80, "schedule", "which names no mf::Schedule") == 0 ? Schedule::decay
                                                                          : Schedule::adagrad;
    o.init = code(81, "init", "which names no mf::Init") == 0 ? Init::normal : Init::uniform;
    o.biases = code(82, "biases", "neither 0 nor 1") == 1;
    o.evaluate_train = code(83, "evaluate_train", "neither 0 nor 1") == 1;
    if (load_u32(p + 84) != 0 && problem.empty()) {
        problem = "the options set bytes this version does not define";
    }
    return o;
}

/// Reads `count` scalars into `out`; the index of the first that is not
/// finite into `bad`, unless `bad` already holds one.
template <class Scalar>
void read_scalars(ModelInput& in, Scalar* out, std::size_t count,
                  std::vector<unsigned char>& buffer, std::optional<std::size_t>& bad) {
    const std::size_t per_read = buffer.size() / sizeof(Scalar);
    for (std::size_t done = 0; done < count;) {
        const std::size_t n = std::min(per_read, count - done);
        in.read(buffer.data(), n * sizeof(Scalar));
        bool finite = true;
        for (std::size_t j = 0; j < n; ++j) {
            out[done + j] = load_scalar<Scalar>(buffer.data() + j * sizeof(Scalar));
            finite &= std::isfinite(out[done + j]);
        }
        if (!finite && !bad) {
            for (std::size_t j = 0; j < n && !bad; ++j) {
                if (!std::isfinite(out[done + j])) {
                    bad = done + j;
                }
            }
        }
        done += n;
    }
}

/// Reads `flags.size()` known flags; the index of the first byte that is
/// neither 0 nor 1 into `bad`, unless `bad` already holds one.
inline void read_flags(ModelInput& in, xt::xtensor<bool, 1>& flags,
                       std::vector<unsigned char>& buffer, std::optional<std::size_t>& bad) {
    for (std::size_t done = 0; done < flags.size();) {
        const std::size_t n = std::min(buffer.size(), flags.size() - done);
        in.read(buffer.data(), n);
        for (std::size_t j = 0; j < n; ++j) {
            if (buffer[j] > 1 && !bad) {
                bad = done + j;
            }
            flags(done + j) = buffer[j] == 1;
        }
        done += n;
    }
}

/// Fills `ids` from the id section at `p` (`size` bytes from `offset` on):
/// a u64 count, then a u32 length and the bytes of each id. Throws
/// mf::model_error for a count other than `expected`, an id that is empty,
/// runs past the section or repeats an earlier one.
inline void decode_ids(const std::string& path, const unsigned char* p, std::size_t size,
                       std::size_t& offset, std::uint64_t expected, const char* kind, IdMap& ids) {
    const auto invalid = [&](const std::string& what) {
        return model_error(path, "invalid model: " + what);
    };
    if (size - offset < 8) {
        throw invalid(std::string("its ") + kind + " ids run past the end of the file");
    }
    const std::uint64_t count = load_u64(p + offset);
    offset += 8;
    if (count != expected) {
        throw invalid("it holds " + std::to_string(count) + " " + kind + " ids for "
                      + std::to_string(expected) + " " + kind + "s");
    }
    for (std::uint64_t j = 0; j < count; ++j) {
        const std::size_t length = size - offset < 4 ? 0 : load_u32(p + offset);
        if (size - offset < 4 || size - offset - 4 < length) {
            throw invalid(std::string(kind) + " id " + std::to_string(j)
                          + " runs past the end of the file");
        }
        if (length == 0) {
            throw invalid(std::string(kind) + " id " + std::to_string(j) + " is empty");
        }
        const std::string_view raw(reinterpret_cast<const char*>(p + offset + 4), length);
        offset += 4 + length;
        index_type index = 0;
        try {
            index = ids.insert(raw);
        } catch (const invalid_argument& e) {
            throw invalid(e.what());
        }
        if (index != j) {
            throw invalid(std::string(kind) + " id " + detail::quote(raw) + " appears twice, as "
                          + kind + " " + std::to_string(index) + " and " + std::to_string(j));
        }
    }
}

inline void write_ids(ModelOutput& out, const IdMap& ids) {
    unsigned char number[8];
    store_u64(number, ids.size());
    out.write(number, 8);
    for (std::size_t j = 0; j < ids.size(); ++j) {
        const std::string& raw = ids.raw(j);
        store_u32(number, static_cast<std::uint32_t>(raw.size()));
        out.write(number, 4);
        out.write(reinterpret_cast<const unsigned char*>(raw.data()), raw.size());
    }
}

}  // namespace detail

/// Writes `model`, the raw ids of its rows and the options it was trained with
/// to `path` (docs/model-format.md gives the layout). The bytes go to a
/// temporary file in the same folder, which replaces `path` only once it is
/// complete and on disk: a crash or a failure leaves the old file untouched,
/// and no temporary file behind unless the process itself dies.
///
/// @param path    the file to write; an existing file is replaced
/// @param model   every parameter is saved: factors, biases, μ, the biased
///                flag, which users and items are known, the rating scale
/// @param users   the raw id of each user row, users.size() == model.n_users()
/// @param items   the raw id of each item row, items.size() == model.n_items()
/// @param options the hyperparameters the model was trained with, kept as given
///
/// Throws mf::invalid_argument when the id maps do not match the model's rows,
/// a parameter is not finite (model files hold finite numbers only), or an
/// option's enum holds no named value; mf::io_error naming `path` when the file
/// cannot be written.
template <class Scalar>
void save_model(const std::string& path, const MatrixFactorization<Scalar>& model,
                const IdMap& users, const IdMap& items, const SgdOptions& options = {}) {
    if (users.size() != model.n_users() || items.size() != model.n_items()) {
        throw invalid_argument("save_model: the model has " + std::to_string(model.n_users())
                               + " users and " + std::to_string(model.n_items())
                               + " items, but the id maps hold " + std::to_string(users.size())
                               + " and " + std::to_string(items.size()) + " ids");
    }
    const auto options_bytes = detail::encode_options(options);
    const auto check_finite = [](const auto& values, const char* what, std::size_t width) {
        const Scalar* x = values.data();
        for (std::size_t j = 0; j < values.size(); ++j) {
            if (!std::isfinite(x[j])) {
                const std::string where = width == 0 ? std::to_string(j)
                                                     : "(" + std::to_string(j / width) + ", "
                                                           + std::to_string(j % width) + ")";
                throw invalid_argument(std::string("save_model: ") + what + " " + where
                                       + " is not finite; a model file holds finite numbers only");
            }
        }
    };
    if (!std::isfinite(model.global_mean())) {
        throw invalid_argument(
            "save_model: the global mean is not finite; a model file holds finite numbers only");
    }
    check_finite(model.user_factors(), "user factor", model.n_factors());
    check_finite(model.item_factors(), "item factor", model.n_factors());
    check_finite(model.user_biases(), "user bias", 0);
    check_finite(model.item_biases(), "item bias", 0);

    std::uint64_t id_bytes = 0;
    for (const IdMap* ids : {&users, &items}) {
        for (std::size_t j = 0; j < ids->size(); ++j) {
            const std::size_t length = ids->raw(j).size();
            if (length > std::numeric_limits<std::uint32_t>::max()) {
                throw invalid_argument("save_model: an id of " + std::to_string(length)
                                       + " bytes is longer than a model file can hold (2^32 - 1)");
            }
            id_bytes += length;
        }
    }
    detail::ModelHeader header;
    header.scalar_bytes = sizeof(Scalar);
    header.flags = (model.biased() ? detail::model_flag_biased : 0)
                   | (model.rating_scale() ? detail::model_flag_scale : 0);
    header.users = model.n_users();
    header.items = model.n_items();
    header.factors = model.n_factors();
    // The arrays that hold the model fit in memory, so their size fits 64 bits.
    header.file_size = *detail::model_file_size(sizeof(Scalar), header.users, header.items,
                                                header.factors, id_bytes);

    detail::ModelOutput out(path);
    const auto header_bytes = detail::encode_header(header);
    out.write(header_bytes.data(), header_bytes.size());
    out.write(options_bytes.data(), options_bytes.size());
    unsigned char scale[16] = {};
    if (const auto& s = model.rating_scale()) {
        detail::store_scalar(scale, s->min);
        detail::store_scalar(scale + 8, s->max);
    }
    out.write(scale, sizeof scale);
    const Scalar mean = model.global_mean();
    out.write_scalars(&mean, 1);
    out.write_scalars(model.user_factors().data(), model.user_factors().size());
    out.write_scalars(model.item_factors().data(), model.item_factors().size());
    out.write_scalars(model.user_biases().data(), model.user_biases().size());
    out.write_scalars(model.item_biases().data(), model.item_biases().size());
    for (const auto* known : {&model.known_users(), &model.known_items()}) {
        for (const bool flag : *known) {
            const unsigned char byte = flag ? 1 : 0;
            out.write(&byte, 1);
        }
    }
    detail::write_ids(out, users);
    detail::write_ids(out, items);
    out.commit();
}

/// Reads the header of the model file at `path`, without the rest: a program
/// can learn the scalar type before it picks load_model<float> or
/// load_model<double>. The header has a checksum of its own, which is checked,
/// as is the file's size against the one the header gives; the checksum of the
/// whole file is checked by load_model only.
///
/// Throws mf::io_error when the file cannot be opened or read, and
/// mf::model_error when it is not an mf model file, is of another format
/// version, is cut short or its header is damaged.
inline ModelFileInfo inspect_model(const std::string& path) {
    const detail::ModelInput in(path);
    const detail::ModelHeader& h = in.header();
    ModelFileInfo info;
    info.version = h.version;
    info.scalar_bytes = h.scalar_bytes;
    info.users = static_cast<std::size_t>(h.users);
    info.items = static_cast<std::size_t>(h.items);
    info.factors = static_cast<std::size_t>(h.factors);
    info.biased = (h.flags & detail::model_flag_biased) != 0;
    return info;
}

/// Reads the model file at `path`, written by save_model with the same
/// Scalar. The result is bit for bit what was saved. No part of a file that
/// fails a check is ever returned: every size is checked against the file's
/// before anything is allocated, and the checksum of the whole file before
/// the model is handed out.
///
/// Throws mf::io_error when the file cannot be opened or read, and
/// mf::model_error when it is not an mf model file, is of another format
/// version, holds the other scalar type (a float model is not converted to a
/// double one, nor back), is cut short, fails its checksum, or holds values no
/// model can have (numbers that are not finite among them).
template <class Scalar>
SavedModel<Scalar> load_model(const std::string& path) {
    static_assert(std::is_same_v<Scalar, float> || std::is_same_v<Scalar, double>,
                  "load_model reads float or double models");
    detail::ModelInput in(path);
    const detail::ModelHeader& h = in.header();
    if (h.scalar_bytes != sizeof(Scalar)) {
        const char* held = detail::scalar_name(h.scalar_bytes);
        throw model_error(path, std::string("holds a ") + held + " model, not a "
                                    + detail::scalar_name(sizeof(Scalar))
                                    + " one; load it with mf::load_model<" + held + ">");
    }
    const auto users = static_cast<std::size_t>(h.users);
    const auto items = static_cast<std::size_t>(h.items);
    const auto k = static_cast<std::size_t>(h.factors);

    // A fault found in the content waits until the checksum has been compared:
    // in a damaged file it is the damage that is reported.
    std::string problem;
    unsigned char fixed[detail::model_fixed_size - detail::model_header_size];
    in.read(fixed, sizeof fixed);
    const SgdOptions options = detail::decode_options(fixed, problem);
    std::optional<RatingScale> scale;
    if ((h.flags & detail::model_flag_scale) != 0) {
        scale = RatingScale{detail::load_scalar<double>(fixed + 88),
                            detail::load_scalar<double>(fixed + 96)};
    } else if (std::any_of(fixed + 88, fixed + 104, [](unsigned char b) { return b != 0; })) {
        problem = problem.empty() ? "it has no rating scale, yet its scale bytes are set" : problem;
    }

    using Model = MatrixFactorization<Scalar>;
    std::vector<unsigned char> buffer(
        static_cast<std::size_t>(std::min<std::uint64_t>(in.left(), std::uint64_t{1} << 20)));
    // `width` is the row length of a matrix, 0 for a vector, none for one number.
    constexpr std::size_t none = std::numeric_limits<std::size_t>::max();
    const auto read_array = [&](Scalar* data, std::size_t count, const std::string& what,
                                std::size_t width) {
        std::optional<std::size_t> bad;
        detail::read_scalars(in, data, count, buffer, bad);
        if (bad && problem.empty()) {
            const std::string where = width == none ? ""
                                      : width == 0  ? " " + std::to_string(*bad)
                                                    : " (" + std::to_string(*bad / width) + ", "
                                                         + std::to_string(*bad % width) + ")";
            problem = what + where + " is not finite";
        }
    };
    Scalar mean = 0;
    read_array(&mean, 1, "the global mean", none);
    typename Model::matrix_type p = xt::empty<Scalar>({users, k});
    typename Model::matrix_type q = xt::empty<Scalar>({items, k});
    typename Model::vector_type bu = xt::empty<Scalar>({users});
    typename Model::vector_type bi = xt::empty<Scalar>({items});
    read_array(p.data(), p.size(), "user factor", k);
    read_array(q.data(), q.size(), "item factor", k);
    read_array(bu.data(), bu.size(), "user bias", 0);
    read_array(bi.data(), bi.size(), "item bias", 0);
    typename Model::mask_type known_users = xt::empty<bool>({users});
    typename Model::mask_type known_items = xt::empty<bool>({items});
    for (auto [flags, what] : {std::pair{&known_users, "user"}, std::pair{&known_items, "item"}}) {
        std::optional<std::size_t> bad;
        detail::read_flags(in, *flags, buffer, bad);
        if (bad && problem.empty()) {
            problem = std::string("the known flag of ") + what + " " + std::to_string(*bad)
                      + " is neither 0 nor 1";
        }
    }
    // The id section is what is left before the checksum: its size is the
    // file's, already checked, so holding it whole costs no more than the file.
    std::vector<unsigned char> id_bytes(static_cast<std::size_t>(in.left()));
    in.read(id_bytes.data(), id_bytes.size());
    in.check_checksum();

    if (!problem.empty()) {
        throw model_error(path, "invalid model: " + problem);
    }
    SavedModel<Scalar> saved{Model(std::move(p), std::move(q), std::move(bu), std::move(bi), mean,
                                   (h.flags & detail::model_flag_biased) != 0),
                             IdMap(), IdMap(), options};
    saved.model.set_known(std::move(known_users), std::move(known_items));
    if (scale) {
        try {
            saved.model.set_rating_scale(*scale);
        } catch (const invalid_argument&) {
            throw model_error(path,
                              "invalid model: its rating scale is not finite with min <= max");
        }
    }
    std::size_t offset = 0;
    detail::decode_ids(path, id_bytes.data(), id_bytes.size(), offset, h.users, "user",
                       saved.users);
    detail::decode_ids(path, id_bytes.data(), id_bytes.size(), offset, h.items, "item",
                       saved.items);
    if (offset != id_bytes.size()) {
        throw model_error(path, "invalid model: " + std::to_string(id_bytes.size() - offset)
                                    + " bytes follow its item ids");
    }
    return saved;
}

}  // namespace mf

#endif  // MF_MODEL_IO_HPP
