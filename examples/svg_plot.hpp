// A small writer of SVG line and bar charts for the examples: axes with ticks
// and labels, a title and a legend, in one self-contained file that any browser
// shows. Part of the examples, not of the library.
#ifndef MF_EXAMPLES_SVG_PLOT_HPP
#define MF_EXAMPLES_SVG_PLOT_HPP

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <iomanip>
#include <limits>
#include <locale>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace svg_plot {

/// One named curve of a line chart.
struct Series {
    std::string name;
    std::vector<double> values;  ///< y at each x of the chart; a non-finite value leaves a gap
};

/// Curves over a shared x axis, with a legend naming each.
struct LineChart {
    std::string title;
    std::string subtitle;  ///< a smaller line under the title; may be empty
    std::string x_label;
    std::string y_label;
    std::vector<double> x;
    std::vector<Series> series;
};

/// One bar per category, its value printed above it.
struct BarChart {
    std::string title;
    std::string subtitle;  ///< a smaller line under the title; may be empty
    std::string x_label;
    std::string y_label;
    std::vector<std::string> categories;
    std::vector<double> values;  ///< one per category, at least 0
};

namespace detail {

inline constexpr double width = 760;
inline constexpr double height = 460;
inline constexpr double left = 84;  // room for the y tick labels and the y label
inline constexpr double right = width - 24;
inline constexpr double top = 64;  // room for the title and the subtitle
inline constexpr double bottom = height - 62;
inline constexpr std::array<const char*, 4> colours{"#1f77b4", "#d62728", "#2ca02c", "#9467bd"};

inline std::string escape(std::string_view text) {
    std::string out;
    for (const char c : text) {
        if (c == '&') {
            out += "&amp;";
        } else if (c == '<') {
            out += "&lt;";
        } else if (c == '>') {
            out += "&gt;";
        } else if (c == '"') {
            out += "&quot;";
        } else {
            out += c;
        }
    }
    return out;
}

/// A stream that writes numbers the same way in every locale.
inline std::ostringstream svg_stream() {
    std::ostringstream out;
    out.imbue(std::locale::classic());
    out << std::fixed << std::setprecision(2);
    return out;
}

/// An axis from `low` to `high` in steps of 1, 2 or 5 times a power of ten.
struct Axis {
    double low = 0;
    double high = 1;
    double step = 1;

    /// About `ticks` intervals covering [min, max]; `whole` keeps steps at 1 or more.
    static Axis covering(double min, double max, int ticks, bool whole) {
        if (!(min < max)) {
            const double pad = min == 0 ? 1 : std::abs(min) * 0.1;
            min -= pad;
            max += pad;
        }
        const double rough = (max - min) / ticks;
        const double power = std::pow(10.0, std::floor(std::log10(rough)));
        double step = 10 * power;
        for (const double multiple : {1.0, 2.0, 5.0}) {
            if (multiple * power >= rough) {
                step = multiple * power;
                break;
            }
        }
        if (whole) {
            step = std::max(step, 1.0);
        }
        return {std::floor(min / step) * step, std::ceil(max / step) * step, step};
    }

    std::vector<double> ticks() const {
        std::vector<double> values;
        // The tolerance keeps the last tick that rounding would push past `high`.
        for (double v = low; v <= high + step * 1e-9; v += step) {
            values.push_back(std::abs(v) < step * 1e-9 ? 0.0 : v);
        }
        return values;
    }

