#include "instruction_commands.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <ostream>

#include "report_commands.h"
#include "stub_config.h"
#include "text_table.h"

namespace oa_stub {

namespace {

rapidjson::Document parse(const std::string& text) {
    rapidjson::Document doc;
    doc.Parse(text.data(), text.size());
    return doc;
}

std::string quote(const std::string& s) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
    w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
    return buffer.GetString();
}

// Builds a request: text members when present, raw JSON members as given.
class Request {
public:
    Request& s(const char* key, const std::optional<std::string>& value) {
        return value ? raw(key, quote(*value)) : *this;
    }
    Request& raw(const char* key, const std::string& json) {
        body_ += (body_.empty() ? "" : ",") + quote(key) + ":" + json;
        return *this;
    }
    std::string str() const { return "{" + body_ + "}"; }

private:
    std::string body_;
};

// "刑庭,民庭" or "刑庭、民庭" → ["刑庭","民庭"] as JSON.
std::string department_list(const std::string& text) {
    std::string out = "[";
    std::string current;
    const auto flush = [&] {
        if (!current.empty()) {
            out += (out.size() > 1 ? "," : "") + quote(current);
        }
        current.clear();
    };
    const std::string dun = "、";
    for (std::size_t i = 0; i < text.size();) {
        if (text[i] == ',') {
            flush();
            ++i;
        } else if (text.compare(i, dun.size(), dun) == 0) {
            flush();
            i += dun.size();
        } else {
            current += text[i++];
        }
    }
    flush();
    return out + "]";
}

int outcome_of(CliContext& c, const rapidjson::Document& doc, const std::string& result) {
    if (c.options.json) {
        c.out << result << "\n";
    }
    const std::string outcome = doc["outcome"].GetString();
    if (outcome != "ok") {
        c.err << "oa-stub: " << outcome << ": " << doc["message"].GetString() << "\n";
        return kRefused;
    }
    return 0;
}

void print_instruction(CliContext& c, const rapidjson::Value& i) {
    c.out << i["number"].GetString() << "  任务 " << i["task"].GetString();
    if (i["report"].IsObject()) {
        const auto& r = i["report"];
        c.out << " 报告 " << r["department"].GetString() << " " << r["period"].GetString();
        if (std::string(r["item"].GetString()).size() > 0) {
            c.out << "（" << r["item"].GetString() << "）";
        }
    }
    c.out << "  " << i["status"].GetString() << "\n"
          << "  批示 " << i["written_by"].GetString() << " (" << i["written_role"].GetString()
          << ") " << i["written_at"].GetString() << ", 反馈期限 " << i["due_date"].GetString()
          << "\n"
          << "  " << i["content"].GetString() << "\n";
    for (const auto& p : i["departments"].GetArray()) {
        c.out << "  → " << p["department"].GetString() << ": " << p["status"].GetString()
              << (p["overdue"].GetBool() ? " (overdue)" : "") << "\n";
        for (const auto& a : p["answers"].GetArray()) {
            c.out << "      " << (a["final"].GetBool() ? "反馈" : "阶段反馈") << " "
                  << a["answered_by"].GetString() << " " << a["answered_at"].GetString() << ": "
                  << a["content"].GetString() << "\n";
        }
    }
}

}  // namespace

