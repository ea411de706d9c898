/* libFuzzer: /proc/self/mountinfo lines (mounts/mountinfo.c), whose mount
 * sources come from the NFS server's export names (octal escapes, spaces).
 * A found source is NUL-terminated and fits (it may hold a decoded \012:
 * the facts file masks control bytes). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../../mounts/mountinfo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const mps[] = { "/newroot", "/", "/run/nfsinit/lower", "/a b" };
	char out[256];
	char *buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	for (size_t i = 0; i < sizeof(mps) / sizeof(mps[0]); i++) {
		if (mountinfo_source(buf, size, mps[i], out, sizeof(out)) == 0) {
			size_t n = strnlen(out, sizeof(out));
			if (n == sizeof(out))
				abort();
		}
	}
	free(buf);
	return 0;
}
