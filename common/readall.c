#include "readall.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

int open_regular(int dirfd, const char *name)
{
	struct stat st;
	int fd = openat(dirfd, name, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	int rc = fstat(fd, &st) < 0 ? -errno : S_ISREG(st.st_mode) ? 0 : -EINVAL;
	if (rc == 0)
		return fd;
	close(fd);
	return rc;
}

int read_all(int fd, char *buf, size_t cap, size_t *len)
{
	size_t used = 0;
	int rc = 0;

	for (;;) {
		ssize_t n = used < cap ? read(fd, buf + used, cap - used) : 0;
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = -errno;
			break;
		}
		if (n > 0) {
			used += (size_t)n;
			continue;
		}
		if (used == cap) { /* full: is there more than fits? */
			char c;
			ssize_t m;
			while ((m = read(fd, &c, 1)) < 0 && errno == EINTR)
				;
			if (m > 0)
				rc = -EFBIG;
			else if (m < 0)
				rc = -errno;
		}
		break;
	}
	*len = used;
	return rc;
}
