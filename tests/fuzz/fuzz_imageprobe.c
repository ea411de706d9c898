/* libFuzzer: the first bytes of an image file (squashfs or EROFS superblock,
 * or anything else on the export), the file size the server reports, and the
 * RAM limit and meminfo parsers. The first 8 bytes are the file size. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "../../mounts/imageprobe.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t head[IMAGE_PROBE_BYTES];
	uint64_t file_size = 0, a, b;
	struct image_info in;
	struct err_reason why;
	char text[64], ver[64];

	if (size >= 8) {
		memcpy(&file_size, data, 8);
		data += 8;
		size -= 8;
	}
	if (size > sizeof(head))
		size = sizeof(head);
	memcpy(head, data, size);
	if (image_probe(head, size, file_size, &in, &why) == 0) {
		/* an accepted image fits in the file and has a sane block size */
		if (in.bytes_used > file_size || in.meta_start > in.bytes_used || in.block_size < 512 || (in.block_size & (in.block_size - 1)) ||
		    !in.fstype || !in.compressor)
			__builtin_trap();
	} else if (!memchr(why.msg, '\0', sizeof(why.msg))) {
		__builtin_trap();
	}
	size_t n = size < sizeof(text) - 1 ? size : sizeof(text) - 1;
	memcpy(text, data, n);
	text[n] = '\0';
	(void)image_ram_limit(text, file_size, &a);
	(void)image_meminfo((const char *)data, size, &a, &b);
	if (image_name_version(text, ver, sizeof(ver)) == 0 && (strchr(ver, '/') || strchr(ver, '\n')))
		__builtin_trap();
	return 0;
}
