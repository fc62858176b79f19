// What an exported Excel or Word file holds, read by python3-openpyxl and
// python3-docx (tests/support/office_dump.py prints it as JSON): the ABI and
// CLI suites check the plugin's documents with readers that are not its own.
#pragma once

#include <rapidjson/document.h>

#include <stdexcept>
#include <string>

#include "support/test_support.h"

namespace rl::test {

// Throws std::runtime_error with the reader's message when the file does
// not open.
inline rapidjson::Document office_dump(const std::string& path) {
    const CommandResult r = run_command(shell_quote(RL_OFFICE_PYTHON) + " " +
                                        shell_quote(RL_OFFICE_DUMP) + " " + shell_quote(path));
    if (r.status != 0) {
        throw std::runtime_error("office_dump.py " + path + ": exit " + std::to_string(r.status) +
                                 ": " + r.err);
    }
    rapidjson::Document doc;
    doc.Parse(r.out.data(), r.out.size());
    if (doc.HasParseError() || !doc.IsObject()) {
        throw std::runtime_error("office_dump.py " + path +
                                 " printed no JSON: " + r.out.substr(0, 300));
    }
    return doc;
}

// The rules Word, WPS and Excel enforce that LibreOffice forgives, checked by
// tests/support/ooxml_check.py: one line per rule broken ("part: element:
// rule"), empty when the file keeps them all. Throws std::runtime_error when
// the checker cannot read the file as a zip.
inline std::string ooxml_violations(const std::string& path) {
    const CommandResult r = run_command(shell_quote(RL_OFFICE_PYTHON) + " " +
                                        shell_quote(RL_OOXML_CHECK) + " " + shell_quote(path));
    if (r.status != 0 && r.status != 1) {
        throw std::runtime_error("ooxml_check.py " + path + ": exit " + std::to_string(r.status) +
                                 ": " + r.err);
    }
    if (r.status == 1 && r.out.empty()) {
        throw std::runtime_error("ooxml_check.py " + path +
                                 " failed without naming a rule: " + r.err);
    }
    return r.out;
}

}  // namespace rl::test
