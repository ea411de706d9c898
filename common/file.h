/* Small files by path: read one whole, write one so that a reader never
 * sees half of it, and make the folders above a path. Every reader and
 * writer of /init's own files goes through these. */
#ifndef NFSINIT_FILE_H
#define NFSINIT_FILE_H

#include <stddef.h>
#include <sys/types.h>

/* The whole file at path into buf (at most cap bytes), its size in *len.
 * Returns 0, -EFBIG when it holds more than cap bytes, or -errno. */
int file_read(const char *path, char *buf, size_t cap, size_t *len);

/* A one-value text file (a sysfs attribute, /proc/cmdline) as a string:
 * NUL-terminated, trailing newlines and spaces removed. Returns 0, -EFBIG
 * when it does not fit in cap - 1 bytes, or -errno. */
int file_read_text(const char *path, char *buf, size_t cap);

/* All of p to fd, across short writes and EINTR. Returns 0 or -errno. */
int file_write_all(int fd, const void *p, size_t len);

/* mkdir -p of the folders above path (not path itself), mode 0755.
 * path is changed while this runs and restored. Returns 0 or -errno. */
int file_mkdir_parents(char *path);

/* Replaces path with data: the folders above it made, a temporary
 * "<path>.new" written (never through a symlink) and renamed over path,
 * which replaces a symlink at path itself, never what it points to.
 * Returns 0 or -errno; on failure path is as it was. */
int file_write_atomic(const char *path, const void *data, size_t len, mode_t mode);

#endif
