"""Runs a composite action's steps (action.yml) the way a GitHub runner does, on this machine.

    python3 runner.py ACTION_DIR WORKSPACE STATE_DIR [NAME=VALUE ...]    (inputs as NAME=VALUE)

`run:` steps run in bash with the runner's environment (GITHUB_OUTPUT, RUNNER_OS, ...), their
`env:` and `working-directory:`, `${{ }}` expressions substituted and `if:` conditions judged
with the runner's status rules (a failed step skips the rest unless `always()`). The `uses:`
steps a runner would download are stood in for by what they do to files: actions/cache/restore
and /save copy the cached folder to and from STATE_DIR/cache, upload-sarif and upload-artifact
check their files and copy them to STATE_DIR/uploads. Prints a JSON summary: each step's
outcome, the action's outputs and whether it failed. An expression or action this runner does
not know is an error, so the action cannot silently outgrow the test.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import yaml

TOKEN = re.compile(
    r"\s*(?:(?P<str>'(?:[^']|'')*')|(?P<num>\d+(?:\.\d+)?)|(?P<op>==|!=|&&|\|\||!|\(|\)|,)"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z_][A-Za-z0-9_-]*)*))"
)


class Expr:
    """GitHub's expression language, as much of it as action.yml uses."""

    def __init__(self, text, ctx):
        self.tokens, pos = [], 0
        text = text.strip()
        while pos < len(text):
            m = TOKEN.match(text, pos)
            if not m or m.end() == pos:
                raise SystemExit(f"runner: cannot read expression {text!r} at {pos}")
            self.tokens.append((m.lastgroup, m.group(m.lastgroup)))
            pos = m.end()
        self.i, self.ctx = 0, ctx

    def value(self):
        v = self.or_()
        if self.i != len(self.tokens):
            raise SystemExit(f"runner: trailing tokens in expression: {self.tokens[self.i:]}")
        return v

    def peek(self):
        return self.tokens[self.i] if self.i < len(self.tokens) else (None, None)

    def take(self, want=None):
        tok = self.peek()
        if want is not None and tok[1] != want:
            raise SystemExit(f"runner: expected {want!r}, found {tok!r}")
        self.i += 1
        return tok

    def or_(self):
        v = self.and_()
        while self.peek() == ("op", "||"):
            self.take()
            rhs = self.and_()
            v = v if truthy(v) else rhs
        return v

    def and_(self):
        v = self.cmp()
        while self.peek() == ("op", "&&"):
            self.take()
            rhs = self.cmp()
            v = rhs if truthy(v) else v
        return v

    def cmp(self):
        v = self.unary()
        while self.peek() in (("op", "=="), ("op", "!=")):
            op = self.take()[1]
            rhs = self.unary()
            same = str(v).lower() == str(rhs).lower()
            v = same if op == "==" else not same
        return v

    def unary(self):
        if self.peek() == ("op", "!"):
            self.take()
            return not truthy(self.unary())
        return self.atom()

    def atom(self):
        kind, text = self.take()
        if kind == "str":
            return text[1:-1].replace("''", "'")
        if kind == "num":
            return float(text)
        if kind == "op" and text == "(":
            v = self.or_()
            self.take(")")
            return v
        if kind == "name":
            if self.peek() == ("op", "("):
                self.take()
                args = []
                while self.peek() != ("op", ")"):
                    args.append(self.or_())
                    if self.peek() == ("op", ","):
                        self.take()
                self.take(")")
                return self.call(text, args)
            if text in ("true", "false"):
                return text == "true"
            if text == "null":
                return None
            return self.lookup(text)
        raise SystemExit(f"runner: unexpected {text!r} in expression")

    def call(self, name, args):
        status = self.ctx["status"]
        if name == "always":
            return True
        if name == "success":
            return status == "success"
        if name == "failure":
            return status == "failure"
        if name == "cancelled":
            return False
        if name == "format":
            return re.sub(r"\{(\d+)\}", lambda m: str(args[int(m.group(1)) + 1]), args[0])
        raise SystemExit(f"runner: unknown function {name}()")

    def lookup(self, dotted):
        parts = dotted.split(".")
        node = self.ctx
        for p in parts:
            if isinstance(node, dict) and p in node:
                node = node[p]
            elif parts[0] == "steps":
                return ""
            else:
                raise SystemExit(f"runner: unknown context value {dotted}")
        return node


def truthy(v):
    return v not in (False, None, "", 0, 0.0)


def text(v):
    if v is True:
        return "true"
    if v is False:
        return "false"
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def substitute(s, ctx):
    return re.sub(r"\$\{\{(.*?)\}\}", lambda m: text(Expr(m.group(1), ctx).value()), str(s))


def condition(cond, ctx):
    if cond is None:
        return ctx["status"] == "success"
    cond = str(cond).strip()
    if cond.startswith("${{") and cond.endswith("}}"):
        cond = cond[3:-2]
    if not re.search(r"\b(always|success|failure|cancelled)\(", cond):
        cond = f"success() && ({cond})"
    return truthy(Expr(cond, ctx).value())


def read_outputs(path):
    out, lines = {}, open(path, encoding="utf-8").read().splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        m = re.match(r"^([A-Za-z0-9_-]+)<<(.+)$", line)
        if m:
            name, delim, body = m.group(1), m.group(2), []
            i += 1
            while lines[i] != delim:
                body.append(lines[i])
                i += 1
            out[name] = "\n".join(body)
        elif "=" in line:
            k, v = line.split("=", 1)
            out[k] = v
        i += 1
    return out


