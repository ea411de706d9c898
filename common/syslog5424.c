#include "syslog5424.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "textbuf.h"

/* RFC 5424 6: header fields are PRINTUSASCII (33-126) with length limits;
 * an outside name with other bytes gets '_' for them, so it stays one field. */
static void add_field(struct textbuf *t, const char *s, size_t max)
{
	size_t n = 0;
	if (!s || !s[0]) {
		textbuf_add(t, "-", 1);
		return;
	}
	for (; s[n] && n < max; n++) {
		char c = (unsigned char)s[n] > 32 && (unsigned char)s[n] < 127 ? s[n] : '_';
		textbuf_add(t, &c, 1);
	}
}

static bool sd_name_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 32)
		return false;
	for (; *s; s++)
		if ((unsigned char)*s <= 32 || (unsigned char)*s >= 127 || strchr("=]\"", *s))
			return false;
	return true;
}

/* 6.3.3: '"', '\' and ']' are escaped with '\'; we also turn control bytes
 * into spaces so a value is never an extra line at the receiver. */
static void add_value(struct textbuf *t, const char *s)
{
	for (; s && *s; s++) {
		char c = (unsigned char)*s < 32 || *s == 127 ? ' ' : *s;
		if (c == '"' || c == '\\' || c == ']')
			textbuf_add(t, "\\", 1);
		textbuf_add(t, &c, 1);
	}
}

static int add_sd(struct textbuf *t, const struct syslog_msg *m)
{
	if (!m->sd_id) {
		textbuf_add(t, "-", 1);
		return 0;
	}
	if (!sd_name_ok(m->sd_id))
		return -EINVAL;
	textbuf_printf(t, "[%s", m->sd_id);
	for (int i = 0; i < m->nparams; i++) {
		if (!sd_name_ok(m->params[i].name))
			return -EINVAL;
		if (!m->params[i].value)
			continue;
		textbuf_printf(t, " %s=\"", m->params[i].name);
		add_value(t, m->params[i].value);
		textbuf_add(t, "\"", 1);
	}
	textbuf_add(t, "]", 1);
	return 0;
}

/* The MSG, cut to what is left; the cut never splits a UTF-8 sequence. */
static void add_text(struct textbuf *t, const char *s)
{
	size_t room = t->cap - t->len - 1, n = strlen(s), mark = strlen(SYSLOG_CUT_MARK);
	bool cut = n > room;
	if (cut) {
		n = room > mark ? room - mark : 0;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	for (size_t i = 0; i < n; i++) {
		char c = (unsigned char)s[i] < 32 || s[i] == 127 ? ' ' : s[i];
		textbuf_add(t, &c, 1);
	}
	if (cut)
		textbuf_add(t, SYSLOG_CUT_MARK, mark < room ? mark : room);
}

int syslog_format(const struct syslog_msg *m, char *out, size_t cap)
{
	struct textbuf t;
	int rc;

	if (m->pri < 0 || m->pri > 191 || cap == 0)
		return -EINVAL;
	textbuf_init(&t, out, cap);
	textbuf_printf(&t, "<%d>1 ", m->pri);
	add_field(&t, m->timestamp, SYSLOG_TIME_MAX);
	textbuf_add(&t, " ", 1);
	add_field(&t, m->hostname, 255);
	textbuf_add(&t, " ", 1);
	add_field(&t, m->app, 48);
	textbuf_add(&t, " - ", 3); /* PROCID: one process per node sends */
	add_field(&t, m->msgid, 32);
	textbuf_add(&t, " ", 1);
	if ((rc = add_sd(&t, m)))
		return rc;
	if (textbuf_end(&t) < 0)
		return -EMSGSIZE;
	if (m->text && m->text[0]) {
		textbuf_add(&t, " ", 1);
		if (!t.full)
			add_text(&t, m->text);
	}
	return t.full ? -EMSGSIZE : (int)t.len;
}

/* Days since 1970-01-01 to the proleptic Gregorian date, by 400-year eras
 * (146097 days) counted from 0000-03-01 so the leap day ends a year. Here,
 * not gmtime_r(): musl's pulls its time-zone code into the static /init. */
static void civil_date(long long days, int *y, int *m, int *d)
{
	long long z = days + 719468, era = z / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;

	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

void syslog_timestamp(long long epoch_ms, char out[SYSLOG_TIME_MAX])
{
	long long s = epoch_ms / 1000;
	int y, mo, d, sec = (int)(s % 86400);
	char t[80];
	out[0] = '\0';
	if (epoch_ms < 978307200000LL) /* 2001-01-01: before that the clock was never set */
		return;
	civil_date(s / 86400, &y, &mo, &d);
	if (snprintf(t, sizeof(t), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", y, mo, d, sec / 3600, sec / 60 % 60,
		     sec % 60, (int)(epoch_ms % 1000)) < SYSLOG_TIME_MAX)
		strcpy(out, t);
}

int syslog_parse_target(const char *s, struct syslog_target *t, struct err_reason *err)
{
	char host[16];
	const char *colon = strchr(s, ':');
	size_t n = colon ? (size_t)(colon - s) : strlen(s);
	unsigned long port = SYSLOG_PORT;

	if (n == 0 || n >= sizeof(host))
		return err_value(err, -EINVAL, "not an IPv4 address", s);
	memcpy(host, s, n);
	host[n] = '\0';
	if (inet_pton(AF_INET, host, &t->addr) != 1 || t->addr.s_addr == INADDR_ANY)
		return err_value(err, -EINVAL, "not an IPv4 address", host);
	if (colon) {
		char *end;
		errno = 0;
		port = strtoul(colon + 1, &end, 10);
		if (!isdigit((unsigned char)colon[1]) || *end || errno || port == 0 || port > 65535)
			return err_value(err, -EINVAL, "not a port (1-65535)", colon + 1);
	}
	t->port = (uint16_t)port;
	return 0;
}
