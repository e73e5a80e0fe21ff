// Models shared with other programs: LIBMF's text model format, read and
// written, and NumPy's .npy arrays, written.
#ifndef MF_INTEROP_HPP
#define MF_INTEROP_HPP

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <limits>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>
#include <vector>

#include "mf/detail/atomic_file.hpp"
#include "mf/detail/text.hpp"
#include "mf/detail/xtensor.hpp"
#include "mf/errors.hpp"
#include "mf/model.hpp"
#include "mf/ratings.hpp"

namespace mf {

/// A model read from LIBMF's text model format (see docs/interop.md).
///
/// LIBMF keeps no ids: it numbers rows and columns from 0. So `users` maps the
/// raw id "0" to index 0, "1" to 1, and so on up to "m-1", and `items` the same
/// up to "n-1": the user of row r in a LIBMF data file is users.index("r"),
/// which is r.
template <class Scalar>
struct LibmfModel {
    /// An unbiased model with LIBMF's P, Q and global mean b: it predicts p_u · q_i
    /// for a user and an item that both had training data (T in the file), and b
    /// for any other pair, as LIBMF does.
    MatrixFactorization<Scalar> model;
    IdMap users;   ///< "0", ..., "m-1" to 0, ..., m - 1
    IdMap items;   ///< "0", ..., "n-1" to 0, ..., n - 1
    int loss = 0;  ///< LIBMF's loss code, the `f` line (0, squared error, when there is none)
};

namespace detail {

/// LIBMF keeps m, n and k, and row and column numbers, in a C int.
inline constexpr std::int64_t libmf_int_max = 2147483647;

/// Writing refuses ids that would make a LIBMF file longer than this many rows
/// per user (or item) plus libmf_spare_rows: LIBMF has a row for every number
/// up to the largest id, so one id of 2000000000 would cost two billion lines.
inline constexpr std::uint64_t libmf_rows_per_id = 16;
inline constexpr std::uint64_t libmf_spare_rows = 1024;

/// The losses whose models LIBMF predicts with as p · q (and b as the
/// fallback): squared, absolute and KL-divergence matrix factorization
/// regression (0, 1, 2) and one-class matrix factorization (10, 11, 12).
inline bool libmf_real_valued_loss(std::int64_t loss) noexcept {
    return (loss >= 0 && loss <= 2) || (loss >= 10 && loss <= 12);
}

/// LIBMF's binary classification losses (5, 6, 7): their models predict -1 or 1,
/// the sign of p · q.
inline bool libmf_classification_loss(std::int64_t loss) noexcept {
    return loss >= 5 && loss <= 7;
}

/// "1 value", "3 values".
inline std::string count_of(std::size_t count, const char* noun) {
    return std::to_string(count) + " " + noun + (count == 1 ? "" : "s");
}

/// Puts the blank-separated words of `line` into `words`.
inline void split_words(std::string_view line, std::vector<std::string_view>& words) {
    words.clear();
    std::size_t j = 0;
    while (true) {
        while (j < line.size() && is_blank(line[j])) {
            ++j;
        }
        if (j == line.size()) {
            return;
        }
        const std::size_t start = j;
        while (j < line.size() && !is_blank(line[j])) {
            ++j;
        }
        words.push_back(line.substr(start, j - start));
    }
}

/// Parses the whole of `text` as a Scalar, rounded once from the decimal: a
/// float read through a double could be rounded twice and miss the float that
/// was written. A value beyond Scalar's range comes back infinite; one too small
/// for it comes back as zero or a subnormal. False when `text` is no number.
template <class Scalar>
bool parse_scalar(std::string_view text, Scalar& value) noexcept {
    // A plus sign, as LIBMF's stream reading takes it; from_chars does not.
    if (text.size() > 1 && text[0] == '+' && text[1] != '-' && text[1] != '+') {
        text.remove_prefix(1);
    }
    if (text.empty()) {
        return false;
    }
#if defined(__cpp_lib_to_chars) && __cpp_lib_to_chars >= 201611L
    const char* const end = text.data() + text.size();
    const auto [stop, ec] = std::from_chars(text.data(), end, value);
    if (stop != end) {
        return false;
    }
    if (ec == std::errc()) {
        return true;
    }
    // Out of range: from_chars leaves `value` alone, strtod tells which way it went.
#endif
    char buffer[512];
    if (text.size() >= sizeof buffer) {
        return false;
    }
    std::memcpy(buffer, text.data(), text.size());
    buffer[text.size()] = '\0';
    char* stop_at = nullptr;
    if constexpr (std::is_same_v<Scalar, float>) {
        value = std::strtof(buffer, &stop_at);
    } else {
        value = static_cast<Scalar>(std::strtod(buffer, &stop_at));
    }
    return stop_at == buffer + text.size();
}

/// Appends `value` in the fewest digits that read back as the same Scalar (the
/// shortest round trip of std::to_chars; 9 or 17 significant digits without it).
template <class Scalar>
void append_scalar(std::string& out, Scalar value) {
    char buffer[64];
#if defined(__cpp_lib_to_chars) && __cpp_lib_to_chars >= 201611L
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    out.append(buffer, result.ptr);
#else
    constexpr int digits = std::numeric_limits<Scalar>::max_digits10;
    const int length = std::snprintf(buffer, sizeof buffer, "%.*g", digits, double(value));
    out.append(buffer, static_cast<std::size_t>(length));
#endif
}

/// Which index each row of a LIBMF file holds: row r is the user (or item)
/// whose raw id is r, and IndexTable::none where no id is r. `what` is "user"
/// or "item", `count` the model's number of them.
///
/// Throws mf::invalid_argument when the map does not hold `count` ids, when an
/// id is not a whole number LIBMF can hold, written as std::to_string writes
/// it, or when the largest id would make the file more than libmf_rows_per_id
/// rows per id plus libmf_spare_rows long.
inline std::vector<index_type> libmf_rows(const IdMap& ids, std::size_t count,
                                          const std::string& what) {
    if (ids.size() != count) {
        throw invalid_argument("write_libmf_model: the " + what + " map holds "
                               + count_of(ids.size(), "id") + " but the model has "
                               + count_of(count, what.c_str()));
    }
    std::vector<std::uint64_t> numbers(count);
    std::uint64_t rows = 0;
    for (std::size_t index = 0; index < count; ++index) {
        const std::string& raw = ids.raw(index);
        std::uint64_t number = 0;
        if (!canonical_integer(raw, number)
            || number >= static_cast<std::uint64_t>(libmf_int_max)) {
            throw invalid_argument(
                "write_libmf_model: LIBMF numbers its rows, so each " + what
                + " id must be a whole number from 0 to 2147483646 without leading zeros; got "
                + quote(raw));
        }
        numbers[index] = number;
        rows = std::max(rows, number + 1);
    }
    const std::uint64_t limit = libmf_rows_per_id * count + libmf_spare_rows;
    if (rows > limit) {
        const auto largest = std::max_element(numbers.begin(), numbers.end());
        throw invalid_argument("write_libmf_model: " + what + " id "
                               + quote(ids.raw(static_cast<std::size_t>(largest - numbers.begin())))
                               + " would make " + std::to_string(rows) + " LIBMF rows for "
                               + count_of(count, what.c_str()) + "; at most "
                               + std::to_string(limit) + " (" + std::to_string(libmf_rows_per_id)
                               + " per " + what + " plus " + std::to_string(libmf_spare_rows)
                               + ") are written, so number the " + what + "s from 0");
    }
    std::vector<index_type> order(static_cast<std::size_t>(rows), IndexTable::none);
    for (std::size_t index = 0; index < count; ++index) {
        order[static_cast<std::size_t>(numbers[index])] = static_cast<index_type>(index);
    }
    return order;
}

/// Row r of a LIBMF file for a model without id maps: index r.
inline std::vector<index_type> libmf_rows(std::size_t count, const std::string& what) {
    if (count > static_cast<std::size_t>(libmf_int_max)) {
        throw invalid_argument("write_libmf_model: the model has " + count_of(count, what.c_str())
                               + "; LIBMF holds at most 2147483647");
    }
    std::vector<index_type> order(count);
    for (std::size_t r = 0; r < count; ++r) {
        order[r] = static_cast<index_type>(r);
    }
    return order;
}

/// Writes a model to LIBMF's text format, with its users in the rows of
/// `user_rows` and its items in those of `item_rows` (see libmf_rows).
///
/// LIBMF has no biases, so a biased model folds them into two more factors,
///     p'_u = [p_u, μ + b_u, 1],  q'_i = [q_i, 1, b_i],
/// so that p'_u · q'_i = μ + b_u + b_i + p_u · q_i. A row that is not known (or
/// a gap) is written as F with zeros, as LIBMF writes its own.
template <class Scalar>
void write_libmf(const std::filesystem::path& file, const MatrixFactorization<Scalar>& model,
                 const std::vector<index_type>& user_rows,
                 const std::vector<index_type>& item_rows) {
    const std::size_t k = model.n_factors();
    const std::size_t width = model.biased() ? k + 2 : k;
    const Scalar mean = model.global_mean();
    // Room for one row. A model without rows needs none, whatever its k: a
    // file may give a huge k with no rows, and a buffer of k would not fit.
    std::vector<Scalar> values(model.n_users() + model.n_items() > 0 ? width : 0);

    // The values of one row; false when the row is written as F.
    const auto user_values = [&](index_type user) {
        if (user == IndexTable::none || !model.is_known_user(user)) {
            return false;
        }
        std::copy_n(model.user_factors().data() + std::size_t{user} * k, k, values.begin());
        if (model.biased()) {
            values[k] = mean + model.user_biases()(user);
            values[k + 1] = 1;
        }
        return true;
    };
    const auto item_values = [&](index_type item) {
        if (item == IndexTable::none || !model.is_known_item(item)) {
            return false;
        }
        std::copy_n(model.item_factors().data() + std::size_t{item} * k, k, values.begin());
        if (model.biased()) {
            values[k] = 1;
            values[k + 1] = model.item_biases()(item);
        }
        return true;
    };

    // LIBMF's reader takes finite numbers only: check all before the file is made.
    if (!std::isfinite(mean)) {
        throw invalid_argument("write_libmf_model: the global mean is not a finite number");
    }
    const auto check = [&](char prefix, const std::vector<index_type>& rows, auto row_values) {
        for (std::size_t r = 0; r < rows.size(); ++r) {
            if (row_values(rows[r]) && !std::all_of(values.begin(), values.end(), [](Scalar v) {
                    return std::isfinite(v);
                })) {
                throw invalid_argument("write_libmf_model: row '" + std::string(1, prefix)
                                       + std::to_string(r)
                                       + "' would hold a value that is not a finite number");
            }
        }
    };
    check('p', user_rows, user_values);
    check('q', item_rows, item_values);

    AtomicFile out(file.string());
    std::string text = "f 0\nm " + std::to_string(user_rows.size()) + "\nn "
                       + std::to_string(item_rows.size()) + "\nk " + std::to_string(width) + "\nb ";
    append_scalar(text, mean);
    text += '\n';
    const auto write_rows = [&](char prefix, const std::vector<index_type>& rows, auto row_values) {
        for (std::size_t r = 0; r < rows.size(); ++r) {
            text += prefix;
            text += std::to_string(r);
            if (row_values(rows[r])) {
                text += " T";
                for (const Scalar v : values) {
                    text += ' ';
                    append_scalar(text, v);
                }
            } else {
                text += " F";
                for (std::size_t f = 0; f < width; ++f) {
                    text += " 0";
                }
            }
            text += '\n';
            if (text.size() >= (std::size_t{1} << 16)) {
                out.write(text);
                text.clear();
            }
        }
    };
    write_rows('p', user_rows, user_values);
    write_rows('q', item_rows, item_values);
    out.write(text);
    out.commit();
}

/// Reads LIBMF's text model format; see read_libmf_model.
template <class Scalar>
class LibmfReader {
  public:
    explicit LibmfReader(const std::filesystem::path& file)
        : m_name(file.string()), m_lines(file, std::size_t{1} << 20) {}

