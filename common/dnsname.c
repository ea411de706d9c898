#include "dnsname.h"

#include <string.h>
#include <strings.h>

static bool label_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
}

/* Checks the name in s[0..n). */
static bool name_ok(const char *s, size_t n)
{
	size_t label = 0;
	if (n == 0 || n > DNS_NAME_TEXT_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '.') {
			if (label == 0 || s[i - 1] == '-')
				return false;
			label = 0;
			continue;
		}
		if (!label_char(s[i]) || (label == 0 && s[i] == '-') || ++label > DNS_LABEL_MAX)
			return false;
	}
	return label > 0 && s[n - 1] != '-';
}

bool dns_name_ok(const char *s)
{
	return name_ok(s, strlen(s));
}

bool dns_name_list_ok(const char *s)
{
	if (!*s)
		return false;
	for (;;) {
		const char *sp = strchr(s, ' ');
		size_t n = sp ? (size_t)(sp - s) : strlen(s);
		if (!name_ok(s, n))
			return false;
		if (!sp)
			return true;
		s = sp + 1;
	}
}

bool dns_name_is_loopback(const char *s)
{
	static const char *const names[] = { "localhost", "localhost4", "localhost6", "ip6-localhost",
					      "ip6-loopback" };
	size_t n = strcspn(s, ".");
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (n == strlen(names[i]) && !strncasecmp(s, names[i], n))
			return true;
	return false;
}

bool text_has_controls(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

void text_mask_controls(char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			s[i] = '?';
}
