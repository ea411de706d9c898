/* libFuzzer: the image builder's ELF reader (elf_parse) on a crafted file,
 * at an odd address as well: headers are copied out, never cast in place
 * (UBSan reports a misaligned load). The heap copies end where the input
 * does, so ASan sees any read past it. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../../mkinitramfs/mkimage.h"

static void parse(const unsigned char *buf, size_t size)
{
	struct elf_info e;
	const char *what = NULL;
	int rc = elf_parse(buf, size, &e, &what);
	if (rc && !what)
		abort();   /* every refusal says why */
	for (size_t i = 0; rc == 0 && i < e.nneeded; i++)
		if (!e.needed[i][0])
			abort();
	elf_info_free(&e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char *buf = malloc(size + 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	parse(buf, size);
	memmove(buf + 1, buf, size);
	parse(buf + 1, size);
	free(buf);
	return 0;
}