int instruction_command(CliContext& c) {
    const auto& o = c.options;
    const std::string sub = o.words.size() > 1 ? o.words[1] : "";
    if (sub == "write") {
        if (!o.task || !o.departments || !o.user || !o.note) {
            throw UsageError(
                "usage: oa-stub instruction write --task N --departments A,B --user ID --note TEXT "
                "[--due DATE | --due-days N] [--department NAME --period P [--item N]]");
        }
        Request r;
        r.s("plan", o.plan)
            .s("task", o.task)
            .raw("departments", department_list(*o.departments))
            .s("actor", o.user)
            .s("content", o.note)
            .s("due_date", o.due);
        if (o.due_days) {
            r.raw("due_working_days", std::to_string(parse_whole(*o.due_days, "--due-days")));
        }
        if (o.period || o.department) {
            if (!o.period || !o.department) {
                throw UsageError(
                    "an instruction on a report needs both --department NAME and --period P");
            }
            r.raw("report", Request()
                                .s("department", o.department)
                                .s("period", o.period)
                                .s("item", o.item)
                                .str());
        }
        const std::string result = c.host.call("instruction.write", r.str());
        const auto doc = parse(result);
        const int status = outcome_of(c, doc, result);
        if (status == 0 && !o.json) {
            const auto& i = doc["instruction"];
            c.out << "Wrote " << i["number"].GetString() << " on task " << i["task"].GetString()
                  << " to " << i["departments"].Size() << " department(s), answers due "
                  << i["due_date"].GetString() << "\n";
        }
        return status;
    }
    if (sub == "answer") {
        if (!o.instruction || !o.user || !o.answer) {
            throw UsageError(
                "usage: oa-stub instruction answer --instruction NUMBER --user ID --answer TEXT "
                "[--department NAME] [--interim]");
        }
        const std::string result =
            c.host.call("instruction.answer", Request()
                                                  .s("plan", o.plan)
                                                  .s("instruction", o.instruction)
                                                  .s("department", o.department)
                                                  .s("actor", o.user)
                                                  .s("answer", o.answer)
                                                  .raw("final", o.interim ? "false" : "true")
                                                  .str());
        const auto doc = parse(result);
        const int status = outcome_of(c, doc, result);
        if (status == 0 && !o.json) {
            c.out << (o.interim ? "Interim answer to " : "Final answer to ") << *o.instruction
                  << " recorded; the instruction is " << doc["instruction"]["status"].GetString()
                  << "\n";
        }
        return status;
    }
    if (sub == "show") {
        if (!o.instruction) {
            throw UsageError("usage: oa-stub instruction show --instruction NUMBER [--json]");
        }
        const std::string result = c.host.call(
            "instruction.get", Request().s("instruction", o.instruction).s("user", o.user).str());
        if (o.json) {
            c.out << result << "\n";
            return 0;
        }
        print_instruction(c, parse(result)["instruction"]);
        return 0;
    }
    if (sub == "list") {
        const std::string result =
            c.host.call("instruction.list", Request()
                                                .s("plan", o.plan)
                                                .s("task", o.task)
                                                .s("department", o.department)
                                                .s("status", o.status)
                                                .s("user", o.user)
                                                .str());
        if (o.json) {
            c.out << result << "\n";
            return 0;
        }
        const auto doc = parse(result);  // the loop's values live in it
        TextTable table({"批示 instruction", "任务 task", "批示人 by", "反馈期限 due",
                         "状态 status", "部门 departments", "内容 content"});
        for (const auto& i : doc["instructions"].GetArray()) {
            std::string parts;
            for (const auto& p : i["departments"].GetArray()) {
                parts += (parts.empty() ? "" : "、") + std::string(p["department"].GetString()) +
                         (std::string(p["status"].GetString()) == "open"
                              ? (p["overdue"].GetBool() ? "(逾期)" : "(待反馈)")
                              : "(已反馈)");
            }
            table.add({i["number"].GetString(), i["task"].GetString(), i["written_by"].GetString(),
                       i["due_date"].GetString(), i["status"].GetString(), parts,
                       clip(i["content"].GetString(), 40)});
        }
        table.print(c.out);
        c.out << doc["open"].GetInt() << " open of " << doc["instructions"].Size() << "\n";
        return 0;
    }
    throw UsageError("usage: oa-stub instruction write|answer|show|list …");
}

int reading_command(CliContext& c) {
    const auto& o = c.options;
    const std::string sub = o.words.size() > 1 ? o.words[1] : "";
    if (!o.user) {
        throw UsageError("usage: oa-stub reading list|mark --user ID …");
    }
    if (sub == "list") {
        const std::string result =
            c.host.call("reading.list", Request()
                                            .s("user", o.user)
                                            .s("plan", o.plan)
                                            .raw("unread_only", o.all ? "false" : "true")
                                            .str());
        if (o.json) {
            c.out << result << "\n";
            return 0;
        }
        const auto doc = parse(result);  // the loop's values live in it
        TextTable table({"id", "类别 kind", "标题 title", "送阅 sent", "已阅 read"});
        for (const auto& i : doc["items"].GetArray()) {
            table.add({std::to_string(i["id"].GetInt64()), i["kind"].GetString(),
                       clip(i["title"].GetString(), 50), court_time(i["sent_at"].GetString()),
                       i["read"].GetBool() ? court_time(i["read_at"].GetString()) : "未阅"});
        }
        table.print(c.out);
        c.out << doc["unread"].GetInt() << " unread of " << doc["total"].GetInt() << "\n";
        return 0;
    }
    if (sub == "mark") {
        if (o.all == o.id.has_value()) {
            throw UsageError("usage: oa-stub reading mark --user ID (--id N | --all)");
        }
        Request r;
        r.s("actor", o.user).s("plan", o.plan);
        if (o.id) {
            r.raw("id", std::to_string(parse_whole(*o.id, "--id")));
        } else {
            r.raw("all", "true");
        }
        const std::string result = c.host.call("reading.mark", r.str());
        const auto doc = parse(result);
        const int status = outcome_of(c, doc, result);
        if (status == 0 && !o.json) {
            c.out << "Read " << doc["read"].Size() << " item(s) at "
                  << court_time(doc["read_at"].GetString()) << "; " << doc["unread"].GetInt()
                  << " unread\n";
        }
        return status;
    }
    throw UsageError("usage: oa-stub reading list|mark --user ID …");
}

}  // namespace oa_stub
