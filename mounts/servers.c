#include "servers.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static int bad(struct err_reason *err, int code, const char *what, const char *s, size_t n)
{
	return err_fail(err, code, "%s '%.*s'", what, (int)(n > 64 ? 64 : n), s);
}

int nfs_servers_parse(const char *list, struct nfs_servers *s, struct err_reason *err)
{
	const char *p = list;
	memset(s, 0, sizeof(*s));
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		struct in_addr a;
		if (n == 0)
			return bad(err, -EINVAL, "empty NFS server in list", list, strlen(list));
		if (n >= INET_ADDRSTRLEN)
			return bad(err, -EINVAL, "NFS server must be an IPv4 address (names are not resolved)", p, n);
		if (s->n == NFS_SERVERS_MAX)
			return bad(err, -E2BIG, "too many NFS servers (at most 8) at", p, n);
		memcpy(s->addr[s->n], p, n);
		s->addr[s->n][n] = '\0';
		if (inet_pton(AF_INET, s->addr[s->n], &a) != 1)
			return bad(err, -EINVAL, "NFS server must be an IPv4 address (names are not resolved)", p, n);
		s->n++;
		if (!comma)
			return 0;
		p = comma + 1;
	}
}

uint32_t nfs_servers_hash(const uint8_t mac[6])
{
	uint32_t h = 2166136261u;
	for (int i = 0; i < 6; i++) {
		h ^= mac[i];
		h *= 16777619u;
	}
	return h;
}

void nfs_servers_order(int n, const uint8_t *mac, int order[])
{
	int first = (mac && n > 0) ? (int)(nfs_servers_hash(mac) % (uint32_t)n) : 0;
	for (int i = 0; i < n; i++)
		order[i] = (first + i) % n;
}
