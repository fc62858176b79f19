#include "storage/instruction_store.h"

#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>

#include "storage/reader_statements.h"
#include "storage/record_set.h"

using Poco::Data::RecordSet;
using Poco::Data::Session;
using Poco::Data::Statement;
using Poco::Data::Keywords::bind;
using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;
using Poco::Data::Keywords::use;

namespace rl::storage {

namespace {

using Id = Poco::Int64;

constexpr const char* kColumns =
    "SELECT id, number, plan_id, task_number, COALESCE(obligation_id, 0), item_number,"
    " department, period, written_by, written_role, written_at, due_date, content"
    " FROM instructions";

std::vector<Instruction> read_instructions(Statement& st) {
    st.execute();
    RecordSet rs(st);
    std::vector<Instruction> out;
    for (bool more = rs.moveFirst(); more; more = rs.moveNext()) {
        Instruction i;
        i.id = integer(rs, 0);
        i.number = text(rs, 1);
        i.plan_id = integer(rs, 2);
        i.task_number = text(rs, 3);
        i.obligation_id = integer(rs, 4);
        i.item_number = text(rs, 5);
        i.department = text(rs, 6);
        i.period = text(rs, 7);
        i.written_by = text(rs, 8);
        i.written_role = text(rs, 9);
        i.written_at = text(rs, 10);
        i.due_date = text(rs, 11);
        i.content = text(rs, 12);
        out.push_back(std::move(i));
    }
    return out;
}

void read_parts(Session& s, Instruction& i) {
    Statement st(s);
    Id id = i.id;
    st << "SELECT p.id, p.department, p.status, p.closed_at, p.escalated_at,"
          " COALESCE(a.id, 0), COALESCE(a.answered_by, ''), COALESCE(a.answered_at, ''),"
          " COALESCE(a.content, ''), COALESCE(a.final, 0)"
          " FROM instruction_parts p LEFT JOIN instruction_answers a ON a.part_id = p.id"
          " WHERE p.instruction_id = $1 ORDER BY p.id, a.id",
        use(id);
    st.execute();
    RecordSet rs(st);
    for (bool more = rs.moveFirst(); more; more = rs.moveNext()) {
        const Id part = integer(rs, 0);
        if (i.parts.empty() || i.parts.back().id != part) {
            i.parts.push_back({part, text(rs, 1), text(rs, 2), text(rs, 3), text(rs, 4), {}});
        }
        if (integer(rs, 5) != 0) {
            i.parts.back().answers.push_back(
                {text(rs, 6), text(rs, 7), text(rs, 8), integer(rs, 9) != 0});
        }
    }
}

}  // namespace

bool Instruction::open() const {
    for (const auto& p : parts) {
        if (p.status == "open") {
            return true;
        }
    }
    return false;
}

std::string InstructionStore::write(const Instruction& in,
                                    const std::vector<std::string>& departments) {
    return database_.write([&](Session& s) {
        int count = 0;
        const std::string year = in.written_at.substr(0, 4);
        std::string pattern = "批示〔" + year + "〕%";
        s << "SELECT COUNT(*) FROM instructions WHERE number LIKE $1", use(pattern), into(count),
            now;
        std::string number = "批示〔" + year + "〕" + std::to_string(count + 1) + "号";
        Poco::Nullable<Id> obligation;
        if (in.obligation_id != 0) {
            obligation = static_cast<Id>(in.obligation_id);
        }
        Id id = 0;
        s << "INSERT INTO instructions (number, plan_id, task_number, obligation_id, item_number,"
             " department, period, written_by, written_role, written_at, due_date, content)"
             " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
            use(number), bind(static_cast<Id>(in.plan_id)), bind(in.task_number), use(obligation),
            bind(in.item_number), bind(in.department), bind(in.period), bind(in.written_by),
            bind(in.written_role), bind(in.written_at), bind(in.due_date), bind(in.content),
            into(id), now;
        for (const auto& d : departments) {
            s << "INSERT INTO instruction_parts (instruction_id, department, status)"
                 " VALUES ($1, $2, 'open')",
                use(id), bind(d), now;
        }
        return number;
    });
}

std::optional<Instruction> InstructionStore::get(const std::string& number) {
    return database_.read([&](Session& s) -> std::optional<Instruction> {
        Statement st(s);
        std::string n = number;
        st << kColumns << " WHERE number = $1", use(n);
        auto list = read_instructions(st);
        if (list.empty()) {
            return std::nullopt;
        }
        read_parts(s, list.front());
        return list.front();
    });
}

std::vector<Instruction> InstructionStore::list(std::int64_t plan_id, const std::string& task,
                                                const std::string& department,
                                                const std::string& status) {
    return database_.read([&](Session& s) {
        Statement st(s);
        Id plan = plan_id;
        std::string t = task, d = department;
        st << kColumns
           << " WHERE plan_id = $1 AND ($2 = '' OR task_number = $3)"
              " AND ($4 = '' OR EXISTS (SELECT 1 FROM instruction_parts p"
              " WHERE p.instruction_id = instructions.id AND p.department = $5))"
              " ORDER BY id",
            use(plan), use(t), use(t), use(d), use(d);
        std::vector<Instruction> out;
        for (auto& i : read_instructions(st)) {
            read_parts(s, i);
            if (status.empty() || (status == "open") == i.open()) {
                out.push_back(std::move(i));
            }
        }
        return out;
    });
}

void InstructionStore::answer(std::int64_t part_id, const InstructionAnswer& a) {
    database_.write([&](Session& s) {
        Id part = part_id;
        int final = a.final ? 1 : 0;
        s << "INSERT INTO instruction_answers (part_id, answered_by, answered_at, content, final)"
             " VALUES ($1, $2, $3, $4, $5)",
            use(part), bind(a.answered_by), bind(a.answered_at), bind(a.content), use(final), now;
        if (a.final) {
            s << "UPDATE instruction_parts SET status = 'answered', closed_at = $1 WHERE id = $2",
                bind(a.answered_at), use(part), now;
        }
    });
}

std::map<std::string, int> InstructionStore::open_counts(std::int64_t plan_id) {
    return database_.read([&](Session& s) {
        static const std::string sql =
            "SELECT i.task_number, COUNT(DISTINCT i.id) FROM instructions i"
            " JOIN instruction_parts p ON p.instruction_id = i.id AND p.status = 'open'"
            " WHERE i.plan_id = $1 GROUP BY i.task_number";
        Cursor c = ReaderStatements::cursor(s, sql);
        c.bind(plan_id);
        std::map<std::string, int> out;
        while (c.step()) {
            out[c.text(0)] = static_cast<int>(c.integer(1));
        }
        return out;
    });
}

std::vector<core::OpenInstructionPart> InstructionStore::open_parts(const core::Date& horizon) {
    return database_.read([&](Session& s) {
        Statement st(s);
        std::string by = horizon.iso();
        st << "SELECT p.id, i.plan_id, i.number, i.task_number, p.department, i.written_by,"
              " i.due_date, p.escalated_at,"
              " (SELECT COUNT(*) FROM instruction_answers a WHERE a.part_id = p.id)"
              " FROM instruction_parts p JOIN instructions i ON i.id = p.instruction_id"
              " WHERE p.status = 'open' AND i.due_date <= $1 ORDER BY p.id",
            use(by);
        st.execute();
        RecordSet rs(st);
        std::vector<core::OpenInstructionPart> out;
        for (bool more = rs.moveFirst(); more; more = rs.moveNext()) {
            core::OpenInstructionPart p;
            p.part_id = integer(rs, 0);
            p.plan_id = integer(rs, 1);
            p.number = text(rs, 2);
            p.task_number = text(rs, 3);
            p.department = text(rs, 4);
            p.written_by = text(rs, 5);
            p.due = core::Date::parse(text(rs, 6)).value_or(core::Date{});
            p.escalated = !text(rs, 7).empty();
            p.answers = static_cast<int>(integer(rs, 8));
            out.push_back(std::move(p));
        }
        return out;
    });
}

bool InstructionStore::record_escalation(std::int64_t part_id, const std::string& at) {
    return database_.write([&](Session& s) {
        Id part = part_id;
        std::string when = at;
        std::vector<Id> changed;
        s << "UPDATE instruction_parts SET escalated_at = $1 WHERE id = $2 AND escalated_at = ''"
             " RETURNING id",
            use(when), use(part), into(changed), now;
        return !changed.empty();
    });
}

}  // namespace rl::storage
