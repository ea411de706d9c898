#include "err.h"

#include <stdarg.h>
#include <stdio.h>

int err_fail(struct err_reason *err, int code, const char *fmt, ...)
{
	va_list ap;
	if (!err)
		return code;
	err->line = 0;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return code;
}

int err_value(struct err_reason *err, int code, const char *what, const char *value)
{
	return err_fail(err, code, "%s '%s'", what, value);
}
