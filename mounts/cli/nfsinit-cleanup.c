/* For tests of switch_root in a mount namespace (tests/ns/switchroot-cleanup).
 *   nfsinit-cleanup DIR: empties DIR the way switch_root empties the
 *     initramfs: everything on DIR's own filesystem goes, nothing on any other.
 *   nfsinit-cleanup --switch NEWROOT INIT [ARG...]: switch_root itself (run
 *     as PID 1 of a PID namespace, chrooted into a tmpfs). */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "../mounts.h"
#include "../../common/version.h"

static int cleanup(const char *dir)
{
	struct stat st;
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), rc;
	if (fd < 0 || fstat(fd, &st) < 0) {
		perror(dir);
		return 1;
	}
	rc = remove_tree_on_dev(fd, st.st_dev);
	if (rc)
		fprintf(stderr, "%s: %s\n", dir, strerror(-rc));
	return rc ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (version_asked(argc, argv, "nfsinit-cleanup"))
		return 0;
	if (argc >= 4 && !strcmp(argv[1], "--switch")) {
		int rc = switch_root(argv[2], argv[3], argv + 4);
		fprintf(stderr, "nfsinit-cleanup: switch_root returned %s\n", strerror(-rc));
		return 1;
	}
	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR | --switch NEWROOT INIT [ARG...] | --version\n", argv[0]);
		return 2;
	}
	return cleanup(argv[1]);
}
