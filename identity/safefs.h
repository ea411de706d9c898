/* Writing into the new root without ever leaving it. The parent directory
 * is opened with openat2(RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS) where the
 * kernel has it, else (and to create what is missing) every component of
 * the path is opened relative to the root's fd with O_NOFOLLOW, so neither a
 * "../x" name nor a symlink in the shared root (etc/foo -> /proc/..., var/run
 * -> /run) can send a write anywhere else: both are refused, and *why says
 * which component and where it pointed. Paths are relative to rootfd; a
 * leading '/' is ignored. Functions return 0 or -errno. */
#ifndef NFSINIT_SAFEFS_H
#define NFSINIT_SAFEFS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include "../common/err.h"

#define SAFE_KEEP_OWNER ((uid_t)-1)

/* Tests turn the openat2(RESOLVE_IN_ROOT) fast path off to exercise the
 * O_NOFOLLOW walk that older kernels get. */
void safe_set_openat2(bool on);

/* The directory holding rel's last component, as an O_RDONLY fd in *dirfd,
 * and that component in *leaf (a pointer into rel). Missing directories are
 * created 0755 when mkdirs. -EINVAL for an empty, "." or ".." component,
 * -ELOOP for a symlink, -ENOTDIR for something else in the way. */
int safe_parent(int rootfd, const char *rel, bool mkdirs, int *dirfd, const char **leaf, struct err_reason *why);

/* Opens directory rel itself (rel "" or "/" is rootfd), without following symlinks. */
int safe_opendir(int rootfd, const char *rel, int *fd, struct err_reason *why);

/* Replaces rel's contents with data; mode and (unless uid is SAFE_KEEP_OWNER)
 * owner set on the file. Refuses to write through a symlink at rel. */
int safe_write(int rootfd, const char *rel, const void *data, size_t len, mode_t mode, uid_t uid, gid_t gid,
	       struct err_reason *why);

/* Creates directory rel (and its parents); an existing one is left as it is. */
int safe_mkdir(int rootfd, const char *rel, mode_t mode, uid_t uid, gid_t gid, struct err_reason *why);

/* rel becomes a symlink to target (replacing a file or symlink there, never a directory). */
int safe_symlink(int rootfd, const char *rel, const char *target, uid_t uid, gid_t gid, struct err_reason *why);

/* Reads at most cap-1 bytes of rel (NUL-terminated); -EFBIG when longer
 * (buf then holds the first cap-1), -EINVAL when rel is not a regular file
 * (a FIFO would block the reader), -ELOOP for a symlink. */
int safe_read(int rootfd, const char *rel, char *buf, size_t cap, size_t *len, struct err_reason *why);

#endif
