#include "transport/signing.h"

#include <Poco/Base64Decoder.h>
#include <Poco/Base64Encoder.h>
#include <Poco/Exception.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <sstream>
#include <stdexcept>

namespace rl::transport {

namespace {

std::string base64(const unsigned char* bytes, std::size_t size) {
    std::ostringstream out;
    Poco::Base64Encoder encoder(out);
    encoder.rdbuf()->setLineLength(0);  // Poco wraps at 72 characters otherwise
    encoder.write(reinterpret_cast<const char*>(bytes), static_cast<std::streamsize>(size));
    encoder.close();
    return out.str();
}

// OpenSSL's HMAC-SHA256: Poco 1.11's portable SHA-2 costs several times as
// much per message, and every message is signed (and verified) once.
std::string hmac_sha256_base64(const std::string& key, const std::string& message) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
             reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest,
             &size) == nullptr) {
        throw std::runtime_error("HMAC-SHA256 failed");
    }
    return base64(digest, size);
}

constexpr std::string_view kWhsecPrefix = "whsec_";

bool is_base64_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '+' || c == '/' || c == '=';
}

std::string webhook_key(const std::string& secret_whsec) {
    if (secret_whsec.compare(0, kWhsecPrefix.size(), kWhsecPrefix) != 0) {
        throw std::invalid_argument("webhook secret must start with whsec_");
    }
    const std::string encoded = secret_whsec.substr(kWhsecPrefix.size());
    if (encoded.empty() || encoded.size() % 4 != 0) {
        throw std::invalid_argument("webhook secret is not valid base64 after whsec_");
    }
    for (char c : encoded) {
        if (!is_base64_char(c)) {
            throw std::invalid_argument("webhook secret is not valid base64 after whsec_");
        }
    }
    std::string key;
    try {
        std::istringstream in(encoded);
        Poco::Base64Decoder decoder(in);
        std::ostringstream out;
        out << decoder.rdbuf();
        key = out.str();
    } catch (const Poco::Exception&) {
        throw std::invalid_argument("webhook secret is not valid base64 after whsec_");
    }
    if (key.empty()) {
        throw std::invalid_argument("webhook secret has an empty key");
    }
    return key;
}

bool is_word_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
}

bool iequals_at(const std::string& text, std::size_t pos, std::string_view word) {
    if (pos + word.size() > text.size()) {
        return false;
    }
    for (std::size_t i = 0; i < word.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(text[pos + i])) != word[i]) {
            return false;
        }
    }
    return true;
}

bool ends_query_value(char c) {
    switch (c) {
        case '&':
        case ' ':
        case '\t':
        case '\r':
        case '\n':
        case '"':
        case '\'':
        case ',':
        case ';':
        case '#':
        case '<':
        case '>':
        case '(':
        case ')':
        case '[':
        case ']':
        case '{':
        case '}':
            return true;
        default:
            return false;
    }
}

bool is_token_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '+' || c == '/' || c == '=' ||
           c == '_' || c == '-' || c == '%';
}

// If a sensitive name starts at pos (as a whole word), returns the [begin, end) of its value.
bool find_value(const std::string& text, std::size_t pos, std::size_t& begin, std::size_t& end) {
    static constexpr std::array<std::string_view, 9> kNames = {
        "access_token", "secret",     "sign",        "key",          "appsecret",
        "corpsecret",   "app_secret", "corp_secret", "client_secret"};
    if (pos > 0 && is_word_char(text[pos - 1])) {
        return false;
    }
    for (std::string_view name : kNames) {
        if (!iequals_at(text, pos, name)) {
            continue;
        }
        std::size_t i = pos + name.size();
        if (i < text.size() && is_word_char(text[i])) {
            continue;  // "signature", "keyword": another name
        }
        if (i < text.size() && text[i] == '=') {  // key=value
            begin = end = i + 1;
            while (end < text.size() && !ends_query_value(text[end])) {
                ++end;
            }
            return end > begin;
        }
        // JSON member: "secret": "value"
        if (pos == 0 || text[pos - 1] != '"' || i >= text.size() || text[i] != '"') {
            continue;
        }
        ++i;
        while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) {
            ++i;
        }
        if (i >= text.size() || text[i] != ':') {
            continue;
        }
        ++i;
        while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) {
            ++i;
        }
        if (i >= text.size() || text[i] != '"') {
            continue;
        }
        begin = end = i + 1;
        while (end < text.size() && text[end] != '"') {
            end += text[end] == '\\' && end + 1 < text.size() ? 2 : 1;
        }
        end = std::min(end, text.size());
        return end > begin;
    }
    return false;
}

// DingTalk robot secrets: "SEC" followed by a long run of hex digits.
std::size_t dingtalk_secret_length(const std::string& text, std::size_t pos) {
    if (text.compare(pos, 3, "SEC") != 0 || (pos > 0 && is_word_char(text[pos - 1]))) {
        return 0;
    }
    std::size_t end = pos + 3;
    while (end < text.size() && std::isxdigit(static_cast<unsigned char>(text[end])) != 0) {
        ++end;
    }
    if (end - pos - 3 < 32 || (end < text.size() && is_word_char(text[end]))) {
        return 0;
    }
    return end - pos;
}

}  // namespace

void validate_webhook_secret(const std::string& secret_whsec) {
    (void)webhook_key(secret_whsec);
}

std::string standard_webhooks_signature(const std::string& secret_whsec, const std::string& id,
                                        std::int64_t timestamp_s, const std::string& body) {
    const std::string key = webhook_key(secret_whsec);
    std::string content;
    content.reserve(id.size() + body.size() + 24);
    content.append(id).append(".").append(std::to_string(timestamp_s)).append(".").append(body);
    return "v1," + hmac_sha256_base64(key, content);
}

std::string dingtalk_sign(const std::string& secret, std::int64_t timestamp_ms) {
    return hmac_sha256_base64(secret, std::to_string(timestamp_ms) + "\n" + secret);
}

std::string redact(std::string text) {
    std::string out;
    out.reserve(text.size());
    std::size_t pos = 0;
    while (pos < text.size()) {
        if (text.compare(pos, kWhsecPrefix.size(), kWhsecPrefix) == 0) {
            std::size_t end = pos + kWhsecPrefix.size();
            while (end < text.size() && is_token_char(text[end])) {
                ++end;
            }
            out += "***";
            pos = end;
            continue;
        }
        if (std::size_t n = dingtalk_secret_length(text, pos); n > 0) {
            out += "***";
            pos += n;
            continue;
        }
        std::size_t begin = 0;
        std::size_t end = 0;
        if (find_value(text, pos, begin, end)) {
            out.append(text, pos, begin - pos);
            out += "***";
            pos = end;
            continue;
        }
        out += text[pos];
        ++pos;
    }
    return out;
}

std::string url_encode_component(std::string_view value) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(value.size() * 3);
    for (char ch : value) {
        const auto c = static_cast<unsigned char>(ch);
        if (std::isalnum(c) != 0 || c == '-' || c == '.' || c == '_' || c == '~') {
            out += ch;
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 0x0F];
        }
    }
    return out;
}

}  // namespace rl::transport
