/* libFuzzer: the module index /init reads from the image (and the matching
 * on top of it), and the module parameter extraction from the command line. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../../modules/modload.h"

static struct mod_index idx;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct err_reason err;
	char *buf = malloc(size ? size : 1), params[512], line[4096];
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	mod_index_init(&idx);
	if (mod_index_parse(buf, size, &idx, &err) == 0) {
		/* What /init does with a parsed index: match devices, answer the
		 * kernel's requests, extend to dependencies (indexes stay in range). */
		static unsigned char want[MOD_INDEX_MODS_MAX];
		memset(want, 0, sizeof(want));
		(void)mod_index_match(&idx, "pci:v00001AF4d00001000sv00001AF4sd00000001bc02sc00i00", want);
		(void)mod_index_match(&idx, "virtio:d00000001v00001AF4", want);
		(void)mod_index_lookup(&idx, "fs-nfs4");
		mod_index_want_deps(&idx, want);
	}
	free(buf);

	if (size >= sizeof(line))
		size = sizeof(line) - 1;
	memcpy(line, data, size);
	line[size] = '\0';
	(void)mod_load_params(line, "virtio_net", params, sizeof(params));
	(void)mod_load_blacklisted(line, "e1000e");
	return 0;
}
