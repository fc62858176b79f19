// The work a host does between requests, as oa-stub's `notify` commands do it
// by hand: the reminder sweep (notify.sweep) on a timer and the delivery of
// the outbox (notify.deliver) by one worker thread. Both are plugin calls
// ([thread-safe] in the ABI); a failure is logged and tried again next time.
#pragma once

#include <Poco/Logger.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "metrics.h"

namespace rl_server {

class BackgroundWork {
public:
    using Call = std::function<std::string(const std::string& method)>;

    // An interval of 0 turns that work off.
    BackgroundWork(Call call, Metrics& metrics, Poco::Logger& log,
                   std::chrono::milliseconds sweep_interval,
                   std::chrono::milliseconds deliver_interval);
    ~BackgroundWork();

    void start();
    // Wakes the thread and joins it; the call under way finishes first.
    void stop();

private:
    void run();
    void sweep();
    void deliver();

    Call call_;
    Metrics& metrics_;
    Poco::Logger& log_;
    std::chrono::milliseconds sweep_interval_;
    std::chrono::milliseconds deliver_interval_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace rl_server
