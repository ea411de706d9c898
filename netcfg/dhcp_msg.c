/* DHCPv4 message encoder and parser, IPv4/UDP framing. Every read is
 * preceded by a length check; nothing here logs or keeps state. */
#include "dhcp_msg.h"

#include <errno.h>
#include <string.h>
#include "../common/dns_msg.h"

#define BOOTREQUEST 1
#define BOOTREPLY   2
#define HTYPE_ETHER 1
#define FLAG_BROADCAST 0x8000
#define OPT_PAD 0
#define OPT_END 255
#define OPT_OVERLOAD 52
#define OPT_CONCAT_MAX DHCP_MSG_MAX  /* all instances of one option fit in one message */

static const uint8_t magic_cookie[4] = { 99, 130, 83, 99 };

/* Offsets into the fixed part, RFC 2131 figure 1. */
enum {
	OFF_OP = 0, OFF_HTYPE = 1, OFF_HLEN = 2, OFF_XID = 4, OFF_SECS = 8,
	OFF_FLAGS = 10, OFF_CIADDR = 12, OFF_YIADDR = 16, OFF_SIADDR = 20,
	OFF_CHADDR = 28, OFF_SNAME = 44, OFF_FILE = 108, OFF_COOKIE = 236,
};
#define SNAME_LEN 64
#define FILE_LEN 128

static const uint8_t param_request[] = {
	1, 3, 6, 7, 12, 15, 17, 26, 28, 42, 51, 54, 58, 59, 66, 67, 119, 224,
};

static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static void put32(uint8_t *p, uint32_t v) { put16(p, (uint16_t)(v >> 16)); put16(p + 2, (uint16_t)v); }
static uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static uint32_t get32(const uint8_t *p) { return (uint32_t)get16(p) << 16 | get16(p + 2); }

/* ---- encoder ---- */

struct writer {
	uint8_t *buf;
	size_t cap, len;
	bool overflow;
};

static void put_opt(struct writer *w, uint8_t code, const void *data, size_t len)
{
	if (len > 255 || w->len + 2 + len > w->cap) {
		w->overflow = true;
		return;
	}
	w->buf[w->len] = code;
	w->buf[w->len + 1] = (uint8_t)len;
	memcpy(w->buf + w->len + 2, data, len);
	w->len += 2 + len;
}

static void put_opt_str(struct writer *w, uint8_t code, const char *s)
{
	if (s && *s)
		put_opt(w, code, s, strlen(s));
}

static void put_opt_addr(struct writer *w, uint8_t code, struct in_addr a)
{
	if (a.s_addr != INADDR_ANY)
		put_opt(w, code, &a.s_addr, 4);
}

static void put_options(struct writer *w, const struct dhcp_out *o)
{
	uint8_t type = (uint8_t)o->type, size[2], client_id[7];

	put_opt(w, 53, &type, 1);
	/* RFC 2132 9.14: type 1 (Ethernet) followed by the hardware address. */
	client_id[0] = HTYPE_ETHER;
	memcpy(client_id + 1, o->mac, 6);
	put_opt(w, 61, client_id, sizeof(client_id));
	if (o->type == DHCP_RELEASE) {
		put_opt_addr(w, 54, o->server_id);
		return;
	}
	put_opt_addr(w, 50, o->requested_ip);
	put_opt_addr(w, 54, o->server_id);
	put16(size, o->max_size ? o->max_size : DHCP_MSG_MAX);
	put_opt(w, 57, size, 2);
	put_opt(w, 55, param_request, sizeof(param_request));
	put_opt_str(w, 60, o->vendor_class);
	put_opt_str(w, 12, o->hostname);
}

