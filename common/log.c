#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define LOG_LINE_MAX 512
#define LOG_KEEP_MAX (64 * 1024)

static int console_fd = 2;
static int kmsg_fd = -1;
static bool debug_on;
static char kept[LOG_KEEP_MAX];
static size_t kept_len;
static void (*sink)(long long ms, const char *text, size_t len, bool shown);

void log_open(void)
{
	int fd = open("/dev/console", O_WRONLY | O_NOCTTY | O_CLOEXEC);
	if (fd >= 0) {
		if (console_fd > 2)
			close(console_fd);
		console_fd = fd;
	}
	if (kmsg_fd < 0)
		kmsg_fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
}

void log_set_sink(void (*fn)(long long ms, const char *text, size_t len, bool shown)) { sink = fn; }

void log_set_debug(bool on) { debug_on = on; }
bool log_debug_enabled(void) { return debug_on; }

long long uptime_ms(void)
{
	struct timespec ts;
	if (clock_gettime(CLOCK_BOOTTIME, &ts) != 0)
		return 0;
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

const char *log_buffer(size_t *len)
{
	*len = kept_len;
	return kept;
}

/* Copies text into out (cap bytes, at least 1) with every control byte but
 * tab written as \n, \r or \xNN: names and paths from a DHCP server or the
 * shared root reach these lines, and one of them holding "\nnfsinit: [...]"
 * must not become a second, forged line on the console or in the log.
 * Returns the length; an escape that does not fit whole is left out. */
static size_t escape_controls(const char *in, char *out, size_t cap)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = 0;
	for (; *in; in++) {
		unsigned char c = (unsigned char)*in;
		char e[4] = { (char)c };
		size_t k = 1;
		if ((c < 0x20 && c != '\t') || c == 0x7f) {
			e[0] = '\\';
			e[1] = c == '\n' ? 'n' : c == '\r' ? 'r' : 'x';
			k = e[1] == 'x' ? 4 : 2;
			e[2] = hex[c >> 4];
			e[3] = hex[c & 15];
		}
		if (n + k >= cap)
			break;
		memcpy(out + n, e, k);
		n += k;
	}
	out[n] = '\0';
	return n;
}

/* One finished line ("nfsinit: [S.mmm] text\n", the text at line + n) to
 * the console, /run/nfsinit/log's buffer, /dev/kmsg and the remote log. */
static void put_line(const char *line, size_t len, size_t n, long long ms, bool to_console, bool to_kmsg)
{
	if (to_console)
		(void)!write(console_fd, line, len);
	if (kept_len + len < sizeof(kept)) {
		memcpy(kept + kept_len, line, len);
		kept_len += len;
	}
	/* Level 7 keeps the line in dmesg without printing it on the console twice.
	 * Debug lines stay out unless asked for: the kernel rate-limits writers
	 * of /dev/kmsg (10 lines per 5 s by default) and would drop the lines
	 * that matter, such as the lease keeper's, in favour of them. */
	if (kmsg_fd >= 0 && to_console && to_kmsg) {
		char k[LOG_LINE_MAX + 4] = "<7>";
		memcpy(k + 3, line, len);
		(void)!write(kmsg_fd, k, len + 3);
	}
	/* the remote log gets what /run/nfsinit/log keeps: its replay of the
	 * lines before the network cannot tell debug lines apart */
	if (sink)
		sink(ms, line + n, len - n - 1, to_console);
}

/* A child's lines (the background module loads) reach the console, the
 * kept log and the remote log through PID 1, over a pipe: one record a
 * line, a flag byte then the line, each write under PIPE_BUF so it stays
 * whole. PID 1 passes them on whenever it logs, and when it waits for the
 * child. */
static int child_rd = -1, to_parent = -1, child_wr = -1;

int log_child_pipe(void)
{
	int fd[2];
	if (child_rd >= 0)
		return -EBUSY;
	if (pipe2(fd, O_CLOEXEC) < 0)
		return -errno;
	(void)fcntl(fd[0], F_SETFL, O_NONBLOCK); /* PID 1 never waits on it */
	child_rd = fd[0];
	child_wr = fd[1];
	return 0;
}

