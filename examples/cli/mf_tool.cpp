// mf: matrix factorization from the command line.
//
//   mf train TRAIN [--test TEST] [-k N] [--epochs N] [--threads N] [--json] ...
//   mf cv TRAIN [--folds 5] ...
//   mf generate --out-train FILE [--out-test FILE --test-fraction X] ...
//
// `train` reads a ratings file (MovieLens, LIBMF or any delimited text), trains
// a model with mf::SgdTrainer and reports the error after each epoch, cold users
// and items of the test file included; `cv` cross-validates the same training;
// `generate` writes synthetic ratings with a known structure. See docs/tool.md.
#include <cerrno>
#include <cstring>
#include <exception>
#include <iostream>
#include <new>
#include <string>
#include <string_view>

#include "tool.hpp"

namespace {

struct Command {
    const char* name;
    int (*run)(int argc, const char* const* argv);
    const char* summary;
};

constexpr Command commands[] = {
    {"train", cli::train_command, "train a model on a ratings file and report its error"},
    {"cv", cli::cv_command, "cross-validate the training on k folds of a ratings file"},
    {"predict", cli::predict_command, "predict the ratings of a file with a saved model"},
    {"recommend", cli::recommend_command, "the top items for users, from a saved model"},
    {"evaluate", cli::evaluate_command, "rating and ranking metrics of a saved model"},
    {"generate", cli::generate_command, "write a synthetic ratings set"},
};

std::string usage() {
    std::string text =
        "Usage: mf COMMAND [OPTIONS]\n"
        "\n"
        "Matrix factorization from the command line, with the mf library.\n"
        "\n"
        "Commands:\n";
    for (const Command& command : commands) {
        text += "  " + std::string(command.name) + std::string(11 - std::strlen(command.name), ' ')
                + command.summary + '\n';
    }
    text += "\nRun 'mf COMMAND --help' for the options of a command.\n";
    return text;
}

/// "train, cv or generate".
std::string command_names() {
    std::string names;
    const std::size_t n = std::size(commands);
    for (std::size_t j = 0; j < n; ++j) {
        names += (j == 0 ? "" : j + 1 == n ? " or " : ", ") + std::string(commands[j].name);
    }
    return names;
}

/// The exit status of a command that returned `status`: 1 when its output
/// could not be written (a full disk, a closed pipe), since a script reading
/// the JSON line would otherwise take a missing line for success.
int written(int status) {
    std::cout.flush();
    if (!std::cout) {
        std::cerr << "mf: cannot write the output: " << std::strerror(errno) << '\n';
        return 1;
    }
    return status;
}

int run(int argc, char** argv) {
    const std::string_view name = argc > 1 ? argv[1] : "";
    const Command* command = nullptr;
    for (const Command& c : commands) {
        if (name == c.name) {
            command = &c;
        }
    }
    const std::string help_hint =
        command ? "'mf " + std::string(name) + " --help'" : std::string("'mf --help'");
    try {
        if (name == "--help" || name == "-h") {
            std::cout << usage();
            return 0;
        }
        if (!command) {
            throw cli::UsageError(name.empty()
                                      ? "no command given; expected " + command_names()
                                      : "unknown command " + cli::Arguments::in_quotes(name)
                                            + "; expected " + command_names());
        }
        return command->run(argc, argv);
    } catch (const cli::UsageError& e) {
        std::cerr << "mf: " << mf::detail::printable(e.what()) << "; see " << help_hint << '\n';
        return 2;
    } catch (const std::bad_alloc&) {
        std::cerr << "mf: out of memory\n";
        return 1;
    } catch (const std::exception& e) {
        // mf::error (io_error, parse_error "FILE:LINE: what", training_error) and
        // mf::invalid_argument both derive from std::exception.
        std::cerr << "mf: " << mf::detail::printable(e.what()) << '\n';
        return 1;
    }
}

}  // namespace

int main(int argc, char** argv) {
    return written(run(argc, argv));
}
