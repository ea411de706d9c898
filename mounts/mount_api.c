/* The new mount API (Linux 5.2+) lets the filesystem explain a failure in
 * words; mount(2) gives only an errno. We prefer the words. */
#include "mounts.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/mount.h>

static int sys_fsopen(const char *fs, unsigned flags)
{
	return (int)syscall(SYS_fsopen, fs, flags);
}

static int sys_fsconfig(int fd, unsigned cmd, const char *key, const void *val, int aux)
{
	return (int)syscall(SYS_fsconfig, fd, cmd, key, val, aux);
}

static int sys_fsmount(int fd, unsigned flags, unsigned attr)
{
	return (int)syscall(SYS_fsmount, fd, flags, attr);
}

static int sys_move_mount(int from_dfd, const char *from, int to_dfd, const char *to, unsigned flags)
{
	return (int)syscall(SYS_move_mount, from_dfd, from, to_dfd, to, flags);
}

/* The context fd yields lines "e nfs: ..." / "w ..." / "i ..."; keep the last error. */
static void read_fs_messages(int fd, char *msg, size_t msglen)
{
	char line[512];
	ssize_t n;
	while ((n = read(fd, line, sizeof(line) - 1)) > 0) {
		/* the kernel ends some messages with a newline: one console line each */
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			n--;
		line[n] = '\0';
		if (msg && msglen && (line[0] == 'e' || !msg[0]))
			snprintf(msg, msglen, "%s", n > 2 && line[1] == ' ' ? line + 2 : line);
	}
}

static int configure(int fd, const char *source, const char *options)
{
	char buf[NI_OPTS_MAX * 2];
	if (source && sys_fsconfig(fd, FSCONFIG_SET_STRING, "source", source, 0) < 0)
		return -errno;
	if (!options || !*options)
		return 0;
	if (strlen(options) >= sizeof(buf))
		return -E2BIG;
	strcpy(buf, options);
	for (char *save = NULL, *o = strtok_r(buf, ",", &save); o; o = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(o, '=');
		int rc;
		if (eq) {
			*eq = '\0';
			rc = sys_fsconfig(fd, FSCONFIG_SET_STRING, o, eq + 1, 0);
		} else {
			rc = sys_fsconfig(fd, FSCONFIG_SET_FLAG, o, NULL, 0);
		}
		if (rc < 0)
			return -errno;
	}
	return 0;
}

static int mount_new_api(const char *fstype, const char *source, const char *target,
			 const char *options, bool readonly, char *msg, size_t msglen)
{
	int fd = sys_fsopen(fstype, FSOPEN_CLOEXEC);
	int mfd, rc;
	if (fd < 0)
		return -errno;
	rc = configure(fd, source, options);
	if (rc == 0 && sys_fsconfig(fd, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
		rc = -errno;
	if (rc) {
		read_fs_messages(fd, msg, msglen);
		close(fd);
		return rc;
	}
	mfd = sys_fsmount(fd, FSMOUNT_CLOEXEC, readonly ? MOUNT_ATTR_RDONLY : 0);
	rc = mfd < 0 ? -errno : 0;
	if (rc)
		read_fs_messages(fd, msg, msglen);
	close(fd);
	if (rc)
		return rc;
	/* An NFS path that names a file gives a mount whose root is that file;
	 * mount(2) refuses it on a directory with ENOTDIR, so say the same
	 * (move_mount would say EINVAL) and let the caller use it as an image. */
	struct stat st;
	if (fstat(mfd, &st) == 0 && !S_ISDIR(st.st_mode)) {
		close(mfd);
		return -ENOTDIR;
	}
	if (sys_move_mount(mfd, "", AT_FDCWD, target, MOVE_MOUNT_F_EMPTY_PATH) < 0)
		rc = -errno;
	close(mfd);
	return rc;
}

int fs_mount(const char *fstype, const char *source, const char *target,
	     const char *options, bool readonly, char *msg, size_t msglen)
{
	if (msg && msglen)
		msg[0] = '\0';
	int rc = mount_new_api(fstype, source, target, options, readonly, msg, msglen);
	if (rc != -ENOSYS)
		return rc;
	if (mount(source ? source : "none", target, fstype, readonly ? MS_RDONLY : 0, options) < 0)
		return -errno;
	return 0;
}
