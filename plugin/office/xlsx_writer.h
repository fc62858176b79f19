// Writes a core::Workbook as an Excel file (.xlsx) with Debian's
// libxlsxwriter: each sheet's title lines, its heading row (bold, filled,
// frozen, with a filter over the table), typed cells (dates as Excel dates),
// status fills, wrapped text, and column widths that fit Chinese text (a CJK
// character counts two units).
#pragma once

#include <stdexcept>
#include <string>

#include "core/workbook.h"

namespace rl::office {

// A document could not be written; the message names the file and why.
class WriteError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Writes book to path (created or truncated). Throws WriteError naming path.
void write_xlsx(const core::Workbook& book, const std::string& path);

}  // namespace rl::office
