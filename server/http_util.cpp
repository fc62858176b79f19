#include "http_util.h"

#include <Poco/Net/NameValueCollection.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <istream>

namespace rl_server {

std::string json_string(const std::string& text) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
    w.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
    return std::string(buffer.GetString(), buffer.GetSize());
}

std::string error_body(int status, const std::string& code, const std::string& message,
                       const std::string& id) {
    std::string body =
        "{\"error\":{\"status\":" + std::to_string(status) + ",\"code\":" + json_string(code);
    if (!id.empty()) {
        body += ",\"id\":" + json_string(id);
    }
    body += ",\"message\":" + json_string(message) + "}}";
    return body;
}

void common_headers(Poco::Net::HTTPServerResponse& response) {
    response.set("X-Content-Type-Options", "nosniff");
    response.set("Referrer-Policy", "no-referrer");
    if (!response.has("Cache-Control")) {
        response.set("Cache-Control", "no-store");
    }
}

void send(Poco::Net::HTTPServerResponse& response, int status, const std::string& content_type,
          const std::string& body) {
    response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
    common_headers(response);
    response.setContentType(content_type);
    response.setContentLength(static_cast<std::streamsize>(body.size()));
    response.send().write(body.data(), static_cast<std::streamsize>(body.size()));
}

void send_json(Poco::Net::HTTPServerResponse& response, int status, const std::string& json) {
    send(response, status, "application/json; charset=utf-8", json);
}

std::string read_body(Poco::Net::HTTPServerRequest& request, std::size_t limit) {
    const std::string too_large = "the request body is larger than server.max_body_bytes (" +
                                  std::to_string(limit) + " bytes)";
    if (request.hasContentLength() && request.getContentLength64() >= 0 &&
        static_cast<std::uint64_t>(request.getContentLength64()) > limit) {
        throw HttpError(413, "too_large", too_large);
    }
    std::string body;
    std::istream& in = request.stream();
    char chunk[16384];
    while (in) {
        in.read(chunk, sizeof(chunk));
        const auto got = static_cast<std::size_t>(in.gcount());
        if (got == 0) {
            break;
        }
        if (body.size() + got > limit) {
            throw HttpError(413, "too_large", too_large);
        }
        body.append(chunk, got);
    }
    return body;
}

std::string cookie(const Poco::Net::HTTPServerRequest& request, const std::string& name) {
    Poco::Net::NameValueCollection cookies;
    request.getCookies(cookies);
    return cookies.get(name, "");
}

}  // namespace rl_server
