/* libFuzzer: the kernel command line, and through it ip=, nfsroot= and root=nfs:
 * parsing; also the DHCP root-path parser directly. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "../../init/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char line[NI_CMDLINE_MAX];
	struct nfsinit_config cfg;
	struct nfs_root root;
	struct err_reason err;
	char out[NI_OPTS_MAX];

	if (size >= sizeof(line))
		size = sizeof(line) - 1;
	memcpy(line, data, size);
	line[size] = '\0';

	config_defaults(&cfg);
	cmdline_parse(line, &cfg);
	if (nfsroot_parse_dhcp(line, &root, &err) == 0)
		(void)nfsroot_mount_options(&root, root.vers[0] ? root.vers : "3", "10.0.0.1", NFSROOT_IMAGE_OPTIONS,
					    out, sizeof(out));
	return 0;
}
