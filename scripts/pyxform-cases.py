#!/usr/bin/env python3
"""Extract the markdown test forms of pyxform's test suite as JSON lines.

Usage: scripts/pyxform-cases.py PYXFORM_CHECKOUT > /tmp/pyxform-cases.jsonl

pyxform's tests call self.assertPyxformXform(md=..., errored=True/False, ...).
This script reads every tests/**/*.py with the standard library's ast module
(nothing is imported or run) and writes one JSON object per form:

  {"file": "tests/test_range.py", "test": "TestRangeParsing.test_x",
   "case": 0, "line": 57, "md": "...", "errored": false, "odk_invalid": false,
   "name": null}

"case" numbers the forms of one test function in the order the test makes
them (a loop over literal values gives one form per value); file, test and
case together name a form. "errored" is pyxform's verdict (the argument's
default is False). "odk_invalid" is true when the test expects ODK Validate
to refuse a form pyxform converts (odk_validate_error__contains). "name"
is the test's name= argument, the form's file name in pyxform, or null.

The md argument is resolved by a small evaluator over literals, never by
running the tests. It follows a test function's statements in order and
resolves:
  - string literals, f-strings, str.format(), %, + and str methods
    (strip, replace, join, ...) with resolvable operands;
  - names bound by module-level, class-level and local assignments and by
    setUp (md=md, md=self.md, md=CONSTANT.format(name=n));
  - constants imported from pyxform's or the tests' own modules
    (co.EXTERNAL_INSTANCE_EXTENSIONS, aliases.select_from_file);
  - @dataclass records built from literals (Case("label", ...).label);
  - textwrap.dedent / dedent;
  - for loops over literal tuples, lists, sets (sorted, so that case
    numbers do not change between runs), dicts, range(), zip(),
    enumerate(), .items(), itertools.product() and comprehensions of
    those, unrolled one form per iteration; `with`, `try` and `if` bodies
    (an `if` whose test cannot be resolved runs its body).
It skips, and counts on stderr by shape:
  - calls without md (ss_structure= or survey= forms: no markdown to read);
  - md, errored or name built from values it cannot resolve (a function's
    parameter, a call to a test helper, data read from a file).
At v4.5.0 (51e5bfe) it resolves every md argument of the suite: 1,346 forms
from the 865 call sites with md; it skips 19 calls (from 17 call sites)
without md: 12 with ss_structure=, 7 with survey=.
"""

import ast
import itertools
import json
import pathlib
import sys
import textwrap
from collections import Counter


class Unresolved(Exception):
    """A value the evaluator cannot work out from the source alone."""


class Opaque:
    """Stands for a value that could not be resolved, inside a container or
    bound to a name, so that its siblings stay usable; any use of it raises."""

    def __init__(self, why):
        self.why = why

    def _fail(self, *_a, **_k):
        raise Unresolved(self.why)

    __str__ = __repr__ = __format__ = __iter__ = __add__ = __radd__ = _fail
    __mod__ = __getitem__ = __call__ = __bool__ = __len__ = _fail

    def __getattr__(self, name):
        raise Unresolved(self.why)


class Namespace:
    """A module or a dataclass instance: names to values."""

    def __init__(self, values):
        self.values = values

    def __getattr__(self, name):
        # str.format("{c.label}", c=...) reads fields as attributes.
        value = self.__dict__["values"].get(name, Opaque("attribute " + name))
        if isinstance(value, Opaque):
            raise Unresolved(value.why)
        return value


class RecordClass:
    """A @dataclass declared in the tests: builds a Namespace from its fields."""

    def __init__(self, fields, defaults):
        self.fields = fields
        self.defaults = defaults

    def __call__(self, *args, **kwargs):
        values = dict(self.defaults)
        values.update(zip(self.fields, args))
        values.update(kwargs)
        return Namespace(values)


def record_class(node, env, class_env):
    """A RecordClass for a class whose body is annotated fields."""
    fields, defaults = [], {}
    for stmt in node.body:
        if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
            fields.append(stmt.target.id)
            if stmt.value is not None:
                defaults[stmt.target.id] = evaluate(stmt.value, env, class_env)
    return RecordClass(fields, defaults)


def evaluate(node, env, class_env):
    """The node's value, or an Opaque that says why it has none."""
    try:
        return Evaluator(env, class_env).eval(node)
    except Exception as e:  # noqa: BLE001 - any failure means unresolved
        return Opaque(str(e) or type(e).__name__)