    LibmfModel<Scalar> read() {
        LibmfModel<Scalar> result;

        // LIBMF writes the f line first; the example in its README starts at m.
        need("the header line 'f LOSS'");
        if (m_words[0] != "m") {
            result.loss = loss(header("f", "f LOSS' or 'm ROWS"));
            need("the header line 'm ROWS'");
        }
        const std::size_t m = dimension(header("m", "m ROWS"), "m");
        need("the header line 'n COLUMNS'");
        const std::size_t n = dimension(header("n", "n COLUMNS"), "n");
        need("the header line 'k FACTORS'");
        const std::size_t k = dimension(header("k", "k FACTORS"), "k");
        need("the header line 'b AVERAGE'");
        const std::string_view b_word = header("b", "b AVERAGE");
        Scalar b = 0;
        if (!parse_scalar(b_word, b) || !std::isfinite(b)) {
            fail(b_word, "b must be a finite number, found " + quote(b_word));
        }

        std::vector<Scalar> p;
        std::vector<Scalar> q;
        std::vector<char> user_known;
        std::vector<char> item_known;
        rows('p', m, k, p, user_known);
        rows('q', n, k, q, item_known);
        if (next()) {
            const std::string last = m + n == 0 ? std::string("the header")
                                     : n == 0   ? "row 'p" + std::to_string(m - 1) + "'"
                                                : "row 'q" + std::to_string(n - 1) + "'";
            fail("expected the end of the file after " + last + ", found " + quote(trim(m_line)));
        }

        using matrix_type = typename MatrixFactorization<Scalar>::matrix_type;
        using mask_type = typename MatrixFactorization<Scalar>::mask_type;
        matrix_type user_factors = xt::empty<Scalar>({m, k});
        matrix_type item_factors = xt::empty<Scalar>({n, k});
        std::copy(p.begin(), p.end(), user_factors.data());
        std::copy(q.begin(), q.end(), item_factors.data());
        mask_type users = xt::empty<bool>({m});
        mask_type items = xt::empty<bool>({n});
        std::copy(user_known.begin(), user_known.end(), users.begin());
        std::copy(item_known.begin(), item_known.end(), items.begin());
        result.model =
            MatrixFactorization<Scalar>(std::move(user_factors), std::move(item_factors),
                                        xt::zeros<Scalar>({m}), xt::zeros<Scalar>({n}), b, false);
        result.model.set_known(std::move(users), std::move(items));
        for (std::size_t r = 0; r < m; ++r) {
            insert_canonical(result.users, r);
        }
        for (std::size_t c = 0; c < n; ++c) {
            insert_canonical(result.items, c);
        }
        return result;
    }