void log_child_side(bool child)
{
	if (child_wr < 0)
		return;
	if (child) {
		close(child_rd);
		child_rd = -1;
		to_parent = child_wr;
	} else {
		close(child_wr);
	}
	child_wr = -1;
}

/* Stamped again with the time PID 1 passes it on: the kept log and the
 * remote log stay in time order (a child's stamp would be older than the
 * lines PID 1 logged meanwhile). */
static void relay(const char *rec, size_t len)
{
	char line[LOG_LINE_MAX];
	const char *p = memchr(rec, ']', len);
	long long ms = uptime_ms();
	int n = snprintf(line, sizeof(line), "nfsinit: [%lld.%03lld] ", ms / 1000, ms % 1000);
	size_t text;

	if (len < 14 || !p || p + 2 > rec + len || strncmp(rec + 1, "nfsinit: [", 10))
		return;
	text = len - (size_t)(p + 2 - rec); /* with its newline */
	if ((size_t)n + text > sizeof(line))
		text = sizeof(line) - (size_t)n;
	memcpy(line + n, p + 2, text);
	line[n + text - 1] = '\n';
	put_line(line, (size_t)n + text, (size_t)n, ms, rec[0] != 'd' || debug_on, rec[0] == 'k');
}

void log_child_drain(void)
{
	static char buf[LOG_LINE_MAX * 8];
	static size_t have;
	ssize_t r = -1;

	while (child_rd >= 0 && (r = read(child_rd, buf + have, sizeof(buf) - have)) > 0) {
		char *start = buf, *nl, *end = buf + have + (size_t)r;
		while ((nl = memchr(start, '\n', (size_t)(end - start)))) {
			relay(start, (size_t)(nl - start + 1));
			start = nl + 1;
		}
		have = (size_t)(end - start);
		memmove(buf, start, have);
		if (have == sizeof(buf)) /* no newline in a full buffer: not ours */
			have = 0;
	}
	if (child_rd >= 0 && r == 0) { /* the child is gone and all is read */
		close(child_rd);
		child_rd = -1;
	}
}

static void emit(bool to_console, bool to_kmsg, const char *fmt, va_list ap, int err)
{
	char line[LOG_LINE_MAX + 1], text[LOG_LINE_MAX];
	if (to_parent < 0)
		log_child_drain(); /* a child's earlier lines first, stamped before this one */
	long long ms = uptime_ms();
	char *l = line + 1; /* line[0]: the record's flag when a child sends it */
	int n = snprintf(l, LOG_LINE_MAX, "nfsinit: [%lld.%03lld] ", ms / 1000, ms % 1000);
	(void)vsnprintf(text, sizeof(text), fmt, ap);
	/* Room is kept for the newline. */
	size_t len = (size_t)n + escape_controls(text, l + n, LOG_LINE_MAX - (size_t)n - 1);
	if (err) {
		int k = snprintf(l + len, LOG_LINE_MAX - len - 1, ": %s", strerror(err < 0 ? -err : err));
		if (k > 0)
			len = len + (size_t)k < LOG_LINE_MAX - 2 ? len + (size_t)k : LOG_LINE_MAX - 2;
	}
	l[len++] = '\n';
	if (to_parent >= 0) {
		line[0] = !to_console ? 'd' : to_kmsg ? 'k' : 'n';
		(void)!write(to_parent, line, len + 1);
		return;
	}
	put_line(l, len, (size_t)n, ms, to_console, to_kmsg);
}

void logx(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	emit(true, true, fmt, ap, 0);
	va_end(ap);
}

void logerr(int err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	emit(true, true, fmt, ap, err ? err : EIO);
	va_end(ap);
}

void lognote(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	emit(true, false, fmt, ap, 0);
	va_end(ap);
}

void logdbg(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	emit(debug_on, true, fmt, ap, 0);
	va_end(ap);
}
