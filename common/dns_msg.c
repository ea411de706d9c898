#include "dns_msg.h"

#include <errno.h>
#include <string.h>
#include <strings.h>
#include "dnsname.h"

#define DNS_CLASS_IN  1
#define DNS_FLAG_QR   0x8000
#define DNS_FLAG_TC   0x0200
#define DNS_FLAG_RD   0x0100
#define DNS_OPCODE(f) (((f) >> 11) & 0xf)
#define DNS_RR_FIXED  10    /* type, class, ttl, rdlength after the owner name */

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

int dns_query_build(uint16_t id, const char *name, uint16_t qtype, uint8_t *buf, size_t cap)
{
	size_t n = strlen(name), len = DNS_HDR_LEN + n + 2 + 4;
	uint8_t *p;

	if (!dns_name_ok(name))
		return -EINVAL;
	if (len > cap)
		return -ENOBUFS;
	memset(buf, 0, DNS_HDR_LEN);
	put16(buf, id);
	put16(buf + 2, DNS_FLAG_RD);
	put16(buf + 4, 1);                    /* QDCOUNT */
	p = buf + DNS_HDR_LEN;
	/* "a.bc" -> 1 'a' 2 'b' 'c' 0: each dot becomes the next label's length */
	for (const char *s = name; *s;) {
		size_t l = strcspn(s, ".");
		*p++ = (uint8_t)l;
		memcpy(p, s, l);
		p += l;
		s += l;
		if (*s == '.')
			s++;
	}
	*p++ = 0;
	put16(p, qtype);
	put16(p + 2, DNS_CLASS_IN);
	return (int)len;
}

struct name_walk {
	size_t limit;      /* a pointer must point below this */
	size_t wire;       /* bytes of the name so far, as RFC 1035 counts them */
	bool jumped;
};

/* One step at p: the label (copied to out at *used) or the pointer.
 * Returns 1 at the end of the name, 0 to go on, or -errno. */
static int name_step(const uint8_t *d, size_t len, size_t *p, struct name_walk *w, size_t *pos,
		     char *out, size_t cap, size_t *used)
{
	uint8_t l = d[*p];

	if ((l & 0xc0) == 0xc0) {
		if (*p + 1 >= len)
			return -EBADMSG;
		size_t target = (size_t)(l & 0x3f) << 8 | d[*p + 1];
		if (!w->jumped)
			*pos = *p + 2;
		if (target >= w->limit)
			return -EBADMSG;
		w->limit = target;
		w->jumped = true;
		*p = target;
		return 0;
	}
	if (l & 0xc0)
		return -EBADMSG;   /* 0x40/0x80: extended label types (RFC 6891), unused */
	if (l == 0) {
		if (!w->jumped)
			*pos = *p + 1;
		return 1;
	}
	if (*p + 1 + l > len || (w->wire += (size_t)l + 1) > DNS_WIRE_NAME_MAX)
		return -EBADMSG;
	for (size_t i = 0; i < l; i++)
		if (d[*p + 1 + i] <= ' ' || d[*p + 1 + i] >= 0x7f)
			return -EBADMSG;
	if (*used + (*used ? 1 : 0) + l + 1 > cap)
		return -ENAMETOOLONG;
	if (*used)
		out[(*used)++] = '.';
	memcpy(out + *used, d + *p + 1, l);
	*used += l;
	out[*used] = '\0';
	*p += 1 + (size_t)l;
	return 0;
}

int dns_name_decode(const uint8_t *d, size_t len, size_t *pos, char *out, size_t cap)
{
	struct name_walk w = { .limit = *pos, .wire = 1 };
	size_t p = *pos, used = 0;
	int rc;

	if (cap == 0)
		return -ENAMETOOLONG;
	out[0] = '\0';
	do
		rc = p < len ? name_step(d, len, &p, &w, pos, out, cap, &used) : -EBADMSG;
	while (rc == 0);
	if (rc < 0)
		out[0] = '\0';   /* never half a name */
	return rc < 0 ? rc : 0;
}

/* The reply's question must be ours: same name (any case), type, class. */
static int match_question(const uint8_t *buf, size_t len, size_t *pos, const uint8_t *query, size_t qlen)
{
	char got[DNS_WIRE_NAME_MAX + 1], want[DNS_WIRE_NAME_MAX + 1];
	size_t qpos = DNS_HDR_LEN;

	if (qlen < DNS_HDR_LEN || dns_name_decode(query, qlen, &qpos, want, sizeof(want)) || qpos + 4 > qlen)
		return -EINVAL;
	if (dns_name_decode(buf, len, pos, got, sizeof(got)) || *pos + 4 > len)
		return -EBADMSG;
	if (strcasecmp(got, want) || memcmp(buf + *pos, query + qpos, 4))
		return -ESRCH;
	*pos += 4;
	return 0;
}

/* One resource record at *pos: an address of the asked type is kept. */
static int take_record(const uint8_t *buf, size_t len, size_t *pos, uint16_t qtype, struct dns_answer *a)
{
	char owner[DNS_WIRE_NAME_MAX + 1];
	size_t want = qtype == DNS_TYPE_A ? 4 : 16;

	if (dns_name_decode(buf, len, pos, owner, sizeof(owner)) || *pos + DNS_RR_FIXED > len)
		return -EBADMSG;
	uint16_t type = get16(buf + *pos), cls = get16(buf + *pos + 2), rdlen = get16(buf + *pos + 8);
	*pos += DNS_RR_FIXED;
	if (*pos + rdlen > len)
		return -EBADMSG;
	if (type == qtype && cls == DNS_CLASS_IN) {
		if (rdlen != want)
			return -EBADMSG;
		if (a->naddr < DNS_ADDRS_MAX)
			memcpy(a->addr[a->naddr++], buf + *pos, want);
		else
			a->nskipped++;
	}
	*pos += rdlen;
	return 0;
}

int dns_reply_parse(const uint8_t *buf, size_t len, const uint8_t *query, size_t qlen,
		    struct dns_answer *a)
{
	size_t pos = DNS_HDR_LEN;
	int rc;

	memset(a, 0, sizeof(*a));
	if (qlen < DNS_HDR_LEN + 5)
		return -EINVAL;
	if (len < DNS_HDR_LEN)
		return -EBADMSG;
	uint16_t flags = get16(buf + 2), qd = get16(buf + 4), an = get16(buf + 6);
	uint16_t qtype = get16(query + qlen - 4);
	if (get16(buf) != get16(query) || !(flags & DNS_FLAG_QR) || DNS_OPCODE(flags) != 0)
		return -ESRCH;
	a->rcode = flags & 0xf;
	a->truncated = flags & DNS_FLAG_TC;
	/* RFC 1035 4.1.1: a server may leave the question out of an error reply */
	if (qd == 0 && a->rcode != DNS_RCODE_OK)
		return 0;
	if (qd != 1)
		return -EBADMSG;
	if ((rc = match_question(buf, len, &pos, query, qlen)))
		return rc;
	for (unsigned i = 0; i < an; i++)
		if ((rc = take_record(buf, len, &pos, qtype, a)))
			return rc;
	return 0;
}

const char *dns_rcode_text(int rcode)
{
	switch (rcode) {
	case DNS_RCODE_OK:       return "no address of that type";
	case DNS_RCODE_FORMERR:  return "format error";
	case DNS_RCODE_SERVFAIL: return "server failure";
	case DNS_RCODE_NXDOMAIN: return "no such name";
	case DNS_RCODE_REFUSED:  return "refused";
	default:                 return "error";
	}
}
