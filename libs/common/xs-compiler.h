/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * Compiler helpers shared by every xenstable library: the export marker,
 * symbol-version macros and a few attributes. Never installed.
 */
#ifndef XS_COMPILER_H
#define XS_COMPILER_H

#include <stddef.h>

/*
 * XENSTABLE_EXPORT marks the *definition* of a public function. Everything
 * else is hidden by -fvisibility=hidden. `make check` compares the marked
 * definitions with the version script and the dynamic symbol table.
 */
#define XENSTABLE_EXPORT __attribute__((visibility("default")))

/*
 * Symbol versions beyond what the version script gives.
 *
 * The version script puts each exported name in one node. When the
 * behaviour of an exported function must change, the old implementation
 * stays available to old binaries under its old node and the new one
 * becomes the default:
 *
 *	XENSTABLE_EXPORT int foo_v1_0(...) { ... }
 *	XENSTABLE_COMPAT_VERSION(foo_v1_0, foo, VERS_1.0);
 *	XENSTABLE_EXPORT int foo_v1_1(...) { ... }
 *	XENSTABLE_DEFAULT_VERSION(foo_v1_1, foo, VERS_1.1);
 *
 * and the version script lists `foo` in both nodes. In a static build the
 * default version becomes a plain alias and compat versions disappear.
 */
#if defined(PIC)
#if defined(__has_attribute) && __has_attribute(symver)
#define XENSTABLE_COMPAT_VERSION(impl, api, node) \
	extern __typeof__(impl) impl __attribute__((symver(#api "@" #node)))
#define XENSTABLE_DEFAULT_VERSION(impl, api, node) \
	extern __typeof__(impl) impl __attribute__((symver(#api "@@" #node)))
#else
#define XENSTABLE_COMPAT_VERSION(impl, api, node) \
	__asm__(".symver " #impl "," #api "@" #node)
#define XENSTABLE_DEFAULT_VERSION(impl, api, node) \
	__asm__(".symver " #impl "," #api "@@" #node)
#endif
#else
#define XENSTABLE_COMPAT_VERSION(impl, api, node) \
	extern __typeof__(impl) impl
#define XENSTABLE_DEFAULT_VERSION(impl, api, node) \
	extern __typeof__(impl) api __attribute__((alias(#impl)))
#endif

#define XS_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#define XS_UNUSED __attribute__((unused))
#define XS_MUST_CHECK __attribute__((warn_unused_result))
#define XS_LIKELY(x) __builtin_expect(!!(x), 1)
#define XS_UNLIKELY(x) __builtin_expect(!!(x), 0)

#define XS_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define XS_CONTAINER_OF(ptr, type, member) \
	((type *)(void *)((char *)(ptr) - offsetof(type, member)))

#endif /* XS_COMPILER_H */
