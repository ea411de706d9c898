#include "slaac.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "../common/backoff.h"
#include "../common/file.h"
#include "../common/limits.h"
#include "../common/log.h"

#define SLAAC_POLL_MS   100
#define IFA_TENTATIVE   0x40   /* include/uapi/linux/if_addr.h IFA_F_TENTATIVE */
#define IFA_DADFAILED   0x08

static int hex_byte(const char *s)
{
	int v = 0;
	for (int i = 0; i < 2; i++) {
		char c = s[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else
			return -1;
	}
	return v;
}

/* "<32 hex> <ifindex> <prefix> <scope> <flags> <name>", all numbers hex. */
static int parse_line(const char *line, size_t n, struct in6_addr *a, unsigned long v[4])
{
	const char *p = line + 32, *end = line + n;

	if (n < 33 || line[32] != ' ')
		return -EBADMSG;
	for (int i = 0; i < 16; i++) {
		int b = hex_byte(line + 2 * i);
		if (b < 0)
			return -EBADMSG;
		a->s6_addr[i] = (uint8_t)b;
	}
	for (int i = 0; i < 4; i++) {
		char *e;
		while (p < end && *p == ' ')
			p++;
		if (p >= end || *p == '\n')
			return -EBADMSG;
		v[i] = strtoul(p, &e, 16);
		if (e == p || e > end || (*e != ' ' && e != end))
			return -EBADMSG;
		p = e;
	}
	return 0;
}

int slaac_find(const char *text, int ifindex, unsigned scope, struct in6_addr *addr, int *prefix)
{
	for (const char *p = text; *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		struct in6_addr a;
		unsigned long v[4];   /* ifindex, prefix length, scope, flags */

		if (n && parse_line(p, n, &a, v))
			return -EBADMSG;
		if (n && v[0] == (unsigned long)ifindex && v[2] == scope && v[1] <= 128 &&
		    !(v[3] & (IFA_TENTATIVE | IFA_DADFAILED))) {
			*addr = a;
			*prefix = (int)v[1];
			return 0;
		}
		p += n + (nl ? 1 : 0);
	}
	return -ENOENT;
}

int slaac_find_global(const char *text, int ifindex, struct in6_addr *addr, int *prefix)
{
	return slaac_find(text, ifindex, SLAAC_SCOPE_GLOBAL, addr, prefix);
}

int slaac_wait_addr(int ifindex, unsigned scope, unsigned timeout_ms, struct in6_addr *addr, int *prefix)
{
	static char text[SLAAC_LIST_MAX];
	long long deadline = uptime_ms() + timeout_ms;
	int rc;

	for (;;) {
		rc = file_read_text(SLAAC_IF_INET6, text, sizeof(text));
		if (rc == 0)
			rc = slaac_find(text, ifindex, scope, addr, prefix);
		if (rc != -ENOENT)
			return rc;
		if (uptime_ms() >= deadline)
			return -ETIMEDOUT;
		sleep_ms(SLAAC_POLL_MS);
	}
}

static int set_conf(const char *ifname, const char *key)
{
	char path[NI_PATH_MAX];
	int fd, rc;

	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/%s", ifname, key);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	rc = file_write_all(fd, "1\n", 2);
	close(fd);
	return rc;
}

int slaac_wait(const char *ifname, int ifindex, unsigned timeout_ms, struct in6_addr *addr, int *prefix)
{
	int rc;

	if ((rc = set_conf(ifname, "accept_ra")) || (rc = set_conf(ifname, "autoconf")))
		return rc;
	return slaac_wait_addr(ifindex, SLAAC_SCOPE_GLOBAL, timeout_ms, addr, prefix);
}
