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
#define NFS_DNS_TIMEOUT_MS   5000   /* one name, each round; never past the root's bound */
#define NFS_DNS_MIN_MS       1000

static void (*version_hook)(const char *vers, bool fallback);

void nfs_set_version_hook(void (*fn)(const char *vers, bool fallback))
{
	version_hook = fn;
}

/* opts receives the options used. A read-only mount is of an image nobody
 * changes: it gets the caching defaults (mounts/nfsroot.h). */
static int try_version(const char *who, const struct nfs_root *r, const char *vers, const char *server,
		       const char *source, const char *target, bool ro, char *opts, size_t optscap,
		       char *msg, size_t msglen)
{
	char addr[INET6_ADDRSTRLEN];
	int rc = nfs_server_addr(server, addr, sizeof(addr));

	if (!rc)
		rc = nfsroot_mount_options(r, vers, addr, ro ? NFSROOT_IMAGE_OPTIONS : "", opts, optscap);
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
		if (version_hook)
			version_hook(vers[i], i > 0);
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

/* The address to mount for list element i: a literal as it is, a name
 * looked up (again each round: DNS may come up later than the node). */
static int server_address(const struct nfs_servers *list, int i, const struct nfs_resolver *res,
			  const struct backoff *b, char *out, size_t cap)
{
	long long left = (long long)b->limit_ms - backoff_elapsed(b);
	unsigned tmo = left > NFS_DNS_TIMEOUT_MS ? NFS_DNS_TIMEOUT_MS : left > NFS_DNS_MIN_MS ? (unsigned)left : NFS_DNS_MIN_MS;
	struct err_reason err;
	int rc;

	if (list->kind[i] != NFS_SERVER_NAME) {
		snprintf(out, cap, "%s", list->addr[i]);
		return 0;
	}
	if (!res) {
		logx("root: NFS server name %s cannot be resolved without a network (ip=off)", list->addr[i]);
		return -ENONET;
	}
	rc = res->lookup(res->ctx, list->addr[i], tmo, out, cap, &err);
	if (rc)
		logx("root: NFS server name not resolved: %s", err.msg);
	else
		logx("root: NFS server %s is %s", list->addr[i], out);
	return rc;
}

static void log_order(const struct nfs_servers *list, const int order[])
{
	char txt[NFS_SERVERS_MAX * 66 + 16] = "";
	for (int i = 0; i < list->n; i++)
		snprintf(txt + strlen(txt), sizeof(txt) - strlen(txt), "%s%.64s", i ? ", " : "",
			 list->addr[order[i]]);
	logx("root: %d NFS servers, in this node's order (by MAC hash): %s", list->n, txt);
}

/* One round over the servers in order: 0 or -ENOTDIR with used filled. */
static int mount_round(const struct nfs_root *r, const struct nfs_servers *list, const int order[],
		       const struct nfs_resolver *res, const struct backoff *b, const char *path,
		       const char *target, char *used, size_t usedcap)
{
	char server[NI_HOST_MAX];
	int rc = -EINVAL;

	for (int i = 0; i < list->n; i++) {
		rc = server_address(list, order[i], res, b, server, sizeof(server));
		if (!rc)
			rc = nfs_mount_export("root", r, server, path, target, NFS_MOUNT_RO | NFS_MOUNT_LOUD);
		if (rc == -ENOTDIR)
			logx("root: %s:%s is not a directory: booting from it as an image file", server, path);
		if (rc == 0 || rc == -ENOTDIR) {
			snprintf(used, usedcap, "%s", server);
			return rc;
		}
		if (i + 1 < list->n)
			logx("root: failing over from %s to %s", list->addr[order[i]], list->addr[order[i + 1]]);
	}
	return rc;
}

int nfs_mount_root(const struct nfs_root *r, const char *servers, const uint8_t *mac, const char *client_ip,
		   const struct nfs_resolver *res, const char *target, unsigned timeout_ms, char *used,
		   size_t usedcap)
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
	if (list.n > 1)
		log_order(&list, order);
	snprintf(what, sizeof(what), "root: %s:%s", list.n > 1 ? "{servers}" : list.addr[0], path);
	(void)mkdir(target, 0755);

	backoff_start(&b, timeout_ms, NFS_BACKOFF_FIRST_MS, NFS_BACKOFF_MAX_MS);
	do {
		rc = mount_round(r, &list, order, res, &b, path, target, used, usedcap);
		if (rc == 0 || rc == -ENOTDIR)
			return rc;
	} while (backoff_wait(&b, what));
	long long waited = backoff_elapsed(&b);
	logx("root: giving up on %s after %d attempts in %lld.%01lld s (nfsinit.root.timeout=%u)", what + 6,
	     b.attempts, waited / 1000, (waited % 1000) / 100, timeout_ms / 1000);
	return rc;
}
