#include "storage/step_actors.h"

namespace rl::storage {

std::string encode_step_actors(const std::vector<core::StepActor>& actors) {
    std::string out;
    for (const auto& a : actors) {
        out += out.empty() ? "" : "\n";
        out += a.step + "\t" + a.person;
    }
    return out;
}

std::vector<core::StepActor> decode_step_actors(const std::string& text) {
    std::vector<core::StepActor> out;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos) {
            end = text.size();
        }
        const std::string line = text.substr(start, end - start);
        const auto tab = line.find('\t');
        if (tab != std::string::npos) {
            out.push_back({line.substr(0, tab), line.substr(tab + 1)});
        }
        start = end + 1;
    }
    return out;
}

}  // namespace rl::storage