  private:
    // The next line that is not blank, split into m_words; false at the end.
    bool next() {
        while (m_lines.next(m_line)) {
            split_words(m_line, m_words);
            if (!m_words.empty()) {
                return true;
            }
        }
        return false;
    }

    // next(), or a parse_error saying `what` was expected where the file ends.
    void need(const std::string& what) {
        if (!next()) {
            throw parse_error(m_name, m_lines.number() + 1,
                              "expected " + what + ", found the end of the file");
        }
    }

    [[noreturn]] void fail(const std::string& what) const {
        throw parse_error(m_name, m_lines.number(), what);
    }

    // A fault of one word of the line: the message gives its column.
    [[noreturn]] void fail(std::string_view word, const std::string& what) const {
        throw parse_error(m_name, m_lines.number(),
                          static_cast<std::size_t>(word.data() - m_line.data()) + 1, what);
    }

    // The value of the header line `key VALUE` that the current line must be.
    std::string_view header(std::string_view key, const std::string& form) const {
        if (m_words.size() != 2 || m_words[0] != key) {
            fail("expected the header line '" + form + "', found " + quote(trim(m_line)));
        }
        return m_words[1];
    }

    // The value of m, n or k: a count that fits LIBMF's int.
    std::size_t dimension(std::string_view word, const char* key) const {
        std::int64_t value = 0;
        if (!parse_integer(word, value) || value < 0 || value > libmf_int_max) {
            fail(word, std::string(key) + " must be a whole number from 0 to 2147483647, found "
                           + quote(word));
        }
        return static_cast<std::size_t>(value);
    }

