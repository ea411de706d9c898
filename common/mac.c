#include "mac.h"

#include <errno.h>

char *mac_format(const uint8_t mac[6], char sep, char out[MAC_TEXT_MAX])
{
	static const char hex[] = "0123456789abcdef";
	char *p = out;

	for (int i = 0; i < 6; i++) {
		if (i && sep)
			*p++ = sep;
		*p++ = hex[mac[i] >> 4];
		*p++ = hex[mac[i] & 15];
	}
	*p = '\0';
	return out;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int mac_parse(const char *s, char sep, uint8_t mac[6])
{
	uint8_t b[6];

	for (int i = 0; i < 6; i++, s += 2) {
		if (i && (sep ? *s != sep : *s != ':' && *s != '-'))
			return -EINVAL;
		s += i > 0;
		int hi = hexval(s[0]), lo = hi < 0 ? -1 : hexval(s[1]);
		if (lo < 0)
			return -EINVAL;
		b[i] = (uint8_t)(hi << 4 | lo);
	}
	if (*s)
		return -EINVAL;
	for (int i = 0; i < 6; i++)
		mac[i] = b[i];
	return 0;
}
