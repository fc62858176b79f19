// The OpenAPI 3.0 document of the sidecar, generated from the plugin's method
// catalogue (plugin.describe): one path per method, its request without the
// identity fields the sidecar fills, its result, its errors.
#pragma once

#include <string>

#include "method_catalogue.h"

namespace rl_server {

std::string openapi_document(const MethodCatalogue& catalogue, const std::string& plugin_version,
                             bool demo);

}  // namespace rl_server
