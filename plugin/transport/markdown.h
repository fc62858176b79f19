// Text from people and plan files (urge notes, supervision notices, task
// titles, names) inside the chat robots' markdown (DingTalk, WeCom): shown as
// it was written, never read as markup, links, mentions or layout. The
// webhook channel's JSON carries the same text exactly; only the markdown is
// made literal.
#pragma once

#include <string>
#include <string_view>

namespace rl::transport {

// s as one line of plain text: control characters (C0, DEL, C1), bidirectional
// embeddings, overrides, isolates and marks, zero-width and other invisible
// format characters and Unicode tag characters are removed; tabs, line and
// paragraph breaks become a space; invalid UTF-8 becomes U+FFFD. For titles
// and any text a person reads in a notification list.
std::string plain_line(std::string_view s);

// plain_line(s), then every character the robots' markdown interprets is
// replaced by its full-width form, which reads the same in Chinese text:
// \ ` * _ [ ] < > # @ | ~ & become ＼ ｀ ＊ ＿ ［ ］ ＜ ＞ ＃ ＠ ｜ ～ ＆ (no emphasis,
// code, links, images, HTML tags, headings, quotes, mentions, tables or
// entities); "://" and "www." lose their power to become links ("：//",
// "www．"); a leading - + = or "1." cannot start a list or a rule.
std::string markdown_literal(std::string_view s);

}  // namespace rl::transport
