/* ip= as described in the kernel's Documentation/admin-guide/nfs/nfsroot.rst,
 * with dracut's <device>:<method>[:<mtu>[:<mac>]] form and its :<mtu>[:<mac>]
 * fields after the long form's autoconf. */
#include "ipconf.h"
#include "../common/inaddr.h"
#include "../common/mac.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IP_FIELDS_MAX 14   /* the long form with dracut's :<mtu>:<macaddr>, MAC split in 6 */
#define DEVICE_FORM_FIELDS 3   /* <device>:<method>:<mtu> */
#define LONG_FORM_FIELDS   8   /* <client>:...:<autoconf>:<mtu> */

/* Methods the kernel and dracut accept; all DHCP variants mean DHCP to us. */
static int method_word(const char *w, enum ip_method *m)
{
	static const char *const dhcp[] = { "dhcp", "on", "any", "bootp", "both", "rarp", "either6", NULL };
	if (!strcmp(w, "off") || !strcmp(w, "none")) {
		*m = IP_METHOD_OFF;
		return 0;
	}
	if (!strcmp(w, "auto6") || !strcmp(w, "dhcp6")) {
		*m = w[0] == 'a' ? IP_METHOD_AUTO6 : IP_METHOD_DHCP6;
		return 0;
	}
	for (int i = 0; dhcp[i]; i++)
		if (!strcmp(w, dhcp[i])) {
			*m = IP_METHOD_DHCP;
			return 0;
		}
	return -EINVAL;
}

static int parse_addr(const char *s, struct in_addr *a)
{
	if (!*s) {
		a->s_addr = INADDR_ANY;
		return 0;
	}
	return inet_pton(AF_INET, s, a) == 1 ? 0 : -EINVAL;
}

static int parse_mtu(const char *s, unsigned *mtu)
{
	char *end;
	unsigned long v;
	if (!*s)
		return 0;
	v = strtoul(s, &end, 10);
	if (*end || v < 68 || v > 65535)
		return -ERANGE;
	*mtu = (unsigned)v;
	return 0;
}

static int copy_field(char *dst, size_t cap, const char *src)
{
	size_t n = strlen(src);
	if (n >= cap)
		return -ENAMETOOLONG;
	memcpy(dst, src, n + 1);
	return 0;
}

/* Splits in place on ':' outside brackets (an IPv6 address is one field);
 * returns the field count or -E2BIG. */
static int split(char *s, char *f[IP_FIELDS_MAX])
{
	int n = 0, depth = 0;
	f[n++] = s;
	for (char *p = s; *p; p++)
		if (*p == '[' || *p == ']')
			depth = *p == '[';
		else if (*p == ':' && !depth) {
			*p = '\0';
			if (n == IP_FIELDS_MAX)
				return -E2BIG;
			f[n++] = p + 1;
		}
	return n;
}

/* dracut puts <macaddr> last, right after <mtu> (modules.d/40network: ifup
 * sets it on the interface before DHCP or the static address). Our split
 * on ':' cut it into six fields; takes them off the end when they are a MAC
 * at that place. The kernel's 9-field form never matches: dns1 has dots. */
static void take_mac(char *f[], int *n, struct ipconf *out)
{
	int at = *n - 6;

	if (at != DEVICE_FORM_FIELDS && at != LONG_FORM_FIELDS)
		return;
	for (int i = at + 1; i < *n; i++)   /* the split put '\0' where ':' was */
		f[i][-1] = ':';
	if (mac_parse(f[at], ':', out->mac)) {
		for (int i = at + 1; i < *n; i++)
			f[i][-1] = '\0';
		return;
	}
	out->have_mac = true;
	*n = at;
}

