/* Mount the shared root over NFS, read-only, retrying a server that is not up
 * yet. The kernel speaks RPC; we only choose options and keep trying. */
#include "mounts.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include "../common/log.h"

#define NFS_BACKOFF_FIRST_MS 500
#define NFS_BACKOFF_MAX_MS   8000

static void sleep_ms(unsigned ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static int try_version(const struct nfs_root *r, const char *vers, const char *server,
		       const char *source, const char *target, char *msg, size_t msglen)
{
	char opts[NI_OPTS_MAX + 64];
	int rc = nfsroot_mount_options(r, vers, server, opts, sizeof(opts));
	if (rc)
		return rc;
	/* fstype "nfs" with vers=4.x works since Linux 4.x; nfs4 is the old name. */
	rc = fs_mount("nfs", source, target, opts, true, msg, msglen);
	logdbg("root: mount -t nfs -o ro,%s %s %s: %d", opts, source, target, rc);
	return rc;
}

/* A server that is not there will not be there for the next version either:
 * go on to the backoff instead of walking down the version ladder. */
static bool server_unreachable(int rc)
{
	return rc == -ETIMEDOUT || rc == -ECONNREFUSED || rc == -EHOSTUNREACH || rc == -ENETUNREACH;
}

int nfs_mount_root(const struct nfs_root *r, const char *server, const char *client_ip,
		   const char *target, unsigned timeout_ms)
{
	char path[NI_PATH_MAX], source[NI_HOST_MAX + NI_PATH_MAX + 2], msg[256];
	/* The kernel settles on 4.0 for a bare vers=4 (choosing the minor version
	 * is mount.nfs's job), so without vers= walk down the ladder ourselves.
	 * vers=4 from the user gets the same treatment within version 4. */
	static const char *const ladder[] = { "4.2", "4.1", "4.0", "3" };
	const char *fixed[1] = { r->vers };
	const char *const *vers = ladder;
	int nvers = 4;
	long long start = uptime_ms();
	unsigned backoff = NFS_BACKOFF_FIRST_MS;
	int attempt = 0, rc;

	if (!strcmp(r->vers, "4")) {
		nvers = 3;
	} else if (r->vers[0]) {
		vers = fixed;
		nvers = 1;
	}
	rc = nfsroot_expand_path(r->path, client_ip, path, sizeof(path));
	if (rc) {
		logerr(rc, "root: path %s with client address %s", r->path, client_ip);
		return rc;
	}
	snprintf(source, sizeof(source), "%s:%s", server, path);
	(void)mkdir(target, 0755);

	for (;;) {
		attempt++;
		for (int i = 0; i < nvers; i++) {
			rc = try_version(r, vers[i], server, source, target, msg, sizeof(msg));
			if (rc == 0) {
				logx("root: mounted %s (nfs vers=%s, read-only) on %s", source, vers[i], target);
				return 0;
			}
			/* Without a fixed version, a refused minor version is routine. */
			if (nvers == 1 || i == nvers - 1 || server_unreachable(rc))
				logerr(rc, "root: NFS server %s, path %s (vers=%s) failed%s%s", server, path,
				       vers[i], msg[0] ? ": " : "", msg);
			else
				logdbg("root: %s vers=%s: %d %s", source, vers[i], rc, msg);
			if (server_unreachable(rc))
				break;
		}
		long long waited = uptime_ms() - start;
		if (waited + backoff > timeout_ms) {
			logx("root: giving up on %s after %d attempts in %lld.%01lld s (nfsinit.root.timeout=%u)",
			     source, attempt, waited / 1000, (waited % 1000) / 100, timeout_ms / 1000);
			return rc;
		}
		logx("root: retrying %s in %u.%01u s", source, backoff / 1000, (backoff % 1000) / 100);
		sleep_ms(backoff);
		backoff = backoff * 2 > NFS_BACKOFF_MAX_MS ? NFS_BACKOFF_MAX_MS : backoff * 2;
	}
}
