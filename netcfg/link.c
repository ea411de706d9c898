/* Interface discovery through sysfs. Drivers probe in the background after
 * their module loads, so the wait polls in short steps rather than sleeping. */
#include "link.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "../common/log.h"
#include "../common/mac.h"
#include "../common/dir.h"
#include "../common/file.h"

#define SYS_NET "/sys/class/net"
#define LINK_POLL_MS 10
#define ARPHRD_ETHER_TYPE 1

static const char *sys_net = SYS_NET;

void link_sysfs_root(const char *dir)
{
	sys_net = dir ? dir : SYS_NET;
}

/* A small sysfs attribute of ifname, newline stripped. */
static int read_attr(const char *ifname, const char *attr, char *buf, size_t cap)
{
	char path[NI_PATH_MAX];

	if ((size_t)snprintf(path, sizeof(path), "%s/%s/%s", sys_net, ifname, attr) >= sizeof(path))
		return -ENAMETOOLONG;
	return file_read_text(path, buf, cap);
}

static int read_uint(const char *ifname, const char *attr, unsigned long *v)
{
	char buf[32], *end;
	int rc = read_attr(ifname, attr, buf, sizeof(buf));
	if (rc)
		return rc;
	*v = strtoul(buf, &end, 10);
	return end == buf ? -EINVAL : 0;
}

static int read_link(const char *name, struct link_info *l)
{
	char buf[64];
	unsigned long type, idx, mtu;

	if (strlen(name) >= sizeof(l->name))
		return -ENAMETOOLONG;
	if (read_uint(name, "type", &type) || type != ARPHRD_ETHER_TYPE)
		return -EAFNOSUPPORT;
	if (read_uint(name, "ifindex", &idx) || read_uint(name, "mtu", &mtu))
		return -ENODEV;
	if (read_attr(name, "address", buf, sizeof(buf)) || mac_parse(buf, ':', l->mac))
		return -ENODEV;
	strcpy(l->name, name);
	l->ifindex = (int)idx;
	l->mtu = (unsigned)mtu;
	return 0;
}

int link_list(struct link_info *out, int max, int *more)
{
	struct dir_reader d;
	struct link_info spare;
	struct dirent *e;
	int n = 0, rc;

	*more = 0;
	if ((rc = dir_open(&d, AT_FDCWD, sys_net)))
		return rc;
	while ((e = dir_next(&d))) {
		if (e->d_name[0] == '.' || !strcmp(e->d_name, "lo"))
			continue;
		if (read_link(e->d_name, n < max ? &out[n] : &spare) != 0)
			continue;
		if (n < max)
			n++;
		else
			++*more;
	}
	dir_close(&d);
	return n;
}

static int choose(const char *device, const uint8_t *bootif, struct link_info *out, int max,
		  int *more)
{
	struct link_info all[NI_LINKS_MAX];
	int n = link_list(all, NI_LINKS_MAX, more);

	if (n < 0)
		return n;
	if (device && *device) {
		/* A named device need not be Ethernet-typed to be asked for by name,
		 * but DHCP here speaks Ethernet only, so the same filter applies. */
		for (int i = 0; i < n; i++)
			if (!strcmp(all[i].name, device)) {
				out[0] = all[i];
				return 1;
			}
		return 0;
	}
	if (bootif) {
		for (int i = 0; i < n; i++)
			if (!memcmp(all[i].mac, bootif, 6)) {
				out[0] = all[i];
				return 1;
			}
		return 0;
	}
	if (n > max)
		n = max;
	memcpy(out, all, (size_t)n * sizeof(*out));
	return n;
}

int link_wait(const char *device, const uint8_t *bootif, unsigned timeout_ms,
	      struct link_info *out, int max)
{
	long long deadline = uptime_ms() + timeout_ms;
	bool told = false;
	for (;;) {
		int more = 0, n = choose(device, bootif, out, max, &more);
		if (more && !told) {
			logx("net: %d Ethernet interfaces, only the first %d read are used (NI_LINKS_MAX)",
			     NI_LINKS_MAX + more, NI_LINKS_MAX);
			told = true;
		}
		if (n != 0)
			return n;
		if (uptime_ms() >= deadline)
			return -ENODEV;
		(void)poll(NULL, 0, LINK_POLL_MS); /* a sleep */
	}
}

int link_carrier(const char *name)
{
	char buf[8];
	int rc = read_attr(name, "carrier", buf, sizeof(buf));
	if (rc == -EINVAL)
		return 0;              /* the kernel's answer while the link is down */
	if (rc)
		return rc;
	return buf[0] == '1';
}

void link_names(const struct link_info *l, int n, char *out, size_t cap)
{
	size_t len = 0;
	out[0] = 0;
	for (int i = 0; i < n; i++) {
		int k = snprintf(out + len, cap - len, "%s%s", i ? ", " : "", l[i].name);
		if (k < 0 || (size_t)k >= cap - len) {
			/* The list is for a message; "..." says it was cut. */
			if (cap > 4)
				strcpy(out + cap - 4, "...");
			return;
		}
		len += (size_t)k;
	}
}
