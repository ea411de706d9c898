/* Hand the machine to the shared system. The checks come first because after
 * the initramfs is emptied there is no way back. */
#include "mounts.h"

#include <dirent.h>
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
#include "../common/log.h"

static const char *const moved[] = { "/dev", "/proc", "/sys", "/run" };

int remove_tree_on_dev(int dirfd, dev_t dev)
{
	DIR *d = fdopendir(dirfd);
	struct dirent *e;
	int rc = 0;
	if (!d) {
		close(dirfd);
		return -errno;
	}
	while ((e = readdir(d))) {
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
	closedir(d);
	return rc;
}

/* Resolve init as the new root will: an absolute symlink such as
 * /sbin/init -> /lib/systemd/systemd must be followed inside newroot. */
static int check_init(const char *newroot, const char *init)
{
	struct open_how how = { .flags = O_PATH | O_CLOEXEC, .resolve = RESOLVE_IN_ROOT };
	int root = open(newroot, O_PATH | O_DIRECTORY | O_CLOEXEC);
	int fd, rc = 0;
	struct stat st;
	if (root < 0)
		return -errno;
	fd = (int)syscall(SYS_openat2, root, init, &how, sizeof(how));
	if (fd < 0 && errno == ENOSYS) {
		char p[NI_PATH_MAX * 2];
		snprintf(p, sizeof(p), "%s%s", newroot, init);
		fd = open(p, O_PATH | O_CLOEXEC);
	}
	if (fd < 0)
		rc = -errno;
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
	rc = check_init(newroot, init);
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

int switch_root(const char *newroot, const char *init, char *const argv[])
{
	struct stat root_st;
	int rc = check_preconditions(newroot, init);
	if (rc)
		return rc;
	move_api_mounts(newroot);

	if (chdir(newroot) < 0)
		return -errno;
	if (stat("/", &root_st) == 0) {
		int fd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd >= 0 && (rc = remove_tree_on_dev(fd, root_st.st_dev)))
			logerr(rc, "switch: emptying the initramfs (continuing)");
	}
	if (mount(".", "/", NULL, MS_MOVE, NULL) < 0) {
		rc = -errno;
		logerr(rc, "switch: moving %s to /", newroot);
		return rc;
	}
	if (chroot(".") < 0 || chdir("/") < 0) {
		rc = -errno;
		logerr(rc, "switch: chroot into %s", newroot);
		return rc;
	}
	logx("switch: exec %s", init);
	execv(init, argv);
	rc = -errno;
	logerr(rc, "switch: exec %s", init);
	return rc;
}