    int loss(std::string_view word) const {
        std::int64_t value = 0;
        if (!parse_integer(word, value)) {
            fail(word, "f must be a whole number, found " + quote(word));
        }
        if (libmf_classification_loss(value)) {
            fail(word, "loss " + std::to_string(value)
                           + " is a binary classification loss: LIBMF predicts -1 or 1 with it, "
                             "which an mf model cannot; mf reads the losses 0, 1, 2, 10, 11 "
                             "and 12");
        }
        if (!libmf_real_valued_loss(value)) {
            fail(word, "unknown loss " + quote(word)
                           + "; LIBMF's losses are 0, 1, 2, 5, 6, 7, 10, 11 and 12");
        }
        return static_cast<int>(value);
    }

    // The `count` rows `prefix`0 ... of k values each: their values go to
    // `values` (zeros for an F row, whose values LIBMF ignores) and whether
    // each is T to `known`.
    void rows(char prefix, std::size_t count, std::size_t k, std::vector<Scalar>& values,
              std::vector<char>& known) {
        // Reserve no more than a bounded amount: a header may promise rows the
        // file does not hold.
        values.reserve(static_cast<std::size_t>(
            std::min<std::uint64_t>(std::uint64_t{count} * k, std::uint64_t{1} << 24)));
        known.reserve(std::min<std::size_t>(count, std::size_t{1} << 24));
        std::string label(1, prefix);
        for (std::size_t r = 0; r < count; ++r) {
            label.resize(1);
            label += std::to_string(r);
            need("row '" + label + "'");
            if (m_words[0] != label) {
                fail(m_words[0], "expected row '" + label + "', found " + quote(m_words[0]));
            }
            if (m_words.size() < 2) {
                fail("expected T or F after '" + label + "', found the end of the line");
            }
            const std::string_view flag = m_words[1];
            if (flag != "T" && flag != "F") {
                fail(flag, "expected T or F after '" + label + "', found " + quote(flag));
            }
            if (m_words.size() - 2 != k) {
                fail("expected " + count_of(k, "value") + " after '" + label + ' '
                     + std::string(flag) + "', found " + std::to_string(m_words.size() - 2));
            }
            const bool is_known = flag == "T";
            known.push_back(is_known);
            for (std::size_t j = 2; j < m_words.size(); ++j) {
                values.push_back(is_known ? known_value(m_words[j]) : unknown_value(m_words[j]));
            }
        }
    }

