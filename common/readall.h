/* Reading a whole small file into a caller's buffer: the one loop every
 * reader of an index, a template or a config file needs. */
#ifndef NFSINIT_READALL_H
#define NFSINIT_READALL_H

#include <stddef.h>

/* Reads fd to its end into buf, at most cap bytes, and sets *len. Returns 0,
 * -EFBIG when the file holds more than cap bytes (buf then holds the first
 * cap), or -errno of a failed read. Does not close fd. */
int read_all(int fd, char *buf, size_t cap, size_t *len);

#endif
