// Runs the real reform-ledger-server for a test: a configuration file in a
// temporary folder, the process on 127.0.0.1:0 (its stdout says the port),
// its log in a file; and a small HTTP(S) client and token signer.
#pragma once

#include <Poco/Crypto/ECKey.h>
#include <Poco/Crypto/RSAKey.h>
#include <Poco/JWT/Signer.h>
#include <Poco/JWT/Token.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>
#include <Poco/Timestamp.h>
#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "support/test_support.h"

namespace rl::test::server {

// The HS256 secret the tests share with the server (32+ bytes).
inline const std::string kSecret = "reform-ledger server tests: a shared HS256 secret";

// A token for sub, valid for lifetime_s from now (negative: expired).
inline std::string hs256_token(const std::string& sub, long lifetime_s = 300,
                               const std::string& scope = "", const std::string& secret = kSecret) {
    Poco::JWT::Token token;
    token.setType("JWT");
    token.setSubject(sub);
    token.setIssuedAt(Poco::Timestamp() + Poco::Timespan(std::min<long>(lifetime_s, 0) - 5, 0));
    token.setExpiration(Poco::Timestamp() + Poco::Timespan(lifetime_s, 0));
    if (!scope.empty()) {
        token.payload().set("scope", scope);
    }
    Poco::JWT::Signer signer(secret);
    return signer.sign(token, Poco::JWT::Signer::ALGO_HS256);
}

struct Response {
    int status = 0;
    std::string body;
    Poco::Net::NameValueCollection headers;
    std::string header(const std::string& name) const { return headers.get(name, ""); }
};

class ServerProcess {
public:
    // extra: configuration lines ("key = value"); args: more command-line options.
    explicit ServerProcess(const std::vector<std::string>& extra = {},
                           const std::vector<std::string>& args = {}, bool wait = true) {
        start(extra, args, wait);
    }
    ~ServerProcess() {
        if (running()) {
            ::kill(pid_, SIGKILL);
            int status = 0;
            ::waitpid(pid_, &status, 0);
        }
    }
    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;

    int port() const { return port_; }
    const std::string& scheme() const { return scheme_; }
    const TempDir& dir() const { return dir_; }
    std::string database() const { return dir_.file("ledger.db"); }
    std::string log() const { return read_file(dir_.file("server.log")); }
    std::string out() const { return read_file(dir_.file("server.out")); }

    bool running() {
        if (exited_) {
            return false;
        }
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {
            exited_ = true;
            exit_status_ = status;
            return false;
        }
        return true;
    }

    void terminate() { ::kill(pid_, SIGTERM); }

    // The exit code once the process ends (within timeout_s), or -1.
    int wait_exit(int timeout_s = 60) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
        while (running()) {
            if (std::chrono::steady_clock::now() > deadline) {
                return -1;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        return WIFEXITED(exit_status_) ? WEXITSTATUS(exit_status_) : 128 + WTERMSIG(exit_status_);
    }

    // Waits until the log contains text (true), or timeout_s passes.
    bool wait_for_log(const std::string& text, int timeout_s = 60) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
        while (std::chrono::steady_clock::now() < deadline) {
            if (log().find(text) != std::string::npos) {
                return true;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        return false;
    }

    Response request(const std::string& method, const std::string& path,
                     const std::string& body = "",
                     const std::map<std::string, std::string>& headers = {}) const {
        std::unique_ptr<Poco::Net::HTTPClientSession> session;
        if (scheme_ == "https") {
            Poco::Net::Context::Ptr context(
                new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", ca_file_,
                                       Poco::Net::Context::VERIFY_RELAXED));
            session = std::make_unique<Poco::Net::HTTPSClientSession>(
                "127.0.0.1", static_cast<Poco::UInt16>(port_), context);
        } else {
            session = std::make_unique<Poco::Net::HTTPClientSession>(
                "127.0.0.1", static_cast<Poco::UInt16>(port_));
        }
        session->setTimeout(Poco::Timespan(60, 0));
        Poco::Net::HTTPRequest req(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
        for (const auto& [name, value] : headers) {
            req.set(name, value);
        }
        if (method == "POST" || !body.empty()) {
            req.setContentType("application/json");
            req.setContentLength(static_cast<std::streamsize>(body.size()));
        }
        session->sendRequest(req) << body;
        Poco::Net::HTTPResponse res;
        std::istream& in = session->receiveResponse(res);
        Response out;
        out.status = static_cast<int>(res.getStatus());
        Poco::StreamCopier::copyToString(in, out.body);
        for (const auto& [name, value] : res) {
            out.headers.add(name, value);
        }
        return out;
    }

    // POST /api/v1/{method} with a bearer token.
    Response call(const std::string& method, const std::string& body,
                  const std::string& token) const {
        return request("POST", "/api/v1/" + method, body, {{"Authorization", "Bearer " + token}});
    }

    void set_ca_file(const std::string& path) { ca_file_ = path; }

private:
    void start(const std::vector<std::string>& extra, const std::vector<std::string>& args,
               bool wait) {
        // On PostgreSQL the plugin's configuration (a test's plugin.config, else
        // the demo's) names database()'s schema there instead of the file.
        std::string database_line = "plugin.database = " + database();
        std::vector<std::string> lines;
        std::string plugin_config = std::string(RL_DEMO_DIR) + "/config.json";
        for (const auto& line : extra) {
            const std::string key = "plugin.config = ";
            if (rl::test::on_postgresql() && line.rfind(key, 0) == 0) {
                plugin_config = line.substr(key.size());
            } else {
                lines.push_back(line);
            }
        }
        if (rl::test::on_postgresql()) {
            const std::string moved =
                rl::test::configuration_with_database(plugin_config, database());
            database_line = moved.empty()
                                ? "plugin.config = " + plugin_config + "\n" + database_line
                                : "plugin.config = " + moved;
        }
        std::string config = "server.port = 0\n" + database_line +
                             "\n"
                             "auth.hs256_secret = " +
                             kSecret +
                             "\n"
                             "work.sweep_interval_s = 0\n"
                             "work.deliver_interval_ms = 0\n";
        for (const auto& line : lines) {
            config += line + "\n";
        }
        write_file(dir_.file("server.properties"), config);
        std::string command = "exec " + shell_quote(RL_SERVER) +
                              " --config=" + shell_quote(dir_.file("server.properties"));
        for (const auto& a : args) {
            command += " " + shell_quote(a);
        }
        command += " >" + shell_quote(dir_.file("server.out")) + " 2>" +
                   shell_quote(dir_.file("server.log"));
        write_file(dir_.file("server.out"), "");
        write_file(dir_.file("server.log"), "");
        pid_ = ::fork();
        if (pid_ == 0) {
            ::execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
            ::_exit(127);
        }
        if (!wait) {
            return;
        }
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(90);
        while (std::chrono::steady_clock::now() < deadline) {
            const std::string text = out();
            const auto at = text.find("listening on ");
            const auto end = text.find('\n', at);
            if (at != std::string::npos && end != std::string::npos) {
                const std::string url = text.substr(at + 13, end - at - 13);
                scheme_ = url.substr(0, url.find(':'));
                port_ = std::stoi(url.substr(url.rfind(':') + 1));
                return;
            }
            if (!running()) {
                throw std::runtime_error("reform-ledger-server exited at start:\n" + log());
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        throw std::runtime_error("reform-ledger-server did not start listening:\n" + log());
    }

    TempDir dir_;
    pid_t pid_ = -1;
    bool exited_ = false;
    int exit_status_ = 0;
    int port_ = 0;
    std::string scheme_ = "http";
    std::string ca_file_;
};

}  // namespace rl::test::server
