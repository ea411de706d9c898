/* libFuzzer: RFC 5424 formatting of outside text (DHCP host names, console
 * lines with server-sent text, SD values) and nfsinit.log= targets. The
 * output is always one line within the limit, and every SD value ends at an
 * unescaped '"'. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "../../common/syslog5424.h"

static void check(const char *out, int n, size_t cap)
{
	bool in_value = false;
	if (n < 0)
		return;
	if ((size_t)n >= cap || strlen(out) != (size_t)n || strchr(out, '\n') || strchr(out, '\r'))
		__builtin_trap();
	/* the SD follows six header fields, none of which holds a space */
	const char *p = out;
	for (int f = 0; f < 6 && p; f++)
		if ((p = strchr(p, ' ')))
			p++;
	if (!p || *p != '[')
		__builtin_trap();
	for (; p && *p; p++) {
		if (in_value && *p == '\\') {
			if (!p[1] || !strchr("\"\\]", p[1]))
				__builtin_trap();
			p++;
		} else if (*p == '"') {
			in_value = !in_value;
		} else if (!in_value && *p == ']') {
			break;
		}
	}
	if (in_value)
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char in[3][512], out[600];
	size_t part = size / 3;
	struct syslog_target t;
	struct err_reason err;

	for (int i = 0; i < 3; i++) {
		size_t n = part < sizeof(in[i]) ? part : sizeof(in[i]) - 1;
		memcpy(in[i], data + i * part, n);
		in[i][n] = '\0';
	}
	struct syslog_param p[] = { { "reason", in[1] }, { "stage", "root" } };
	struct syslog_msg m = { 134, NULL, in[0], "nfsinit", "line", SYSLOG_SDID, p, 2, in[2] };
	check(out, syslog_format(&m, out, sizeof(out)), sizeof(out));
	check(out, syslog_format(&m, out, 64), 64);
	if (syslog_parse_target(in[0], &t, &err) == 0 && t.port == 0)
		__builtin_trap();
	return 0;
}
