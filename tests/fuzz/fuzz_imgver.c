/* libFuzzer: the image-version file of the shared root (mounts/imgver.c),
 * whose name goes into facts and hook environments: what it accepts is one
 * short name of letters, digits and . _ - + : only. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../../mounts/imgver.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char out[IMGVER_MAX];
	char *buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	if (imgver_parse(buf, size, out, sizeof(out)) == 0) {
		size_t n = strnlen(out, sizeof(out));
		if (n == 0 || n == sizeof(out))
			abort();
		for (size_t i = 0; i < n; i++)
			if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-+:", out[i]))
				abort();
	}
	free(buf);
	return 0;
}
