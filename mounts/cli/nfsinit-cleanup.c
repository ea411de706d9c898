/* Empties a directory the way switch_root empties the initramfs: everything on
 * the directory's own filesystem goes, nothing on any other. For tests. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "../mounts.h"
#include "../../common/version.h"

int main(int argc, char **argv)
{
	struct stat st;
	int fd, rc;
	if (version_asked(argc, argv, "nfsinit-cleanup"))
		return 0;
	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR | --version\n", argv[0]);
		return 2;
	}
	fd = open(argv[1], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0) {
		perror(argv[1]);
		return 1;
	}
	rc = remove_tree_on_dev(fd, st.st_dev);
	if (rc)
		fprintf(stderr, "%s: %s\n", argv[1], strerror(-rc));
	return rc ? 1 : 0;
}
