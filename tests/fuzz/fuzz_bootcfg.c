/* libFuzzer: one line of a pxelinux or iPXE file (nfsinit-check reads files
 * written by hand) and the iPXE setting expansion. The parser is built in
 * here: it is part of the host tool, not of /init's library. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "../../init/check/bootcfg.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char line[1024], label[BOOTCFG_LABEL_MAX] = "", args[512];
	int rc;

	if (size < 1)
		return 0;
	if (--size >= sizeof(line))
		size = sizeof(line) - 1;
	memcpy(line, data + 1, size);
	line[size] = '\0';
	rc = bootcfg_line(data[0] & 1 ? BOOTCFG_IPXE : BOOTCFG_PXELINUX, line, label, args, sizeof(args));
	if (rc == 1 && strlen(args) >= sizeof(args))
		__builtin_trap();
	if (strlen(label) >= sizeof(label))
		__builtin_trap();
	if (rc == 1) {
		size_t before = strlen(args);
		rc = bootcfg_ipxe_expand(args, sizeof(args), "52-54-00-12-34-56", "52:54:00:12:34:56");
		if ((rc >= 0 && strlen(args) >= sizeof(args)) || (rc < 0 && strlen(args) != before))
			__builtin_trap();
	}
	return 0;
}
