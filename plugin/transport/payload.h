// Request bodies for the chat robots, and the byte limits they impose.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace rl::transport {

// WeCom group robot: markdown content is limited to 4096 bytes of UTF-8.
constexpr std::size_t kWecomMarkdownMaxBytes = 4096;
// WeCom 应用消息: markdown content 2048 bytes; textcard title 128, description 512 bytes.
constexpr std::size_t kWecomAppMarkdownMaxBytes = 2048;
constexpr std::size_t kWecomCardTitleMaxBytes = 128;
constexpr std::size_t kWecomCardDescriptionMaxBytes = 512;
// DingTalk 工作通知: at most 100 user ids in one userid_list; WeCom touser at most 1000.
constexpr std::size_t kDingtalkMaxUsers = 100;
constexpr std::size_t kWecomMaxUsers = 1000;

// text unchanged if it fits in max_bytes; otherwise cut at a character boundary and followed
// by ellipsis, the whole at most max_bytes bytes. Never splits a UTF-8 sequence.
std::string truncate_utf8(std::string_view text, std::size_t max_bytes,
                          std::string_view ellipsis = "\xE2\x80\xA6" /* … */);

// {"msgtype":"markdown","markdown":{"title":…,"text":…}}
std::string dingtalk_markdown_body(std::string_view title, std::string_view text);

// {"msgtype":"markdown","markdown":{"content":…}} with content truncated to
// kWecomMarkdownMaxBytes (see truncate_utf8).
std::string wecom_markdown_body(std::string_view content);

// DingTalk 工作通知 (POST /topapi/message/corpconversation/asyncsend_v2):
// {"agent_id":N,"userid_list":"a,b","msg":…} where msg is an action_card with one button
// ("打开台账") to link when there is one, markdown otherwise. agent_id: digits.
std::string dingtalk_work_notice_body(std::string_view agent_id,
                                      const std::vector<std::string>& user_ids,
                                      std::string_view title, std::string_view markdown,
                                      std::string_view link);

// WeCom 应用消息 (POST /cgi-bin/message/send): {"touser":"a|b","agentid":N,…}, a textcard
// (title, description, url) when there is a link, markdown otherwise, with WeCom's duplicate
// check on (the same request within 30 minutes reaches nobody twice: a resend after a lost
// reply is harmless).
std::string wecom_app_message_body(std::string_view agent_id,
                                   const std::vector<std::string>& user_ids, std::string_view title,
                                   std::string_view markdown, std::string_view summary,
                                   std::string_view link);

}  // namespace rl::transport
