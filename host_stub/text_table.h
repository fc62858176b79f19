// Aligned plain-text tables for the terminal, CJK-aware (Chinese characters
// take two columns).
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace oa_stub {

class TextTable {
public:
    explicit TextTable(std::vector<std::string> headers) : headers_(std::move(headers)) {}
    void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
    void print(std::ostream& out) const;

private:
    std::vector<std::string> headers_;
    std::vector<std::vector<std::string>> rows_;
};

// Cuts s to at most width display columns, ending in … when cut.
std::string clip(const std::string& s, std::size_t width);
std::size_t display_width(const std::string& s);

}  // namespace oa_stub
