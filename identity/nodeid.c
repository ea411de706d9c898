#include "nodeid.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sha256.h"
#include "../common/mac.h"

/* Changing a namespace string changes every node's id: never do it. */
#define MACHINE_ID_NS "nfsinit machine-id v1"
#define HOSTID_NS     "nfsinit hostid v1"

static void hash_mac(const char *ns, const uint8_t mac[6], uint8_t out[32])
{
	uint8_t buf[64];
	size_t n = strlen(ns);
	memcpy(buf, ns, n);
	buf[n] = '\0';
	memcpy(buf + n + 1, mac, 6);
	sha256(buf, n + 7, out);
}

void nodeid_machine_id(const uint8_t mac[6], char out[33])
{
	uint8_t h[32];
	hash_mac(MACHINE_ID_NS, mac, h);
	/* RFC 4122 section 4.4: version 4, variant 10xx. */
	h[6] = (uint8_t)((h[6] & 0x0f) | 0x40);
	h[8] = (uint8_t)((h[8] & 0x3f) | 0x80);
	for (int i = 0; i < 16; i++)
		snprintf(out + 2 * i, 3, "%02x", h[i]);
}

uint32_t nodeid_hostid(const uint8_t mac[6])
{
	uint8_t h[32];
	hash_mac(HOSTID_NS, mac, h);
	for (int i = 0; i + 4 <= 32; i += 4) {
		uint32_t id = (uint32_t)h[i] << 24 | (uint32_t)h[i + 1] << 16 | (uint32_t)h[i + 2] << 8 | h[i + 3];
		if (id != 0 && id != 0xffffffffu)
			return id;
	}
	return 1;
}

void nodeid_default_hostname(const uint8_t mac[6], char *out, size_t cap)
{
	char m[MAC_TEXT_MAX];
	snprintf(out, cap, "node-%s", mac_format(mac, '\0', m));
}

void nodeid_mac_dirname(const uint8_t mac[6], char out[18])
{
	mac_format(mac, '-', out);
}

long nodeid_number(const char *hostname, uint32_t addr_be, uint32_t mask_be)
{
	size_t n = hostname ? strlen(hostname) : 0, d = n;
	while (d > 0 && isdigit((unsigned char)hostname[d - 1]))
		d--;
	if (d < n && n - d <= 9)
		return strtol(hostname + d, NULL, 10);
	if (addr_be != 0 && mask_be != 0xffffffffu)
		return (long)(ntohl(addr_be) & ~ntohl(mask_be));
	return -1;
}
