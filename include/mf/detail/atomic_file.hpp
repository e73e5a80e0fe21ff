// Writing a file whole or not at all: the bytes go to a temporary file next to
// the target, renamed over it once they are all on disk.
#ifndef MF_DETAIL_ATOMIC_FILE_HPP
#define MF_DETAIL_ATOMIC_FILE_HPP

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#if defined(__unix__) || defined(__APPLE__)
#include <fcntl.h>
#include <unistd.h>
#endif

#include "mf/errors.hpp"

namespace mf::detail {

/// A file being written: the bytes go to a temporary file next to the target,
/// which commit() puts on disk and renames over the target, so the target holds
/// either its old content or the whole new file, never part of one, whatever
/// happens meanwhile. Destroyed before commit(), it removes the temporary file.
///
/// A target that exists and is not a regular file (a device such as /dev/null,
/// a pipe, a folder) is refused rather than replaced by a regular file. A
/// symbolic link is replaced by the file, not followed.
class AtomicFile {
  public:
    /// Creates the temporary file. Throws mf::io_error naming the target.
    explicit AtomicFile(std::string path) : m_path(std::move(path)), m_buffer(buffer_size) {
        std::error_code ec;
        const auto status = std::filesystem::symlink_status(m_path, ec);
        if (!ec && std::filesystem::exists(status) && !std::filesystem::is_regular_file(status)
            && !std::filesystem::is_symlink(status)) {
            fail(std::filesystem::is_directory(status) ? "it is a folder"
                                                       : "it is not a regular file");
        }
        static std::atomic<std::uint64_t> counter{0};
#if defined(__unix__) || defined(__APPLE__)
        const std::string process = std::to_string(::getpid());
#else
        const std::string process = std::to_string(std::random_device{}());
#endif
        // Another process may use the same name a moment earlier: O_EXCL refuses
        // to share the file, and the next name is tried.
        for (int attempt = 0;; ++attempt) {
            m_temp = m_path + ".tmp-" + process + "-" + std::to_string(counter++);
#if defined(__unix__) || defined(__APPLE__)
            m_fd = ::open(m_temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
            if (m_fd >= 0) {
                break;
            }
            if (errno != EEXIST || attempt == 100) {
                fail(std::strerror(errno));
            }
#else
            m_file = std::fopen(m_temp.c_str(), "wb");
            if (m_file != nullptr) {
                break;
            }
            if (attempt == 100) {
                fail(std::strerror(errno));
            }
#endif
        }
        m_open = true;
    }

    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;

    ~AtomicFile() {
        if (!m_committed) {
            close();
            std::error_code ignored;
            std::filesystem::remove(m_temp, ignored);
        }
    }

    const std::string& path() const noexcept {
        return m_path;
    }

    /// Appends `size` bytes.
    void write(const void* data, std::size_t size) {
        const auto* p = static_cast<const unsigned char*>(data);
        while (size > 0) {
            if (m_used == m_buffer.size()) {
                flush();
            }
            const std::size_t n = std::min(size, m_buffer.size() - m_used);
            std::memcpy(m_buffer.data() + m_used, p, n);
            m_used += n;
            p += n;
            size -= n;
        }
    }

    void write(std::string_view text) {
        write(text.data(), text.size());
    }

    /// Puts the file on disk and renames it over the target. Throws
    /// mf::io_error naming the target.
    void commit() {
        flush();
#if defined(__unix__) || defined(__APPLE__)
        // Without fsync the rename may reach the disk before the data does, and
        // a crash then leaves a target with holes in it.
        if (::fsync(m_fd) != 0) {
            fail(std::strerror(errno));
        }
#endif
        if (!close()) {
            fail(std::strerror(errno));
        }
        std::error_code ec;
        std::filesystem::rename(m_temp, m_path, ec);
        if (ec) {
            fail(ec.message());
        }
        m_committed = true;
#if defined(__unix__) || defined(__APPLE__)
        // The rename lives in the directory; syncing it makes the new file
        // survive a power cut. Some file systems cannot sync a directory, and
        // the file is in place either way, so a failure here is no error.
        std::filesystem::path folder = std::filesystem::path(m_path).parent_path();
        const int dir = ::open(folder.empty() ? "." : folder.c_str(), O_RDONLY | O_CLOEXEC);
        if (dir >= 0) {
            ::fsync(dir);
            ::close(dir);
        }
#endif
    }

  private:
    static constexpr std::size_t buffer_size = std::size_t{1} << 20;

    [[noreturn]] void fail(const std::string& reason) const {
        throw io_error("cannot write '" + m_path + "': " + reason);
    }

    void flush() {
        const unsigned char* p = m_buffer.data();
        std::size_t size = std::exchange(m_used, 0);
#if defined(__unix__) || defined(__APPLE__)
        while (size > 0) {
            const ::ssize_t n = ::write(m_fd, p, size);
            if (n < 0) {
                if (errno == EINTR) {
                    continue;
                }
                fail(std::strerror(errno));
            }
            p += n;
            size -= static_cast<std::size_t>(n);
        }
#else
        if (size > 0 && std::fwrite(p, 1, size, m_file) != size) {
            fail(std::strerror(errno));
        }
#endif
    }

    // Closes the temporary file once; false when closing reports an error,
    // which for buffered or network file systems may be the first sign of a
    // failed write.
    bool close() noexcept {
        if (!m_open) {
            return true;
        }
        m_open = false;
#if defined(__unix__) || defined(__APPLE__)
        return ::close(m_fd) == 0;
#else
        const bool flushed = std::fflush(m_file) == 0;
        return (std::fclose(m_file) == 0) && flushed;
#endif
    }

    std::string m_path;
    std::string m_temp;
#if defined(__unix__) || defined(__APPLE__)
    int m_fd = -1;
#else
    std::FILE* m_file = nullptr;
#endif
    bool m_open = false;
    bool m_committed = false;
    std::vector<unsigned char> m_buffer;
    std::size_t m_used = 0;
};

}  // namespace mf::detail

#endif  // MF_DETAIL_ATOMIC_FILE_HPP
