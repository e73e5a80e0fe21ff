// Two small chart writers for the example: a line chart and a bar chart as
// self-contained SVG files that any browser opens. Not part of the library.
#ifndef MF_EXAMPLES_SVG_PLOT_HPP
#define MF_EXAMPLES_SVG_PLOT_HPP

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace plot {

struct Series {
    std::string label;
    std::vector<double> y;  ///< one value per x; NaN values are left out
    std::string color;
};

struct Labels {
    std::string title;
    std::string x;
    std::string y;
};

namespace detail {

constexpr double width = 720;
constexpr double height = 440;
constexpr double left = 80;
constexpr double right = 24;
constexpr double top = 48;
constexpr double bottom = 64;

inline std::string escape(const std::string& text) {
    std::string out;
    for (const char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

/// Tick positions covering [lo, hi] at a step of 1, 2 or 5 times a power of ten.
inline std::vector<double> ticks(double lo, double hi, int wanted = 6) {
    const double raw = (hi - lo) / wanted;
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    double step = magnitude;
    for (const double m : {1.0, 2.0, 5.0, 10.0}) {
        step = m * magnitude;
        if (step >= raw) {
            break;
        }
    }
    std::vector<double> out;
    for (double t = std::ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) {
        out.push_back(std::abs(t) < step * 1e-9 ? 0.0 : t);
    }
    return out;
}

inline std::string number(double value) {
    std::ostringstream out;
    out << value;
    return out.str();
}

/// Frame, title and axis labels; the caller draws inside [left, width - right] x [top, height -
/// bottom].
inline void open(std::ostream& svg, const Labels& labels) {
    svg << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width << "\" height=\"" << height
        << "\" viewBox=\"0 0 " << width << ' ' << height
        << "\" font-family=\"sans-serif\" font-size=\"12\">\n"
        << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        << "<text x=\"" << width / 2 << "\" y=\"28\" text-anchor=\"middle\" font-size=\"16\">"
        << escape(labels.title) << "</text>\n"
        << "<text x=\"" << (left + width - right) / 2 << "\" y=\"" << height - 16
        << "\" text-anchor=\"middle\">" << escape(labels.x) << "</text>\n"
        << "<text transform=\"translate(20 " << (top + height - bottom) / 2
        << ") rotate(-90)\" text-anchor=\"middle\">" << escape(labels.y) << "</text>\n"
        << "<rect x=\"" << left << "\" y=\"" << top << "\" width=\"" << width - left - right
        << "\" height=\"" << height - top - bottom << "\" fill=\"none\" stroke=\"#444\"/>\n";
}

inline void save(const std::filesystem::path& file, const std::string& content) {
    std::ofstream out(file, std::ios::binary);
    out << content;
    if (!out.flush()) {
        throw std::runtime_error("cannot write '" + file.string() + "'");
    }
}

}  // namespace detail

/// Writes the series as lines over x, with a legend, to `file`.
/// Throws std::runtime_error when the file cannot be written.
inline void line_chart(const std::filesystem::path& file, const Labels& labels,
                       const std::vector<double>& x, const std::vector<Series>& series) {
    using namespace detail;
    double y_lo = INFINITY;
    double y_hi = -INFINITY;
    for (const Series& s : series) {
        for (const double y : s.y) {
            if (std::isfinite(y)) {
                y_lo = std::min(y_lo, y);
                y_hi = std::max(y_hi, y);
            }
        }
    }
    if (!(y_lo <= y_hi) || x.empty()) {
        y_lo = 0;
        y_hi = 1;
    }
    const double pad = std::max((y_hi - y_lo) * 0.05, 1e-6);
    y_lo -= pad;
    y_hi += pad;
    const double x_lo = x.empty() ? 0.0 : x.front();
    const double x_hi = x.empty() || x.back() == x.front() ? x_lo + 1 : x.back();
    const auto px = [&](double v) {
        return left + (v - x_lo) / (x_hi - x_lo) * (width - left - right);
    };
    const auto py = [&](double v) {
        return height - bottom - (v - y_lo) / (y_hi - y_lo) * (height - top - bottom);
    };

    std::ostringstream svg;
    open(svg, labels);
    for (const double t : ticks(x_lo, x_hi)) {
        svg << "<line x1=\"" << px(t) << "\" x2=\"" << px(t) << "\" y1=\"" << height - bottom
            << "\" y2=\"" << height - bottom + 5 << "\" stroke=\"#444\"/>"
            << "<text x=\"" << px(t) << "\" y=\"" << height - bottom + 18
            << "\" text-anchor=\"middle\">" << number(t) << "</text>\n";
    }
    for (const double t : ticks(y_lo, y_hi)) {
        svg << "<line x1=\"" << left << "\" x2=\"" << width - right << "\" y1=\"" << py(t)
            << "\" y2=\"" << py(t) << "\" stroke=\"#ddd\"/>"
            << "<text x=\"" << left - 6 << "\" y=\"" << py(t) + 4 << "\" text-anchor=\"end\">"
            << number(t) << "</text>\n";
    }
    for (std::size_t s = 0; s < series.size(); ++s) {
        svg << "<polyline fill=\"none\" stroke-width=\"2\" stroke=\"" << series[s].color
            << "\" points=\"";
        for (std::size_t j = 0; j < x.size() && j < series[s].y.size(); ++j) {
            if (std::isfinite(series[s].y[j])) {
                svg << px(x[j]) << ',' << py(series[s].y[j]) << ' ';
            }
        }
        const double legend_y = top + 18 + 18 * static_cast<double>(s);
        svg << "\"/>\n<line x1=\"" << width - right - 150 << "\" x2=\"" << width - right - 126
            << "\" y1=\"" << legend_y - 4 << "\" y2=\"" << legend_y - 4 << "\" stroke=\""
            << series[s].color << "\" stroke-width=\"2\"/><text x=\"" << width - right - 120
            << "\" y=\"" << legend_y << "\">" << escape(series[s].label) << "</text>\n";
    }
    svg << "</svg>\n";
    save(file, svg.str());
}

/// Writes one bar per category, with its value above it, to `file`.
/// Throws std::runtime_error when the file cannot be written.
inline void bar_chart(const std::filesystem::path& file, const Labels& labels,
                      const std::vector<std::string>& categories,
                      const std::vector<double>& values) {
    using namespace detail;
    double y_hi = 0;
    for (const double v : values) {
        y_hi = std::max(y_hi, v);
    }
    y_hi = y_hi > 0 ? y_hi * 1.1 : 1;
    const double slot =
        (width - left - right) / static_cast<double>(std::max<std::size_t>(categories.size(), 1));
    const auto py = [&](double v) { return height - bottom - v / y_hi * (height - top - bottom); };

    std::ostringstream svg;
    open(svg, labels);
    for (const double t : ticks(0, y_hi)) {
        svg << "<line x1=\"" << left << "\" x2=\"" << width - right << "\" y1=\"" << py(t)
            << "\" y2=\"" << py(t) << "\" stroke=\"#ddd\"/>"
            << "<text x=\"" << left - 6 << "\" y=\"" << py(t) + 4 << "\" text-anchor=\"end\">"
            << number(t) << "</text>\n";
    }
    for (std::size_t c = 0; c < categories.size() && c < values.size(); ++c) {
        const double x = left + slot * static_cast<double>(c);
        svg << "<rect x=\"" << x + slot * 0.15 << "\" y=\"" << py(values[c]) << "\" width=\""
            << slot * 0.7 << "\" height=\"" << height - bottom - py(values[c])
            << "\" fill=\"#4878a8\"/>"
            << "<text x=\"" << x + slot / 2 << "\" y=\"" << py(values[c]) - 6
            << "\" text-anchor=\"middle\">" << number(values[c]) << "</text>"
            << "<text x=\"" << x + slot / 2 << "\" y=\"" << height - bottom + 18
            << "\" text-anchor=\"middle\">" << escape(categories[c]) << "</text>\n";
    }
    svg << "</svg>\n";
    save(file, svg.str());
}

}  // namespace plot

#endif  // MF_EXAMPLES_SVG_PLOT_HPP
