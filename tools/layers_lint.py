#!/usr/bin/env python3
"""Checks every #include "..." in core/, sim/, reports/ and visualizer/
against the folder table (tools/layers.txt). Fails, naming file:line, on an
include the table does not allow, on a folder the table does not list, and
on a cycle in the table. Usage: layers_lint.py [ROOT] [--table FILE]."""
import os
import re
import sys

SCANNED = ("core", "sim", "reports", "visualizer")
# Top folders of this project: an include naming anything else is third-party.
PROJECT = SCANNED + ("tests", "tools")
SOURCE = (".h", ".hpp", ".cc", ".cpp", ".in")
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def read_table(path):
    """folder -> the folders its line names, in the file's order."""
    table, errors = {}, []
    for number, line in enumerate(open(path), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        folder, sep, deps = line.partition(":")
        folder = folder.strip()
        if not sep or not folder:
            errors.append(f"{path}:{number}: expected 'folder: dep dep ...'")
        elif folder in table:
            errors.append(f"{path}:{number}: {folder} has a second line")
        else:
            table[folder] = deps.split()
    for folder, deps in table.items():
        for dep in deps:
            if dep not in table:
                errors.append(f"{path}: {folder} names {dep}, which has no line")
    return table, errors


def find_cycle(graph):
    """One cycle of the graph as a list of nodes (first == last), or None."""
    state = {}  # node -> 1 on the current path, 2 done
    path = []

    def visit(node):
        state[node] = 1
        path.append(node)
        for nxt in graph.get(node, ()):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def closure(table):
    """folder -> every folder it may include (its line, and theirs, ...)."""
    allowed = {}

    def reach(folder):
        if folder not in allowed:
            allowed[folder] = set()
            for dep in table.get(folder, ()):
                allowed[folder] |= {dep} | reach(dep)
        return allowed[folder]

    for folder in table:
        reach(folder)
    return allowed


def sources(root):
    """(path relative to root, its folder) for every source file scanned."""
    for top in SCANNED:
        for directory, subdirs, files in os.walk(os.path.join(root, top)):
            subdirs.sort()
            for name in sorted(files):
                if name.endswith(SOURCE):
                    rel = os.path.relpath(os.path.join(directory, name), root)
                    yield rel, os.path.dirname(rel)


def includes(root):
    """(file, line, folder of the file, folder included) for every project include."""
    for rel, folder in sources(root):
        with open(os.path.join(root, rel), errors="replace") as text:
            for number, line in enumerate(text, 1):
                match = INCLUDE.match(line)
                if not match:
                    continue
                target = match.group(1)
                if "/" not in target:
                    continue  # a file beside this one
                if target.split("/", 1)[0] not in PROJECT:
                    continue  # third-party, e.g. "nlohmann/json.hpp"
                yield rel, number, folder, os.path.dirname(target)


def main(argv):
    args = list(argv)
    table_path = None
    if "--table" in args:
        at = args.index("--table")
        table_path = args[at + 1] if at + 1 < len(args) else None
        del args[at:at + 2]
    root = args[0] if args else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    table_path = table_path or os.path.join(root, "tools", "layers.txt")
    table, errors = read_table(table_path)
    cycle = find_cycle(table)
    if cycle:
        errors.append(f"{table_path}: the table has a cycle: {' -> '.join(cycle)}")
    allowed = closure(table) if not cycle else {f: set(d) for f, d in table.items()}
    for folder in sorted({folder for _, folder in sources(root)} - set(table)):
        errors.append(f"{folder}/ holds sources but has no line in {table_path}")
    edges, count = {}, 0
    for rel, number, folder, target in includes(root):
        count += 1
        if target == folder:
            continue
        edges.setdefault(folder, set()).add(target)
        if folder in table and target not in allowed[folder]:
            errors.append(f"{rel}:{number}: {folder} may not include {target} (not below it in {table_path})")
    include_cycle = find_cycle(edges)
    if include_cycle:
        errors.append(f"the includes form a cycle: {' -> '.join(include_cycle)}")
    if errors:
        print("layers lint: " + str(len(errors)) + " problem(s):")
        for error in errors:
            print("  " + error)
        return 1
    print(f"layers lint: clean ({count} includes, {len(table)} folders)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
