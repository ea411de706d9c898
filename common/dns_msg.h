/* DNS messages for a stub resolver (RFC 1035): one question out, the A or
 * AAAA records of the answer in. Pure code: bytes in, struct out; no
 * sockets, no logging. Names in replies may use compression pointers; a
 * pointer must point backwards from the last one, so a walk cannot loop. */
#ifndef NFSINIT_DNS_MSG_H
#define NFSINIT_DNS_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DNS_PORT         53
#define DNS_UDP_MAX      512   /* RFC 1035 4.2.1: UDP messages without EDNS */
#define DNS_HDR_LEN      12
#define DNS_WIRE_NAME_MAX 255  /* RFC 1035 2.3.4: a name in wire form */
#define DNS_ADDRS_MAX    8     /* addresses kept from one answer */

enum dns_type {
	DNS_TYPE_A = 1,
	DNS_TYPE_CNAME = 5,
	DNS_TYPE_AAAA = 28,
};

enum dns_rcode {
	DNS_RCODE_OK = 0,
	DNS_RCODE_FORMERR = 1,
	DNS_RCODE_SERVFAIL = 2,
	DNS_RCODE_NXDOMAIN = 3,
	DNS_RCODE_REFUSED = 5,
};

struct dns_answer {
	int rcode;                       /* the server's RCODE */
	bool truncated;                  /* TC: the answer did not fit 512 bytes */
	int naddr;                       /* addresses of the asked type (may be 0: no data) */
	uint8_t addr[DNS_ADDRS_MAX][16]; /* 4 bytes for A, 16 for AAAA */
	int nskipped;                    /* records of the asked type beyond DNS_ADDRS_MAX */
};

/* Builds a recursive query (RD set) for name (a dns_name_ok host name, no
 * trailing dot) of type qtype, class IN. Returns its length, -EINVAL for a
 * name that is not a host name, or -ENOBUFS. */
int dns_query_build(uint16_t id, const char *name, uint16_t qtype, uint8_t *buf, size_t cap);

/* Parses a reply to the query (query, qlen) built above. Returns 0 with a
 * filled in, -ESRCH when it answers another query (id, question), or
 * -EBADMSG when malformed (bounds, a name, a record of the asked type with
 * the wrong length). The answer's CNAME records are passed over: a
 * recursive server puts the addresses of their target after them. */
int dns_reply_parse(const uint8_t *buf, size_t len, const uint8_t *query, size_t qlen,
		    struct dns_answer *a);

/* Decodes the name at *pos of message d[0..len) into dotted text ("" for
 * the root) and moves *pos past it (past the first pointer, not its target).
 * Labels must be printable ASCII without spaces. Returns 0, -EBADMSG (out of
 * bounds, a pointer that does not point backwards, a bad label, over 255
 * bytes) or -ENAMETOOLONG (out too small), with out "" on failure. */
int dns_name_decode(const uint8_t *d, size_t len, size_t *pos, char *out, size_t cap);

/* The text of an RCODE for a console line ("no such name"). */
const char *dns_rcode_text(int rcode);

#endif