_STR_METHODS = {
    "format", "strip", "lstrip", "rstrip", "replace", "join", "lower", "upper",
    "split", "splitlines", "startswith", "endswith", "title", "capitalize",
}
_CONTAINER_METHODS = {"items", "keys", "values", "get"}
_BUILTINS = {
    "range": range, "zip": zip, "enumerate": enumerate, "len": len, "str": str,
    "int": int, "sorted": sorted, "list": list, "tuple": tuple, "set": set,
    "dict": dict, "reversed": reversed, "any": any, "all": all,
    "True": True, "False": False, "None": None,
}
_MODULE_FUNCS = {
    ("textwrap", "dedent"): textwrap.dedent,
    ("itertools", "product"): itertools.product,
    ("itertools", "chain"): itertools.chain,
}
_NAMED_FUNCS = {"dedent": textwrap.dedent, "product": itertools.product}


class Evaluator:
    """Evaluates an expression node in an environment of resolved names."""

    def __init__(self, env, class_env):
        self.env = env
        self.class_env = class_env

    def eval(self, node):
        method = getattr(self, "_" + type(node).__name__, None)
        if method is None:
            raise Unresolved(type(node).__name__)
        return method(node)

    def _Constant(self, n):
        return n.value

    def _JoinedStr(self, n):
        return "".join(self.eval(v) for v in n.values)

    def _FormattedValue(self, n):
        value = self.eval(n.value)
        if n.conversion == ord("r"):
            value = repr(value)
        elif n.conversion == ord("s"):
            value = str(value)
        elif n.conversion == ord("a"):
            value = ascii(value)
        spec = self.eval(n.format_spec) if n.format_spec else ""
        return format(value, spec)

    def _Name(self, n):
        if n.id in self.env:
            value = self.env[n.id]
            if isinstance(value, Opaque):
                raise Unresolved(value.why)
            return value
        if n.id in _BUILTINS:
            return _BUILTINS[n.id]
        if n.id in _NAMED_FUNCS:
            return _NAMED_FUNCS[n.id]
        raise Unresolved("name " + n.id)

    def _Attribute(self, n):
        if isinstance(n.value, ast.Name):
            if n.value.id in ("self", "cls") and n.attr in self.class_env:
                value = self.class_env[n.attr]
                if isinstance(value, Opaque):
                    raise Unresolved(value.why)
                return value
            key = (n.value.id, n.attr)
            if key in _MODULE_FUNCS:
                return _MODULE_FUNCS[key]
        base = self.eval(n.value)
        if isinstance(base, Namespace):
            if n.attr not in base.values or isinstance(base.values[n.attr], Opaque):
                raise Unresolved("attribute " + n.attr)
            return base.values[n.attr]
        if isinstance(base, str) and n.attr in _STR_METHODS:
            return getattr(base, n.attr)
        if isinstance(base, dict) and n.attr in _CONTAINER_METHODS:
            return getattr(base, n.attr)
        raise Unresolved("attribute " + n.attr)

    def _Call(self, n):
        func = self.eval(n.func)
        args = []
        for a in n.args:
            if isinstance(a, ast.Starred):
                args.extend(self.eval(a.value))
            else:
                args.append(self.eval(a))
        kwargs = {}
        for k in n.keywords:
            if k.arg is None:
                kwargs.update(self.eval(k.value))
            else:
                kwargs[k.arg] = self.eval(k.value)
        return func(*args, **kwargs)

    def _BinOp(self, n):
        left, right = self.eval(n.left), self.eval(n.right)
        if isinstance(n.op, ast.Add):
            return left + right
        if isinstance(n.op, ast.Mod) and isinstance(left, str):
            return left % right
        if isinstance(n.op, ast.Mult):
            return left * right
        if isinstance(n.op, ast.Sub):
            return left - right
        raise Unresolved("operator")

    def _UnaryOp(self, n):
        v = self.eval(n.operand)
        if isinstance(n.op, ast.Not):
            return not v
        if isinstance(n.op, ast.USub):
            return -v
        raise Unresolved("unary operator")

    def _BoolOp(self, n):
        values = [self.eval(v) for v in n.values]
        if isinstance(n.op, ast.And):
            return all(values)
        return any(values)

    def _Compare(self, n):
        left = self.eval(n.left)
        for op, comp in zip(n.ops, n.comparators):
            right = self.eval(comp)
            ok = {
                ast.Eq: lambda a, b: a == b, ast.NotEq: lambda a, b: a != b,
                ast.In: lambda a, b: a in b, ast.NotIn: lambda a, b: a not in b,
                ast.Is: lambda a, b: a is b, ast.IsNot: lambda a, b: a is not b,
                ast.Lt: lambda a, b: a < b, ast.Gt: lambda a, b: a > b,
                ast.LtE: lambda a, b: a <= b, ast.GtE: lambda a, b: a >= b,
            }[type(op)](left, right)
            if not ok:
                return False
            left = right
        return True

    def _IfExp(self, n):
        return self.eval(n.body) if self.eval(n.test) else self.eval(n.orelse)

    def _element(self, n):
        if isinstance(n, ast.Starred):
            raise Unresolved("starred element")
        return evaluate(n, self.env, self.class_env)

    def _Tuple(self, n):
        return tuple(self._element(e) for e in n.elts)

    def _List(self, n):
        return [self._element(e) for e in n.elts]

    def _Set(self, n):
        return {self._element(e) for e in n.elts}

    def _Dict(self, n):
        out = {}
        for k, v in zip(n.keys, n.values):
            if k is None:
                out.update(self.eval(v))
            else:
                out[self.eval(k)] = self._element(v)
        return out

    def _Subscript(self, n):
        return self.eval(n.value)[self.eval(n.slice)]

    def _Slice(self, n):
        part = lambda x: None if x is None else self.eval(x)  # noqa: E731
        return slice(part(n.lower), part(n.upper), part(n.step))

    def _comprehension(self, n, make):
        out = []

        def walk(gens, env):
            if not gens:
                out.append(make(Evaluator(env, self.class_env)))
                return
            g = gens[0]
            for item in Evaluator(env, self.class_env).eval(g.iter):
                inner = dict(env)
                bind(g.target, item, inner)
                if all(Evaluator(inner, self.class_env).eval(c) for c in g.ifs):
                    walk(gens[1:], inner)

        walk(n.generators, dict(self.env))
        return out

    def _ListComp(self, n):
        return self._comprehension(n, lambda ev: ev.eval(n.elt))

    _GeneratorExp = _ListComp

    def _SetComp(self, n):
        return set(self._comprehension(n, lambda ev: ev.eval(n.elt)))

    def _DictComp(self, n):
        return dict(self._comprehension(n, lambda ev: (ev.eval(n.key), ev.eval(n.value))))


