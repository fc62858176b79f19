// One plugin instance: its lifecycle and call(), which runs a method of the
// dispatch table (method_table.h; the families of methods in families.h)
// against the instance's Context. The C entry points in entry.cpp are thin
// wrappers around this class.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>

#include "abi/answer_buffers.h"
#include "abi/context.h"
#include "abi/host.h"
#include "abi/method_table.h"
#include "config.h"

struct rl_instance {
    virtual ~rl_instance() = default;
};

namespace rl::abi {

class Instance : public rl_instance {
public:
    // Builds the method table (refusing a method two families claim), opens
    // and migrates the database, then registers the definitions.
    Instance(const rl_host_services& host, Config config);
    ~Instance() override;

    // Runs a method as one database transaction and hands its JSON result to
    // emit before committing; if emit throws, the transaction rolls back.
    // Throws on failure.
    void call(std::string_view method, std::string_view request,
              const std::function<void(std::string_view)>& emit);
    void shutdown();

    const Host& host() const { return context_->host(); }

private:
    void register_definitions();

    const MethodTable methods_;  // before context_, which refers to it
    std::unique_ptr<Context> context_;
    AnswerBuffers buffers_;  // what call() writes answers into, kept from call to call
    std::atomic<bool> shut_down_{false};
    std::shared_mutex lifecycle_;  // calls share it; shutdown takes it alone
};

}  // namespace rl::abi
