/* Which version of the shared image a node booted. The server side keeps
 * versions side by side and switches a `current` symlink (README, "Updating
 * the image online"); the client cannot see what the link pointed at when it
 * mounted, so each version carries its own name in IMGVER_PATH. */
#ifndef NFSINIT_IMGVER_H
#define NFSINIT_IMGVER_H

#include <stddef.h>

#define IMGVER_PATH "/etc/nfsinit/image-version"
#define IMGVER_MAX  64

/* Pure: the first line of the file's text (len bytes, no NUL needed), blanks
 * around it removed, into out. Returns 0, -ENODATA for an empty first line,
 * -ENAMETOOLONG if longer than cap - 1, -EINVAL if it holds a character other
 * than letters, digits and . _ - + : (it goes into facts and hook
 * environments). */
int imgver_parse(const char *text, size_t len, char *out, size_t cap);

/* Reads root/IMGVER_PATH into out without following a symlink on the way
 * (-ELOOP) or opening anything but a regular file (-EINVAL: a FIFO would
 * block). Returns 0, -ENOENT when the image has no version file, another
 * -errno for read errors or imgver_parse's errors. */
int imgver_read(const char *root, char *out, size_t cap);

#endif
