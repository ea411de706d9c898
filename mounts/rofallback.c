/* For kernels with neither overlayfs nor aufs: the NFS export itself becomes
 * the (read-only) root, and the paths that must be writable get a copy of
 * their content on the tmpfs, bind-mounted over them. The node boots, with
 * writes possible only below those paths. */
#include "mounts.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>
#include "../common/dir.h"
#include "../common/log.h"
#include "../common/readall.h"

#define RO_COPY_DEPTH_MAX 64

static int copy_file(int sdir, int ddir, const char *name, const struct stat *st)
{
	char buf[65536];
	ssize_t n;
	/* The export can change under us: a FIFO swapped in must not block. */
	int rc = 0, in = open_regular(sdir, name);
	if (in < 0)
		return in;
	int out = openat(ddir, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, st->st_mode & 07777);
	if (out < 0) {
		rc = -errno;
		close(in);
		return rc;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0) {
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(out, buf + off, (size_t)(n - off));
			if (w < 0) {
				rc = -errno;
				goto done;
			}
			off += w;
		}
	}
	if (n < 0)
		rc = -errno;
done:
	close(in);
	close(out);
	return rc;
}


/* Owner, then mode: chown clears the set-user-ID and set-group-ID bits, and
 * the umask and mkdir drop bits too, so the mode is set last (symlinks have
 * no mode of their own). */
static int copy_owner(int ddir, const char *name, const struct stat *st)
{
	if (fchownat(ddir, name, st->st_uid, st->st_gid, AT_SYMLINK_NOFOLLOW) < 0)
		return -errno;
	if (!S_ISLNK(st->st_mode) && fchmodat(ddir, name, st->st_mode & 07777, 0) < 0)
		return -errno;
	return 0;
}
/* Copies the entries of sdir into ddir, staying on the source's filesystem
 * (a mount inside the export is not ours to copy). */
static int copy_tree(int sdir, int ddir, dev_t dev, int depth, const char *where)
{
	int dfd = dup(sdir), rc = 0;
	struct dir_reader d;
	struct dirent *e;
	if (dfd < 0)
		return -errno;
	dir_adopt(&d, dfd);
	if (depth > RO_COPY_DEPTH_MAX) {
		dir_close(&d);
		return -ELOOP;
	}
	while (rc == 0 && (e = dir_next(&d))) {
		struct stat st;
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (fstatat(sdir, e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			rc = -errno;
			break;
		}
		if (S_ISDIR(st.st_mode)) {
			if (mkdirat(ddir, e->d_name, st.st_mode & 07777) < 0) {
				rc = -errno;
				break;
			}
			if (st.st_dev == dev) {
				int s = openat(sdir, e->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
				int t = openat(ddir, e->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
				rc = (s < 0 || t < 0) ? -errno : copy_tree(s, t, dev, depth + 1, where);
				if (s >= 0)
					close(s);
				if (t >= 0)
					close(t);
			}
		} else if (S_ISREG(st.st_mode)) {
			rc = copy_file(sdir, ddir, e->d_name, &st);
		} else if (S_ISLNK(st.st_mode)) {
			char target[NI_PATH_MAX];
			ssize_t n = readlinkat(sdir, e->d_name, target, sizeof(target) - 1);
			if (n < 0)
				rc = -errno;
			else if ((target[n] = '\0', symlinkat(target, ddir, e->d_name)) < 0)
				rc = -errno;
		} else if (mknodat(ddir, e->d_name, st.st_mode, st.st_rdev) < 0) {
			rc = -errno;
		}
		if (rc == 0)
			rc = copy_owner(ddir, e->d_name, &st);
		if (rc)
			logerr(rc, "overlay: fallback: copying %s/%s", where, e->d_name);
	}
	dir_close(&d);
	return rc;
}

/* One writable path: copy lower<path> to NFSINIT_RW/fallback<path>, bind it over newroot<path>. */
static int writable_path(const char *lower, const char *newroot, const char *path)
{
	char src[NI_PATH_MAX], copy[NI_PATH_MAX], dst[NI_PATH_MAX];
	struct stat st;
	int rc, s, t;

	if (path[0] != '/' || strstr(path, "..") || strlen(path) + strlen(NFSINIT_RW) + 16 >= NI_PATH_MAX) {
		logx("overlay: fallback: writable path '%s' must be absolute, without '..'", path);
		return -EINVAL;
	}
	snprintf(src, sizeof(src), "%s%s", lower, path);
	snprintf(copy, sizeof(copy), "%s/fallback%s", NFSINIT_RW, path);
	snprintf(dst, sizeof(dst), "%s%s", newroot, path);
	if (stat(src, &st) < 0 || !S_ISDIR(st.st_mode)) {
		logx("overlay: fallback: %s is not a directory in the export, stays read-only", path);
		return 0;
	}
	for (char *p = copy + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		(void)mkdir(copy, 0755);
		*p = '/';
	}
	if (mkdir(copy, st.st_mode & 07777) < 0 || copy_owner(AT_FDCWD, copy, &st) < 0) {
		rc = -errno;
		logerr(rc, "overlay: fallback: creating %s", copy);
		return rc;
	}
	s = open(src, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	t = open(copy, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	rc = (s < 0 || t < 0) ? -errno : copy_tree(s, t, st.st_dev, 0, src);
	if (s >= 0)
		close(s);
	if (t >= 0)
		close(t);
	if (rc)
		return rc;
	if (mount(copy, dst, NULL, MS_BIND, NULL) < 0) {
		rc = -errno;
		logerr(rc, "overlay: fallback: bind %s on %s", copy, dst);
		return rc;
	}
	return 0;
}

int rofallback_assemble(const char *lower, const char *newroot, const char *paths)
{
	char list[NI_PATH_MAX];
	int rc;

	(void)mkdir(newroot, 0755);
	if (mount(lower, newroot, NULL, MS_BIND, NULL) < 0) {
		rc = -errno;
		logerr(rc, "overlay: fallback: bind %s on %s", lower, newroot);
		return rc;
	}
	/* Already read-only through the NFS mount; say so on this mount too. */
	(void)mount(NULL, newroot, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL);
	if (snprintf(list, sizeof(list), "%s", paths) >= (int)sizeof(list))
		return -ENAMETOOLONG;
	for (char *save = NULL, *p = strtok_r(list, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
		if ((rc = writable_path(lower, newroot, p))) {
			(void)umount2(newroot, MNT_DETACH); /* rc says what failed; main.c gives up on this root */
			return rc;
		}
	}
	logx("overlay: fallback: read-only root %s on %s; writable copies on tmpfs %s: %s", lower, newroot,
	     NFSINIT_RW, paths);
	return 0;
}
