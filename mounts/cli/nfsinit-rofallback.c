/* For the test of the read-only fallback in a mount namespace
 * (tests/ns/rofallback): nfsinit-rofallback LOWER NEWROOT PATHS runs
 * rofallback_assemble() as /init does when the kernel has no union
 * filesystem; the copies land under NFSINIT_RW, so the test mounts a tmpfs
 * on /run first. */
#include <stdio.h>
#include <string.h>
#include "../mounts.h"
#include "../../common/version.h"

int main(int argc, char **argv)
{
	int rc;

	if (version_asked(argc, argv, "nfsinit-rofallback"))
		return 0;
	if (argc != 4) {
		fprintf(stderr, "usage: %s LOWER NEWROOT PATHS | --version\n", argv[0]);
		return 2;
	}
	rc = rofallback_assemble(argv[1], argv[2], argv[3]);
	if (rc)
		fprintf(stderr, "nfsinit-rofallback: %s\n", strerror(-rc));
	return rc ? 1 : 0;
}