static int parse_device_form(char *f[], int n, struct ipconf *out, struct err_reason *err)
{
	if (copy_field(out->device, sizeof(out->device), f[0]))
		return err_value(err, -EINVAL, "ip=: device name too long", f[0]);
	if (method_word(f[1], &out->method))
		return err_value(err, -EINVAL, "ip=: unknown method", f[1]);
	if (out->method == IP_METHOD_OFF)
		return err_value(err, -EINVAL, "ip=: method needs addresses in the long form", f[1]);
	if (n > 2 && parse_mtu(f[2], &out->mtu))
		return err_value(err, -EINVAL, "ip=: bad mtu", f[2]);
	if (n > DEVICE_FORM_FIELDS) {
		/* take_mac() did not take it: put the colons back for the message. */
		for (int i = DEVICE_FORM_FIELDS + 1; i < n; i++)
			f[i][-1] = ':';
		return err_value(err, -EINVAL, "ip=: bad MAC address", f[DEVICE_FORM_FIELDS]);
	}
	return 0;
}

static int parse_long_form(char *f[], int n, struct ipconf *out, struct err_reason *err)
{
	static const char *const names[] = { "client-ip", "server-ip", "gw-ip", "netmask" };
	struct in_addr *addrs[] = { &out->client, &out->server, &out->gateway, &out->netmask };

	for (int i = 0; i < 4 && i < n; i++)
		if (parse_addr(f[i], addrs[i])) {
			char what[48];
			snprintf(what, sizeof(what), "ip=: bad %s", names[i]);
			return err_value(err, -EINVAL, what, f[i]);
		}
	if (n > 4 && copy_field(out->hostname, sizeof(out->hostname), f[4]))
		return err_value(err, -EINVAL, "ip=: hostname too long", f[4]);
	if (n > 5 && copy_field(out->device, sizeof(out->device), f[5]))
		return err_value(err, -EINVAL, "ip=: device name too long", f[5]);

	if (n > 6 && *f[6]) {
		if (method_word(f[6], &out->method))
			return err_value(err, -EINVAL, "ip=: unknown autoconf", f[6]);
		/* "off" in the long form means: use exactly these values. */
		if (out->method == IP_METHOD_OFF)
			out->method = IP_METHOD_STATIC;
	} else {
		out->method = out->client.s_addr != INADDR_ANY ? IP_METHOD_STATIC : IP_METHOD_DHCP;
	}

	/* Field 8 is dns0 for the kernel, mtu for dracut: an address has dots. */
	if (n > 7 && *f[7] && !strchr(f[7], '.')) {
		if (parse_mtu(f[7], &out->mtu))
			return err_value(err, -EINVAL, "ip=: bad mtu", f[7]);
	} else {
		for (int i = 7; i < 9 && i < n; i++) {
			if (!*f[i])
				continue;
			if (parse_addr(f[i], &out->dns[out->ndns]))
				return err_value(err, -EINVAL, "ip=: bad dns server", f[i]);
			out->ndns++;
		}
		if (n > 9 && *f[9]) {
			if (parse_addr(f[9], &out->ntp[0]))
				return err_value(err, -EINVAL, "ip=: bad ntp server", f[9]);
			out->nntp = 1;
		}
		if (n > 10)
			return err_value(err, -EINVAL, "ip=: too many fields in", f[10]);
	}
	if (out->have_mac && !out->device[0])
		return err_value(err, -EINVAL, "ip=: a MAC address needs the device field, got", f[5]);

	if (out->method == IP_METHOD_STATIC) {
		if (out->client.s_addr == INADDR_ANY)
			return err_value(err, -EINVAL, "ip=: static configuration needs client-ip, got", f[0]);
		if (out->netmask.s_addr == INADDR_ANY)
			out->netmask = inaddr_classful_netmask(out->client);
		if (ipconf_netmask_to_prefix(out->netmask) < 0)
			return err_value(err, -EINVAL, "ip=: netmask is not contiguous", f[3]);
	}
	return 0;
}

/* "[fd00::1]" into a; "" leaves it ::. */
static int parse_addr6(const char *s, struct in6_addr *a)
{
	char inner[INET6_ADDRSTRLEN];
	size_t n = strlen(s);

	if (!n)
		return 0;
	if (n < 3 || s[0] != '[' || s[n - 1] != ']' || n - 2 >= sizeof(inner))
		return -EINVAL;
	memcpy(inner, s + 1, n - 2);
	inner[n - 2] = '\0';
	return inet_pton(AF_INET6, inner, a) == 1 ? 0 : -EINVAL;
}

