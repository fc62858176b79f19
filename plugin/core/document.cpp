#include "core/document.h"

namespace rl::core {

bool TextSource::next(Block& block) {
    if (start_ > text_.size()) {
        return false;
    }
    std::size_t end = text_.find('\n', start_);
    if (end == std::string_view::npos) {
        end = text_.size();
    }
    std::string_view line = text_.substr(start_, end - start_);
    if (!line.empty() && line.back() == '\r') {
        line.remove_suffix(1);
    }
    start_ = end + 1;
    ++line_;
    block.kind = Block::Kind::paragraph;
    block.table = {};
    block.paragraph.text.assign(line);
    block.paragraph.runs.clear();
    block.paragraph.where = "line " + std::to_string(line_);
    block.paragraph.position = line_;
    return true;
}

}  // namespace rl::core
