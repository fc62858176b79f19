// A Word document as plain data: headings, paragraphs and tables, in order.
// The monthly bulletin builds one (core/bulletin.h); the Word writer
// (export/docx_writer.h) renders any of them. No I/O here.
#pragma once

#include <string>
#include <vector>

namespace rl::core {

struct WordBlock {
    enum class Kind { title, subtitle, heading, paragraph, table };
    Kind kind = Kind::paragraph;
    std::string text;                            // all but tables
    std::vector<std::vector<std::string>> rows;  // a table: the first row is its heading
    std::vector<int> widths;  // a table's column widths, in twentieths of a point

    static WordBlock of(Kind kind, std::string text) {
        WordBlock b;
        b.kind = kind;
        b.text = std::move(text);
        return b;
    }
    static WordBlock of_table(std::vector<std::vector<std::string>> rows, std::vector<int> widths) {
        WordBlock b;
        b.kind = Kind::table;
        b.rows = std::move(rows);
        b.widths = std::move(widths);
        return b;
    }
};

struct WordDocument {
    std::string title;  // the document's title property
    std::vector<WordBlock> blocks;
};

}  // namespace rl::core
