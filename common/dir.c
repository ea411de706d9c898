#include "dir.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

int dir_open(struct dir_reader *d, int atfd, const char *path)
{
	int fd = openat(atfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	dir_adopt(d, fd);
	return 0;
}

void dir_adopt(struct dir_reader *d, int fd)
{
	d->fd = fd;
	d->err = 0;
	d->pos = d->len = 0;
}

struct dirent *dir_next(struct dir_reader *d)
{
	struct dirent *e;

	if (d->pos >= d->len) {
		long n = syscall(SYS_getdents64, d->fd, d->buf, sizeof(d->buf));
		if (n <= 0) {
			d->err = n < 0 ? -errno : 0;
			return NULL;
		}
		d->len = (size_t)n;
		d->pos = 0;
	}
	e = (struct dirent *)(void *)(d->buf + d->pos);
	d->pos += e->d_reclen;
	return e;
}

void dir_close(struct dir_reader *d)
{
	if (d->fd >= 0)
		close(d->fd);
	d->fd = -1;
}
