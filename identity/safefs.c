#include "safefs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/openat2.h>
#include "../common/file.h"
#include "../common/limits.h"
#include "../common/readall.h"

#ifndef SYS_openat2
#define SYS_openat2 437   /* musl 1.2.3 predates it; the number is the same on every arch */
#endif

static bool use_openat2 = true;

void safe_set_openat2(bool on)
{
	use_openat2 = on;
}

/* What is at dfd/name when it was not the directory we wanted. */
static int in_the_way(int dfd, const char *name, const char *shown, int err, struct err_reason *why)
{
	struct stat st;
	char target[NI_PATH_MAX];
	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode)) {
		ssize_t n = readlinkat(dfd, name, target, sizeof(target) - 1);
		target[n > 0 ? n : 0] = '\0';
		return err_fail(why, -ELOOP, "%s is a symlink to %s; not following it out of place", shown, target);
	}
	return err_fail(why, -err, "%s: %s", shown, strerror(err));
}

/* Every component a plain name: no "", ".", "..", no trailing '/'. */
static int check_names(const char *rel, const char *p, struct err_reason *why)
{
	for (;;) {
		const char *slash = strchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p);
		if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
			return err_fail(why, -EINVAL, "%s: '%.*s' is not allowed in a path", rel, (int)n,
				   n ? p : (slash ? "//" : "/"));
		if (!slash)
			return 0;
		p = slash + 1;
	}
}

/* The kernel's own check (Linux 5.6+): the parent resolved inside rootfd,
 * no symlink anywhere on the way. Any failure goes to the walk below, which
 * creates what is missing and says which component was in the way. */
static int parent_openat2(int rootfd, const char *p, int *dirfd, const char **leaf)
{
	char parent[NI_PATH_MAX];
	const char *slash = strrchr(p, '/');
	struct open_how how = {
		.flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
	};
	long fd;

	if (!use_openat2)
		return -ENOSYS;
	if (!slash) {
		fd = fcntl(rootfd, F_DUPFD_CLOEXEC, 3);
	} else {
		memcpy(parent, p, (size_t)(slash - p));
		parent[slash - p] = '\0';
		fd = syscall(SYS_openat2, rootfd, parent, &how, sizeof(how));
	}
	if (fd < 0)
		return -errno;
	*dirfd = (int)fd;
	*leaf = slash ? slash + 1 : p;
	return 0;
}

