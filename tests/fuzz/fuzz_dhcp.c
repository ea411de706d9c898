/* libFuzzer: a frame off the wire (IPv4/UDP unwrap, then the DHCP parser with
 * overload, concatenation and option 119), and the parser on raw payloads;
 * a parsed reply then goes through the hand-over renderers, whose text comes
 * from the server's strings. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../../netcfg/dhcp_msg.h"
#include "../../netcfg/handover.h"

static void check_klibc(const char *t, size_t n)
{
	size_t i = 0;
	if (memchr(t, 0, n))
		abort();
	while (i < n) {
		const char *nl = memchr(t + i, '\n', n - i);
		size_t end = nl ? (size_t)(nl - t) : n, k = i;
		while (k < end && ((t[k] >= 'A' && t[k] <= 'Z') || (t[k] >= '0' && t[k] <= '9') ||
				   t[k] == '_' || (t[k] >= 'a' && t[k] <= 'z')))
			k++;
		if (k == i || k + 1 >= end || t[k] != '=' || t[k + 1] != '\'' || t[end - 1] != '\'')
			abort();
		for (; k < end; k++)
			if ((unsigned char)t[k] < 0x20)
				abort();
		i = end + 1;
	}
}

/* What netcfg does with an ACK, minus the I/O: the node's own
 * lease_from_ack(), then every hand-over renderer. */
static void render_all(const struct dhcp_reply *r)
{
	static char text[4096];
	struct net_request req;
	struct net_lease l;
	memset(&req, 0, sizeof(req));
	memset(&l, 0, sizeof(l));
	strcpy(l.ifname, "eth0");
	memcpy(l.mac, "\x52\x54\x00\x12\x34\x56", 6);
	lease_from_ack(&req, r, &l);
	(void)handover_sanitize(&l);
	for (int k = 0; k < HANDOVER_KINDS; k++) {
		int n = handover_render((enum handover_kind)k, &l, text, sizeof(text));
		if (n >= (int)sizeof(text))
			abort();
		/* The klibc file is sourced by sh and read line by line: every
		 * line is KEY='value', no byte below 0x20 inside a value. */
		if (k == HANDOVER_KLIBC && n > 0)
			check_klibc(text, (size_t)n);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dhcp_reply r;
	const uint8_t *payload;
	size_t plen;
	char search[256];
	/* An exact-size heap copy so ASan sees any read past the end. */
	uint8_t *buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);

	if (dhcp_frame_unwrap(buf, size, size & 1, &payload, &plen) == 0)
		(void)dhcp_msg_parse(payload, plen, &r);
	if (dhcp_msg_parse(buf, size, &r) == 0) {
		(void)dhcp_reply_match(&r, 0x12345678u, (const uint8_t[6]){ 0x52, 0x54, 0, 0x12, 0x34, 0x56 });
		render_all(&r);
	}
	(void)dhcp_decode_search(buf, size, search, sizeof(search));
	free(buf);
	return 0;
}
