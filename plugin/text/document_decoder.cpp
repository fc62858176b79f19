#include "text/document_decoder.h"

#include <Poco/TextConverter.h>
#include <Poco/UTF16Encoding.h>
#include <Poco/UTF8Encoding.h>
#include <Poco/Windows936Encoding.h>

#include "core/utf8.h"

namespace rl::text {

namespace {

bool starts_with(const std::string& bytes, std::string_view prefix) {
    return bytes.compare(0, prefix.size(), prefix) == 0;
}

[[noreturn]] void refuse(const std::string& source, const std::string& why) {
    throw DocumentError("plan file '" + source + "' " + why);
}

void refuse_known_binaries(const std::string& bytes, const std::string& source) {
    if (starts_with(bytes, "PK\x03\x04")) {
        refuse(source,
               "is a zip archive (a Word .docx?), not text; save the plan as plain text "
               "(UTF-8) and import that");
    }
    if (starts_with(bytes, "\xD0\xCF\x11\xE0")) {
        refuse(source,
               "is a Word 97-2003 (.doc) or other OLE file, not text; save the plan as "
               "plain text (UTF-8) and import that");
    }
    if (starts_with(bytes, "%PDF")) {
        refuse(source, "is a PDF, not text; save the plan as plain text (UTF-8) and import that");
    }
}

// Control characters other than tab, line and page breaks mean "not a text file".
void refuse_control_characters(const std::string& text, const std::string& source) {
    for (std::size_t i = 0; i < text.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(text[i]);
        if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') || c == 0x7F) {
            refuse(source, "looks binary (control byte 0x" +
                               std::string(1, "0123456789ABCDEF"[c >> 4]) +
                               std::string(1, "0123456789ABCDEF"[c & 15]) + " at offset " +
                               std::to_string(i) + "); a plan must be a text file");
        }
    }
}

std::string from_utf16(const std::string& bytes, Poco::UTF16Encoding::ByteOrderType order,
                       const std::string& source) {
    Poco::UTF16Encoding utf16(order);
    Poco::UTF8Encoding utf8;
    Poco::TextConverter converter(utf16, utf8);
    std::string out;
    const int errors = converter.convert(bytes.data() + 2, static_cast<int>(bytes.size() - 2), out);
    if (errors != 0 || bytes.size() % 2 != 0) {
        refuse(source, "starts with a UTF-16 byte-order mark but is not valid UTF-16");
    }
    return out;
}

// Strict GBK: any byte sequence GBK does not define is an error, reported with
// its offset, so nothing is ever imported as mojibake.
std::string from_gbk(const std::string& bytes, const std::string& source) {
    Poco::Windows936Encoding gbk;
    std::string out;
    out.reserve(bytes.size() * 3 / 2);
    const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
    const std::size_t size = bytes.size();
    for (std::size_t i = 0; i < size;) {
        if (data[i] < 0x80) {
            out += static_cast<char>(data[i]);
            ++i;
            continue;
        }
        const int available = static_cast<int>(std::min<std::size_t>(size - i, 4));
        const int length = gbk.sequenceLength(data + i, available);
        const int code =
            length > 0 && length <= available ? gbk.queryConvert(data + i, length) : -1;
        if (code < 0) {
            refuse(source, "is neither UTF-8 nor GBK: byte 0x" +
                               std::string(1, "0123456789ABCDEF"[data[i] >> 4]) +
                               std::string(1, "0123456789ABCDEF"[data[i] & 15]) + " at offset " +
                               std::to_string(i) +
                               " cannot be decoded (GB18030 four-byte text is not supported); "
                               "save the plan as UTF-8 and import it again");
        }
        rl::core::utf8::append(out, static_cast<char32_t>(code));
        i += static_cast<std::size_t>(length);
    }
    return out;
}

}  // namespace

DecodedDocument decode_document(const std::string& bytes, const std::string& source,
                                Declared declared) {
    if (bytes.empty()) {
        refuse(source, "is empty; expected the text of a plan");
    }
    DecodedDocument doc;
    if (starts_with(bytes, "\xFF\xFE") || starts_with(bytes, "\xFE\xFF")) {
        const bool little = bytes[0] == '\xFF';
        doc.text = from_utf16(bytes,
                              little ? Poco::UTF16Encoding::LITTLE_ENDIAN_BYTE_ORDER
                                     : Poco::UTF16Encoding::BIG_ENDIAN_BYTE_ORDER,
                              source);
        doc.encoding = little ? "UTF-16LE" : "UTF-16BE";
    } else {
        refuse_known_binaries(bytes, source);
        std::string body = starts_with(bytes, "\xEF\xBB\xBF") ? bytes.substr(3) : bytes;
        if (body.find('\0') != std::string::npos) {
            refuse(source, "looks binary (it contains NUL bytes, first at offset " +
                               std::to_string(body.find('\0')) + "); a plan must be a text file");
        }
        const bool utf8 = rl::core::utf8::is_valid(body);
        if (declared == Declared::gbk) {
            if (utf8 && rl::core::utf8::length(body) != body.size()) {
                refuse(source,
                       "is valid UTF-8 with Chinese text, not GBK; import it without the "
                       "GBK encoding option");
            }
            refuse_control_characters(body, source);
            doc.text = from_gbk(body, source);
            doc.encoding = "GBK";
        } else if (utf8) {
            doc.text = std::move(body);
            doc.encoding = "UTF-8";
        } else {
            refuse_control_characters(body, source);
            from_gbk(body, source);  // refuses, with the offset, if it is not GBK either
            refuse(source,
                   "is not UTF-8: it looks GBK-encoded (as Windows saves Chinese text); "
                   "import it with the encoding option set to GBK (oa-stub: --encoding "
                   "gbk) to convert it, or save it as UTF-8");
        }
    }
    refuse_control_characters(doc.text, source);
    doc.text = normalise_line_ends(doc.text);
    if (rl::core::utf8::trim(doc.text).empty()) {
        refuse(source, "contains only whitespace; expected the text of a plan");
    }
    return doc;
}

std::string normalise_line_ends(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\r') {
            out += '\n';
            if (i + 1 < text.size() && text[i + 1] == '\n') {
                ++i;
            }
        } else {
            out += text[i];
        }
    }
    return out;
}

}  // namespace rl::text
