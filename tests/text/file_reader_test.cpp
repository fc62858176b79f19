// rl::text::read_file: only regular files are read, never past the limit,
// and nothing waits — what a plan, calendar or configuration path may name.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>

#include "support/test_support.h"
#include "text/file_reader.h"

namespace {

using rl::text::DocumentError;
using rl::text::read_file;
using rl::text::ReadLimit;

const ReadLimit kLimit{1024, "limits.plan_file_bytes in the configuration"};

// The DocumentError read_file throws (within a deadline), or a marker.
std::string refusal_of(const std::string& path, const ReadLimit& limit = kLimit) {
    std::string message = "(read_file threw no DocumentError)";
    rl::test::within_deadline(60, "read_file('" + path + "')", [&] {
        try {
            read_file(path, limit);
        } catch (const DocumentError& e) {
            message = e.what();
        }
    });
    return message;
}

bool has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

TEST(FileReader, NamedPipeIsRefusedWithoutWaitingForAWriter) {
    rl::test::TempDir dir;
    const std::string path = dir.file("plan.txt");
    ASSERT_EQ(::mkfifo(path.c_str(), 0600), 0);
    const std::string message = refusal_of(path);
    EXPECT_TRUE(has(message, path)) << message;
    EXPECT_TRUE(has(message, "named pipe")) << message;
    EXPECT_TRUE(has(message, "not a regular file")) << message;
}

TEST(FileReader, EndlessDeviceIsRefusedBeforeAnythingIsRead) {
    const std::string message = refusal_of("/dev/zero");
    EXPECT_TRUE(has(message, "/dev/zero")) << message;
    EXPECT_TRUE(has(message, "character device")) << message;
}

TEST(FileReader, SymbolicLinkToADeviceIsRefusedLikeTheDevice) {
    rl::test::TempDir dir;
    const std::string path = dir.file("plan.txt");
    ASSERT_EQ(::symlink("/dev/urandom", path.c_str()), 0);
    const std::string message = refusal_of(path);
    EXPECT_TRUE(has(message, "character device")) << message;
}

TEST(FileReader, SymbolicLinkToARegularFileIsRead) {
    rl::test::TempDir dir;
    rl::test::write_file(dir.file("2019.txt"), "一、推进\n");
    ASSERT_EQ(::symlink(dir.file("2019.txt").c_str(), dir.file("current.txt").c_str()), 0);
    EXPECT_EQ(read_file(dir.file("current.txt"), kLimit), "一、推进\n");
}

TEST(FileReader, FileOverTheLimitIsRefusedNamingTheLimit) {
    rl::test::TempDir dir;
    const std::string path = dir.file("plan.txt");
    rl::test::write_file(path, std::string(1025, 'x'));
    const std::string message = refusal_of(path);
    EXPECT_TRUE(has(message, path)) << message;
    EXPECT_TRUE(has(message, "larger than 1024 bytes")) << message;
    EXPECT_TRUE(has(message, "limits.plan_file_bytes")) << message;
}

TEST(FileReader, FileOfExactlyTheLimitIsRead) {
    rl::test::TempDir dir;
    const std::string path = dir.file("plan.txt");
    rl::test::write_file(path, std::string(1024, 'x'));
    EXPECT_EQ(read_file(path, kLimit).size(), 1024u);
}

TEST(FileReader, HugeSparseFileIsRefusedAfterReadingOnlyPastTheLimit) {
    rl::test::TempDir dir;
    const std::string path = dir.file("plan.txt");
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT, 0600);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(::ftruncate(fd, off_t{1} << 40), 0);  // 1 TiB that takes no disk space
    ::close(fd);
    const std::string message = refusal_of(path, {std::size_t{16} << 20, "limits.plan_file_bytes"});
    EXPECT_TRUE(has(message, "larger than 16777216 bytes (16 MiB)")) << message;
}

TEST(FileReader, SizeTheFileReportsIsNotTrusted) {
    // Files in /proc report size 0 and still have content.
    struct stat info {};
    ASSERT_EQ(::stat("/proc/self/status", &info), 0);
    ASSERT_EQ(info.st_size, 0);
    const std::string status = read_file("/proc/self/status", {1 << 20, "test"});
    EXPECT_TRUE(has(status, "Name:")) << status;
    const std::string message = refusal_of("/proc/self/status", {16, "test"});
    EXPECT_TRUE(has(message, "larger than 16 bytes")) << message;
}

TEST(FileReader, DirectoryIsRefused) {
    rl::test::TempDir dir;
    const std::string message = refusal_of(dir.path());
    EXPECT_TRUE(has(message, "directory")) << message;
}

TEST(FileReader, MissingFileNamesThePathAndTheReason) {
    rl::test::TempDir dir;
    const std::string message = refusal_of(dir.file("方案.txt"));
    EXPECT_TRUE(has(message, dir.file("方案.txt"))) << message;
    EXPECT_TRUE(has(message, "No such file")) << message;
}

TEST(FileReader, WhatTheFileIsNamesItInMessages) {
    std::string message;
    try {
        read_file("/dev/null", kLimit, "calendar file");
    } catch (const DocumentError& e) {
        message = e.what();
    }
    EXPECT_TRUE(has(message, "cannot read calendar file '/dev/null'")) << message;
}

}  // namespace
