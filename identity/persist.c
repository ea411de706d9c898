#include "persist.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>
#include "safefs.h"
#include "../common/log.h"
#include "../mounts/mounts.h"

#define PERSIST_PARENT "/run/nfsinit/persist-parent"

/* Read-write this time; the root's version ladder (mounts/nfs.c), no user options. */
static int nfs_rw(const char *server, const char *path, const char *target)
{
	static struct nfs_root plain; /* zeroed: no version fixed, no options (bss, not rodata) */
	(void)mkdir(target, 0755);
	return nfs_mount_export("persist", &plain, server, path, target, 0);
}

static int bind_fd(int src, int dst)
{
	char s[32], d[32];
	snprintf(s, sizeof(s), "/proc/self/fd/%d", src);
	snprintf(d, sizeof(d), "/proc/self/fd/%d", dst);
	return mount(s, d, NULL, MS_BIND, NULL) < 0 ? -errno : 0;
}

/* First boot: mount the parent, make the node's directory, keep only it. */
static int create_and_bind(const struct persist_spec *s)
{
	int rc = nfs_rw(s->server, s->parent, PERSIST_PARENT), pfd, dfd = -1;
	if (rc) {
		logerr(rc, "persist: mounting %s:%s read-write to create %s there", s->server, s->parent, s->leaf);
		return rc;
	}
	pfd = open(PERSIST_PARENT, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (pfd < 0) {
		rc = -errno;
	} else if (mkdirat(pfd, s->leaf, 0755) < 0 && errno != EEXIST) {
		rc = -errno;
		logerr(rc, "persist: creating %s:%s (the export may not let this node create it; make it on the server)",
		       s->server, s->path);
	} else if ((dfd = openat(pfd, s->leaf, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
		rc = -errno;
		logerr(rc, "persist: opening %s:%s", s->server, s->path);
	} else {
		int tfd = open(NFSINIT_PERSIST, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		rc = tfd < 0 ? -errno : bind_fd(dfd, tfd);
		if (tfd >= 0)
			close(tfd);
		if (rc)
			logerr(rc, "persist: bind-mounting %s:%s on %s", s->server, s->path, NFSINIT_PERSIST);
		else
			logx("persist: created %s:%s", s->server, s->path);
	}
	if (dfd >= 0)
		close(dfd);
	if (pfd >= 0)
		close(pfd);
	(void)umount2(PERSIST_PARENT, MNT_DETACH);
	(void)rmdir(PERSIST_PARENT);
	return rc;
}

static void bind_path(const struct persist_spec *s, int pfd, int newroot_fd, const char *rel)
{
	struct err_reason why;
	int sfd = -1, tfd = -1, rc;

	if ((rc = safe_mkdir(pfd, rel, 0755, SAFE_KEEP_OWNER, 0, &why)) ||
	    (rc = safe_opendir(pfd, rel, &sfd, &why))) {
		logx("persist: %s:%s/%s: %s; /%s stays on the tmpfs", s->server, s->path, rel, why.msg, rel);
	} else if ((rc = safe_mkdir(newroot_fd, rel, 0755, SAFE_KEEP_OWNER, 0, &why)) ||
		   (rc = safe_opendir(newroot_fd, rel, &tfd, &why))) {
		logx("persist: /%s in the new root: %s; not persisted", rel, why.msg);
	} else if ((rc = bind_fd(sfd, tfd))) {
		logerr(rc, "persist: bind-mounting %s:%s/%s on /%s", s->server, s->path, rel, rel);
	} else {
		logx("persist: /%s is %s:%s/%s", rel, s->server, s->path, rel);
	}
	if (sfd >= 0)
		close(sfd);
	if (tfd >= 0)
		close(tfd);
}

int persist_mount(const struct persist_spec *s, int newroot_fd, const char *newroot)
{
	int rc, pfd;
	(void)newroot;

	rc = nfs_rw(s->server, s->path, NFSINIT_PERSIST);
	if (rc && nfs_unreachable(rc)) {
		logerr(rc, "persist: server %s for %s", s->server, s->path);
		return rc;
	}
	/* A missing directory: ENOENT over NFSv4; ganesha answers EACCES for NFSv3. */
	if (rc && (rc = create_and_bind(s)))
		return rc;
	pfd = open(NFSINIT_PERSIST, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (pfd < 0) {
		rc = -errno;
		logerr(rc, "persist: opening %s", NFSINIT_PERSIST);
		return rc;
	}
	for (int i = 0; i < s->npaths; i++)
		bind_path(s, pfd, newroot_fd, s->paths[i]);
	close(pfd);
	return 0;
}
