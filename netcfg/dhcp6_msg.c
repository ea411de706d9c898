/* DHCPv6 encoder and parser: every read is preceded by a length check. */
#include "dhcp6_msg.h"

#include <errno.h>
#include <string.h>
#include "dhcp_msg.h"

#define OPT_CLIENTID    1
#define OPT_SERVERID    2
#define OPT_IA_NA       3
#define OPT_IAADDR      5
#define OPT_ORO         6
#define OPT_PREFERENCE  7
#define OPT_ELAPSED     8
#define OPT_STATUS      13
#define OPT_DNS         23   /* RFC 3646 */
#define OPT_DOMAINS     24
#define DUID_LL         3
#define HWTYPE_ETHER    1
#define DUID_LL_LEN     10   /* type, hardware type, MAC */
#define IA_NA_FIXED     12   /* IAID, T1, T2 */
#define IAADDR_FIXED    24   /* address, preferred, valid */

struct wbuf {
	uint8_t *p;
	size_t cap, len;
	bool overflow;
};

static void put(struct wbuf *w, const void *d, size_t n)
{
	if (w->len + n > w->cap) {
		w->overflow = true;
		return;
	}
	memcpy(w->p + w->len, d, n);
	w->len += n;
}

static void put16(struct wbuf *w, uint16_t v)
{
	uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };
	put(w, b, 2);
}

static void put32(struct wbuf *w, uint32_t v)
{
	put16(w, (uint16_t)(v >> 16));
	put16(w, (uint16_t)v);
}

static void opt_head(struct wbuf *w, uint16_t code, size_t len)
{
	put16(w, code);
	put16(w, (uint16_t)len);
}

static void duid_ll(uint8_t d[DUID_LL_LEN], const uint8_t mac[6])
{
	d[0] = 0;
	d[1] = DUID_LL;
	d[2] = 0;
	d[3] = HWTYPE_ETHER;
	memcpy(d + 4, mac, 6);
}

static uint32_t iaid(const uint8_t mac[6])
{
	return (uint32_t)mac[2] << 24 | (uint32_t)mac[3] << 16 | (uint32_t)mac[4] << 8 | mac[5];
}

/* IA_NA with T1 = T2 = 0 (the server chooses, RFC 8415 21.4), holding the
 * address asked for when there is one. */
static void put_ia_na(struct wbuf *w, const struct dhcp6_out *o)
{
	opt_head(w, OPT_IA_NA, IA_NA_FIXED + (o->have_addr ? 4 + IAADDR_FIXED : 0));
	put32(w, iaid(o->mac));
	put32(w, 0);
	put32(w, 0);
	if (!o->have_addr)
		return;
	opt_head(w, OPT_IAADDR, IAADDR_FIXED);
	put(w, &o->addr, 16);
	put32(w, 0);
	put32(w, 0);
}

int dhcp6_msg_build(const struct dhcp6_out *o, uint8_t *buf, size_t cap)
{
	struct wbuf w = { buf, cap, 0, false };
	uint8_t duid[DUID_LL_LEN];

	if ((o->type == DHCP6_REQUEST || o->type == DHCP6_RENEW) && (!o->server_id || !o->server_id_len ||
								      o->server_id_len > DHCP6_DUID_MAX))
		return -EINVAL;
	put32(&w, (uint32_t)o->type << 24 | (o->xid & 0xffffff));
	duid_ll(duid, o->mac);
	opt_head(&w, OPT_CLIENTID, sizeof(duid));
	put(&w, duid, sizeof(duid));
	if (o->server_id_len && o->type != DHCP6_REBIND) {
		opt_head(&w, OPT_SERVERID, o->server_id_len);
		put(&w, o->server_id, o->server_id_len);
	}
	put_ia_na(&w, o);
	opt_head(&w, OPT_ORO, 4);
	put16(&w, OPT_DNS);
	put16(&w, OPT_DOMAINS);
	opt_head(&w, OPT_ELAPSED, 2);
	put16(&w, o->elapsed_cs);
	return w.overflow ? -ENOBUFS : (int)w.len;
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)get16(p) << 16 | get16(p + 2);
}

/* Walks the options in d[0..len): fn for each, or -EBADMSG for one that
 * runs past the end. */
typedef int (*opt_fn)(uint16_t code, const uint8_t *v, size_t n, struct dhcp6_reply *r);