int dhcp_msg_build(const struct dhcp_out *o, uint8_t *buf, size_t cap)
{
	struct writer w = { buf, cap, DHCP_OPTIONS_OFF, false };

	if (o->type != DHCP_DISCOVER && o->type != DHCP_REQUEST && o->type != DHCP_RELEASE)
		return -EINVAL;
	if (cap < DHCP_BOOTP_MIN)
		return -ENOBUFS;
	memset(buf, 0, DHCP_BOOTP_MIN);
	buf[OFF_OP] = BOOTREQUEST;
	buf[OFF_HTYPE] = HTYPE_ETHER;
	buf[OFF_HLEN] = 6;
	put32(buf + OFF_XID, o->xid);
	put16(buf + OFF_SECS, o->secs);
	/* Replies are broadcast: we have no address yet and some servers cannot
	 * unicast to an unconfigured client (RFC 2131 4.1). A renewing client
	 * has ciaddr and takes unicast replies (RFC 2131 4.3.2). */
	if (o->type != DHCP_RELEASE && o->ciaddr.s_addr == INADDR_ANY)
		put16(buf + OFF_FLAGS, FLAG_BROADCAST);
	memcpy(buf + OFF_CIADDR, &o->ciaddr.s_addr, 4);
	memcpy(buf + OFF_CHADDR, o->mac, 6);
	memcpy(buf + OFF_COOKIE, magic_cookie, 4);

	put_options(&w, o);
	if (w.overflow || w.len + 1 > cap)
		return -ENOBUFS;
	buf[w.len++] = OPT_END;
	if (w.len < DHCP_BOOTP_MIN)
		w.len = DHCP_BOOTP_MIN;
	return (int)w.len;
}

/* ---- option areas: options field, then file and sname when overloaded ---- */

struct area {
	const uint8_t *p;
	size_t len;
};

struct opt_areas {
	struct area a[3];
	int n;
};

/* Walks one area and checks that every option fits. An area may end without
 * an END option when its bytes run out exactly. */
static int area_check(struct area ar)
{
	size_t i = 0;
	while (i < ar.len) {
		uint8_t code = ar.p[i];
		if (code == OPT_END)
			return 0;
		if (code == OPT_PAD) {
			i++;
			continue;
		}
		if (i + 2 > ar.len || i + 2 + ar.p[i + 1] > ar.len)
			return -EBADMSG;
		i += 2 + ar.p[i + 1];
	}
	return 0;
}

/* RFC 3396: all instances of one code, in area order, form one value.
 * Returns the total length, -ENOENT when absent, -EBADMSG if too long. */
static int opt_collect(const struct opt_areas *oa, uint8_t code, uint8_t *out, size_t cap)
{
	size_t total = 0;
	bool found = false;
	for (int k = 0; k < oa->n; k++) {
		const struct area *ar = &oa->a[k];
		size_t i = 0;
		while (i < ar->len && ar->p[i] != OPT_END) {
			if (ar->p[i] == OPT_PAD) {
				i++;
				continue;
			}
			size_t l = ar->p[i + 1];   /* area_check made this safe */
			if (ar->p[i] == code) {
				if (total + l > cap)
					return -EBADMSG;
				memcpy(out + total, ar->p + i + 2, l);
				total += l;
				found = true;
			}
			i += 2 + l;
		}
	}
	return found ? (int)total : -ENOENT;
}

static int find_areas(const uint8_t *buf, size_t len, struct opt_areas *oa)
{
	uint8_t ov[OPT_CONCAT_MAX];
	int n;

	oa->n = 1;
	oa->a[0] = (struct area){ buf + DHCP_OPTIONS_OFF, len - DHCP_OPTIONS_OFF };
	if (area_check(oa->a[0]))
		return -EBADMSG;
	n = opt_collect(oa, OPT_OVERLOAD, ov, sizeof(ov));
	if (n == -ENOENT)
		return 0;
	if (n != 1 || ov[0] < 1 || ov[0] > 3)
		return -EBADMSG;
	/* RFC 3396 section 7: options, then file, then sname. */
	if (ov[0] & 1)
		oa->a[oa->n++] = (struct area){ buf + OFF_FILE, FILE_LEN };
	if (ov[0] & 2)
		oa->a[oa->n++] = (struct area){ buf + OFF_SNAME, SNAME_LEN };
	for (int k = 1; k < oa->n; k++)
		if (area_check(oa->a[k]))
			return -EBADMSG;
	return (int)ov[0];
}

