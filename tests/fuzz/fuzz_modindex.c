/* libFuzzer: the module index /init reads from the image, and the module
 * parameter extraction from the command line. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../../init/modload.h"

static struct modindex idx;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct modindex_error err;
	char *buf = malloc(size ? size : 1), params[512], line[4096];
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	modindex_init(&idx);
	(void)modindex_parse(buf, size, &idx, &err);
	free(buf);

	if (size >= sizeof(line))
		size = sizeof(line) - 1;
	memcpy(line, data, size);
	line[size] = '\0';
	(void)modload_params(line, "virtio_net", params, sizeof(params));
	(void)modload_blacklisted(line, "e1000e");
	return 0;
}