    Scalar known_value(std::string_view word) const {
        Scalar value = 0;
        if (parse_scalar(word, value) && std::isfinite(value)) {
            return value;
        }
        double wide = 0;
        if (std::is_same_v<Scalar, float> && parse_number(word, wide) && std::isfinite(wide)) {
            fail(word, "value " + quote(word) + " is beyond the range of a float");
        }
        fail(word, "value " + quote(word) + " is not a finite number");
    }

    // LIBMF writes zeros in an F row and reads them as NaN: any number will do.
    Scalar unknown_value(std::string_view word) const {
        double ignored = 0;
        if (!parse_number(word, ignored)) {
            fail(word, "value " + quote(word) + " is not a number");
        }
        return 0;
    }

    std::string m_name;
    FileLines m_lines;
    std::string_view m_line;
    std::vector<std::string_view> m_words;
};

}  // namespace detail

/// Reads a model in LIBMF's text format (what LIBMF's mf_save_model and
/// mf-train write): the header lines `f LOSS` (optional), `m ROWS`,
/// `n COLUMNS`, `k FACTORS` and `b AVERAGE`, then one line `p<r> T|F v1 ... vk`
/// for each row r = 0..m-1 and one `q<c> T|F ...` for each column. The result's
/// model predicts what LIBMF's mf_predict does: p · q for two T rows, b for
/// anything else (see LibmfModel). Lines may end in LF, CRLF or CR; blank lines
/// are ignored; a gzip-compressed file reads as its content when mf is built
/// with zlib.
///
/// @tparam Scalar float (what LIBMF keeps) or double.
/// @param file the model file.
/// Throws mf::io_error when the file cannot be read, and mf::parse_error
/// (`FILE:LINE[:COLUMN]: what`) for a header line out of place or with a bad
/// value, a loss LIBMF predicts signs with (5, 6, 7) or one it lacks, a row
/// missing, out of order or with a flag other than T or F, a row with other
/// than k values, a value of a T row that is not a finite number (or beyond
/// the range of a float), and anything after the last row.
template <class Scalar>
LibmfModel<Scalar> read_libmf_model(const std::filesystem::path& file) {
    static_assert(std::is_floating_point_v<Scalar>, "read_libmf_model needs float or double");
    return detail::LibmfReader<Scalar>(file).read();
}

/// Writes `model` in LIBMF's text format, for LIBMF's mf_load_model and
/// mf-predict, with loss code 0 (squared error, which mf trains with) and
/// b = μ. LIBMF numbers its rows, so the user whose raw id is "r" goes to row r
/// (and items likewise); rows no id fills are written as F, without data. A
/// biased model gets k + 2 factors: its biases folded in as
///     p'_u = [p_u, μ + b_u, 1],  q'_i = [q_i, 1, b_i],
/// so that LIBMF's p'_u · q'_i = μ + b_u + b_i + p_u · q_i. A user or item the
/// model does not know is written as F. Values are written in the fewest
/// digits that read back as the same Scalar. The rating scale is not written.
///
/// @param file the file to write: written whole or not at all, through a temporary
///             file renamed over it; a device, pipe or folder there is refused.
/// @param model the model.
/// @param users,items the id maps of the model's users and items: one id each,
///   every id a whole number from 0 to 2147483646 written as std::to_string
///   writes it.
/// Throws mf::invalid_argument when a map's size differs from the model's, for
/// the first id that is not such a number, when the largest id would make more
/// than 16 rows per user (or item) plus 1024, and when a value to be written is
/// not finite; mf::io_error when the file cannot be created or written.
template <class Scalar>
void write_libmf_model(const std::filesystem::path& file, const MatrixFactorization<Scalar>& model,
                       const IdMap& users, const IdMap& items) {
    detail::write_libmf(file, model, detail::libmf_rows(users, model.n_users(), "user"),
                        detail::libmf_rows(items, model.n_items(), "item"));
}

/// As above, for a model without id maps: user index u goes to row u, item
/// index i to column i.
template <class Scalar>
void write_libmf_model(const std::filesystem::path& file,
                       const MatrixFactorization<Scalar>& model) {
    detail::write_libmf(file, model, detail::libmf_rows(model.n_users(), "user"),
                        detail::libmf_rows(model.n_items(), "item"));
}

namespace detail {

/// NumPy's name of an element type, in the machine's byte order ('<' on x86
/// and ARM): '<f4', '<f8', '|b1', '<u4', ...
template <class T>
std::string npy_descr() {
    static_assert(std::is_arithmetic_v<T>, "save_npy writes arrays of numbers or bools");
    if constexpr (std::is_same_v<T, bool>) {
        return "|b1";
    } else {
        const std::uint16_t probe = 1;
        unsigned char first = 0;
        std::memcpy(&first, &probe, 1);
        const char order = sizeof(T) == 1 ? '|' : first == 1 ? '<' : '>';
        const char kind = std::is_floating_point_v<T> ? 'f' : std::is_signed_v<T> ? 'i' : 'u';
        return std::string{order, kind} + std::to_string(sizeof(T));
    }
}

/// The .npy version 1.0 header of a row-major array: the magic, the version,
/// the header's length, then a Python dict literal padded with spaces and
/// ended by '\n' so that the data starts at a multiple of 64 bytes.
inline std::string npy_header(const std::string& descr, const std::size_t* shape,
                              std::size_t rank) {
    std::string dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (";
    for (std::size_t d = 0; d < rank; ++d) {
        dict += (d == 0 ? "" : ", ") + std::to_string(shape[d]);
    }
    dict += rank == 1 ? ",), }" : "), }";
    const std::size_t unpadded = 10 + dict.size() + 1;
    dict.append((64 - unpadded % 64) % 64, ' ');
    dict += '\n';
    const std::size_t length = dict.size();
    std::string out = "\x93NUMPY\x01";
    out += '\0';
    out += static_cast<char>(length & 0xFF);
    out += static_cast<char>(length >> 8);
    return out + dict;
}

}  // namespace detail

/// Writes `array` to `file` in NumPy's .npy format (version 1.0, row-major, the
/// machine's byte order: '<f4' for float and '<f8' for double on x86 and ARM),
/// for numpy.load; xt::load_npy reads it back too.
///
/// @param file the file to write: written whole or not at all, through a temporary
///             file renamed over it; a device, pipe or folder there is refused.
/// @param array the array: floating-point, integer or bool, of any rank.
/// Throws mf::io_error naming the file when it cannot be created or written.
template <class T, std::size_t N>
void save_npy(const std::filesystem::path& file, const xt::xtensor<T, N>& array) {
    const auto& shape = array.shape();
    const std::string header = detail::npy_header(detail::npy_descr<T>(), shape.data(), N);
    detail::AtomicFile out(file.string());
    out.write(header);
    // xtensor<bool> stores one byte a flag, as NumPy's '|b1' does.
    out.write(
        std::string_view(reinterpret_cast<const char*>(array.data()), array.size() * sizeof(T)));
    out.commit();
}

/// Writes the arrays of `model` as .npy files named `prefix` followed by
/// user_factors.npy (P, users x k), item_factors.npy (Q, items x k),
/// user_biases.npy, item_biases.npy, global_mean.npy (μ, 0-dimensional),
/// biased.npy (0-dimensional bool), known_users.npy and known_items.npy (bool):
/// all that predict() needs. A prefix of "out/" writes out/user_factors.npy, one
/// of "out/ml_" out/ml_user_factors.npy; the folder must exist.
///
/// Throws mf::io_error naming the file that cannot be created or written.
template <class Scalar>
void save_factors_npy(const std::string& prefix, const MatrixFactorization<Scalar>& model) {
    save_npy(prefix + "user_factors.npy", model.user_factors());
    save_npy(prefix + "item_factors.npy", model.item_factors());
    save_npy(prefix + "user_biases.npy", model.user_biases());
    save_npy(prefix + "item_biases.npy", model.item_biases());
    xt::xtensor<Scalar, 0> mean = xt::zeros<Scalar>(std::array<std::size_t, 0>{});
    mean() = model.global_mean();
    save_npy(prefix + "global_mean.npy", mean);
    xt::xtensor<bool, 0> biased = xt::zeros<bool>(std::array<std::size_t, 0>{});
    biased() = model.biased();
    save_npy(prefix + "biased.npy", biased);
    save_npy(prefix + "known_users.npy", model.known_users());
    save_npy(prefix + "known_items.npy", model.known_items());
}

}  // namespace mf

#endif  // MF_INTEROP_HPP
