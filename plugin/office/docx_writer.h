// Writes a core::WordDocument as a Word file (.docx) with Poco Zip and Poco
// XML, no template: the smallest package Word, WPS and LibreOffice open —
// [Content_Types].xml, _rels/.rels, word/document.xml, word/styles.xml (仿宋
// body, 黑体 headings, a 宋体 title, a bordered table style),
// word/_rels/document.xml.rels and docProps/core.xml (the title). A4 with
// the margins of the court's official documents.
#pragma once

#include <string>

#include "core/word_document.h"
#include "office/xlsx_writer.h"  // WriteError

namespace rl::office {

// The package's bytes. modified: the ISO date the package's entries and its
// created property carry (the same document on the same day gives the same
// bytes).
std::string docx_bytes(const core::WordDocument& doc, const std::string& modified);

// Writes docx_bytes to path (created or truncated). Throws WriteError naming path.
void write_docx(const core::WordDocument& doc, const std::string& modified,
                const std::string& path);

}  // namespace rl::office
