// libFuzzer's documented entry point for programs with their own main
// (llvm/lib/FuzzingEngine/FuzzerInterface.h, "LLVMFuzzerRunDriver").
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*UserCb)(const uint8_t *Data, size_t Size));
