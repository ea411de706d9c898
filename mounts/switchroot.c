/* Hand the machine to the shared system. The checks come first because after
 * the initramfs is emptied there is no way back. */
#include "mounts.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include "../common/dir.h"
#include "../common/log.h"

static const char *const moved[] = { "/dev", "/proc", "/sys", "/run" };

int remove_tree_on_dev(int dirfd, dev_t dev)
{
	struct dir_reader d;
	struct dirent *e;
	int rc = 0;
	dir_adopt(&d, dirfd);
	while ((e = dir_next(&d))) {
		struct stat st;
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (fstatat(dirfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		/* A mount point shows another device: leave it and all below it alone. */
		if (st.st_dev != dev)
			continue;
		if (S_ISDIR(st.st_mode)) {
			int fd = openat(dirfd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (fd >= 0) {
				int sub = remove_tree_on_dev(fd, dev);
				if (sub && !rc)
					rc = sub;
			}
			/* A directory still holding a mount point stays, by design. */
			if (unlinkat(dirfd, e->d_name, AT_REMOVEDIR) < 0 && errno != EBUSY && errno != ENOTEMPTY && !rc)
				rc = -errno;
		} else if (unlinkat(dirfd, e->d_name, 0) < 0 && !rc) {
			rc = -errno;
		}
	}
	dir_close(&d);
	return rc;
}

static bool use_openat2 = true;

void switch_set_openat2(bool on)
{
	use_openat2 = on;
}

#define INROOT_LINKS_MAX 40   /* the kernel's MAXSYMLINKS */

static bool same_dir(int a, int b)
{
	struct stat sa, sb;
	return fstat(a, &sa) == 0 && fstat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* One step of the walk: component name in *dir. A symlink's target is put
 * before the rest of the path (an absolute one restarts at root); anything
 * else becomes the new *dir. */
static int inroot_step(int root, int *dir, const char *name, char *rest, size_t cap, int *links)
{
	char target[NI_PATH_MAX], joined[NI_PATH_MAX * 2];
	struct stat st;
	bool up = !strcmp(name, "..");
	if (!strcmp(name, ".") || (up && same_dir(*dir, root)))
		return 0;   /* ".." at the new root stays there, as it will after chroot */
	int fd = openat(*dir, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) == 0 && S_ISLNK(st.st_mode)) {
		ssize_t n = ++*links > INROOT_LINKS_MAX ? (errno = ELOOP, -1)
						       : readlinkat(fd, "", target, sizeof(target) - 1);
		int e = errno;
		close(fd);
		if (n <= 0)
			return n < 0 ? -e : -ENOENT;
		target[n] = '\0';
		if ((size_t)snprintf(joined, sizeof(joined), "%s/%s", target, rest) >= cap)
			return -ENAMETOOLONG;
		strcpy(rest, joined);
		if (target[0] == '/') {
			close(*dir);
			*dir = fcntl(root, F_DUPFD_CLOEXEC, 3);
		}
		return *dir < 0 ? -errno : 0;
	}
	close(*dir);
	*dir = fd;
	return 0;
}

/* What openat2(RESOLVE_IN_ROOT) does, for kernels before 5.6: path looked up
 * one component at a time below root. Returns an O_PATH fd or -errno. */
static int open_in_root(int root, const char *path)
{
	char rest[NI_PATH_MAX], name[NI_PATH_MAX];
	int links = 0, rc = 0, dir = fcntl(root, F_DUPFD_CLOEXEC, 3);
	if (dir < 0)
		return -errno;
	if (snprintf(rest, sizeof(rest), "%s", path) >= (int)sizeof(rest))
		rc = -ENAMETOOLONG;
	while (!rc) {
		char *p = rest + strspn(rest, "/");
		size_t n = strcspn(p, "/");
		if (n == 0)
			return dir;
		memcpy(name, p, n);
		name[n] = '\0';
		memmove(rest, p + n, strlen(p + n) + 1);
		rc = inroot_step(root, &dir, name, rest, sizeof(rest), &links);
	}
	if (dir >= 0)
		close(dir);
	return rc;
}

/* Resolve init as the new root will: an absolute symlink such as
 * /sbin/init -> /lib/systemd/systemd must be followed inside newroot. */
int switch_check_init(const char *newroot, const char *init)
{
	struct open_how how = { .flags = O_PATH | O_CLOEXEC, .resolve = RESOLVE_IN_ROOT };
	int root = open(newroot, O_PATH | O_DIRECTORY | O_CLOEXEC);
	int fd, rc = 0;
	struct stat st;
	if (root < 0)
		return -errno;
	fd = use_openat2 ? (int)syscall(SYS_openat2, root, init, &how, sizeof(how)) : (errno = ENOSYS, -1);
	if (fd < 0 && errno == ENOSYS)
		fd = open_in_root(root, init);
	else if (fd < 0)
		fd = -errno;
	if (fd < 0)
		rc = fd;
	else if (fstat(fd, &st) < 0)
		rc = -errno;
	else if (!S_ISREG(st.st_mode) || !(st.st_mode & 0111))
		rc = -EACCES;
	if (fd >= 0)
		close(fd);
	close(root);
	return rc;
}

static int check_preconditions(const char *newroot, const char *init)
{
	struct statfs sfs;
	struct stat root_st, new_st;
	int rc;

	if (getpid() != 1) {
		logx("switch: not PID 1, refusing to empty the root filesystem");
		return -EPERM;
	}
	if (statfs("/", &sfs) < 0 || (sfs.f_type != RAMFS_MAGIC && sfs.f_type != TMPFS_MAGIC)) {
		logx("switch: / is not the initramfs (ramfs/tmpfs), refusing to empty it");
		return -EINVAL;
	}
	if (stat("/", &root_st) < 0 || stat(newroot, &new_st) < 0)
		return -errno;
	if (root_st.st_dev == new_st.st_dev) {
		logx("switch: %s is not a mounted filesystem", newroot);
		return -EINVAL;
	}
	rc = switch_check_init(newroot, init);
	if (rc)
		logerr(rc, "switch: init %s in the new root is not an executable file", init);
	return rc;
}

/* Each failure is logged and the switch goes on: the real init can mount
 * its own /proc, /sys, /dev and /run, but not a new root we gave up on. */
static void move_api_mounts(const char *newroot)
{
	char target[NI_PATH_MAX];
	for (size_t i = 0; i < sizeof(moved) / sizeof(moved[0]); i++) {
		snprintf(target, sizeof(target), "%s%s", newroot, moved[i]);
		(void)mkdir(target, 0755);
		if (mount(moved[i], target, NULL, MS_MOVE, NULL) < 0) {
			int rc = -errno;
			logerr(rc, "switch: moving %s to %s", moved[i], target);
			/* Keep the new root sane without it rather than leave a stale mount. */
			(void)umount2(moved[i], MNT_DETACH);
		}
	}
}

/* The switch failed: bring /dev, /proc, /sys and /run back for the rescue shell. */
static void return_api_mounts(const char *newroot)
{
	char from[NI_PATH_MAX];
	for (size_t i = 0; i < sizeof(moved) / sizeof(moved[0]); i++) {
		snprintf(from, sizeof(from), "%s%s", newroot, moved[i]);
		(void)mount(from, moved[i], NULL, MS_MOVE, NULL);
	}
}

/* util-linux's order: the initramfs is opened first and emptied last,
 * through that fd, once the new root is /. A move that fails leaves it
 * whole, /bin/sh and all, for the rescue shell. */
int switch_root(const char *newroot, const char *init, char *const argv[])
{
	struct stat old_st;
	int rc = check_preconditions(newroot, init), old;
	if (rc)
		return rc;
	old = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (old < 0 || fstat(old, &old_st) < 0) {
		rc = -errno;
		logerr(rc, "switch: opening the initramfs root");
		goto fail;
	}
	move_api_mounts(newroot);
	if (chdir(newroot) < 0 || mount(".", "/", NULL, MS_MOVE, NULL) < 0) {
		rc = -errno;
		logerr(rc, "switch: moving %s to /; the initramfs stays", newroot);
		(void)chdir("/");
		return_api_mounts(newroot);
		goto fail;
	}
	if (chroot(".") < 0 || chdir("/") < 0) {
		rc = -errno;
		logerr(rc, "switch: chroot into %s", newroot);
		goto fail;
	}
	if ((rc = remove_tree_on_dev(old, old_st.st_dev)))
		logerr(rc, "switch: emptying the initramfs (continuing)");
	logx("switch: exec %s", init);
	execv(init, argv);
	rc = -errno;
	logerr(rc, "switch: exec %s", init);
	return rc;
fail:
	if (old >= 0)
		close(old);
	return rc;
}
