# SPDX-License-Identifier: LGPL-2.1-only
#
# mkman.awk - section 3 manual pages from a public header's documentation.
#
# The documentation of a function lives in one place: the kernel-doc
# comment above its prototype in the installed header. This script turns
#   /**
#    * name() [... name2()] - summary
#    * @param: text
#    *
#    * Paragraphs.
#    *
#    * Returns: text
#    * Since: text
#    */
#   prototype(s);
# into one page per function, <outdir>/<name>.3, and the header's opening
# comment into the library's page, <outdir>/lib<header>.3. It prints the
# name of every page it writes.
#
# usage: awk -v outdir=DIR -v version=X.Y.Z -v header=xencall.h [-v lib=libxencall]
#            [-v internal=1] -f mkman.awk HEADER
# (internal=1: the header is not installed; the pages say so.)

function esc(s) {
	gsub(/\\/, "\\e", s)
	if (s ~ /^[.']/)
		s = "\\&" s
	return s
}

# Body text: escaped, with @param references in italics.
function text(s,    out, w) {
	s = esc(s)
	out = ""
	while (match(s, /@[A-Za-z_][A-Za-z0-9_]*/)) {
		w = substr(s, RSTART + 1, RLENGTH - 1)
		out = out substr(s, 1, RSTART - 1) "\\fI" w "\\fP"
		s = substr(s, RSTART + RLENGTH)
	}
	return out s
}

function lib_of(h,    b) {
	if (lib != "")
		return lib
	b = h
	sub(/\.h$/, "", b)
	return "lib" b
}

function trim(s) {
	sub(/^[ \t]+/, "", s)
	sub(/[ \t]+$/, "", s)
	return s
}

function flush_text(    i) {
	# nothing: text is kept per section in arrays
}

function emit_page(name, names, summary,    f, i) {
	f = outdir "/" name ".3"
	print ".\\\" Generated from " header " by mkman.awk; edit the header, not this page." > f
	print ".TH " toupper(name) " 3 \"\" \"xenstable " version "\" \"xenstable Programmer's Manual\"" > f
	print ".ad l" > f
	print ".SH NAME" > f
	print esc(names) " \\- " text(summary) > f
	print ".SH LIBRARY" > f
	print lib_of(header) " (" esc("-l" substr(lib_of(header), 4)) ", pkg-config " substr(lib_of(header), 4) ")" > f
	print ".SH SYNOPSIS" > f
	print ".nf" > f
	print ".B #include <" header ">" > f
	print ".PP" > f
	for (i = 1; i <= ndecl; i++)
		print esc(decl[i]) > f
	print ".fi" > f
	if (internal) {
		print ".SH NOTES" > f
		print "This is an internal interface between the Xen libraries, exported for" > f
		print "their use; " header " is not installed and applications must not call it." > f
	}
	if (nparam || ndesc) {
		print ".SH DESCRIPTION" > f
		for (i = 1; i <= nparam; i++) {
			print ".TP" > f
			print ".I " esc(pname[i]) > f
			print text(ptext[i]) > f
		}
		if (nparam && ndesc)
			print ".PP" > f
		for (i = 1; i <= ndesc; i++)
			print (desc[i] == "" ? ".PP" : text(desc[i])) > f
	}
	if (returns != "") {
		print ".SH RETURN VALUE" > f
		print text(returns) > f
	}
	if (since != "") {
		print ".SH HISTORY" > f
		print "Since " esc(since) > f
	}
	print ".SH SEE ALSO" > f
	print ".BR " lib_of(header) " (3)" > f
	close(f)
	print f
}

function emit_lib_page(    f, i, l) {
	if (internal)
		return
	l = lib_of(header)
	f = outdir "/" l ".3"
	print ".\\\" Generated from " header " by mkman.awk; edit the header, not this page." > f
	print ".TH " toupper(l) " 3 \"\" \"xenstable " version "\" \"xenstable Programmer's Manual\"" > f
	print ".ad l" > f
	print ".SH NAME" > f
	print l " \\- " esc(top_summary) > f
	print ".SH SYNOPSIS" > f
	print ".nf" > f
	print ".B #include <" header ">" > f
	print ".PP" > f
	print "cc ... $(pkg-config \\-\\-cflags \\-\\-libs " substr(l, 4) ")" > f
	print ".fi" > f
	print ".SH DESCRIPTION" > f
	for (i = 1; i <= ntop; i++)
		print (top[i] == "" ? ".PP" : text(top[i])) > f
	if (nfuncs) {
		print ".SH FUNCTIONS" > f
		for (i = 1; i <= nfuncs; i++)
			print ".BR " funcs[i] " (3)" (i < nfuncs ? "," : "") > f
	}
	close(f)
	print f
}

# Turn the collected block + declarations into pages.
function finish_block(    i, d, n, name, names, all, k) {
	if (!in_decl)
		return
	in_decl = 0
	all = ""
	for (i = 1; i <= ndecl; i++)
		all = all " " decl[i]
	if (all !~ /\(/ || all ~ /^[ \t]*(typedef|struct|enum|union|#)/)
		return
	# every declared function
	n = 0
	rest = all
	while (match(rest, /[A-Za-z_][A-Za-z0-9_]*[ \t]*\(/)) {
		name = substr(rest, RSTART, RLENGTH)
		sub(/[ \t]*\($/, "", name)
		fn[++n] = name
		# skip to the end of this declaration
		rest = substr(rest, RSTART + RLENGTH)
		k = index(rest, ";")
		if (!k)
			break
		rest = substr(rest, k + 1)
	}
	names = ""
	for (i = 1; i <= n; i++)
		names = names (i > 1 ? ", " : "") fn[i]
	for (i = 1; i <= n; i++) {
		emit_page(fn[i], names, summary)
		funcs[++nfuncs] = fn[i]
	}
}

BEGIN {
	state = "code"
	top_done = 0
	ntop = 0
}

# the header's opening comment: the library page
state == "code" && !top_done && /^\/\*$/ {
	state = "top"
	next
}
state == "top" {
	if ($0 ~ /^ \*\//) {
		state = "code"
		top_done = 1
		# drop trailing empty lines
		while (ntop && top[ntop] == "")
			ntop--
		next
	}
	line = $0
	sub(/^ \* ?/, "", line)
	sub(/^ \*$/, "", line)
	if (top_summary == "" && ntop == 0 && !top_started) {
		# "xencall.h - summary ..." up to the first empty line
		s = line
		sub(/^[^ ]+ - /, "", s)
		top_summary = s
		top_started = 1
		top_in_summary = 1
		next
	}
	if (top_in_summary) {
		if (line == "") {
			top_in_summary = 0
			next
		}
		top_summary = top_summary " " line
		next
	}
	top[++ntop] = line
	next
}

state == "code" && /^\/\*\*$/ {
	finish_block()
	state = "doc"
	nparam = 0
	ndesc = 0
	ndecl = 0
	summary = ""
	returns = ""
	since = ""
	part = "title"
	next
}

state == "doc" {
	if ($0 ~ /^ \*\//) {
		state = "code"
		in_decl = 1
		ndecl = 0
		while (ndesc && desc[ndesc] == "")
			ndesc--
		next
	}
	line = $0
	sub(/^ \* ?/, "", line)
	sub(/^ \*$/, "", line)
	if (part == "title") {
		if (summary == "") {
			s = line
			sub(/^.* - /, "", s)
			summary = s
			next
		}
		if (line == "" || line ~ /^@/ || line ~ /^(Returns|Since):/)
			part = "body"
		else {
			summary = summary " " trim(line)
			next
		}
	}
	if (line ~ /^@[A-Za-z_0-9.]+( \.\.\. @[A-Za-z_0-9]+)?:/) {
		n = index(line, ":")
		pname[++nparam] = substr(line, 2, n - 2)
		gsub(/@/, "", pname[nparam])
		ptext[nparam] = trim(substr(line, n + 1))
		part = "param"
		next
	}
	if (part == "param" && line != "" && line ~ /^[ \t]/) {
		ptext[nparam] = ptext[nparam] " " trim(line)
		next
	}
	if (line ~ /^Returns:/) {
		returns = trim(substr(line, 9))
		part = "returns"
		next
	}
	if (line ~ /^Since:/) {
		since = trim(substr(line, 7))
		part = "since"
		next
	}
	if (part == "returns" && line != "") {
		returns = returns " " trim(line)
		next
	}
	if (part == "since" && line != "") {
		since = since " " trim(line)
		next
	}
	part = "body"
	if (line == "" && (ndesc == 0 || desc[ndesc] == ""))
		next
	desc[++ndesc] = line
	next
}

state == "code" && in_decl {
	if ($0 ~ /^[ \t]*$/ || $0 ~ /^[ \t]*(\/\*|#)/) {
		finish_block()
		next
	}
	decl[++ndecl] = $0
	next
}

END {
	finish_block()
	if (top_done)
		emit_lib_page()
}
