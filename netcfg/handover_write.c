/* File I/O of the hand-over: renders each kind and puts it in place with
 * file_write_atomic(), so a consumer never reads half a file. */
#include "handover.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "../common/file.h"
#include "../common/log.h"
#include "lease_keeper.h"

#define HANDOVER_TEXT_MAX 4096

int handover_put(const char *path, const char *text, int len, mode_t mode)
{
	int rc;

	if (len == -ENODATA) {
		logdbg("handover: %s: nothing to write", path);
		return 0;
	}
	rc = len < 0 ? len : file_write_atomic(path, text, (size_t)len, mode);
	if (rc)
		logerr(rc, "handover: writing %s", path);
	else
		logdbg("handover: wrote %s", path);
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
	/* netplan warns that a readable configuration is "too open". */
	return handover_put(path, text, len, k == HANDOVER_NETPLAN ? 0600 : 0644);
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
		if (k == HANDOVER_LINK && netdev_stacked(&l))
			continue; /* a VLAN's or bond's MAC is its NIC's: the NICs get their own */
		int rc = write_kind((enum handover_kind)k, &l, k == HANDOVER_RESOLV ? root_dir : run_dir);
		if (rc && !first)
			first = rc;
	}
	int rc = netdev_handover_write(&l, run_dir);
	return first ? first : rc;
}

int linkfile_write(const struct net_lease *l, const char *run_dir)
{
	if (netdev_stacked(l))
		return netdev_linkfiles_write(l, run_dir);
	return write_kind(HANDOVER_LINK, l, run_dir);
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
	if (!l->via_dhcp && !(l->have6 && l->method6 == IP_METHOD_DHCP6))
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