class Runner:
    def __init__(self, action_dir, workspace, state, inputs):
        self.action = yaml.safe_load(open(os.path.join(action_dir, "action.yml"), encoding="utf-8"))
        self.workspace, self.state = workspace, state
        given = {k: v for k, v in inputs.items()}
        for k in given:
            if k not in self.action["inputs"]:
                raise SystemExit(f"runner: the action has no input {k}")
        self.ctx = {
            "status": "success",
            "inputs": {k: given.get(k, str(d.get("default", ""))) for k, d in self.action["inputs"].items()},
            "steps": {},
            "github": {
                "action_path": action_dir,
                "server_url": "https://github.invalid",
                "workspace": workspace,
            },
            "runner": {"os": "Linux", "arch": "X64"},
        }
        self.env = dict(os.environ, RUNNER_OS="Linux", RUNNER_ARCH="X64", GITHUB_WORKSPACE=workspace)
        self.log = []

    def run(self):
        for n, step in enumerate(self.action["runs"]["steps"]):
            sid = step.get("id", f"__step{n}")
            if not condition(step.get("if"), self.ctx):
                self.ctx["steps"][sid] = {"outcome": "skipped", "conclusion": "skipped", "outputs": {}}
                self.log.append({"step": step.get("name", sid), "outcome": "skipped"})
                continue
            ok, outputs = self.shell(step) if "run" in step else self.uses(step)
            outcome = "success" if ok else "failure"
            self.ctx["steps"][sid] = {"outcome": outcome, "conclusion": outcome, "outputs": outputs}
            self.log.append({"step": step.get("name", sid), "outcome": outcome})
            if not ok:
                self.ctx["status"] = "failure"
        outputs = {k: substitute(v["value"], self.ctx) for k, v in self.action.get("outputs", {}).items()}
        return {"failed": self.ctx["status"] == "failure", "outputs": outputs, "steps": self.log}

    def shell(self, step):
        if step.get("shell") != "bash":
            raise SystemExit(f"runner: only bash steps are run here: {step.get('name')}")
        env = dict(self.env)
        for k, v in (step.get("env") or {}).items():
            env[k] = substitute(v, self.ctx)
        fd, out = tempfile.mkstemp(dir=self.state, prefix="output-")
        os.close(fd)
        env["GITHUB_OUTPUT"] = out
        cwd = os.path.join(self.workspace, substitute(step.get("working-directory", "."), self.ctx))
        fd, script = tempfile.mkstemp(dir=self.state, prefix="step-", suffix=".sh")
        with os.fdopen(fd, "w") as f:
            f.write(substitute(step["run"], self.ctx))
        print(f"::group::{step.get('name')}", flush=True)
        code = subprocess.call(["bash", "--noprofile", "--norc", "-eo", "pipefail", script], cwd=cwd, env=env)
        print("::endgroup::", flush=True)
        return code == 0, read_outputs(out)

    def uses(self, step):
        action = step["uses"].split("@")[0]
        with_ = {k: substitute(v, self.ctx) for k, v in (step.get("with") or {}).items()}
        print(f"::group::{step.get('name')} ({action}, stood in for)", flush=True)
        try:
            if action == "actions/cache/restore":
                return self.cache_restore(with_)
            if action == "actions/cache/save":
                return self.cache_save(with_)
            if action == "github/codeql-action/upload-sarif":
                return self.upload_sarif(with_)
            if action == "actions/upload-artifact":
                return self.upload_artifact(with_)
            raise SystemExit(f"runner: no stand-in for {action}")
        finally:
            print("::endgroup::", flush=True)

    def cache_dir(self, key):
        return os.path.join(self.state, "cache", re.sub(r"[^A-Za-z0-9._-]", "_", key))

    def cache_restore(self, w):
        path, stored = os.path.expanduser(w["path"]), self.cache_dir(w["key"])
        hit = os.path.isdir(stored)
        if hit:
            shutil.rmtree(path, ignore_errors=True)
            shutil.copytree(stored, path, symlinks=True)
        print(f"cache {'hit' if hit else 'miss'}: {w['key']}")
        return True, {"cache-hit": "true" if hit else "false", "cache-primary-key": w["key"]}

    def cache_save(self, w):
        if not w.get("key"):
            print("cache save: no key")
            return False, {}
        shutil.copytree(os.path.expanduser(w["path"]), self.cache_dir(w["key"]), symlinks=True, dirs_exist_ok=True)
        return True, {}

    def upload(self, kind, path):
        full = os.path.join(self.workspace, path)
        if not os.path.isfile(full):
            print(f"{kind}: no file {path}")
            return False
        dest = os.path.join(self.state, "uploads", kind)
        os.makedirs(dest, exist_ok=True)
        shutil.copy(full, dest)
        print(f"{kind}: uploaded {path}")
        return True

    def upload_sarif(self, w):
        full = os.path.join(self.workspace, w["sarif_file"])
        try:
            doc = json.load(open(full, encoding="utf-8"))
        except (OSError, ValueError) as e:
            print(f"upload-sarif: {w['sarif_file']}: {e}")
            return False, {}
        if doc.get("version") != "2.1.0" or not doc.get("runs"):
            print("upload-sarif: not a SARIF 2.1.0 log with runs")
            return False, {}
        return self.upload("code-scanning", w["sarif_file"]), {"sarif-id": "local"}

    def upload_artifact(self, w):
        paths = [p for p in w["path"].splitlines() if p.strip()]
        ok = all([self.upload(f"artifact-{w['name']}", p) for p in paths])
        return ok, {"artifact-id": "local"}


def main():
    action_dir, workspace, state = sys.argv[1:4]
    inputs = dict(a.split("=", 1) for a in sys.argv[4:])
    summary = Runner(action_dir, workspace, state, inputs).run()
    print("RESULT " + json.dumps(summary), flush=True)


if __name__ == "__main__":
    main()
