"""environment.yml (conda) pins every direct dependency at the version of requirements.lock (pip).

The direct dependencies are read from pyproject.toml (the package's dependencies and every
extra), so a dependency added there without a conda pin fails here by name.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parent.parent
# conda match spec "name==1.2.3" (exact) or "name=1.2" (a series), optionally with a build string.
CONDA_SPEC = re.compile(r"^\s*([A-Za-z0-9_.\-]+)\s*(?:(==|=)\s*([^\s=]+))?(?:\s+\S+)?\s*$")


def direct_dependencies(pyproject_text: str) -> list[str]:
    """Canonical names of the package's dependencies and of every optional extra."""
    project = tomllib.loads(pyproject_text)["project"]
    specs = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        specs.extend(extra)
    return sorted({canonicalize_name(Requirement(s).name) for s in specs})


def lock_pins(lock_text: str) -> dict[str, str]:
    pins = {}
    for line in lock_text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, version = line.partition("==")
            pins[canonicalize_name(name)] = version.strip()
    return pins


def conda_pins(env: dict) -> dict[str, tuple[str, str]]:
    """Canonical name -> (operator, version) of the conda (not pip) dependencies."""
    pins = {}
    for dep in env.get("dependencies", []):
        if isinstance(dep, str):
            m = CONDA_SPEC.match(dep)
            assert m, f"cannot parse conda dependency {dep!r}"
            pins[canonicalize_name(m.group(1))] = (m.group(2) or "", m.group(3) or "")
    return pins


def pin_problems(env: dict, lock: dict[str, str], direct: list[str]) -> list[str]:
    """One message per direct dependency that environment.yml lacks or pins differently from the lock."""
    conda = conda_pins(env)
    problems = []
    for name in direct:
        if name not in lock:
            problems.append(f"{name}: not pinned in requirements.lock")
        elif name not in conda:
            problems.append(f"{name}: missing from environment.yml (lock has {lock[name]})")
        elif conda[name] != ("==", lock[name]):
            op, version = conda[name]
            problems.append(f"{name}: environment.yml has {op or 'no pin'}{version}, requirements.lock has =={lock[name]}")
    return problems


def _real_files() -> tuple[dict, dict[str, str], list[str]]:
    env = yaml.safe_load((REPO / "environment.yml").read_text(encoding="utf-8"))
    lock = lock_pins((REPO / "requirements.lock").read_text(encoding="utf-8"))
    direct = direct_dependencies((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    return env, lock, direct


def test_every_direct_dependency_has_the_lock_pin():
    env, lock, direct = _real_files()
    assert pin_problems(env, lock, direct) == []


def test_the_direct_dependencies_include_the_kits_core_sixteen():
    # A guard on the parsing of pyproject.toml: the packages the kit was designed around.
    *_, direct = _real_files()
    core = {"pandas", "numpy", "scipy", "scikit-learn", "matplotlib", "seaborn", "faker", "pyarrow",
            "jdatetime", "tqdm", "jupyterlab", "ipywidgets", "papermill", "pytest", "nbval", "lifetimes"}
    assert core - set(direct) == set()


def test_environment_header_python_and_the_package_itself():
    env, *_ = _real_files()
    assert env["name"] == "custkit"
    assert env["channels"] == ["conda-forge"]
    assert conda_pins(env)["python"] == ("=", "3.11")
    assert "pip" in conda_pins(env)
    pip_sections = [d["pip"] for d in env["dependencies"] if isinstance(d, dict)]
    assert pip_sections == [["-e ."]]


def test_no_conda_pin_contradicts_the_lock():
    env, lock, _ = _real_files()
    for name, (op, version) in conda_pins(env).items():
        if name in lock and op == "==":
            assert version == lock[name], name


def test_pin_problems_names_missing_and_different_packages():
    env = {"dependencies": ["python=3.11", "numpy==2.4.6", "pandas==3.0.0", "scipy", {"pip": ["-e ."]}]}
    lock = {"numpy": "2.4.6", "pandas": "3.1.1", "scipy": "1.17.1", "faker": "40.54.0"}
    assert pin_problems(env, lock, ["faker", "numpy", "pandas", "scipy", "tqdm"]) == [
        "faker: missing from environment.yml (lock has 40.54.0)",
        "pandas: environment.yml has ==3.0.0, requirements.lock has ==3.1.1",
        "scipy: environment.yml has no pin, requirements.lock has ==1.17.1",
        "tqdm: not pinned in requirements.lock",
    ]


def test_names_are_compared_canonically():
    # Faker/faker, Lifetimes/lifetimes and scikit_learn/scikit-learn are the same packages.
    assert lock_pins("Faker==40.54.0\nLifetimes==0.11.3\n# comment\n") == {"faker": "40.54.0", "lifetimes": "0.11.3"}
    assert conda_pins({"dependencies": ["scikit_learn==1.9.1 py311_0"]}) == {"scikit-learn": ("==", "1.9.1")}


# ----------------------------------------------------------------------------- imports are declared


def imported_modules(source: str) -> set[str]:
    """Top-level names of every module a Python source imports (absolute imports only)."""
    import ast

    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def undeclared_imports(folder: Path, declared: set[str]) -> dict[str, str]:
    """Third-party modules imported under ``folder`` whose distribution is not in ``declared``."""
    import importlib.metadata
    import sys

    providers = importlib.metadata.packages_distributions()
    # the tests' own modules and packages (tests.claims, imported as claims or tests.claims)
    local = ({p.stem for p in (REPO / "tests").rglob("*.py")} | {"custkit", "conftest", "tests"}
             | {p.parent.name for p in (REPO / "tests").rglob("__init__.py")})
    problems = {}
    for path in sorted(folder.rglob("*.py")):
        for module in imported_modules(path.read_text(encoding="utf-8")):
            if module in sys.stdlib_module_names or module in local or module == "__future__":
                continue
            dists = {canonicalize_name(d) for d in providers.get(module, [])}
            if not dists & declared:
                problems[module] = f"{path.relative_to(REPO)} imports it; distributions {sorted(dists) or 'none'}"
    return problems


def test_imported_modules_reads_absolute_imports():
    source = "import numpy as np, os.path\nfrom bs4 import X\nfrom . import y\ndef f():\n    import yaml\n"
    assert imported_modules(source) == {"numpy", "os", "bs4", "yaml"}


def test_every_module_the_package_imports_is_a_declared_dependency():
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    core = {canonicalize_name(Requirement(s).name) for s in project["dependencies"]}
    notebooks = {canonicalize_name(Requirement(s).name) for s in project["optional-dependencies"]["notebooks"]}
    assert undeclared_imports(REPO / "custkit", core | notebooks) == {}
    # The simulator and the analyses need nothing beyond the core dependencies.
    for sub in ("simulate", "retention", "segmentation", "typology"):
        assert undeclared_imports(REPO / "custkit" / sub, core) == {}, sub


def test_every_module_the_tests_and_benchmarks_import_is_a_declared_dependency():
    declared = set(direct_dependencies((REPO / "pyproject.toml").read_text(encoding="utf-8")))
    for folder in ("tests", "benchmarks"):
        assert undeclared_imports(REPO / folder, declared) == {}, folder


def test_the_package_version_is_the_projects():
    import custkit
    from custkit._version import __version__

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert custkit.__version__ == __version__ == project["version"]
