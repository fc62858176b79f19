// The seed plan in every format the importer reads — text, Word with bold
// leads, an Excel 分工表 — parses to the same plan: the same tasks in the same
// sections, the same departments in the same roles and order, the same items.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/plan_parser.h"
#include "support/test_support.h"
#include "text/docx_reader.h"
#include "text/xlsx_reader.h"

namespace {

constexpr std::size_t kUnpacked = std::size_t{64} << 20;

// What must agree: per task, section, number, title, departments with roles,
// items with their departments.
std::vector<std::string> outline(const rl::core::Plan& plan) {
    std::vector<std::string> out;
    const auto departments = [](const std::vector<rl::core::DepartmentRef>& refs) {
        std::string s;
        for (const auto& ref : refs) {
            s += " " + ref.name + "/" + rl::core::to_string(ref.role);
        }
        return s;
    };
    for (const auto& section : plan.sections) {
        for (const auto& task : section.tasks) {
            out.push_back(section.number + "、" + section.title + " | " + task.number + ". " +
                          task.title + " |" + departments(task.departments));
            for (const auto& item : task.items) {
                out.push_back("    (" + item.number + ")" + departments(item.departments));
            }
        }
    }
    return out;
}

rl::core::Plan parse_document(const rl::core::Document& document) {
    rl::core::DocumentBlocks source(document);
    return rl::core::parse_plan(source);
}

const std::string kPlans = std::string(RL_FIXTURES) + "/plans/";

}  // namespace

TEST(SeedInEveryFormat, WordWithBoldLeadsParsesAsTheText) {
    const rl::core::Plan text = rl::core::parse_plan(rl::test::seed_plan_text());
    const rl::core::Plan word = parse_document(rl::text::read_docx(
        rl::test::read_file(kPlans + "yanji-2019-bold-leads.docx"), "seed.docx", kUnpacked));
    ASSERT_EQ(text.task_count(), 45u);
    EXPECT_EQ(outline(word), outline(text));
    EXPECT_EQ(word.title, text.title);
    EXPECT_EQ(word.format, "docx");
    // The bodies agree too: Word keeps the paragraphs the text file has.
    ASSERT_EQ(word.sections.size(), text.sections.size());
    for (std::size_t s = 0; s < text.sections.size(); ++s) {
        for (std::size_t t = 0; t < text.sections[s].tasks.size(); ++t) {
            EXPECT_EQ(word.sections[s].tasks[t].text, text.sections[s].tasks[t].text)
                << "task " << text.sections[s].tasks[t].number;
        }
    }
}

TEST(SeedInEveryFormat, ExcelDivisionTableParsesAsTheText) {
    const rl::core::Plan text = rl::core::parse_plan(rl::test::seed_plan_text());
    const rl::core::Plan excel = parse_document(rl::text::read_xlsx(
        rl::test::read_file(kPlans + "yanji-2019.xlsx"), "seed.xlsx", kUnpacked));
    EXPECT_EQ(outline(excel), outline(text))
        << "task 14's items (1) and (2), written in its task cell, stay items";
    EXPECT_EQ(excel.format, "xlsx");
}
