/* The writable view of the shared root: a tmpfs of the asked size holds the
 * overlay's upper and work directories; the NFS export is the lower layer. */
#include "mounts.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "../common/log.h"

/* An NFS lower has no trusted xattrs and no stable inode numbers to offer:
 * index, xino and metacopy would make copy-up depend on them. */
#define OVL_NFS_OPTS ",index=off,xino=off,metacopy=off,redirect_dir=off"

static int mount_overlay(const char *lower, const char *newroot, char *msg, size_t msglen)
{
	char opts[3 * NI_PATH_MAX];
	int n = snprintf(opts, sizeof(opts), "lowerdir=%s,upperdir=%s/upper,workdir=%s/work%s",
			 lower, NFSINIT_RW, NFSINIT_RW, OVL_NFS_OPTS);
	if (n < 0 || (size_t)n >= sizeof(opts))
		return -ENAMETOOLONG;
	int rc = fs_mount("overlay", "overlay", newroot, opts, false, msg, msglen);
	if (rc == -EINVAL) {
		/* Older kernels lack some of the NFS-friendly switches; try without. */
		opts[n - (int)strlen(OVL_NFS_OPTS)] = '\0';
		rc = fs_mount("overlay", "overlay", newroot, opts, false, msg, msglen);
	}
	return rc;
}

/* aufs, for the kernels some clusters still run, takes its branches as one
 * option. The NFS branch is "rr", natively read-only: it is mounted ro here,
 * so aufs need not watch it (udba=notify could not see the server's changes
 * anyway). xino goes to the first writable branch, the tmpfs, by default. */
static int mount_aufs(const char *lower, const char *newroot, char *msg, size_t msglen)
{
	char opts[3 * NI_PATH_MAX];
	int n = snprintf(opts, sizeof(opts), "br=%s/upper=rw:%s=rr", NFSINIT_RW, lower);
	if (n < 0 || (size_t)n >= sizeof(opts))
		return -ENAMETOOLONG;
	return fs_mount("aufs", "aufs", newroot, opts, false, msg, msglen);
}

int overlay_assemble(const char *lower, const char *size, const char *newroot)
{
	char opts[64], msg[256];
	struct stat st;
	int rc;

	snprintf(opts, sizeof(opts), "size=%s,mode=0755", size);
	(void)mkdir(NFSINIT_RW, 0755);
	rc = fs_mount("tmpfs", "nfsinit-rw", NFSINIT_RW, opts, false, msg, sizeof(msg));
	if (rc) {
		logerr(rc, "overlay: tmpfs size=%s on %s%s%s", size, NFSINIT_RW, msg[0] ? ": " : "", msg);
		return rc;
	}
	/* The merged root takes its owner and mode from the upper directory. */
	mode_t mode = stat(lower, &st) == 0 ? (st.st_mode & 07777) : 0755;
	if (mkdir(NFSINIT_RW "/upper", mode) < 0 || mkdir(NFSINIT_RW "/work", 0700) < 0) {
		rc = -errno;
		logerr(rc, "overlay: creating upper/work in %s", NFSINIT_RW);
		return rc;
	}
	if (stat(lower, &st) == 0 && chown(NFSINIT_RW "/upper", st.st_uid, st.st_gid) < 0)
		logerr(errno, "overlay: chown %s/upper", NFSINIT_RW);
	(void)mkdir(newroot, 0755);

	rc = mount_overlay(lower, newroot, msg, sizeof(msg));
	if (rc == 0) {
		logx("overlay: %s (read-only) + tmpfs %s (size=%s) on %s", lower, NFSINIT_RW, size, newroot);
		return 0;
	}
	if (rc != -ENODEV) {
		logerr(rc, "overlay: overlayfs of %s on %s%s%s", lower, newroot, msg[0] ? ": " : "", msg);
		return rc;
	}
	logx("overlay: no overlayfs in this kernel (no overlay module in the image?); trying aufs");
	rc = mount_aufs(lower, newroot, msg, sizeof(msg));
	if (rc == 0) {
		logx("overlay: aufs %s + tmpfs %s (size=%s) on %s", lower, NFSINIT_RW, size, newroot);
		return 0;
	}
	logerr(rc, "overlay: aufs of %s on %s%s%s", lower, newroot, msg[0] ? ": " : "", msg);
	return rc;
}
