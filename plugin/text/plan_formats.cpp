#include "text/plan_formats.h"

#include <algorithm>
#include <cctype>

#include "text/ooxml_zip.h"

namespace rl::text {

namespace {

bool starts_with(const std::string& bytes, const char* magic, std::size_t length) {
    return bytes.size() >= length && bytes.compare(0, length, magic, length) == 0;
}

bool ends_with_lower(const std::string& name, const std::string& suffix) {
    if (name.size() < suffix.size()) {
        return false;
    }
    std::string tail = name.substr(name.size() - suffix.size());
    std::transform(tail.begin(), tail.end(), tail.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return tail == suffix;
}

// A stream name as an OLE directory stores it: UTF-16LE.
std::string utf16le(const std::string& ascii) {
    std::string wide;
    for (char c : ascii) {
        wide += c;
        wide += '\0';
    }
    return wide;
}

FileFormat sniff_zip(const std::string& bytes, const std::string& source_name) {
    try {
        // Only the headers are read: nothing is inflated, so no unpacked bytes.
        const OoxmlPackage package(bytes, source_name, 0);
        if (package.has("word/document.xml")) {
            return FileFormat::docx;
        }
        if (package.has("xl/workbook.xml")) {
            return FileFormat::xlsx;
        }
        // A Word or Excel package that lost its main part: its reader says so.
        for (const std::string& entry : package.entries()) {
            if (entry.rfind("word/", 0) == 0) {
                return FileFormat::docx;
            }
            if (entry.rfind("xl/", 0) == 0) {
                return FileFormat::xlsx;
            }
        }
        return FileFormat::other_zip;
    } catch (const DocumentError&) {
        // Too damaged to list: the name is all there is to go on, and the
        // reader it picks reports the damage.
        if (ends_with_lower(source_name, ".docx")) {
            return FileFormat::docx;
        }
        if (ends_with_lower(source_name, ".xlsx")) {
            return FileFormat::xlsx;
        }
        return FileFormat::other_zip;
    }
}

}  // namespace

const char* format_name(FileFormat format) {
    switch (format) {
        case FileFormat::text:
            return "text";
        case FileFormat::docx:
            return "docx";
        case FileFormat::xlsx:
            return "xlsx";
        case FileFormat::ole_compound:
            return "ole_compound";
        case FileFormat::pdf:
            return "pdf";
        case FileFormat::other_zip:
            return "other_zip";
        case FileFormat::encrypted_ooxml:
            return "encrypted_ooxml";
        case FileFormat::rtf:
            return "rtf";
    }
    return "text";
}

FileFormat sniff_format(const std::string& bytes, const std::string& source_name) {
    if (starts_with(bytes, "PK\x03\x04", 4) || starts_with(bytes, "PK\x05\x06", 4)) {
        return sniff_zip(bytes, source_name);
    }
    if (starts_with(bytes, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8)) {
        // Office wraps a password-protected .docx/.xlsx in an OLE file whose
        // directory names the streams EncryptionInfo and EncryptedPackage.
        if (bytes.find(utf16le("EncryptedPackage")) != std::string::npos) {
            return FileFormat::encrypted_ooxml;
        }
        return FileFormat::ole_compound;
    }
    if (starts_with(bytes, "%PDF", 4)) {
        return FileFormat::pdf;
    }
    if (starts_with(bytes, "{\\rtf", 5)) {
        return FileFormat::rtf;
    }
    return FileFormat::text;
}

std::string refusal_for(FileFormat format, const std::string& source) {
    switch (format) {
        case FileFormat::text:
        case FileFormat::docx:
        case FileFormat::xlsx:
            return "";
        case FileFormat::ole_compound:
            return source +
                   " is an old binary Office file (Word 97-2003 .doc, WPS .wps, or Excel "
                   ".xls/.et), "
                   "which is not read: open it in Word or WPS and save it as .docx (a table in "
                   "Excel: save as .xlsx), then import that file";
        case FileFormat::encrypted_ooxml:
            return source +
                   " is password-protected (an encrypted Word or Excel file), so its text cannot "
                   "be read: open it in Word, WPS or Excel, remove the password (File > Info > "
                   "Protect Document > Encrypt with Password: clear it) and save it again as "
                   ".docx or .xlsx";
        case FileFormat::pdf:
            return source +
                   " is a PDF, which is not read (its text comes out in page layout order, not "
                   "the plan's): save the original Word file as .docx, or copy the plan's text "
                   "into a .txt file (UTF-8), and import that";
        case FileFormat::other_zip:
            return source +
                   " is a zip package but not a Word (.docx) or Excel (.xlsx) file (an "
                   "OpenDocument .odt/.ods, a .zip archive…): open it in Word, WPS or Excel and "
                   "save it as .docx or .xlsx, or import the plan file itself, not an archive of "
                   "it";
        case FileFormat::rtf:
            return source +
                   " is a Rich Text (RTF) file, whatever its name, which is not read: open it in "
                   "Word or WPS and save it as .docx";
    }
    return "";
}

}  // namespace rl::text
