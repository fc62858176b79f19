// reform-ledger-server: a Poco Util ServerApplication (options, a configuration
// file, logging, signals) that loads the plugin like oa-stub does, serves it
// over HTTP(S), runs the sweep and the delivery worker, and on SIGTERM or
// SIGINT stops accepting, finishes the requests under way, joins the worker
// and exits 0.
#pragma once

#include <Poco/AutoPtr.h>
#include <Poco/Util/MapConfiguration.h>
#include <Poco/Util/ServerApplication.h>

#include <string>
#include <vector>

namespace rl_server {

class SidecarApp : public Poco::Util::ServerApplication {
public:
    SidecarApp();

protected:
    void initialize(Poco::Util::Application& self) override;
    void defineOptions(Poco::Util::OptionSet& options) override;
    void handleOption(const std::string& name, const std::string& value) override;
    int main(const std::vector<std::string>& args) override;

private:
    void show_help() const;
    // Above PRIO_APPLICATION (-100), where --config's file goes.
    static constexpr int kCommandLinePriority = -200;
    Poco::AutoPtr<Poco::Util::MapConfiguration> overrides_;
    bool help_requested_ = false;
};

}  // namespace rl_server