def bind(target, value, env):
    """Assigns value to a target (a name or a tuple of names) in env."""
    if isinstance(target, ast.Name):
        env[target.id] = value
    elif isinstance(target, (ast.Tuple, ast.List)):
        values = list(value)
        if len(values) != len(target.elts):
            raise Unresolved("unpacking")
        for t, v in zip(target.elts, values):
            bind(t, v, env)
    else:
        raise Unresolved("assignment target")


def forget(target, env):
    for n in ast.walk(target):
        if isinstance(n, ast.Name):
            env[n.id] = Opaque("unresolved " + n.id)


def assign(stmt, env, class_env):
    """Runs one assignment, binding an Opaque where the value is unknown."""
    targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
    if stmt.value is None:
        return
    value = evaluate(stmt.value, env, class_env)
    for t in targets:
        if isinstance(t, ast.Attribute) and isinstance(t.value, ast.Name) and t.value.id == "self":
            class_env[t.attr] = value
            continue
        try:
            bind(t, value, env)
        except Exception:  # noqa: BLE001
            forget(t, env)


class Modules:
    """Module-level names of the checkout's Python files, read once each."""

    def __init__(self, root):
        self.root = root
        self.cache = {}

    def load(self, dotted):
        if dotted in self.cache:
            return self.cache[dotted]
        base = self.root.joinpath(*dotted.split("."))
        path = base.with_suffix(".py")
        if not path.is_file():
            path = base / "__init__.py"
        env = {}
        self.cache[dotted] = Namespace(env)
        if path.is_file():
            self.declare(ast.parse(path.read_text(encoding="utf-8")).body, env, env, dotted)
        return self.cache[dotted]

    def declare(self, body, env, class_env, package=""):
        """Runs the imports, assignments and dataclass declarations of a body."""
        for stmt in body:
            if isinstance(stmt, (ast.Assign, ast.AnnAssign)):
                assign(stmt, env, class_env)
            elif isinstance(stmt, ast.ImportFrom) and stmt.module and stmt.level == 0:
                if not stmt.module.split(".")[0] in ("pyxform", "tests"):
                    continue
                for alias in stmt.names:
                    sub = stmt.module + "." + alias.name
                    if self._exists(sub):
                        env[alias.asname or alias.name] = self.load(sub)
                    else:
                        mod = self.load(stmt.module)
                        env[alias.asname or alias.name] = mod.values.get(
                            alias.name, Opaque("import " + alias.name))
            elif isinstance(stmt, ast.ClassDef):
                if not any(n.id == "dataclass" for n in ast.walk(ast.Module(stmt.decorator_list, []))
                           if isinstance(n, ast.Name)):
                    continue
                env[stmt.name] = record_class(stmt, env, class_env)

    def _exists(self, dotted):
        base = self.root.joinpath(*dotted.split("."))
        return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def is_assert_call(node):
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "assertPyxformXform"
    )


def calls_in(stmt):
    """The assertPyxformXform calls of one simple statement, in source order."""
    found = [n for n in ast.walk(stmt) if is_assert_call(n)]
    return sorted(found, key=lambda n: (n.lineno, n.col_offset))


