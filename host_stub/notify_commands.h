// oa-stub's notification commands: the reminder sweep and delivery, their
// operations, urges, supervision notices, and `serve` (the receiver plus a
// sweep on a timer) — each a client of the plugin's ABI methods.
#pragma once

#include "message_receiver.h"
#include "report_commands.h"

namespace oa_stub {

int notify_command(CliContext& c);
int urge_command(CliContext& c);
int supervise_command(CliContext& c);
// Runs until SIGINT/SIGTERM or --seconds: sweeps every --sweep-every seconds
// and prints what the receiver gets.
int serve_command(CliContext& c, MessageReceiver& receiver);

// The main job's last part: a sweep as of the scripted month's end, delivery
// to the stub's receiver, and what it received.
void demo_notifications(CliContext& c, MessageReceiver& receiver);

}  // namespace oa_stub
