/* File I/O of the hand-over: renders each kind and puts it in place with
 * write-then-rename, so a consumer never reads half a file. */
#include "handover.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "../common/log.h"
#include "lease_keeper.h"

#define HANDOVER_TEXT_MAX 4096

/* mkdir -p of the directories above path. */
static int make_parents(char *path)
{
	for (char *p = strchr(path + 1, '/'); p; p = strchr(p + 1, '/')) {
		*p = '\0';
		int rc = mkdir(path, 0755) && errno != EEXIST ? -errno : 0;
		*p = '/';
		if (rc)
			return rc;
	}
	return 0;
}

static int write_file(char *path, const char *text, size_t len)
{
	char tmp[NI_PATH_MAX + 8];
	ssize_t n;
	int fd, rc;

	if ((rc = make_parents(path)))
		return rc;
	if (snprintf(tmp, sizeof(tmp), "%s.new", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	n = write(fd, text, len);
	rc = n < 0 ? -errno : (size_t)n != len ? -EIO : 0;
	if (close(fd) && !rc)
		rc = -errno;
	/* rename replaces a symlink at path itself, never what it points to. */
	if (!rc && rename(tmp, path))
		rc = -errno;
	if (rc)
		(void)unlink(tmp); /* rc is the failure to report, not this cleanup */
	return rc;
}

static int write_kind(enum handover_kind k, const struct net_lease *l, const char *base)
{
	char text[HANDOVER_TEXT_MAX], rel[NI_PATH_MAX], path[NI_PATH_MAX];
	int len, rc;

	if ((rc = handover_path(k, l->ifname, rel, sizeof(rel))) < 0 ||
	    snprintf(path, sizeof(path), "%s/%s", base, rel) >= (int)sizeof(path)) {
		logx("handover: path for %s under %s is too long", l->ifname, base);
		return -ENAMETOOLONG;
	}
	len = handover_render(k, l, text, sizeof(text));
	if (len == -ENODATA) {
		logdbg("handover: %s: nothing to write (no DNS from %s)", path, l->ifname);
		return 0;
	}
	rc = len < 0 ? len : write_file(path, text, (size_t)len);
	if (rc)
		logerr(rc, "handover: writing %s", path);
	else
		logdbg("handover: wrote %s", path);
	return rc;
}

int handover_write(const struct net_lease *lease, const char *run_dir, const char *root_dir)
{
	struct net_lease l = *lease;
	int first = 0, bad = handover_sanitize(&l);

	if (bad)
		logx("handover: %s: DHCP %s%s%s not a plain DNS name, left out", l.ifname,
		     bad & 1 ? "hostname " : "", bad & 2 ? "domain " : "", bad & 4 ? "search list " : "");
	for (int k = 0; k < HANDOVER_KINDS; k++) {
		if (k == HANDOVER_RESOLV && !root_dir)
			continue; /* /init: the identity stage writes it, inside the new root */
		int rc = write_kind((enum handover_kind)k, &l, k == HANDOVER_RESOLV ? root_dir : run_dir);
		if (rc && !first)
			first = rc;
	}
	return first;
}

bool handover_networkd_enabled(const char *root_dir)
{
	static const char *const wants[] = {
		"etc/systemd/system/multi-user.target.wants/systemd-networkd.service",
		"etc/systemd/system/network-online.target.wants/systemd-networkd-wait-online.service",
		"etc/systemd/system/sysinit.target.wants/systemd-networkd.service",
		"etc/systemd/system/network.target.wants/systemd-networkd.service",
	};
	char path[NI_PATH_MAX];
	for (size_t i = 0; i < sizeof(wants) / sizeof(wants[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", root_dir, wants[i]);
		struct stat st;
		/* The links point at absolute paths of the new root: lstat the link. */
		if (lstat(path, &st) == 0)
			return true;
	}
	return false;
}

void netcfg_handover(const struct net_lease *l, const char *newroot, char *argv0)
{
	int rc;

	(void)handover_write(l, "/run", NULL); /* logs each file it could not write; the boot goes on */
	if (!l->via_dhcp)
		return;
	if (l->lease_secs == 0xffffffffu) {
		logx("handover: %s: infinite lease, no keeper needed", l->ifname);
		return;
	}
	if (handover_networkd_enabled(newroot)) {
		logx("handover: %s: the root enables systemd-networkd, which renews the lease; "
		     "no keeper", l->ifname);
		return;
	}
	rc = lease_keeper_start(l, argv0);
	if (rc)
		logerr(rc, "handover: %s: starting the lease keeper (the lease of %u s will not be "
		       "renewed)", l->ifname, l->lease_secs);
}
