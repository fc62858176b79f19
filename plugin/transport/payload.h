// Request bodies for the chat robots, and the byte limits they impose.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace rl::transport {

// WeCom group robot: markdown content is limited to 4096 bytes of UTF-8.
constexpr std::size_t kWecomMarkdownMaxBytes = 4096;

// text unchanged if it fits in max_bytes; otherwise cut at a character boundary and followed
// by ellipsis, the whole at most max_bytes bytes. Never splits a UTF-8 sequence.
std::string truncate_utf8(std::string_view text, std::size_t max_bytes,
                          std::string_view ellipsis = "\xE2\x80\xA6" /* … */);

// {"msgtype":"markdown","markdown":{"title":…,"text":…}}
std::string dingtalk_markdown_body(std::string_view title, std::string_view text);

// {"msgtype":"markdown","markdown":{"content":…}} with content truncated to
// kWecomMarkdownMaxBytes (see truncate_utf8).
std::string wecom_markdown_body(std::string_view content);

}  // namespace rl::transport
