// reform-ledger-server: see sidecar_app.h and docs/server.md.
#include <iostream>

#include "sidecar_app.h"

int main(int argc, char** argv) {
    try {
        rl_server::SidecarApp app;
        return app.run(argc, argv);
    } catch (const Poco::Exception& e) {
        std::cerr << "reform-ledger-server: " << e.displayText() << std::endl;
    } catch (const std::exception& e) {
        std::cerr << "reform-ledger-server: " << e.what() << std::endl;
    }
    return Poco::Util::Application::EXIT_SOFTWARE;
}
