// Declarations only: LLVMFuzzerRunDriver comes from the libFuzzer runtime that
// -sanitize=fuzzer links in.
#include "CFuzzer.h"
