/* libFuzzer: hook file names (they come from the shared root, outside the
 * image) and the outcome/timeout they carry. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "../../hooks/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char name[256];
	struct err_reason err;
	struct hook_policy p;

	if (size >= sizeof(name))
		size = sizeof(name) - 1;
	memcpy(name, data, size);
	name[size] = '\0';
	int rc = hook_policy_parse(name, 30000, &p, &err);
	if (p.timeout_ms == 0 || p.timeout_ms > HOOK_TIMEOUT_MAX_S * 1000u || (rc && p.timeout_ms != 30000))
		__builtin_trap();
	return 0;
}
