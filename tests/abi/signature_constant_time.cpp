// Run under valgrind's memcheck (ctest: abi.receiver_compares_signatures_in_constant_time):
// the expected signature is marked as undefined memory, so any branch or
// memory address that depends on its bytes — an early exit at the first
// differing byte, which would let a client guess a signature byte by byte
// from response times — is reported as an error, and valgrind exits 1.
// Only the size of the signatures may be looked at, and the final answer.
#include <valgrind/memcheck.h>

#include <cstdio>
#include <string>

#include "message_receiver.h"

int main() {
    // A real-looking v1 signature (47 characters) and candidates that differ
    // from it first, last, nowhere, or are another size.
    const std::string expected = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    const std::string first = "v1,h0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    const std::string last = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OA=";
    const std::string headers[] = {first,
                                   last,
                                   expected,
                                   first + " " + expected,
                                   expected + " " + last,
                                   "v1,short=",
                                   "v1a,other " + last};
    const bool wanted[] = {false, false, true, true, true, false, false};

    int failures = 0;
    for (std::size_t i = 0; i < sizeof wanted / sizeof wanted[0]; ++i) {
        std::string secret = expected;
        VALGRIND_MAKE_MEM_UNDEFINED(secret.data(), secret.size());
        bool matched = oa_stub::signature_matches(headers[i], secret);
        VALGRIND_MAKE_MEM_DEFINED(&matched, sizeof matched);
        if (matched != wanted[i]) {
            std::fprintf(stderr, "signature_matches(\"%s\") = %d, expected %d\n",
                         headers[i].c_str(), matched, wanted[i]);
            ++failures;
        }
    }
    return failures == 0 ? 0 : 1;
}