static int walk(const uint8_t *d, size_t len, opt_fn fn, struct dhcp6_reply *r)
{
	size_t pos = 0;
	int rc;

	while (pos < len) {
		if (len - pos < 4)
			return -EBADMSG;
		uint16_t code = get16(d + pos), n = get16(d + pos + 2);
		if (len - pos - 4 < n) {
			r->bad_option = code;
			return -EBADMSG;
		}
		if ((rc = fn(code, d + pos + 4, n, r))) {
			r->bad_option = code;
			return rc;
		}
		pos += 4 + (size_t)n;
	}
	return 0;
}

static int iaaddr_opt(uint16_t code, const uint8_t *v, size_t n, struct dhcp6_reply *r)
{
	if (code == OPT_STATUS)
		return n < 2 ? -EBADMSG : (r->ia_status = get16(v), 0);
	return 0;
}

static int ia_opt(uint16_t code, const uint8_t *v, size_t n, struct dhcp6_reply *r)
{
	if (code == OPT_STATUS)
		return n < 2 ? -EBADMSG : (r->ia_status = get16(v), 0);
	if (code != OPT_IAADDR)
		return 0;
	if (n < IAADDR_FIXED)
		return -EBADMSG;
	if (r->have_addr)
		return 0;    /* one address is all we use */
	uint32_t pref = get32(v + 16), valid = get32(v + 20);
	if (pref > valid)
		return 0;    /* RFC 8415 21.6: the client discards such an address */
	memcpy(&r->addr, v, 16);
	r->preferred = pref;
	r->valid = valid;
	r->have_addr = valid != 0;
	return walk(v + IAADDR_FIXED, n - IAADDR_FIXED, iaaddr_opt, r);
}

/* The top-level options; the client id was checked by the caller's walk. */
static int top_opt(uint16_t code, const uint8_t *v, size_t n, struct dhcp6_reply *r)
{
	switch (code) {
	case OPT_SERVERID:
		if (n < 2 || n > DHCP6_DUID_MAX)
			return -EBADMSG;
		memcpy(r->server_id, v, n);
		r->server_id_len = n;
		return 0;
	case OPT_IA_NA:
		if (n < IA_NA_FIXED)
			return -EBADMSG;
		r->t1 = get32(v + 4);
		r->t2 = get32(v + 8);
		return walk(v + IA_NA_FIXED, n - IA_NA_FIXED, ia_opt, r);
	case OPT_STATUS:
		return n < 2 ? -EBADMSG : (r->status = get16(v), 0);
	case OPT_PREFERENCE:
		return n != 1 ? -EBADMSG : (r->preference = v[0], 0);
	case OPT_DNS:
		if (n % 16)
			return -EBADMSG;
		for (size_t i = 0; i < n / 16 && r->ndns < NI_MAX_DNS; i++)
			memcpy(&r->dns[r->ndns++], v + 16 * i, 16);
		return 0;
	case OPT_DOMAINS:   /* a broken list is left out: the address still works */
		if (dhcp_decode_search(v, n, r->search, sizeof(r->search)))
			r->search[0] = '\0';
		return 0;
	default:
		return 0;
	}
}

/* Finds option code at the top level: its value, or NULL. */
static const uint8_t *find_top(const uint8_t *d, size_t len, uint16_t code, size_t *n)
{
	for (size_t pos = 0; len - pos >= 4;) {
		uint16_t c = get16(d + pos), l = get16(d + pos + 2);
		if (len - pos - 4 < l)
			return NULL;
		if (c == code) {
			*n = l;
			return d + pos + 4;
		}
		pos += 4 + (size_t)l;
	}
	return NULL;
}

int dhcp6_msg_parse(const uint8_t *buf, size_t len, const uint8_t mac[6], struct dhcp6_reply *r)
{
	uint8_t duid[DUID_LL_LEN];
	const uint8_t *cid;
	size_t n = 0;
	int rc;

	memset(r, 0, sizeof(*r));
	if (len < 4)
		return -EBADMSG;
	r->type = buf[0];
	r->xid = get32(buf) & 0xffffff;
	if (r->type != DHCP6_ADVERTISE && r->type != DHCP6_REPLY)
		return -ESRCH;
	if ((rc = walk(buf + 4, len - 4, top_opt, r)))
		return rc;
	duid_ll(duid, mac);
	cid = find_top(buf + 4, len - 4, OPT_CLIENTID, &n);
	if (!cid || n != sizeof(duid) || memcmp(cid, duid, n)) {
		r->bad_option = OPT_CLIENTID;
		return -EBADMSG;
	}
	if (!r->server_id_len) {
		r->bad_option = OPT_SERVERID;
		return -EBADMSG;
	}
	return 0;
}
