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

static void emit(bool to_console, bool to_kmsg, const char *fmt, va_list ap, int err)
{
	char line[LOG_LINE_MAX], text[LOG_LINE_MAX];
	long long ms = uptime_ms();
	int n = snprintf(line, sizeof(line), "nfsinit: [%lld.%03lld] ", ms / 1000, ms % 1000);
	(void)vsnprintf(text, sizeof(text), fmt, ap);
	/* Room is kept for the newline. */
	size_t len = (size_t)n + escape_controls(text, line + n, sizeof(line) - (size_t)n - 1);
	if (err) {
		int k = snprintf(line + len, sizeof(line) - len - 1, ": %s", strerror(err < 0 ? -err : err));
		if (k > 0)
			len = len + (size_t)k < sizeof(line) - 2 ? len + (size_t)k : sizeof(line) - 2;
	}
	line[len++] = '\n';

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
		sink(ms, line + n, len - (size_t)n - 1, to_console);
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
