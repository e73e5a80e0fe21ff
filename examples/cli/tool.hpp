// What the commands of the mf tool share: reading ratings files as the user
// asked, the training options, and the lines that report what was read. Part
// of the tool, not of the library.
#ifndef MF_CLI_TOOL_HPP
#define MF_CLI_TOOL_HPP

#include <mf/mf.hpp>

#include <cstddef>
#include <filesystem>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "arguments.hpp"
#include "json_line.hpp"
#include "timing.hpp"

namespace cli {

using example::Arguments;
using example::Clock;
using example::fixed;
using example::seconds_since;
using example::UsageError;

/// The commands, each run with the whole command line (argv[1] is its name).
/// They print their report on std::cout and return the exit status; a
/// UsageError or an exception ends them, for main() to report.
int train_command(int argc, const char* const* argv);
int generate_command(int argc, const char* const* argv);
int cv_command(int argc, const char* const* argv);
int predict_command(int argc, const char* const* argv);
int recommend_command(int argc, const char* const* argv);
int evaluate_command(int argc, const char* const* argv);

/// The most memory the process has held so far, in MiB; NaN where unknown.
double peak_rss_mib();

/// "1 line", "2 lines".
std::string count_of(std::size_t n, const char* noun);

/// "[0.5, 5]".
std::string scale_text(const mf::RatingScale& scale);

/// "decay" or "adagrad".
std::string schedule_name(mf::Schedule schedule);

/// How the ratings files of a command are read: the options that --format,
/// --test-format, --scale, --duplicates, --bad-lines and the options of
/// delimited text set.
struct DataOptions {
    mf::ReadOptions read;                         ///< how the main file is read
    std::optional<mf::Format> test_format;        ///< --test-format; else the main file's format
    std::optional<std::string> delimited_option;  ///< the first option for delimited text given

    /// Takes `option` (and its value) when it is one of the above; false otherwise.
    bool parse(std::string_view option, Arguments& arguments);

    /// Throws UsageError for options that cannot go together or are out of range.
    /// `test_file`: whether the command has a test file for --test-format.
    void validate(bool test_file) const;

    /// The options a test file is read with: --test-format's, or the format
    /// found for the main file (with its separator, when that was detected too),
    /// so both files are read alike; the other options as given.
    mf::ReadOptions test_options(const mf::ReadReport& main) const;

    /// The --help text of these options.
    static std::string usage(bool test_file);
};

/// Takes `option` (and its value) when it sets an mf::SgdOptions field; false otherwise.
bool parse_sgd_option(std::string_view option, Arguments& arguments, mf::SgdOptions& sgd);

/// The --help text of the training options, with the defaults of `defaults`.
std::string sgd_usage(const mf::SgdOptions& defaults);

/// The tool's training defaults: mf::SgdOptions{} but for the per-epoch MSE on
/// the training set, which costs a third of an epoch; the tool shows the mean
/// loss of the epoch's steps instead unless --evaluate-train asks for it.
mf::SgdOptions default_sgd();

/// A file name given to `option`, refused when empty.
std::filesystem::path parse_file(std::string_view option, Arguments& arguments);

/// Takes the current argument as the command's file `what` (TRAIN, TEST)
/// when it is no option and that file is not given yet; false otherwise.
bool parse_positional_file(Arguments& arguments, const char* what, std::filesystem::path& file);

/// Whether `a` and `b` name the same file: the same file on disk (a hard link
/// too), or, for a file not made yet, the same absolute path however spelled.
bool same_file(const std::filesystem::path& a, const std::filesystem::path& b);

/// Throws UsageError when the output `file` given to `option` is a folder, is one of
/// `inputs` (null entries aside), `what` naming them in the message ("a
/// ratings file"), or lies in a folder that does not exist: checked before the
/// work, which either would waste.
void check_output_file(std::string_view option, const std::filesystem::path& file,
                       std::initializer_list<const std::filesystem::path*> inputs,
                       const char* what);

/// Throws UsageError, with the library's message, for training options out of range.
void check_sgd(const mf::SgdOptions& sgd);

/// A ratings file read through shared id maps, and how.
struct Loaded {
    mf::Ratings ratings;
    mf::ReadReport report;
    double seconds = 0.0;
};

Loaded load(const std::filesystem::path& file, const mf::ReadOptions& read, mf::IdMap& users,
            mf::IdMap& items);

/// What was read and how, such as `train: ratings.csv (movielens-csv, detected:
/// ...): 100 ratings, 2 duplicates dropped, 1 line skipped (line 7: ...), read in 0.010 s`.
/// `inherited`: the format was the main file's, not named or detected for this file.
void print_loaded(const char* what, const std::filesystem::path& file, const Loaded& loaded,
                  const mf::ReadOptions& read, bool inherited);

/// The JSON keys of a read report: format, detection, duplicates, skipped_lines,
/// each after `prefix` ("" or "test_").
void add_read_report(example::JsonLine& json, const std::string& prefix,
                     const mf::ReadReport& report);

/// The JSON keys of the training options: factors, epochs, threads, blocks,
/// schedule, learning_rate, learning_rate_decay, reg_factors, reg_biases, seed.
void add_sgd_options(example::JsonLine& json, const mf::SgdOptions& sgd);

}  // namespace cli

#endif  // MF_CLI_TOOL_HPP
