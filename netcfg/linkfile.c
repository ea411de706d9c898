#include "linkfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int linkfile_path(const char *ifname, char *buf, size_t cap)
{
	int n = snprintf(buf, cap, "systemd/network/10-nfsinit-%s.link", ifname);
	return n < 0 || (size_t)n >= cap ? -ENAMETOOLONG : n;
}

int linkfile_render(const struct net_lease *l, char *buf, size_t cap)
{
	const uint8_t *m = l->mac;
	int n;
	if (!l->ifname[0])
		return -EINVAL;
	/* Type=ether: a VLAN or bond on this NIC has the same MAC and must not
	 * match (matching the kernel name instead would make udev warn that
	 * the name is not predictable). An empty NamePolicy= leaves Name= as
	 * the only choice; every other [Link] setting keeps the kernel's value,
	 * as the NIC carries the root already. */
	n = snprintf(buf, cap,
		     "# nfsinit: the root filesystem is mounted over this interface, which is\n"
		     "# up already and cannot be renamed: keep the name it booted with.\n"
		     "[Match]\n"
		     "MACAddress=%02x:%02x:%02x:%02x:%02x:%02x\n"
		     "Type=ether\n"
		     "\n"
		     "[Link]\n"
		     "NamePolicy=\n"
		     "Name=%s\n",
		     m[0], m[1], m[2], m[3], m[4], m[5], l->ifname);
	return n < 0 || (size_t)n >= cap ? -ENOBUFS : n;
}

static int mkdir_p(char *path)
{
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		int rc = mkdir(path, 0755) < 0 && errno != EEXIST ? -errno : 0;
		*p = '/';
		if (rc)
			return rc;
	}
	return 0;
}

int linkfile_write(const struct net_lease *l, const char *run_dir)
{
	char path[256], text[512];
	int len, k, fd, rc = 0;

	k = snprintf(path, sizeof(path), "%s/", run_dir);
	if (k < 0 || (size_t)k >= sizeof(path))
		return -ENAMETOOLONG;
	if ((rc = linkfile_path(l->ifname, path + k, sizeof(path) - (size_t)k)) < 0)
		return rc;
	if ((len = linkfile_render(l, text, sizeof(text))) < 0)
		return len;
	if ((rc = mkdir_p(path)))
		return rc;
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	if (write(fd, text, (size_t)len) != len)
		rc = -EIO;
	if (close(fd) < 0 && !rc)
		rc = -errno;
	return rc;
}
