// libFuzzer target: a plan file's bytes, as `plan.parse` / `plan.import`
// read them. The bytes are decoded as the default (UTF-8, or UTF-16 with a
// BOM) and as declared GBK; whatever decodes is parsed as a plan and its
// departments resolved against the demo org chart.
//
// A refusal (DocumentError, PlanError) is an answer; any other exception, a
// crash, a sanitizer report, a hang or runaway memory is a finding.
#include <cstddef>
#include <cstdint>
#include <string>

#include "config.h"
#include "core/assignment_resolver.h"
#include "core/plan_parser.h"
#include "fuzz_support.h"
#include "text/document_decoder.h"

namespace {

const rl::core::OrgChart* g_org_chart = nullptr;

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    static const rl::Config config = rl::parse_config(rl::fuzz::demo_config_json("unused.db"));
    g_org_chart = &config.org_chart;
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string bytes(reinterpret_cast<const char*>(data), size);
    for (const auto declared : {rl::text::Declared::utf8, rl::text::Declared::gbk}) {
        rl::core::Plan plan;
        try {
            const rl::text::DecodedDocument doc =
                rl::text::decode_document(bytes, "fuzz input", declared);
            rl::core::ParseOptions options;
            if (size % 2 == 1) {
                options.lead_rule = rl::core::LeadRule::explicit_only;
            }
            plan = rl::core::parse_plan(doc.text, options);
        } catch (const rl::text::DocumentError&) {
            continue;
        } catch (const rl::core::PlanError&) {
            continue;
        }
        rl::core::resolve_assignments(plan, *g_org_chart);
    }
    return 0;
}