/* ---- typed option readers ---- */

/* Copies text up to the first NUL (some servers count a terminator). */
static int copy_text(char *dst, size_t cap, const uint8_t *src, size_t len)
{
	const uint8_t *nul = memchr(src, 0, len);
	if (nul)
		len = (size_t)(nul - src);
	if (len >= cap)
		return -ENAMETOOLONG;
	memcpy(dst, src, len);
	dst[len] = 0;
	return 0;
}

static int read_addrs(const uint8_t *v, int n, struct in_addr *out, int max)
{
	int count = 0;
	if (n < 4 || n % 4)
		return -EBADMSG;
	for (int i = 0; i + 4 <= n && count < max; i += 4)
		memcpy(&out[count++].s_addr, v + i, 4);
	return count;
}

static int read_u32(const uint8_t *v, int n, uint32_t *out)
{
	if (n != 4)
		return -EBADMSG;
	*out = get32(v);
	return 0;
}

enum opt_kind { K_ADDR, K_ADDRS, K_U32, K_MTU, K_TEXT, K_SEARCH };

struct opt_spec {
	uint8_t code;
	enum opt_kind kind;
	size_t off;      /* into struct dhcp_reply */
	size_t size;     /* text: buffer size; addrs: count offset */
	int max;         /* addrs: how many fit */
};

#define AT(f) offsetof(struct dhcp_reply, f)
static const struct opt_spec specs[] = {
	{ 1,   K_ADDR,   AT(netmask),     0, 0 },
	{ 3,   K_ADDRS,  AT(router),      0, 1 },
	{ 6,   K_ADDRS,  AT(dns),         AT(ndns), NI_MAX_DNS },
	{ 7,   K_ADDRS,  AT(log_server),  0, 1 },
	{ 12,  K_TEXT,   AT(hostname),    NI_HOSTNAME_MAX, 0 },
	{ 15,  K_TEXT,   AT(domain),      NI_DOMAIN_MAX, 0 },
	{ 17,  K_TEXT,   AT(root_path),   NI_PATH_MAX, 0 },
	{ 26,  K_MTU,    AT(mtu),         0, 0 },
	{ 28,  K_ADDR,   AT(broadcast),   0, 0 },
	{ 42,  K_ADDRS,  AT(ntp),         AT(nntp), NI_MAX_NTP },
	{ 51,  K_U32,    AT(lease_secs),  0, 0 },
	{ 54,  K_ADDR,   AT(server_id),   0, 0 },
	{ 58,  K_U32,    AT(t1),          0, 0 },
	{ 59,  K_U32,    AT(t2),          0, 0 },
	{ 66,  K_TEXT,   AT(tftp_server), NI_HOST_MAX, 0 },
	{ 67,  K_TEXT,   AT(bootfile),    NI_PATH_MAX, 0 },
	{ 119, K_SEARCH, AT(search),      NI_DOMAIN_MAX, 0 },
	{ 224, K_TEXT,   AT(classes),     NI_CLASSES_TEXT_MAX, 0 },
};

static int apply_spec(const struct opt_spec *s, const uint8_t *v, int n, struct dhcp_reply *r)
{
	char *base = (char *)r;
	int count;

	switch (s->kind) {
	case K_ADDR:
		if (n != 4)
			return -EBADMSG;
		memcpy(base + s->off, v, 4);
		return 0;
	case K_ADDRS:
		count = read_addrs(v, n, (struct in_addr *)(void *)(base + s->off), s->max);
		if (count < 0)
			return count;
		if (s->size)
			*(int *)(void *)(base + s->size) = count;
		return 0;
	case K_U32:
		return read_u32(v, n, (uint32_t *)(void *)(base + s->off));
	case K_MTU:
		/* RFC 2132 5.1: 68 is the smallest legal MTU. */
		if (n != 2 || get16(v) < 68)
			return -EBADMSG;
		r->mtu = get16(v);
		return 0;
	case K_TEXT:
		return copy_text(base + s->off, s->size, v, (size_t)n);
	case K_SEARCH:
		return dhcp_decode_search(v, (size_t)n, base + s->off, s->size);
	}
	return -EBADMSG;
}

