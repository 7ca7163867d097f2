#!/usr/bin/env python3
"""Lists C++ functions longer than a limit (default 60 lines, signature to closing brace) and files
longer than another (default 400 lines), so the size rules of STYLE.md can be checked on the tree.

    scripts/long-functions.py [--max-function-lines 60] [--max-file-lines 400] [PATH ...]

PATH: files or folders (default: arch workloads analysis sim). A function whose comment block right
above its signature says "over 60 lines" (with the reason) is listed as explained and does not fail
the check. Prints one line per finding; exits 1 when an unexplained one is found, else 0.

The parser is a brace matcher over the code with comments, strings and preprocessor lines blanked:
a brace opened at namespace or class level whose text since the previous ; { } has a parameter list
is a function body (lambdas and blocks inside it count towards it); class, struct, enum and
namespace braces and `= {...}` initialisers are not functions.
"""

import argparse
import os
import re
import sys

SOURCE_SUFFIXES = (".h", ".hpp", ".cpp", ".cc")
CONTAINER = re.compile(r"\b(namespace|class|struct|union|enum)\b|\bextern\s*$")
ACCESS_LABEL = re.compile(r"\b(public|private|protected)\s*:(?!:)")
EXPLAINED = re.compile(r"over\s+60\s+lines", re.IGNORECASE)
DEFAULT_PATHS = ("arch", "workloads", "analysis", "sim")


def blank_out(text):
    """The text with comments, string and char literals and preprocessor lines replaced by spaces
    (newlines kept, so offsets and line numbers still match)."""
    out = list(text)
    i, n = 0, len(text)

    def blank(start, end):
        for k in range(start, end):
            if out[k] != "\n":
                out[k] = " "

    at_line_start = True
    while i < n:
        c = text[i]
        if at_line_start and c == "#":  # preprocessor line, with backslash continuations
            end = i
            while end < n and (text[end] != "\n" or text[end - 1] == "\\"):
                end += 1
            blank(i, end)
            i = end
            continue
        if c == "\n":
            at_line_start = True
            i += 1
            continue
        if not c.isspace():
            at_line_start = False
        if text.startswith("//", i):
            end = text.find("\n", i)
            end = n if end < 0 else end
            blank(i, end)
            i = end
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            end = n if end < 0 else end + 2
            blank(i, end)
            i = end
        elif c == "R" and text.startswith('R"', i) and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
            open_paren = text.find("(", i + 2)
            delimiter = text[i + 2:open_paren]
            end = text.find(")" + delimiter + '"', open_paren)
            end = n if end < 0 else end + len(delimiter) + 2
            blank(i, end)
            i = end
        elif c in "\"'":
            if c == "'" and i > 0 and text[i - 1].isalnum():  # digit separator: 1'000'000
                i += 1
                continue
            end = i + 1
            while end < n and text[end] != c:
                end += 2 if text[end] == "\\" else 1
            blank(i, min(end + 1, n))
            i = end + 1
        else:
            i += 1
    return "".join(out)


def depth_zero(header, char):
    """True when `char` occurs in `header` outside parentheses, brackets and angle-free braces."""
    depth = 0
    for c in header:
        if c in "([":
            depth += 1
        elif c in ")]":
            depth -= 1
        elif c == char and depth == 0:
            return True
    return False


def has_ctor_initializer(header):
    """A constructor's `) : member_(...)` list: a single colon at depth 0 after the parameter list."""
    close = header.rfind(")")
    if close < 0:
        return False
    return re.search(r"\)\s*(noexcept\s*)?:(?!:)", header) is not None


def is_function_header(header):
    text = ACCESS_LABEL.sub(" ", header).strip()
    if not text or "(" not in text:
        return False
    if CONTAINER.search(text.split("(")[0]):
        return False
    if re.search(r"\boperator\b", text):
        return True
    return not depth_zero(text, "=")  # `x = f(1) {` is an initialiser, not a body


def function_name(header):
    text = ACCESS_LABEL.sub(" ", header)
    match = re.search(r"(operator\s*[^\s(]+|[A-Za-z_~][\w:~<>]*)\s*\(", text)
    return match.group(1) if match else "?"


def functions_in(text):
    """(name, first line, last line) of every function body in the text (1-based lines)."""
    code = blank_out(text)
    line_of = []
    line = 1
    for c in code:
        line_of.append(line)
        if c == "\n":
            line += 1
    found = []
    stack = []  # "container", "function", "other"
    header_start = 0
    i, n = 0, len(code)
    while i < n:
        c = code[i]
        if c == ";":
            header_start = i + 1
        elif c == "{":
            header = code[header_start:i]
            inside_function = any(kind == "function" for kind in stack)
            if inside_function:
                stack.append(("other", 0, ""))
            elif has_ctor_initializer(header) and re.search(r"[\w>]\s*$", header) and \
                    not re.search(r"\)\s*(const|override|final|noexcept|mutable|\s)*$", header):
                # `b_{2}` in a constructor's initialiser list: skip to its closing brace.
                depth = 0
                while i < n:
                    depth += {"{": 1, "}": -1}.get(code[i], 0)
                    if depth == 0:
                        break
                    i += 1
            elif is_function_header(header):
                start = header_start + len(header) - len(header.lstrip())
                stack.append(("function", line_of[start], function_name(header)))
            elif CONTAINER.search(ACCESS_LABEL.sub(" ", header)) and not depth_zero(header, "="):
                stack.append(("container", 0, ""))
            else:
                stack.append(("other", 0, ""))
            header_start = i + 1
        elif c == "}":
            if stack:
                kind, first, name = stack.pop()
                if kind == "function" and not any(k == "function" for k, _, _ in stack):
                    found.append((name, first, line_of[i]))
            header_start = i + 1
        i += 1
    return found


def explained(lines, first_line):
    """True when the comment block right above line `first_line` says why the function is long."""
    k = first_line - 2
    block = []
    while k >= 0 and lines[k].strip().startswith(("//", "/*", "*")):
        block.append(lines[k])
        k -= 1
    return EXPLAINED.search(" ".join(block)) is not None


def source_files(paths):
    for path in paths:
        if os.path.isfile(path):
            yield path
            continue
        for root, dirs, files in os.walk(path):
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "build")
            for name in sorted(files):
                if name.endswith(SOURCE_SUFFIXES):
                    yield os.path.join(root, name)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("paths", nargs="*", default=list(DEFAULT_PATHS))
    parser.add_argument("--max-function-lines", type=int, default=60)
    parser.add_argument("--max-file-lines", type=int, default=400)
    args = parser.parse_args()
    unexplained = 0
    for path in source_files(args.paths):
        with open(path, encoding="utf-8", errors="replace") as handle:
            text = handle.read()
        lines = text.split("\n")
        line_count = len(lines) - (1 if text.endswith("\n") else 0)
        if line_count > args.max_file_lines:
            print(f"{path}: file of {line_count} lines (limit {args.max_file_lines})")
            unexplained += 1
        for name, first, last in functions_in(text):
            length = last - first + 1
            if length <= args.max_function_lines:
                continue
            if explained(lines, first):
                print(f"{path}:{first}: {name}: {length} lines (explained in a comment)")
            else:
                print(f"{path}:{first}: {name}: {length} lines (limit {args.max_function_lines})")
                unexplained += 1
    print(f"{unexplained} over the limits without a reason")
    return 1 if unexplained else 0


if __name__ == "__main__":
    sys.exit(main())
