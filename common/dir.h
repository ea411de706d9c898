/* Reading a directory with getdents64 into a buffer the caller owns. musl's
 * opendir/closedir allocate, and would pull its allocator (about 8 kB) into
 * the static /init for nothing else. Entries are struct dirent (the kernel's
 * linux_dirent64 layout, which musl and glibc share), "." and ".." included. */
#ifndef NFSINIT_DIR_H
#define NFSINIT_DIR_H

#include <dirent.h>
#include <stddef.h>

#define DIR_BUF_SIZE 2048   /* as musl's DIR; an entry is at most ~280 bytes */

struct dir_reader {
	int fd;
	int err;                /* 0, or the -errno that ended the listing early */
	size_t pos, len;
	_Alignas(8) char buf[DIR_BUF_SIZE];
};

/* Opens atfd/path (AT_FDCWD: path as is) for reading. 0 or -errno. */
int dir_open(struct dir_reader *d, int atfd, const char *path);
/* Reads the open directory fd, which dir_close() then closes. */
void dir_adopt(struct dir_reader *d, int fd);
/* The next entry, or NULL at the end (d->err says if a read failed). The
 * entry lives until the next call. */
struct dirent *dir_next(struct dir_reader *d);
/* Closes the directory; the fd is gone too. */
void dir_close(struct dir_reader *d);

#endif