    /// Enough decimals to tell the ticks apart, and no more.
    int decimals() const {
        return std::max(0, static_cast<int>(-std::floor(std::log10(step) + 1e-9)));
    }
};

inline double to_x(const Axis& axis, double value) {
    return left + (value - axis.low) / (axis.high - axis.low) * (right - left);
}

inline double to_y(const Axis& axis, double value) {
    return bottom - (value - axis.low) / (axis.high - axis.low) * (bottom - top);
}

/// Text for a tick at `value`, with as many decimals as the axis needs.
inline std::string tick_text(const Axis& axis, double value) {
    std::ostringstream text = svg_stream();
    text << std::setprecision(axis.decimals()) << value;
    return text.str();
}

/// The XML header, a white background, and the title and subtitle.
inline void draw_heading(std::ostringstream& out, const std::string& title,
                         const std::string& subtitle) {
    out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width << "\" height=\"" << height
        << "\" viewBox=\"0 0 " << width << ' ' << height
        << "\" font-family=\"sans-serif\" font-size=\"13\">\n"
        << "<title>" << escape(title) << "</title>\n"
        << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        << "<text x=\"" << width / 2 << "\" y=\"26\" text-anchor=\"middle\" font-size=\"16\" "
        << "font-weight=\"bold\">" << escape(title) << "</text>\n";
    if (!subtitle.empty()) {
        out << "<text x=\"" << width / 2 << "\" y=\"46\" text-anchor=\"middle\" fill=\"#444444\">"
            << escape(subtitle) << "</text>\n";
    }
}

/// The y axis with its ticks, grid lines and label, and the frame of the plot.
inline void draw_y_axis(std::ostringstream& out, const Axis& axis, const std::string& label) {
    for (const double v : axis.ticks()) {
        const double y = to_y(axis, v);
        out << "<line x1=\"" << left << "\" y1=\"" << y << "\" x2=\"" << right << "\" y2=\"" << y
            << "\" stroke=\"#e4e4e4\"/>\n"
            << "<line x1=\"" << left - 5 << "\" y1=\"" << y << "\" x2=\"" << left << "\" y2=\"" << y
            << "\" stroke=\"black\"/>\n"
            << "<text x=\"" << left - 8 << "\" y=\"" << y + 4 << "\" text-anchor=\"end\">"
            << tick_text(axis, v) << "</text>\n";
    }
    const double middle = (top + bottom) / 2;
    out << "<text transform=\"translate(22 " << middle << ") rotate(-90)\" "
        << "text-anchor=\"middle\">" << escape(label) << "</text>\n"
        << "<rect x=\"" << left << "\" y=\"" << top << "\" width=\"" << right - left
        << "\" height=\"" << bottom - top << "\" fill=\"none\" stroke=\"black\"/>\n";
}

/// A tick and its text under the plot at `x`.
inline void draw_x_tick(std::ostringstream& out, double x, const std::string& text) {
    out << "<line x1=\"" << x << "\" y1=\"" << bottom << "\" x2=\"" << x << "\" y2=\"" << bottom + 5
        << "\" stroke=\"black\"/>\n"
        << "<text x=\"" << x << "\" y=\"" << bottom + 20 << "\" text-anchor=\"middle\">"
        << escape(text) << "</text>\n";
}

inline void draw_x_label(std::ostringstream& out, const std::string& label) {
    out << "<text x=\"" << (left + right) / 2 << "\" y=\"" << height - 16
        << "\" text-anchor=\"middle\">" << escape(label) << "</text>\n";
}

/// A box in the top right corner with a sample of each series' line and its name.
inline void draw_legend(std::ostringstream& out, const std::vector<Series>& series) {
    std::size_t longest = 0;
    for (const Series& s : series) {
        longest = std::max(longest, s.name.size());
    }
    // No font metrics without a renderer: 7.5 px a character is generous for 13 px sans-serif.
    const double box_width = 48 + 7.5 * static_cast<double>(longest);
    const double box_height = 10 + 20 * static_cast<double>(series.size());
    const double x = right - box_width - 10;
    const double y = top + 10;
    out << "<rect x=\"" << x << "\" y=\"" << y << "\" width=\"" << box_width << "\" height=\""
        << box_height << "\" fill=\"white\" fill-opacity=\"0.85\" stroke=\"#999999\"/>\n";
    for (std::size_t s = 0; s < series.size(); ++s) {
        const double row = y + 15 + 20 * static_cast<double>(s);
        out << "<line x1=\"" << x + 8 << "\" y1=\"" << row << "\" x2=\"" << x + 34 << "\" y2=\""
            << row << "\" stroke=\"" << colours[s % colours.size()] << "\" stroke-width=\"2\"/>\n"
            << "<text x=\"" << x + 40 << "\" y=\"" << row + 4 << "\">" << escape(series[s].name)
            << "</text>\n";
    }
}

}  // namespace detail

