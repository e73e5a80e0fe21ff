// Where the movielens_100k example looks for MovieLens 100k. Part of the
// example, not of the library.
#ifndef MF_EXAMPLES_DATA_LOCATION_HPP
#define MF_EXAMPLES_DATA_LOCATION_HPP

#include <cstdlib>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

namespace example {

/// The folders searched, in order, when neither --data nor MF_DATA_DIR names
/// one: data/ml-100k in the working directory, then `download_dir` (where
/// configuring downloads the data set) unless it is empty.
inline std::vector<std::filesystem::path> default_data_dirs(const std::string& download_dir) {
    std::vector<std::filesystem::path> dirs{"data/ml-100k"};
    if (!download_dir.empty()) {
        dirs.emplace_back(download_dir);
    }
    return dirs;
}

inline bool holds_ratings(const std::filesystem::path& dir) {
    std::error_code ignored;
    return std::filesystem::is_regular_file(dir / "u.data", ignored);
}

namespace detail {

/// `dir`, which the user named through `source`. A folder the user asked for
/// must hold the data: quietly falling back to another would mislead.
inline std::filesystem::path required_data_dir(const std::string& source,
                                               const std::filesystem::path& dir) {
    if (!holds_ratings(dir)) {
        std::error_code ignored;
        const bool exists = std::filesystem::is_directory(dir, ignored);
        throw std::runtime_error(source + ": '" + dir.string() + "' holds no u.data"
                                 + (exists ? "" : " (no such folder)"));
    }
    return dir;
}

}  // namespace detail

/// The MovieLens folder: `data_option` (--data), else $MF_DATA_DIR, else the
/// first default folder that holds u.data; nothing when none does. Throws
/// std::runtime_error when --data or MF_DATA_DIR names a folder without u.data.
inline std::optional<std::filesystem::path> find_movielens(
    const std::optional<std::filesystem::path>& data_option, const std::string& download_dir) {
    if (data_option) {
        return detail::required_data_dir("--data", *data_option);
    }
    if (const char* env = std::getenv("MF_DATA_DIR"); env != nullptr && *env != '\0') {
        return detail::required_data_dir("MF_DATA_DIR", env);
    }
    for (const std::filesystem::path& dir : default_data_dirs(download_dir)) {
        if (holds_ratings(dir)) {
            return dir;
        }
    }
    return std::nullopt;
}

}  // namespace example

#endif  // MF_EXAMPLES_DATA_LOCATION_HPP
