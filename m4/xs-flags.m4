# SPDX-License-Identifier: LGPL-2.1-only
#
# Small helpers for xenstable's configure script.

# XS_CHECK_CFLAGS(VARIABLE, FLAGS)
# Append to VARIABLE each flag of FLAGS that the C compiler accepts
# (warnings about unknown flags count as rejection).
AC_DEFUN([XS_CHECK_CFLAGS], [
	AC_LANG_PUSH([C])
	for xs_flag in $2; do
		AS_VAR_PUSHDEF([xs_cache], [xs_cv_cflag_$xs_flag])
		AC_CACHE_CHECK([whether $CC accepts $xs_flag], [xs_cache], [
			xs_save_CFLAGS=$CFLAGS
			CFLAGS="$CFLAGS -Werror $xs_flag"
			AC_COMPILE_IFELSE([AC_LANG_PROGRAM([], [return 0;])],
				[AS_VAR_SET([xs_cache], [yes])],
				[AS_VAR_SET([xs_cache], [no])])
			CFLAGS=$xs_save_CFLAGS])
		AS_VAR_IF([xs_cache], [yes], [$1="$$1 $xs_flag"])
		AS_VAR_POPDEF([xs_cache])
	done
	AC_LANG_POP([C])
])

# XS_CHECK_LDFLAGS(VARIABLE, FLAGS)
# Append to VARIABLE each flag of FLAGS that links a program.
AC_DEFUN([XS_CHECK_LDFLAGS], [
	AC_LANG_PUSH([C])
	for xs_flag in $2; do
		AS_VAR_PUSHDEF([xs_cache], [xs_cv_ldflag_$xs_flag])
		AC_CACHE_CHECK([whether the linker accepts $xs_flag], [xs_cache], [
			xs_save_LDFLAGS=$LDFLAGS
			LDFLAGS="$LDFLAGS -Werror $xs_flag"
			AC_LINK_IFELSE([AC_LANG_PROGRAM([], [return 0;])],
				[AS_VAR_SET([xs_cache], [yes])],
				[AS_VAR_SET([xs_cache], [no])])
			LDFLAGS=$xs_save_LDFLAGS])
		AS_VAR_IF([xs_cache], [yes], [$1="$$1 $xs_flag"])
		AS_VAR_POPDEF([xs_cache])
	done
	AC_LANG_POP([C])
])

# XS_PTHREAD
# Find how to link POSIX threads; sets PTHREAD_LIBS.
AC_DEFUN([XS_PTHREAD], [
	PTHREAD_LIBS=
	xs_save_LIBS=$LIBS
	AC_SEARCH_LIBS([pthread_mutex_lock], [pthread], [
		AS_IF([test "x$ac_cv_search_pthread_mutex_lock" != "xnone required"],
			[PTHREAD_LIBS=$ac_cv_search_pthread_mutex_lock])])
	LIBS=$xs_save_LIBS
	AC_SUBST([PTHREAD_LIBS])
])

# XS_DL
# Find how to link dlsym(); sets DL_LIBS.
AC_DEFUN([XS_DL], [
	DL_LIBS=
	xs_save_LIBS=$LIBS
	AC_SEARCH_LIBS([dlsym], [dl], [
		AS_IF([test "x$ac_cv_search_dlsym" != "xnone required"],
			[DL_LIBS=$ac_cv_search_dlsym])])
	LIBS=$xs_save_LIBS
	AC_SUBST([DL_LIBS])
])