/// The chart as the text of an SVG file.
inline std::string render(const LineChart& chart) {
    using namespace detail;
    double min = std::numeric_limits<double>::infinity();
    double max = -min;
    for (const Series& s : chart.series) {
        for (const double v : s.values) {
            if (std::isfinite(v)) {
                min = std::min(min, v);
                max = std::max(max, v);
            }
        }
    }
    if (!std::isfinite(min)) {
        min = 0;
        max = 1;
    }
    const bool has_x = !chart.x.empty();
    const bool whole_x =
        std::all_of(chart.x.begin(), chart.x.end(), [](double x) { return x == std::round(x); });
    const Axis x_axis =
        Axis::covering(has_x ? chart.x.front() : 0, has_x ? chart.x.back() : 1, 8, whole_x);
    const Axis y_axis = Axis::covering(min, max, 6, false);

    std::ostringstream out = svg_stream();
    draw_heading(out, chart.title, chart.subtitle);
    draw_y_axis(out, y_axis, chart.y_label);
    for (const double v : x_axis.ticks()) {
        draw_x_tick(out, to_x(x_axis, v), tick_text(x_axis, v));
    }
    draw_x_label(out, chart.x_label);

    for (std::size_t s = 0; s < chart.series.size(); ++s) {
        const std::vector<double>& values = chart.series[s].values;
        // A gap (a non-finite value) ends one polyline; the next finite value starts another.
        bool drawing = false;
        for (std::size_t j = 0; j < std::min(values.size(), chart.x.size()); ++j) {
            if (!std::isfinite(values[j])) {
                out << (drawing ? "\"/>\n" : "");
                drawing = false;
                continue;
            }
            if (drawing) {
                out << ' ';
            } else {
                out << "<polyline fill=\"none\" stroke-width=\"2\" stroke=\""
                    << colours[s % colours.size()] << "\" points=\"";
            }
            out << to_x(x_axis, chart.x[j]) << ',' << to_y(y_axis, values[j]);
            drawing = true;
        }
        out << (drawing ? "\"/>\n" : "");
    }
    draw_legend(out, chart.series);
    out << "</svg>\n";
    return out.str();
}

/// The chart as the text of an SVG file.
inline std::string render(const BarChart& chart) {
    using namespace detail;
    double max = 0;
    for (const double v : chart.values) {
        max = std::max(max, v);
    }
    const Axis y_axis = Axis::covering(0, max > 0 ? max * 1.08 : 1, 6, true);

    std::ostringstream out = svg_stream();
    draw_heading(out, chart.title, chart.subtitle);
    draw_y_axis(out, y_axis, chart.y_label);
    const std::size_t n = std::min(chart.categories.size(), chart.values.size());
    const double slot = (right - left) / static_cast<double>(std::max<std::size_t>(n, 1));
    for (std::size_t j = 0; j < n; ++j) {
        const double centre = left + slot * (static_cast<double>(j) + 0.5);
        const double y = to_y(y_axis, chart.values[j]);
        out << "<rect x=\"" << centre - slot * 0.3 << "\" y=\"" << y << "\" width=\"" << slot * 0.6
            << "\" height=\"" << bottom - y << "\" fill=\"" << colours[0] << "\"/>\n"
            << "<text x=\"" << centre << "\" y=\"" << y - 6 << "\" text-anchor=\"middle\">"
            << std::llround(chart.values[j]) << "</text>\n";
        draw_x_tick(out, centre, chart.categories[j]);
    }
    draw_x_label(out, chart.x_label);
    out << "</svg>\n";
    return out.str();
}

}  // namespace svg_plot

#endif  // MF_EXAMPLES_SVG_PLOT_HPP
