// A plan document as its readers hand it to the plan parser, whatever the file
// was: a sequence of blocks, each a paragraph (with its runs, so that bold
// names can mark lead departments) or a table (a rectangular grid, merged
// cells already repeated). The text reader yields one paragraph per line; the
// Word reader one per paragraph of the body, with automatic numbering
// rendered into its text; the Excel reader one table per sheet. Plain data,
// no I/O: the readers live in plugin/text/, the parser in core/plan_parser.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace rl::core {

// A stretch of text in one style. Only what the parser uses is kept.
struct Run {
    std::string text;
    bool bold = false;
};

struct Paragraph {
    // The whole paragraph as a person sees it: automatic numbering first
    // ("一、", "（一）", "1."), then the runs' text. No line breaks inside.
    std::string text;
    // The runs of `text` in order, the numbering as an unstyled first run;
    // empty when the source has no styles (plain text): one unstyled run.
    std::vector<Run> runs;
    // Where it came from, for messages and `plan parse`: "line 12",
    // "paragraph 40", "table 2 row 3 (cell 2)".
    std::string where;
    // 1-based position in the source: the line (text) or the paragraph of
    // the body (Word). Orders warnings; never 0 for a real paragraph.
    int position = 0;
};

struct Cell {
    std::string text;       // the cell's paragraphs joined by \n, trimmed
    std::vector<Run> runs;  // as in Paragraph; paragraphs separated by a "\n" run
    // The cell is part of a merged range and not its first cell: `text` and
    // `runs` repeat the first cell's value.
    bool merged_from_left = false;
    bool merged_from_above = false;
};

struct Table {
    // Every row has the same number of cells (the widest row; shorter rows
    // are padded with empty cells).
    std::vector<std::vector<Cell>> rows;
    std::string where;  // "table 2" (Word), "sheet '分工表'" (Excel)
    int position = 0;   // as Paragraph::position, of the table's first row
    // Row r of the table is described in messages as where + " row " + (r+1).
};

struct Block {
    enum class Kind { paragraph, table };
    Kind kind = Kind::paragraph;
    Paragraph paragraph;  // when kind == paragraph
    Table table;          // when kind == table
};

// The blocks of a document, one at a time, as often as the parser needs to
// read them: a text file of millions of lines is never held as millions of
// Paragraphs.
class DocumentSource {
public:
    virtual ~DocumentSource() = default;
    // The next block, or false at the end.
    virtual bool next(Block& block) = 0;
    // Back to the first block.
    virtual void rewind() = 0;
    // "text", "docx" or "xlsx": for messages and the plan's provenance.
    virtual std::string format() const = 0;
};

// Plain text, one paragraph per line ("line N"), blank lines included (as
// empty paragraphs). Does not own the text.
class TextSource final : public DocumentSource {
public:
    explicit TextSource(std::string_view text) : text_(text) {}
    bool next(Block& block) override;
    void rewind() override {
        start_ = 0;
        line_ = 0;
    }
    std::string format() const override { return "text"; }

private:
    std::string_view text_;
    std::size_t start_ = 0;
    int line_ = 0;
};

// A document already read into memory (Word, Excel): the readers bound its
// size while reading.
struct Document {
    std::string format;  // "docx" or "xlsx"
    std::vector<Block> blocks;
};

class DocumentBlocks final : public DocumentSource {
public:
    explicit DocumentBlocks(const Document& document) : document_(document) {}
    bool next(Block& block) override {
        if (at_ >= document_.blocks.size()) {
            return false;
        }
        block = document_.blocks[at_++];
        return true;
    }
    void rewind() override { at_ = 0; }
    std::string format() const override { return document_.format; }

private:
    const Document& document_;
    std::size_t at_ = 0;
};

}  // namespace rl::core
