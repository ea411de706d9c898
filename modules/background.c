/* Loading modules in a child process while PID 1 goes on (the network
 * comes up meanwhile). The child only calls mod_need() and exits; PID 1 waits
 * for it, bounded, before the first thing that needs the modules. */
#include "modload.h"
#include "../common/log.h"

#include <errno.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static pid_t job = -1;
static long long job_t0;

static int load_all(const struct mod_want *list, size_t n)
{
	int bad = 0;

	for (size_t i = 0; i < n; i++) {
		int rc = mod_need(list[i].name, list[i].why);
		if (rc && rc != -ENOENT)
			bad = 1;
	}
	return bad;
}

int mod_bg_start(const struct mod_want *list, size_t n)
{
	pid_t pid;

	if (job > 0)
		return -EBUSY;
	job_t0 = uptime_ms();
	/* its lines reach the kept and the remote log through PID 1 */
	(void)log_child_pipe();
	pid = fork();
	log_child_side(pid == 0);
	if (pid < 0) {
		int rc = -errno;
		logerr(rc, "modules: cannot start loading in the background; loading now");
		(void)load_all(list, n);
		return rc;
	}
	if (pid == 0) {
		int bad = load_all(list, n);
		long long ms = uptime_ms() - job_t0;
		lognote("modules: background loads done in %lld.%03lld s%s", ms / 1000, ms % 1000,
		     bad ? " (some failed, see above)" : "");
		_exit(bad);
	}
	job = pid;
	return 0;
}

int mod_bg_wait(unsigned timeout_ms)
{
	long long t0 = uptime_ms(), waited;
	int status = 0;
	pid_t r;

	if (job <= 0)
		return 0;
	/* WNOHANG and a short sleep: PID 1 never blocks for good on a child. */
	while ((r = waitpid(job, &status, WNOHANG)) == 0 && uptime_ms() - t0 < timeout_ms) {
		log_child_drain();
		nanosleep(&(struct timespec){ 0, MOD_BG_POLL_MS * 1000000L }, NULL);
	}
	log_child_drain();
	waited = uptime_ms() - t0;
	if (r == 0) {
		logx("modules: the background loads are not done after %u.%03u s; going on without waiting "
		     "(the kernel asks for what it lacks)", timeout_ms / 1000, timeout_ms % 1000);
		job = -1; /* left running; the booted system's init reaps it */
		return -ETIMEDOUT;
	}
	job = -1;
	if (r < 0) {
		int rc = -errno;
		logerr(rc, "modules: waiting for the background loads");
		return rc;
	}
	if (WIFSIGNALED(status) || WEXITSTATUS(status)) {
		logx("modules: some background loads failed (see above; %s %d); the kernel asks for what it lacks",
		     WIFSIGNALED(status) ? "signal" : "exit status",
		     WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
		return -EIO;
	}
	logx("modules: waited %lld.%03lld s for the background loads", waited / 1000, waited % 1000);
	return 0;
}
