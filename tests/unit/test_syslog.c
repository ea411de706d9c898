/* The remote log: RFC 5424 text (header fields, SD-PARAM escaping, the
 * length limit and its mark), nfsinit.log= targets, and the sender on
 * loopback (the lines logged before the start come first, in order). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../../common/log.h"
#include "../../common/remotelog.h"
#include "../../common/syslog5424.h"

static void test_format_basic(void **s)
{
	(void)s;
	char out[SYSLOG_MSG_MAX];
	struct syslog_param p[] = { { "mac", "52:54:00:12:34:56" }, { "stage", "root" } };
	struct syslog_msg m = { 134, "2026-12-03T16:51:51.123Z", "node-1", "nfsinit", "line", SYSLOG_SDID, p, 2,
				"root: mounted" };
	int n = syslog_format(&m, out, sizeof(out));
	assert_string_equal(out, "<134>1 2026-12-03T16:51:51.123Z node-1 nfsinit - line "
				 "[nfsinit@32473 mac=\"52:54:00:12:34:56\" stage=\"root\"] root: mounted");
	assert_int_equal(n, (int)strlen(out));
}

static void test_format_nil_and_sanitize(void **s)
{
	(void)s;
	char out[256];
	/* no clock, no name, no SD; a name with a space and a line break in the text */
	struct syslog_msg m = { 131, "", "bad name", NULL, NULL, NULL, NULL, 0, "one\ntwo\rthree" };
	assert_true(syslog_format(&m, out, sizeof(out)) > 0);
	assert_string_equal(out, "<131>1 - bad_name - - - - one two three");
}

static void test_format_escape(void **s)
{
	(void)s;
	char out[256];
	struct syslog_param p[] = { { "reason", "a\"b\\c]d\ne" } };
	struct syslog_msg m = { 134, NULL, "h", "nfsinit", "report", SYSLOG_SDID, p, 1, NULL };
	assert_true(syslog_format(&m, out, sizeof(out)) > 0);
	/* RFC 5424 6.3.3: '"', '\' and ']' escaped; the line break is a space */
	assert_string_equal(out, "<134>1 - h nfsinit - report [nfsinit@32473 reason=\"a\\\"b\\\\c\\]d e\"]");
}

static void test_format_rejects(void **s)
{
	(void)s;
	char out[64];
	struct syslog_param bad[] = { { "a=b", "x" } }, sp[] = { { "has space", "x" } };
	struct syslog_msg m = { 134, NULL, "h", "a", NULL, SYSLOG_SDID, bad, 1, "t" };
	assert_int_equal(syslog_format(&m, out, sizeof(out)), -EINVAL);
	m.params = sp;
	assert_int_equal(syslog_format(&m, out, sizeof(out)), -EINVAL);
	m.nparams = 0;
	m.pri = 192;
	assert_int_equal(syslog_format(&m, out, sizeof(out)), -EINVAL);
	/* header and SD that do not fit: an error, never half a message */
	struct syslog_param big[] = { { "x", "0123456789012345678901234567890123456789012345678901234567890123" } };
	m = (struct syslog_msg){ 134, NULL, "h", "a", NULL, SYSLOG_SDID, big, 1, "t" };
	assert_int_equal(syslog_format(&m, out, sizeof(out)), -EMSGSIZE);
}