int safe_parent(int rootfd, const char *rel, bool mkdirs, int *dirfd, const char **leaf, struct err_reason *why)
{
	char comp[NI_PATH_MAX], shown[NI_PATH_MAX];
	const char *p = rel, *slash;
	int dfd, rc;

	while (*p == '/')
		p++;
	if (!*p)
		return err_fail(why, -EINVAL, "empty path");
	if (strlen(p) >= sizeof(shown))
		return err_fail(why, -ENAMETOOLONG, "path longer than %d bytes", NI_PATH_MAX - 1);
	if ((rc = check_names(rel, p, why)))
		return rc;
	if (parent_openat2(rootfd, p, dirfd, leaf) == 0)
		return 0;
	if ((dfd = fcntl(rootfd, F_DUPFD_CLOEXEC, 3)) < 0)
		return err_fail(why, -errno, "dup: %s", strerror(errno));
	for (;;) {
		size_t n;
		slash = strchr(p, '/');
		n = slash ? (size_t)(slash - p) : strlen(p);
		memcpy(comp, p, n);
		comp[n] = '\0';
		snprintf(shown, sizeof(shown), "%.*s", (int)(p - rel + n), rel);
		if (n == 0 || !strcmp(comp, ".") || !strcmp(comp, "..")) {
			close(dfd);
			return err_fail(why, -EINVAL, "%s: '%s' is not allowed in a path", rel, n ? comp : "//");
		}
		if (!slash) {
			*dirfd = dfd;
			*leaf = p;
			return 0;
		}
		int sub = openat(dfd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (sub < 0 && errno == ENOENT && mkdirs) {
			if (mkdirat(dfd, comp, 0755) < 0 && errno != EEXIST) {
				int e = errno;
				close(dfd);
				return err_fail(why, -e, "creating %s: %s", shown, strerror(e));
			}
			sub = openat(dfd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		}
		if (sub < 0) {
			int e = errno, rc = in_the_way(dfd, comp, shown, e, why);
			close(dfd);
			return rc;
		}
		close(dfd);
		dfd = sub;
		p = slash + 1;
		while (*p == '/')
			p++;
		if (!*p) {
			close(dfd);
			return err_fail(why, -EINVAL, "%s: ends in '/'", rel);
		}
	}
}

int safe_opendir(int rootfd, const char *rel, int *fd, struct err_reason *why)
{
	const char *p = rel, *leaf;
	int dfd, rc;
	while (*p == '/')
		p++;
	if (!*p) {
		*fd = fcntl(rootfd, F_DUPFD_CLOEXEC, 3);
		return *fd < 0 ? err_fail(why, -errno, "dup: %s", strerror(errno)) : 0;
	}
	if ((rc = safe_parent(rootfd, p, false, &dfd, &leaf, why)))
		return rc;
	*fd = openat(dfd, leaf, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	rc = *fd < 0 ? in_the_way(dfd, leaf, p, errno, why) : 0;
	close(dfd);
	return rc;
}

int safe_write(int rootfd, const char *rel, const void *data, size_t len, mode_t mode, uid_t uid, gid_t gid,
	       struct err_reason *why)
{
	const char *leaf;
	int dfd, fd, rc;

	if ((rc = safe_parent(rootfd, rel, true, &dfd, &leaf, why)))
		return rc;
	fd = openat(dfd, leaf, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		rc = in_the_way(dfd, leaf, rel, errno, why);
		close(dfd);
		return rc;
	}
	close(dfd);
	rc = file_write_all(fd, data, len);
	/* Owner first: chown clears set-user-ID and set-group-ID. */
	if (!rc && uid != SAFE_KEEP_OWNER && fchown(fd, uid, gid) < 0)
		rc = -errno;
	if (!rc && fchmod(fd, mode & 07777) < 0)
		rc = -errno;
	if (close(fd) < 0 && !rc)
		rc = -errno;
	return rc ? err_fail(why, rc, "writing %s: %s", rel, strerror(-rc)) : 0;
}

int safe_mkdir(int rootfd, const char *rel, mode_t mode, uid_t uid, gid_t gid, struct err_reason *why)
{
	const char *leaf;
	struct stat st;
	int dfd, rc = 0;

	if ((rc = safe_parent(rootfd, rel, true, &dfd, &leaf, why)))
		return rc;
	if (fstatat(dfd, leaf, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		if (!S_ISDIR(st.st_mode))
			rc = in_the_way(dfd, leaf, rel, ENOTDIR, why);
	} else if (mkdirat(dfd, leaf, 0700) < 0) {
		rc = err_fail(why, -errno, "creating %s: %s", rel, strerror(errno));
	} else {
		/* mkdir's mode passes through the umask; set the real one after,
		 * and after the owner (chown may clear set-group-ID). */
		if ((uid != SAFE_KEEP_OWNER && fchownat(dfd, leaf, uid, gid, AT_SYMLINK_NOFOLLOW) < 0) ||
		    fchmodat(dfd, leaf, mode & 07777, 0) < 0)
			rc = err_fail(why, -errno, "setting mode/owner of %s: %s", rel, strerror(errno));
	}
	close(dfd);
	return rc;
}

int safe_symlink(int rootfd, const char *rel, const char *target, uid_t uid, gid_t gid, struct err_reason *why)
{
	const char *leaf;
	struct stat st;
	int dfd, rc = 0;

	if ((rc = safe_parent(rootfd, rel, true, &dfd, &leaf, why)))
		return rc;
	if (fstatat(dfd, leaf, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		if (S_ISDIR(st.st_mode))
			rc = err_fail(why, -EISDIR, "%s is a directory; not replacing it with a symlink", rel);
		else if (unlinkat(dfd, leaf, 0) < 0)
			rc = err_fail(why, -errno, "replacing %s: %s", rel, strerror(errno));
	}
	if (!rc && symlinkat(target, dfd, leaf) < 0)
		rc = err_fail(why, -errno, "symlink %s: %s", rel, strerror(errno));
	if (!rc && uid != SAFE_KEEP_OWNER && fchownat(dfd, leaf, uid, gid, AT_SYMLINK_NOFOLLOW) < 0)
		rc = err_fail(why, -errno, "owner of %s: %s", rel, strerror(errno));
	close(dfd);
	return rc;
}

int safe_read(int rootfd, const char *rel, char *buf, size_t cap, size_t *len, struct err_reason *why)
{
	const char *leaf;
	int dfd, fd, rc;
	size_t used = 0;

	if ((rc = safe_parent(rootfd, rel, false, &dfd, &leaf, why)))
		return rc;
	fd = open_regular(dfd, leaf);
	if (fd < 0) {
		rc = fd == -ENOENT ? err_fail(why, -ENOENT, "%s: no such file", rel)
		   : fd == -EINVAL ? err_fail(why, -EINVAL, "%s is not a regular file", rel)
				   : in_the_way(dfd, leaf, rel, -fd, why);
		close(dfd);
		return rc;
	}
	close(dfd);
	rc = read_all(fd, buf, cap - 1, &used);
	if (rc == -EFBIG)
		(void)err_fail(why, rc, "%s is larger than %zu bytes", rel, cap - 1); /* rc returned below */
	else if (rc)
		(void)err_fail(why, rc, "reading %s: %s", rel, strerror(-rc));
	close(fd);
	buf[used] = '\0';
	*len = used;
	return rc;
}
