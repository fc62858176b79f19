// Things sent for reading (抄送/待阅): one row per thing and reader, written
// in the transaction of the action that sends it (filing a report, writing an
// instruction, a final answer, a closure); reading it records 已阅.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "storage/database.h"

namespace rl::storage {

class StatementCache;

struct ReadingItem {
    std::int64_t id = 0;
    std::int64_t plan_id = 0;
    std::string reader;   // person id
    std::string kind;     // report, instruction, instruction_answer, closure
    std::string subject;  // what it is: report:<id>@v<version>, 批示〔2019〕1号, …
    std::string task_number;
    std::string item_number;
    std::string department;
    std::string period;
    std::string title;
    std::string sent_by;
    std::string sent_at;
    std::string read_at;  // empty: unread
};

struct ReadingCounts {
    int unread = 0;
    int total = 0;
};

class ReadingStore {
public:
    // REQUIRES: destroyed before database.
    explicit ReadingStore(Database& database);
    ~ReadingStore();
    ReadingStore(const ReadingStore&) = delete;
    ReadingStore& operator=(const ReadingStore&) = delete;

    // Sends item (its reader ignored) to each of readers; a reader who has
    // this kind and subject already is not sent it twice. Returns how many
    // were sent.
    int send(const ReadingItem& item, const std::vector<std::string>& readers);
    // A reader's items, newest first; only the unread ones when unread_only;
    // of one plan when plan_id is not 0.
    std::vector<ReadingItem> list(const std::string& reader, bool unread_only,
                                  std::int64_t plan_id);
    ReadingCounts counts(const std::string& reader, std::int64_t plan_id);
    std::optional<ReadingItem> item(std::int64_t id);
    void mark_read(std::int64_t id, const std::string& at);

private:
    Database& database_;
    // Statements kept prepared for writes (send).
    std::unique_ptr<StatementCache> hot_;
};

}  // namespace rl::storage
