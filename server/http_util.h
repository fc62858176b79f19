// Small pieces every handler of the sidecar uses: JSON bodies, error bodies in
// the one shape the contract gives them, and reading a body within a limit.
#pragma once

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <cstddef>
#include <stdexcept>
#include <string>

namespace rl_server {

// A request the sidecar refuses before the plugin sees it: the HTTP status,
// a stable code ("identity", "csrf", "unauthorized" …) and a message.
class HttpError : public std::runtime_error {
public:
    HttpError(int status, std::string code, const std::string& message)
        : std::runtime_error(message), status_(status), code_(std::move(code)) {}
    int status() const { return status_; }
    const std::string& code() const { return code_; }

private:
    int status_;
    std::string code_;
};

// {"error":{"status":…,"code":…,"message":…}} (and "id" when given).
std::string error_body(int status, const std::string& code, const std::string& message,
                       const std::string& id = "");

// The headers every answer carries (no caching of API answers, no sniffing).
void common_headers(Poco::Net::HTTPServerResponse& response);

void send(Poco::Net::HTTPServerResponse& response, int status, const std::string& content_type,
          const std::string& body);
void send_json(Poco::Net::HTTPServerResponse& response, int status, const std::string& json);

// The request body, at most limit bytes: HttpError 413 beyond it (from
// Content-Length at once, or while reading a chunked body).
std::string read_body(Poco::Net::HTTPServerRequest& request, std::size_t limit);

// A JSON string literal (with quotes) for text.
std::string json_string(const std::string& text);

// The value of cookie name in the request, or "".
std::string cookie(const Poco::Net::HTTPServerRequest& request, const std::string& name);

}  // namespace rl_server
