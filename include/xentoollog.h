/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * xentoollog.h - logging for the Xen tools libraries (libxentoollog.so.1).
 *
 * xenstable's drop-in implementation of the upstream interface. Every
 * xenstable library takes a `struct xentoollog_logger *` at open time and
 * reports errors through it; a NULL logger means "a stdio logger on stderr
 * at XTL_PROGRESS", created at open and destroyed at close.
 *
 * A logger is a small vtable; write your own by embedding
 * `struct xentoollog_logger` as the first member of your own struct, or with
 * XTL_NEW_LOGGER(). All functions are in version node VERS_1.0 (Since: 1.0).
 *
 * Thread safety: the functions themselves keep no global state. A logger is
 * as thread safe as its vmessage/progress callbacks; the stdio logger writes
 * each message with stdio calls that take the FILE lock, but a CR-style
 * progress line shared between threads may be interleaved.
 */
#ifndef XENTOOLLOG_H
#define XENTOOLLOG_H

#include <stdarg.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Message levels, in increasing order of importance. XTL_NONE and
 * XTL_NUM_LEVELS are sentinels and are never used to log. XTL_PROGRESS is
 * also the level of progress reports. */
typedef enum xentoollog_level {
	XTL_NONE,
	XTL_DEBUG,
	XTL_VERBOSE,
	XTL_DETAIL,
	XTL_PROGRESS,
	XTL_INFO,
	XTL_NOTICE,
	XTL_WARN,
	XTL_ERROR,
	XTL_CRITICAL,
	XTL_NUM_LEVELS
} xentoollog_level;

typedef struct xentoollog_logger xentoollog_logger;

/*
 * The logger vtable. Field order and size are ABI.
 *
 * vmessage: emit one message. `errnoval` is an errno value to append, or
 *   -1 for none; `context` may be NULL; `format` carries no level, context
 *   or trailing newline.
 * progress: report progress on `doing_what` (no \r or \n in it); may be
 *   NULL. It is called with done==0 first for every new context/doing_what.
 * destroy: free the logger.
 */
struct xentoollog_logger {
	void (*vmessage)(struct xentoollog_logger *logger, xentoollog_level level,
			 int errnoval, const char *context, const char *format,
			 va_list al) __attribute__((format(printf, 5, 0)));
	void (*progress)(struct xentoollog_logger *logger, const char *context,
			 const char *doing_what, int percent, unsigned long done,
			 unsigned long total);
	void (*destroy)(struct xentoollog_logger *logger);
};

/* Flags for xtl_createlogger_stdiostream(). */
#define XTL_STDIOSTREAM_SHOW_PID 001u
#define XTL_STDIOSTREAM_SHOW_DATE 002u
#define XTL_STDIOSTREAM_HIDE_PROGRESS 004u
#define XTL_STDIOSTREAM_PROGRESS_USE_CR 010u
#define XTL_STDIOSTREAM_PROGRESS_NO_CR 020u

typedef struct xentoollog_logger_stdiostream xentoollog_logger_stdiostream;

/**
 * xtl_createlogger_stdiostream() - create a logger writing to a stdio stream.
 * @f: the stream; it is not closed when the logger is destroyed.
 * @min_level: messages below this level are dropped.
 * @flags: XTL_STDIOSTREAM_* flags. Without PROGRESS_USE_CR or
 *   PROGRESS_NO_CR, progress lines are rewritten in place with \r when @f
 *   is a terminal.
 *
 * Output: `[date ][[pid] ][context: ]level: message[: strerror]\n`, each
 * message flushed. Cast the result to `xentoollog_logger *` to use it.
 *
 * Returns: the logger, or NULL with errno set: EINVAL if both
 * PROGRESS_USE_CR and PROGRESS_NO_CR are given, ENOMEM.
 * Since: 1.0
 */
xentoollog_logger_stdiostream *xtl_createlogger_stdiostream(FILE *f,
							     xentoollog_level min_level,
							     unsigned flags);

/**
 * xtl_stdiostream_set_minlevel() - change the threshold of a stdio logger.
 * Since: 1.0
 */
void xtl_stdiostream_set_minlevel(xentoollog_logger_stdiostream *,
				  xentoollog_level min_level);

/**
 * xtl_stdiostream_adjust_flags() - set and clear XTL_STDIOSTREAM_* flags.
 *
 * The new flags are `(old & ~clear_flags) | set_flags`: a flag in both wins.
 * Setting HIDE_PROGRESS erases a progress line that is on screen.
 * Since: 1.0
 */
void xtl_stdiostream_adjust_flags(xentoollog_logger_stdiostream *,
				  unsigned set_flags, unsigned clear_flags);

/**
 * xtl_logger_destroy() - destroy any logger; NULL is a no-op.
 * Since: 1.0
 */
void xtl_logger_destroy(struct xentoollog_logger *logger);

/**
 * xtl_logv() - log a message through @logger.
 * @level: XTL_DEBUG .. XTL_CRITICAL.
 * @errnoval: an errno value whose text is appended, or -1.
 * @context: a short prefix such as a library name, or NULL.
 *
 * errno is preserved.
 * Since: 1.0
 */
void xtl_logv(struct xentoollog_logger *logger, xentoollog_level level,
	      int errnoval, const char *context, const char *format, va_list al)
	__attribute__((format(printf, 5, 0)));

/**
 * xtl_log() - variadic form of xtl_logv().
 * Since: 1.0
 */
void xtl_log(struct xentoollog_logger *logger, xentoollog_level level,
	     int errnoval, const char *context, const char *format, ...)
	__attribute__((format(printf, 5, 6)));

/**
 * xtl_progress() - report progress: @done out of @total.
 *
 * Does nothing if the logger has no progress callback. The percentage
 * passed on is 0 when @total is 0, and never overflows.
 * Since: 1.0
 */
void xtl_progress(struct xentoollog_logger *logger, const char *context,
		  const char *doing_what, unsigned long done, unsigned long total);

/**
 * xtl_level_to_string() - the name of a level ("debug" ... "critical").
 * Since: 1.0
 */
const char *xtl_level_to_string(xentoollog_level level);

/*
 * XTL_NEW_LOGGER(LOGGER, buffer) - allocate a logger of type
 * `xentoollog_logger_LOGGER` whose first member is the vtable, wired to the
 * functions LOGGER_vmessage, LOGGER_progress and LOGGER_destroy.
 * `buffer` is a stack variable of that type holding the initial contents.
 * Evaluates to the new logger, or NULL (after logging through `buffer`) if
 * the allocation failed. A GNU C statement expression; needs <stdlib.h> and
 * <errno.h>.
 */
#define XTL_NEW_LOGGER(LOGGER, buffer) ({                                    \
	xentoollog_logger_##LOGGER *xtl_new_logger_new;                      \
	(buffer).vtable.vmessage = LOGGER##_vmessage;                        \
	(buffer).vtable.progress = LOGGER##_progress;                        \
	(buffer).vtable.destroy = LOGGER##_destroy;                          \
	xtl_new_logger_new = (xentoollog_logger_##LOGGER *)                  \
		malloc(sizeof(*xtl_new_logger_new));                         \
	if (!xtl_new_logger_new) {                                           \
		xtl_log((xentoollog_logger *)&(buffer), XTL_CRITICAL, errno, \
			"xtl",                                               \
			"failed to allocate memory for new message logger"); \
	} else {                                                             \
		*xtl_new_logger_new = (buffer);                              \
	}                                                                    \
	xtl_new_logger_new;                                                  \
})

#ifdef __cplusplus
}
#endif

#endif /* XENTOOLLOG_H */