/* Empties the field of a spec whose value was bad: a half-decoded search
 * list or text must not survive the skip. */
static void clear_spec(const struct opt_spec *s, struct dhcp_reply *r)
{
	char *base = (char *)r;

	switch (s->kind) {
	case K_ADDR:
	case K_U32:
		memset(base + s->off, 0, 4);
		return;
	case K_ADDRS:
		memset(base + s->off, 0, (size_t)s->max * sizeof(struct in_addr));
		if (s->size)
			*(int *)(void *)(base + s->size) = 0;
		return;
	case K_MTU:
		r->mtu = 0;
		return;
	case K_TEXT:
	case K_SEARCH:
		base[s->off] = 0;
		return;
	}
}

/* Option 53 and 54 are what the state machine cannot do without; a bad
 * value of any other option costs that option only (as systemd's and
 * busybox's clients do), and the caller can log r->skipped. */
static bool required(uint8_t code)
{
	return code == 54;
}

static int read_options(const struct opt_areas *oa, struct dhcp_reply *r)
{
	uint8_t v[OPT_CONCAT_MAX];
	int n, rc;

	n = opt_collect(oa, 53, v, sizeof(v));
	if (n != 1 || v[0] < DHCP_DISCOVER || v[0] > DHCP_INFORM) {
		r->bad_option = 53;
		return -EBADMSG;
	}
	r->type = v[0];
	for (size_t i = 0; i < sizeof(specs) / sizeof(specs[0]); i++) {
		n = opt_collect(oa, specs[i].code, v, sizeof(v));
		if (n == -ENOENT)
			continue;
		rc = n < 0 ? n : apply_spec(&specs[i], v, n, r);
		if (rc == 0)
			continue;
		if (required(specs[i].code)) {
			r->bad_option = specs[i].code;
			return rc;
		}
		clear_spec(&specs[i], r);
		if (r->nskipped < DHCP_SKIPPED_MAX)
			r->skipped[r->nskipped] = specs[i].code;
		r->nskipped++;
	}
	return 0;
}

int dhcp_msg_parse(const uint8_t *buf, size_t len, struct dhcp_reply *r)
{
	struct opt_areas oa;
	int overload, rc;

	memset(r, 0, sizeof(*r));
	if (len < DHCP_OPTIONS_OFF || len > DHCP_MSG_MAX)
		return -EBADMSG;
	if (buf[OFF_OP] != BOOTREPLY || memcmp(buf + OFF_COOKIE, magic_cookie, 4))
		return -EBADMSG;
	r->xid = get32(buf + OFF_XID);
	memcpy(r->chaddr, buf + OFF_CHADDR, sizeof(r->chaddr));
	memcpy(&r->yiaddr.s_addr, buf + OFF_YIADDR, 4);
	memcpy(&r->siaddr.s_addr, buf + OFF_SIADDR, 4);
	if (buf[OFF_HTYPE] != HTYPE_ETHER || buf[OFF_HLEN] != 6)
		return -EBADMSG;

	overload = find_areas(buf, len, &oa);
	if (overload < 0) {
		r->bad_option = OPT_OVERLOAD;
		return -EBADMSG;
	}
	rc = read_options(&oa, r);
	if (rc)
		return rc;
	/* Without overload the file field may name the boot file (BOOTP). */
	if (!r->bootfile[0] && !(overload & 1) &&
	    copy_text(r->bootfile, sizeof(r->bootfile), buf + OFF_FILE, FILE_LEN))
		r->bootfile[0] = 0;
	return 0;
}

int dhcp_reply_match(const struct dhcp_reply *r, uint32_t xid, const uint8_t mac[6])
{
	if (r->xid != xid || memcmp(r->chaddr, mac, 6))
		return -ESRCH;
	return 0;
}

