#!/usr/bin/env python3
"""Fails if a symbol is defined in the objects of two paths' object libraries.

usage: odr_check.py NM --lib NAME OBJECTS [--lib NAME OBJECTS ...]

OBJECTS is one argument, the ;-separated object files of that path's library (CMake's
$<TARGET_OBJECTS:...>). Each path's code is compiled with its own instruction-set flags; a
symbol two of them define (a template or inline function instantiated in both) would be one
symbol after linking, taken from either object, so a path could run another path's
instructions. Templates compiled per path live in the path's namespace (isa_namespace.hpp),
which makes their symbols distinct; this check proves it on the built objects.
"""
import subprocess
import sys

# Emitted by the compiler in every object with exception tables: one hidden, identical datum.
IGNORED = {"DW.ref.__gxx_personality_v0"}


def defined_symbols(nm, objects):
    out = subprocess.run([nm, "--defined-only", "--extern-only", "-C"] + objects,
                         check=True, capture_output=True, text=True).stdout
    symbols = set()
    for line in out.splitlines():
        parts = line.split(" ", 2)
        if len(parts) == 3 and parts[2] not in IGNORED:
            symbols.add(parts[2])
    return symbols


def main():
    args = sys.argv[1:]
    if len(args) < 3 or args[1] != "--lib":
        sys.exit(__doc__)
    nm, rest = args[0], args[1:]
    libs = []
    while rest:
        if rest[0] != "--lib" or len(rest) < 3:
            sys.exit(__doc__)
        objects = [o for o in rest[2].split(";") if o]
        libs.append((rest[1], defined_symbols(nm, objects), len(objects)))
        rest = rest[3:]
    problems = 0
    owner = {}
    for name, symbols, _ in libs:
        for s in symbols:
            if s in owner:
                print("defined by both %s and %s: %s" % (owner[s], name, s))
                problems += 1
            else:
                owner[s] = name
    for name, symbols, count in libs:
        print("%s: %d objects, %d external symbols" % (name, count, len(symbols)))
    if problems:
        sys.exit("odr_check: %d symbols defined by two paths" % problems)
    print("odr_check: no symbol is defined by two paths")


if __name__ == "__main__":
    main()
