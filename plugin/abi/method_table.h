// The dispatch table: each ABI method's name, its handler and the
// transaction call() runs it in. Families of methods (plans, reports, audit,
// notifications …) fill it, each from its own file, through one registration
// function; Instance builds the table at start and looks methods up in it.
//
// Adding a family of methods:
//   1. a new plugin/abi/<family>_methods.cpp (and its line in
//      plugin/CMakeLists.txt): its handlers as free functions of
//      (Context&, request, writer) in an anonymous namespace, and
//          void add_<family>_methods(MethodTable& table) {
//              table.add("family.verb", Tx::write, family_verb);
//          }
//   2. one registration line in families.cpp (its declaration is in
//      families.h);
//   3. each method described in plugin/catalogue/methods.json and
//      docs/abi.md (plugin.describe refuses a catalogue that does not name
//      exactly the methods of the table).
// A handler reads what the methods share through Context (context.h), never
// the Instance; helpers shared by several families live in context.h or
// obligation_views.h, not in a family's file.
#pragma once

#include <rapidjson/document.h>

#include <map>
#include <string>
#include <string_view>

#include "json_util.h"

namespace rl::abi {

class Context;

// The transaction call() runs a method in.
enum class Tx {
    read,   // one read transaction
    write,  // one write transaction (BEGIN IMMEDIATE)
    none,   // manages its own (delivery: never hold the database while sending)
    // Writes in slices of its own first, then one last write transaction in
    // which call() also hands the result out, so that a call that fails —
    // even at its sink — leaves nothing a reader sees: the handler writes no
    // result itself but gives Context::in_last_write() what to write in that
    // transaction (plan.import).
    slices,
};

using HandlerFn = void (*)(Context& context, const rapidjson::Document& request, json::Writer& out);

// Thrown by a write's handler once it has written its whole result, when
// nothing it wrote may stay: a refused action leaves the ledger as it was,
// even the month it opened to find its obligation. call() hands the result
// to the host as usual and rolls the transaction back.
struct DiscardWrites {};

// Whether call() may give a read's answer again while the ledger, the
// request and the court's day are unchanged (answer_cache.h). Only for a
// Tx::read whose answer depends on nothing else: the configuration is fixed
// while the instance runs, the host's clock enters only as today's date.
enum class Keep { no, answers };

struct Method {
    HandlerFn fn;
    Tx tx;
    Keep keep = Keep::no;
};

class MethodTable {
public:
    // Adds a method. Throws std::logic_error when name is already in the
    // table (two families claiming one method) or fn is null: the instance is
    // then refused at start rather than one family's handler silently lost.
    void add(const std::string& name, Tx tx, HandlerFn fn, Keep keep = Keep::no);

    // The method called name, or nullptr.
    const Method* find(std::string_view name) const;

    // In name order.
    using Entries = std::map<std::string, Method, std::less<>>;
    Entries::const_iterator begin() const { return methods_.begin(); }
    Entries::const_iterator end() const { return methods_.end(); }

private:
    Entries methods_;
};

}  // namespace rl::abi
