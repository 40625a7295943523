/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * A throwaway library that exercises the compat symbol-version macros of
 * libs/common/xs-compiler.h: xs_demo() changed behaviour in VERS_1.1, and
 * binaries linked against VERS_1.0 keep the old one.
 */
#include "config.h"

#include "xs-compiler.h"

int xs_demo_v1_0(int x);
int xs_demo_v1_1(int x);

XENSTABLE_EXPORT int xs_demo_v1_0(int x)
{
	return x + 1;
}
XENSTABLE_COMPAT_VERSION(xs_demo_v1_0, xs_demo, VERS_1.0);

XENSTABLE_EXPORT int xs_demo_v1_1(int x)
{
	return x + 2;
}
XENSTABLE_DEFAULT_VERSION(xs_demo_v1_1, xs_demo, VERS_1.1);
