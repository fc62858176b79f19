// What kind of file a plan document is, judged by its bytes, not its name: a
// court office renames files freely (a .doc that is really a .docx, a
// "plan.txt" saved by Word). sniff_format says which reader applies;
// refusal_for gives the message for the kinds no reader takes, saying what
// the file is and how to turn it into one that is read.
#pragma once

#include <string>

namespace rl::text {

enum class FileFormat {
    text,             // anything else: the text decoder judges it (UTF-8, UTF-16, GBK, binary)
    docx,             // a zip package with word/document.xml (Word, WPS saving as .docx)
    xlsx,             // a zip package with xl/workbook.xml (Excel, WPS saving as .xlsx)
    ole_compound,     // an OLE compound file: old binary .doc, .wps, .xls, .et
    pdf,              // %PDF
    other_zip,        // a zip package that is neither (.odt, .ods, .zip, .pptx…)
    encrypted_ooxml,  // a password-protected .docx/.xlsx (an OLE file with an EncryptedPackage)
    rtf,              // {\rtf: Rich Text, often saved with a .doc name
};

// "text", "docx", "xlsx", "ole_compound", "pdf", "other_zip",
// "encrypted_ooxml", "rtf".
const char* format_name(FileFormat format);

// By magic bytes and, for a zip, by the names of its entries (read from the
// zip's headers, nothing inflated). source_name (a path or "request
// content") only decides a zip too damaged to list: a name ending in .docx or
// .xlsx picks that reader, which then reports the damage. Never throws.
FileFormat sniff_format(const std::string& bytes, const std::string& source_name);

// The DocumentError message for a format no reader takes (ole_compound, pdf,
// other_zip, encrypted_ooxml, rtf), naming `source` and saying what to do;
// empty for text, docx and xlsx.
std::string refusal_for(FileFormat format, const std::string& source);

}  // namespace rl::text