/* ---- option 119: RFC 1035 names with compression ---- */

int dhcp_decode_search(const uint8_t *data, size_t len, char *out, size_t cap)
{
	size_t pos = 0, used = 0;
	int rc;

	if (cap == 0)
		return -ENAMETOOLONG;
	out[0] = 0;
	while (pos < len) {
		if (used && used + 2 > cap)
			return -ENAMETOOLONG;
		if (used)
			out[used++] = ' ';
		rc = dns_name_decode(data, len, &pos, out + used, cap - used);
		if (rc)
			return rc;
		if (!out[used])
			return -EBADMSG;   /* an empty name is no search domain */
		used += strlen(out + used);
	}
	return 0;
}

/* ---- IPv4 + UDP framing ---- */

static uint32_t sum_add(uint32_t sum, const uint8_t *p, size_t len)
{
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += get16(p + i);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

static uint16_t sum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* RFC 768: the UDP checksum covers a pseudo header of addresses, protocol
 * and UDP length. */
static uint16_t udp_sum(const uint8_t *ip, const uint8_t *udp, size_t ulen)
{
	uint8_t pseudo[12];
	memcpy(pseudo, ip + 12, 8);
	pseudo[8] = 0;
	pseudo[9] = IPPROTO_UDP;
	put16(pseudo + 10, (uint16_t)ulen);
	return sum_fold(sum_add(sum_add(0, pseudo, sizeof(pseudo)), udp, ulen));
}

int dhcp_frame_wrap(uint8_t *buf, size_t cap, size_t plen, uint16_t ip_id)
{
	uint8_t *ip = buf, *udp = buf + 20;
	size_t total = DHCP_FRAME_HDR + plen;
	uint16_t sum;

	if (total > cap || total > 0xffff)
		return -ENOBUFS;
	memset(buf, 0, DHCP_FRAME_HDR);
	ip[0] = 0x45;                       /* version 4, 5 words */
	put16(ip + 2, (uint16_t)total);
	put16(ip + 4, ip_id);
	ip[8] = 64;                         /* TTL */
	ip[9] = IPPROTO_UDP;
	memset(ip + 16, 0xff, 4);           /* to 255.255.255.255 from 0.0.0.0, RFC 2131 4.1 */
	put16(ip + 10, sum_fold(sum_add(0, ip, 20)));

	put16(udp, DHCP_CLIENT_PORT);
	put16(udp + 2, DHCP_SERVER_PORT);
	put16(udp + 4, (uint16_t)(8 + plen));
	sum = udp_sum(ip, udp, 8 + plen);
	put16(udp + 6, sum ? sum : 0xffff); /* 0 would mean "no checksum" */
	return (int)total;
}

int dhcp_frame_unwrap(const uint8_t *buf, size_t len, bool check_udp_sum,
		      const uint8_t **payload, size_t *plen)
{
	size_t ihl, total, ulen;
	const uint8_t *udp;

	if (len < 20 || buf[0] >> 4 != 4)
		return -EBADMSG;
	ihl = (size_t)(buf[0] & 0x0f) * 4;
	total = get16(buf + 2);
	/* Ethernet pads short frames, so len may exceed the IP total length. */
	if (ihl < 20 || total < ihl + 8 || total > len)
		return -EBADMSG;
	if (buf[9] != IPPROTO_UDP || (get16(buf + 6) & 0x3fff))
		return -EBADMSG;                /* not UDP, or a fragment */
	if (sum_fold(sum_add(0, buf, ihl)) != 0)
		return -EBADMSG;
	udp = buf + ihl;
	ulen = get16(udp + 4);
	if (get16(udp + 2) != DHCP_CLIENT_PORT || ulen < 8 || ulen > total - ihl)
		return -EBADMSG;
	if (check_udp_sum && get16(udp + 6) && udp_sum(buf, udp, ulen) != 0)
		return -EBADMSG;
	*payload = udp + 8;
	*plen = ulen - 8;
	return 0;
}
