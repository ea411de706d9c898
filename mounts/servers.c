#include "servers.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "../common/dnsname.h"

static int bad(struct err_reason *err, int code, const char *what, const char *s, size_t n)
{
	return err_fail(err, code, "%s '%.*s'", what, (int)(n > 64 ? 64 : n), s);
}

/* RFC 1123 2.1: a name's last label is never all digits, so "10.0.0.256"
 * is a mistyped address, not a name to look up. */
static bool looks_numeric(const char *s)
{
	const char *last = strrchr(s, '.');
	last = last ? last + 1 : s;
	return strspn(last, "0123456789") == strlen(last);
}

static int classify(const char *e, enum nfs_server_kind *kind)
{
	struct in_addr a4;
	struct in6_addr a6;
	char inner[INET6_ADDRSTRLEN];
	size_t n = strlen(e);

	if (e[0] == '[') {
		if (n < 3 || e[n - 1] != ']' || n - 2 >= sizeof(inner))
			return -EINVAL;
		memcpy(inner, e + 1, n - 2);
		inner[n - 2] = '\0';
		*kind = NFS_SERVER_IPV6;
		return inet_pton(AF_INET6, inner, &a6) == 1 ? 0 : -EINVAL;
	}
	if (inet_pton(AF_INET, e, &a4) == 1) {
		*kind = NFS_SERVER_IPV4;
		return 0;
	}
	*kind = NFS_SERVER_NAME;
	return dns_name_ok(e) && !looks_numeric(e) ? 0 : -EINVAL;
}

static const char *why_bad(const char *e)
{
	if (e[0] == '[')
		return "NFS server: malformed IPv6 address";
	if (strchr(e, ':'))
		return "NFS server: an IPv6 address needs brackets ([fd00::1])";
	return "NFS server: not an IPv4 address, [IPv6 address] or host name";
}

int nfs_servers_parse(const char *list, struct nfs_servers *s, struct err_reason *err)
{
	const char *p = list;
	memset(s, 0, sizeof(*s));
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		char *e = s->addr[s->n < NFS_SERVERS_MAX ? s->n : 0];
		if (n == 0)
			return bad(err, -EINVAL, "empty NFS server in list", list, strlen(list));
		if (s->n == NFS_SERVERS_MAX)
			return bad(err, -E2BIG, "too many NFS servers (at most 8) at", p, n);
		if (n >= NI_HOST_MAX)
			return bad(err, -EINVAL, "NFS server name too long", p, n);
		memcpy(e, p, n);
		e[n] = '\0';
		if (classify(e, &s->kind[s->n]))
			return bad(err, -EINVAL, why_bad(e), p, n);
		s->n++;
		if (!comma)
			return 0;
		p = comma + 1;
	}
}

int nfs_server_addr(const char *server, char *out, size_t cap)
{
	enum nfs_server_kind kind;
	size_t n = strlen(server);

	if (classify(server, &kind) || kind == NFS_SERVER_NAME)
		return -EINVAL;
	if (kind == NFS_SERVER_IPV6) {
		server++;
		n -= 2;
	}
	if (n >= cap)
		return -ENAMETOOLONG;
	memcpy(out, server, n);
	out[n] = '\0';
	return 0;
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
