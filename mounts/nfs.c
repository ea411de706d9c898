/* Mount the shared root over NFS, read-only, retrying servers that are not up
 * yet and failing over between servers when the root names several. The
 * kernel speaks RPC; we only choose options and keep trying. */
#include "mounts.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "servers.h"
#include "../common/backoff.h"
#include "../common/log.h"

#define NFS_BACKOFF_FIRST_MS 500
#define NFS_BACKOFF_MAX_MS   8000

/* opts receives the options used. A read-only mount is of an image nobody
 * changes: it gets the caching defaults (mounts/nfsroot.h). */
static int try_version(const char *who, const struct nfs_root *r, const char *vers, const char *server,
		       const char *source, const char *target, bool ro, char *opts, size_t optscap,
		       char *msg, size_t msglen)
{
	int rc = nfsroot_mount_options(r, vers, server, ro ? NFSROOT_IMAGE_OPTIONS : "", opts, optscap);
	if (rc)
		return rc;
	/* fstype "nfs" with vers=4.x works since Linux 4.x; nfs4 is the old name. */
	msg[0] = '\0';
	rc = fs_mount("nfs", source, target, opts, ro, msg, msglen);
	logdbg("%s: mount -t nfs -o %s%s %s %s: %d", who, ro ? "ro," : "", opts, source, target, rc);
	return rc;
}

int nfs_mount_export(const char *who, const struct nfs_root *r, const char *server, const char *path,
		     const char *target, unsigned flags)
{
	const char *vers[NFSROOT_VERSIONS_MAX];
	char source[NI_HOST_MAX + NI_PATH_MAX + 2], msg[256], opts[NI_OPTS_MAX + 64];
	bool ro = flags & NFS_MOUNT_RO, loud = flags & NFS_MOUNT_LOUD;
	int nvers = nfsroot_versions(r, vers), rc = -EINVAL, answer = 0;

	snprintf(source, sizeof(source), "%s:%s", server, path);
	for (int i = 0; i < nvers; i++) {
		rc = try_version(who, r, vers[i], server, source, target, ro, opts, sizeof(opts), msg, sizeof(msg));
		if (rc == 0) {
			(loud ? logx : logdbg)("%s: mounted %s (nfs vers=%s%s) on %s", who, source, vers[i],
					       ro ? ", read-only" : "", target);
			/* the caching defaults show, so an admin can tell what the node runs with */
			(loud ? logx : logdbg)("%s: NFS options %s%s", who, ro ? "ro," : "", opts);
			return 0;
		}
		/* The path names a file: the version worked, the caller decides. */
		if (rc == -ENOTDIR)
			return rc;
		/* Without a fixed version, a refused minor version is routine. */
		if (loud && (nvers == 1 || i == nvers - 1 || nfs_unreachable(rc)))
			logerr(rc, "%s: NFS server %s, path %s (vers=%s) failed%s%s", who, server, path, vers[i],
			       msg[0] ? ": " : "", msg);
		else
			logdbg("%s: %s vers=%s: %d %s", who, source, vers[i], rc, msg);
		if (nfs_unreachable(rc))
			break;
		answer = rc;
	}
	/* An NFSv4-only server refuses the NFSv3 attempt (no rpcbind, no
	 * mountd): what its v4 said (ENOENT: make the directory) is the answer. */
	return nfs_unreachable(rc) && answer ? answer : rc;
}

int nfs_mount_root(const struct nfs_root *r, const char *servers, const uint8_t *mac, const char *client_ip,
		   const char *target, unsigned timeout_ms, char *used, size_t usedcap)
{
	char path[NI_PATH_MAX], what[NI_HOST_MAX + NI_PATH_MAX + 16];
	struct err_reason err;
	struct nfs_servers list;
	int order[NFS_SERVERS_MAX], rc;
	struct backoff b;

	if ((rc = nfs_servers_parse(servers, &list, &err))) {
		logx("root: %s", err.msg);
		return rc;
	}
	rc = nfsroot_expand_path(r->path, client_ip, path, sizeof(path));
	if (rc) {
		logerr(rc, "root: path %s with client address %s", r->path, client_ip);
		return rc;
	}
	nfs_servers_order(list.n, mac, order);
	if (list.n > 1) {
		char txt[NFS_SERVERS_MAX * INET_ADDRSTRLEN + 16] = "";
		for (int i = 0; i < list.n; i++)
			snprintf(txt + strlen(txt), sizeof(txt) - strlen(txt), "%s%s", i ? ", " : "",
				 list.addr[order[i]]);
		logx("root: %d NFS servers, in this node's order (by MAC hash): %s", list.n, txt);
	}
	snprintf(what, sizeof(what), "root: %s:%s", list.n > 1 ? "{servers}" : list.addr[0], path);
	(void)mkdir(target, 0755);

	backoff_start(&b, timeout_ms, NFS_BACKOFF_FIRST_MS, NFS_BACKOFF_MAX_MS);
	do {
		for (int i = 0; i < list.n; i++) {
			const char *server = list.addr[order[i]];
			rc = nfs_mount_export("root", r, server, path, target, NFS_MOUNT_RO | NFS_MOUNT_LOUD);
			if (rc == -ENOTDIR)
				logx("root: %s:%s is not a directory: booting from it as an image file", server, path);
			if (rc == 0 || rc == -ENOTDIR) {
				snprintf(used, usedcap, "%s", server);
				return rc;
			}
			if (i + 1 < list.n)
				logx("root: failing over from %s to %s", server, list.addr[order[i + 1]]);
		}
	} while (backoff_wait(&b, what));
	long long waited = backoff_elapsed(&b);
	logx("root: giving up on %s after %d attempts in %lld.%01lld s (nfsinit.root.timeout=%u)", what + 6,
	     b.attempts, waited / 1000, (waited % 1000) / 100, timeout_ms / 1000);
	return rc;
}
