/* Reading a whole small file into a caller's buffer: the one loop every
 * reader of an index, a template or a config file needs. */
#ifndef NFSINIT_READALL_H
#define NFSINIT_READALL_H

#include <stddef.h>

/* Reads fd to its end into buf, at most cap bytes, and sets *len. Returns 0,
 * -EFBIG when the file holds more than cap bytes (buf then holds the first
 * cap), or -errno of a failed read. Does not close fd. */
int read_all(int fd, char *buf, size_t cap, size_t *len);

/* Opens dirfd/name for reading only if it is a regular file: O_NONBLOCK so a
 * FIFO put in its place (a shared root is outside input) cannot block the
 * open or the read, O_NOFOLLOW so a symlink there is -ELOOP, then fstat.
 * Returns the fd, -EINVAL when it is not a regular file, or -errno. */
int open_regular(int dirfd, const char *name);

#endif
