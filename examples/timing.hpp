// Wall-clock timing and fixed-point numbers for the example programs' reports.
// Part of the examples, not of the library.
#ifndef MF_EXAMPLES_TIMING_HPP
#define MF_EXAMPLES_TIMING_HPP

#include <chrono>
#include <iomanip>
#include <sstream>
#include <string>

namespace example {

using Clock = std::chrono::steady_clock;

inline double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

/// `value` with `decimals` digits after the point.
inline std::string fixed(double value, int decimals) {
    std::ostringstream text;
    text << std::fixed << std::setprecision(decimals) << value;
    return text.str();
}

}  // namespace example

#endif  // MF_EXAMPLES_TIMING_HPP