/* After autoconf: bracketed DNS servers, or dracut's <mtu>. */
static int parse_v6_tail(char *f[], int n, struct ipconf *out, struct err_reason *err)
{
	for (int i = 7; i < n; i++) {
		if (!*f[i])
			continue;
		if (i == 7 && f[i][0] != '[') {
			if (parse_mtu(f[i], &out->mtu))
				return err_value(err, -EINVAL, "ip=: bad mtu", f[i]);
			continue;
		}
		if (i > 8)
			return err_value(err, -EINVAL, "ip=: too many fields in", f[i]);
		if (parse_addr6(f[i], &out->dns6[out->ndns6]))
			return err_value(err, -EINVAL, "ip=: bad IPv6 dns server (want [addr])", f[i]);
		out->ndns6++;
	}
	return 0;
}

/* dracut's ip=[<client6>]:[<peer6>]:[<gw6>]:<prefixlen>:<hostname>:<device>:<autoconf>... */
static int parse_v6_form(char *f[], int n, struct ipconf *out, struct err_reason *err)
{
	static const char *const names[] = { "client-ip", "server-ip", "gw-ip" };
	struct in6_addr *addrs[] = { &out->client6, &out->server6, &out->gateway6 };
	char *end;

	out->v6 = true;
	out->method = IP_METHOD_STATIC;
	for (int i = 0; i < 3 && i < n; i++)
		if (parse_addr6(f[i], addrs[i])) {
			char what[56];
			snprintf(what, sizeof(what), "ip=: bad IPv6 %s (want [addr])", names[i]);
			return err_value(err, -EINVAL, what, f[i]);
		}
	out->prefix6 = 64;
	if (n > 3 && *f[3]) {
		long v = strtol(f[3], &end, 10);
		if (*end || v < 1 || v > 128)
			return err_value(err, -EINVAL, "ip=: bad IPv6 prefix length", f[3]);
		out->prefix6 = (int)v;
	}
	if (n > 4 && copy_field(out->hostname, sizeof(out->hostname), f[4]))
		return err_value(err, -EINVAL, "ip=: hostname too long", f[4]);
	if (n > 5 && copy_field(out->device, sizeof(out->device), f[5]))
		return err_value(err, -EINVAL, "ip=: device name too long", f[5]);
	if (n > 6 && *f[6] && strcmp(f[6], "none") && strcmp(f[6], "off"))
		return err_value(err, -EINVAL, "ip=: a static IPv6 address wants autoconf none, got", f[6]);
	if (out->have_mac && !out->device[0])
		return err_value(err, -EINVAL, "ip=: a MAC address needs the device field, got", n > 5 ? f[5] : "");
	return parse_v6_tail(f, n, out, err);
}

int ipconf_parse(const char *value, struct ipconf *out, struct err_reason *err)
{
	char buf[NI_PATH_MAX];
	char *f[IP_FIELDS_MAX];
	int n;

	memset(out, 0, sizeof(*out));
	out->given = true;
	if (strlen(value) >= sizeof(buf))
		return err_value(err, -EINVAL, "ip=: value too long", "...");
	strcpy(buf, value);

	n = split(buf, f);
	if (n < 0)
		return err_value(err, -EINVAL, "ip=: too many fields in", value);
	take_mac(f, &n, out);
	if (f[0][0] == '[')
		return parse_v6_form(f, n, out, err);
	if (n == 1) {
		if (method_word(buf, &out->method))
			return err_value(err, -EINVAL, "ip=: unknown method", buf);
		return 0;
	}
	/* dracut's ip=<device>:<method>: the first field is a name, not an address. */
	if (*f[0] && !strchr(f[0], '.') && n <= DEVICE_FORM_FIELDS + 6 &&
	    method_word(f[1], &(enum ip_method){0}) == 0)
		return parse_device_form(f, n, out, err);
	return parse_long_form(f, n, out, err);
}

int ipconf_netmask_to_prefix(struct in_addr mask)
{
	uint32_t m = ntohl(mask.s_addr);
	int prefix = 0;
	while (m & 0x80000000u) {
		prefix++;
		m <<= 1;
	}
	return m ? -1 : prefix;
}