class Extractor:
    def __init__(self, root):
        self.root = root
        self.modules = Modules(root)
        self.cases = []
        self.skipped = Counter()
        self.call_sites = set()

    def run_body(self, body, env, ctx):
        for stmt in body:
            self.run_stmt(stmt, env, ctx)

    def run_stmt(self, stmt, env, ctx):
        class_env = ctx["class_env"]
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return
        if isinstance(stmt, (ast.ClassDef, ast.Import, ast.ImportFrom)):
            self.modules.declare([stmt], env, class_env)
            return
        if isinstance(stmt, ast.For):
            items = evaluate(stmt.iter, env, class_env)
            try:
                # A set's order changes from run to run; the case numbers
                # must not.
                items = sorted(items, key=repr) if isinstance(items, (set, frozenset)) else list(items)
            except Exception:  # noqa: BLE001
                # One pass with the loop variable unknown: forms that do not
                # use it still resolve, the others are counted as skipped.
                forget(stmt.target, env)
                self.run_body(stmt.body, env, ctx)
                return
            for item in items:
                try:
                    bind(stmt.target, item, env)
                except Exception:  # noqa: BLE001
                    forget(stmt.target, env)
                self.run_body(stmt.body, env, ctx)
            return
        if isinstance(stmt, (ast.With, ast.AsyncWith)):
            self.run_body(stmt.body, env, ctx)
            return
        if isinstance(stmt, ast.Try):
            for part in (stmt.body, *(h.body for h in stmt.handlers), stmt.orelse, stmt.finalbody):
                self.run_body(part, env, ctx)
            return
        if isinstance(stmt, ast.If):
            test = evaluate(stmt.test, env, class_env)
            if isinstance(test, Opaque):
                branch = stmt.body
            else:
                branch = stmt.body if test else stmt.orelse
            self.run_body(branch, env, ctx)
            return
        for c in calls_in(stmt):
            self.record(c, env, ctx)
        if isinstance(stmt, (ast.Assign, ast.AnnAssign)):
            assign(stmt, env, class_env)

    def record(self, call, env, ctx):
        kw = {k.arg: k.value for k in call.keywords if k.arg}
        self.call_sites.add((ctx["file"], call.lineno))
        if "md" not in kw:
            other = [k for k in ("ss_structure", "survey") if k in kw]
            self.skipped["no md (" + ("/".join(other) or "other") + ")"] += 1
            return
        ev = Evaluator(env, ctx["class_env"])
        try:
            md = ev.eval(kw["md"])
            if not isinstance(md, str):
                raise Unresolved("md is not a string")
            errored = bool(ev.eval(kw["errored"])) if "errored" in kw else False
            name = ev.eval(kw["name"]) if "name" in kw else None
        except Exception as e:  # noqa: BLE001 - any failure means unresolved
            self.skipped["unresolved md or errored: " + str(e)] += 1
            return
        test = ctx["test"]
        n = ctx["counter"][test]
        ctx["counter"][test] += 1
        self.cases.append({
            "file": ctx["file"],
            "test": test,
            "case": n,
            "line": call.lineno,
            "md": md,
            "errored": errored,
            "odk_invalid": "odk_validate_error__contains" in kw,
            "name": name,
        })

    def extract_file(self, path):
        rel = path.relative_to(self.root).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        module_env = {}
        self.modules.declare(tree.body, module_env, module_env)
        counter = Counter()
        for node in tree.body:
            if isinstance(node, ast.ClassDef):
                class_env = dict(module_env)
                self.modules.declare(node.body, class_env, class_env)
                methods = [f for f in node.body if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))]
                for fn in methods:
                    if fn.name in ("setUp", "setUpClass"):
                        self.run_body(fn.body, dict(module_env), {"class_env": class_env, "file": rel})
                for fn in methods:
                    ctx = {"file": rel, "test": node.name + "." + fn.name,
                           "class_env": class_env, "counter": counter}
                    self.run_body(fn.body, dict(module_env), ctx)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                ctx = {"file": rel, "test": node.name, "class_env": module_env, "counter": counter}
                self.run_body(node.body, dict(module_env), ctx)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: pyxform-cases.py PYXFORM_CHECKOUT > cases.jsonl")
    root = pathlib.Path(sys.argv[1])
    ex = Extractor(root)
    for path in sorted((root / "tests").rglob("*.py")):
        ex.extract_file(path)
    for case in ex.cases:
        print(json.dumps(case, ensure_ascii=False, sort_keys=True))
    sites_with_md = len({(c["file"], c["line"]) for c in ex.cases})
    print(f"{len(ex.cases)} forms from {sites_with_md} call sites "
          f"({len(ex.call_sites)} call sites in all)", file=sys.stderr)
    for shape, n in sorted(ex.skipped.items()):
        print(f"skipped {n}: {shape}", file=sys.stderr)


if __name__ == "__main__":
    main()
