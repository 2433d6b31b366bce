"""Node.js projects the tests run (the graphql-http audit, Apollo Client, the README's
TypeScript client): each a folder under tests/ with a package.json and its lock file.

Where node or npm is missing the test skips, except in CI (CI=true), where .ci/run installs
them and a skip would hide a failure."""

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import IN_CI


def tool(name: str, purpose: str) -> str:
    """The path of the command `name`, which `purpose` needs."""
    found = shutil.which(name)
    if found:
        return found
    if IN_CI:
        pytest.fail(f"CI must run {purpose}, but {name} is not installed")
    pytest.skip(f"{name} is needed for {purpose} (CI installs it)")


def npm_project(project: Path, installed: str, purpose: str) -> tuple[str, str]:
    """node and npm, with `project`'s locked packages installed (`installed` is a path under
    node_modules that exists once they are)."""
    node, npm = tool("node", purpose), tool("npm", purpose)
    if not (project / "node_modules" / installed).exists():
        subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--silent"],
            cwd=project,
            check=True,
            timeout=600,
        )
    return node, npm
