// A folder of scratch files for one test, removed when the test ends.
#ifndef MF_TESTS_TEMP_DIR_HPP
#define MF_TESTS_TEMP_DIR_HPP

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <system_error>

class TempDir {
  public:
    TempDir() {
        static std::atomic<int> counter{0};
        const auto stamp = std::chrono::steady_clock::now().time_since_epoch().count();
        m_path = std::filesystem::temp_directory_path()
                 / ("mf-test-" + std::to_string(stamp) + "-" + std::to_string(counter++));
        std::filesystem::create_directories(m_path);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    ~TempDir() {
        std::error_code ignored;
        std::filesystem::remove_all(m_path, ignored);
    }

    /// Writes `content` byte for byte to `name` in the folder; returns its path.
    std::filesystem::path write(const std::string& name, std::string_view content) const {
        const std::filesystem::path file = m_path / name;
        std::ofstream(file, std::ios::binary)
            .write(content.data(), static_cast<std::streamsize>(content.size()));
        return file;
    }

    const std::filesystem::path& path() const noexcept { return m_path; }

  private:
    std::filesystem::path m_path;
};

#endif  // MF_TESTS_TEMP_DIR_HPP