static void test_format_cut_marked(void **s)
{
	(void)s;
	char out[SYSLOG_MSG_MAX], text[4000];
	memset(text, 'x', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	text[SYSLOG_MSG_MAX - 60] = '\xc3'; /* a 2-byte UTF-8 sequence near the cut */
	text[SYSLOG_MSG_MAX - 59] = '\xa9';
	struct syslog_msg m = { 134, NULL, "h", "nfsinit", NULL, NULL, NULL, 0, text };
	int n = syslog_format(&m, out, sizeof(out));
	assert_int_equal(n, SYSLOG_MSG_MAX - 1);
	assert_int_equal((int)strlen(out), n);
	assert_string_equal(out + n - strlen(SYSLOG_CUT_MARK), SYSLOG_CUT_MARK);
	/* exactly fitting text is not marked */
	char small[64];
	m.text = "abc";
	assert_int_equal(syslog_format(&m, small, strlen("<134>1 - h nfsinit - - - abc") + 1), 28);
	assert_string_equal(small, "<134>1 - h nfsinit - - - abc");
}

static void test_timestamp(void **s)
{
	(void)s;
	char ts[SYSLOG_TIME_MAX];
	syslog_timestamp(1796316711123LL, ts);
	assert_string_equal(ts, "2026-12-03T16:51:51.123Z");
	syslog_timestamp(5000, ts); /* a node without a clock */
	assert_string_equal(ts, "");
	syslog_timestamp(1709208000000LL, ts); /* a leap day */
	assert_string_equal(ts, "2024-02-29T12:00:00.000Z");
	syslog_timestamp(4107542399999LL, ts); /* the day before 2100's non-leap March */
	assert_string_equal(ts, "2100-02-28T23:59:59.999Z");
	/* every 0.7 days from 2001 to 2200 against the C library's calendar */
	for (long long ms = 978307200000LL; ms < 7258118400000LL; ms += 60480000LL + 1) {
		time_t t = (time_t)(ms / 1000);
		struct tm tm;
		char want[80];
		gmtime_r(&t, &tm);
		snprintf(want, sizeof(want), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
			 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(ms % 1000));
		syslog_timestamp(ms, ts);
		if (strcmp(ts, want))
			fail_msg("%lld ms: %s, want %s", ms, ts, want);
	}
}

static void test_target(void **s)
{
	(void)s;
	struct syslog_target t;
	struct err_reason err;
	assert_int_equal(syslog_parse_target("10.0.2.1", &t, &err), 0);
	assert_int_equal(t.port, 514);
	assert_int_equal(t.addr.s_addr, htonl(0x0a000201));
	assert_int_equal(syslog_parse_target("10.0.2.1:1514", &t, &err), 0);
	assert_int_equal(t.port, 1514);
	static const char *const bad[] = { "", "loghost", "10.0.2.1:", "10.0.2.1:0", "10.0.2.1:65536",
					   "10.0.2.1:5x", "0.0.0.0", "10.0.2.1:+5", "1.2.3.4.5", ":514" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(syslog_parse_target(bad[i], &t, &err), -EINVAL);
	syslog_parse_target("loghost:514", &t, &err);
	assert_string_equal(err.msg, "not an IPv4 address 'loghost'");
}

/* The sender: a receiver on loopback gets the early lines first, in order,
 * with their own boot times, then the live ones, then the report. */
static void test_sender_loopback(void **s)
{
	(void)s;
	int rx = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t sl = sizeof(sa);
	struct syslog_target t;
	uint8_t mac[6] = { 0x52, 0x54, 0, 1, 2, 3 };
	char buf[SYSLOG_MSG_MAX + 1];
	const char *want[] = { "early one", "early two", "log: sending", "live [x]", "debug line",
			       "boot failed at stage root" };

	assert_int_equal(bind(rx, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(getsockname(rx, (struct sockaddr *)&sa, &sl), 0);
	t = (struct syslog_target){ sa.sin_addr, ntohs(sa.sin_port) };
	logx("early one");
	logx("early two");
	assert_int_equal(rlog_start(&t, "node-525400010203", mac, sa.sin_addr), 0);
	rlog_set_stage("root");
	logx("live [x]");
	logdbg("debug line"); /* sent, but never the report's reason */
	rlog_report("root", NULL, "cmdline=0.001 root=2.500");
	size_t seen = 0;
	while (seen < sizeof(want) / sizeof(want[0])) {
		ssize_t n = recv(rx, buf, sizeof(buf) - 1, 0);
		assert_true(n > 0);
		buf[n] = '\0';
		if (seen < 2 && !strstr(buf, " line ")) /* earlier tests' lines, if any */
			continue;
		assert_non_null(strstr(buf, want[seen]));
		/* console lines are info, debug lines debug */
		assert_non_null(strstr(buf, seen == 4 ? "<135>1 " : seen < 5 ? "<134>1 " : "<131>1 "));
		assert_non_null(strstr(buf, " node-525400010203 nfsinit - "));
		assert_non_null(strstr(buf, "mac=\"52:54:00:01:02:03\" ip=\"127.0.0.1\""));
		seen++;
	}
	/* the report: outcome, the last line as reason (escaped), the timings */
	assert_non_null(strstr(buf, "<131>1 "));
	assert_non_null(strstr(buf, " report [nfsinit@32473 "));
	assert_non_null(strstr(buf, "outcome=\"root\" reason=\"live [x\\]\" stages=\"cmdline=0.001 root=2.500\""));
	assert_non_null(strstr(buf, "last3=\"live [x\\]\""));
	/* loopback has delivered everything: the flush finds an empty queue */
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	rlog_flush(RLOG_FLUSH_MAX_MS);
	clock_gettime(CLOCK_MONOTONIC, &b);
	assert_true((b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000 < RLOG_FLUSH_MAX_MS);
	close(rx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format_basic),
		cmocka_unit_test(test_format_nil_and_sanitize),
		cmocka_unit_test(test_format_escape),
		cmocka_unit_test(test_format_rejects),
		cmocka_unit_test(test_format_cut_marked),
		cmocka_unit_test(test_timestamp),
		cmocka_unit_test(test_target),
		cmocka_unit_test(test_sender_loopback),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
