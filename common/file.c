#include "file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "limits.h"
#include "readall.h"

int file_read(const char *path, char *buf, size_t cap, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int rc;

	*len = 0;
	if (fd < 0)
		return -errno;
	rc = read_all(fd, buf, cap, len);
	close(fd);
	return rc;
}

int file_read_text(const char *path, char *buf, size_t cap)
{
	size_t n = 0;
	int rc = cap ? file_read(path, buf, cap - 1, &n) : -EFBIG;

	if (rc) {
		if (cap)
			buf[0] = '\0';
		return rc;
	}
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		n--;
	buf[n] = '\0';
	return 0;
}

int file_write_all(int fd, const void *p, size_t len)
{
	const char *c = p;

	while (len > 0) {
		ssize_t n = write(fd, c, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		c += n;
		len -= (size_t)n;
	}
	return 0;
}

int file_mkdir_parents(char *path)
{
	for (char *p = strchr(path + (path[0] == '/'), '/'); p; p = strchr(p + 1, '/')) {
		*p = '\0';
		int rc = mkdir(path, 0755) < 0 && errno != EEXIST ? -errno : 0;
		*p = '/';
		if (rc)
			return rc;
	}
	return 0;
}

int file_write_atomic(const char *path, const void *data, size_t len, mode_t mode)
{
	char tmp[NI_PATH_MAX + 8];
	int fd, rc;

	if (snprintf(tmp, sizeof(tmp), "%s.new", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	if ((rc = file_mkdir_parents(tmp)))
		return rc;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, mode);
	if (fd < 0)
		return -errno;
	rc = file_write_all(fd, data, len);
	if (close(fd) < 0 && !rc)
		rc = -errno;
	if (!rc && rename(tmp, path) < 0)
		rc = -errno;
	if (rc)
		unlink(tmp);
	return rc;
}
