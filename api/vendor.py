"""The browser libraries served from the package (GraphiQL, the OpenAPI pages, the explorer's
graph): which npm releases, which of their files, and the checksums that prove them unchanged.

A page that loads its scripts from a CDN stays blank on a machine without internet access, so
every script and style a page needs is copied from its npm tarball into `api/static/vendor/`,
byte for byte, beside its licence. `MANIFEST.json` there records each file's sha256; a test
holds the directory to it. `python -m api.vendor` fetches the tarballs again with `npm pack`
and rewrites the directory and the manifest: the way to move to a new release.
"""

import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

VENDOR = Path(__file__).parent / "static" / "vendor"
MANIFEST = VENDOR / "MANIFEST.json"


@dataclass(frozen=True)
class Package:
    """An npm release and the files taken from its tarball (paths under `package/`).

    `licences` may come from another release (`name@version` → its paths) when the package
    ships none of its own but is published from a repository, or bundles code, that has one.
    """

    name: str
    version: str
    licence: str
    files: tuple[str, ...]
    licences: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def folder(self) -> str:
        return f"{self.name.replace('/', '__').lstrip('@')}@{self.version}"


PACKAGES = (
    Package("react", "18.2.0", "MIT", ("umd/react.production.min.js", "LICENSE")),
    Package("react-dom", "18.2.0", "MIT", ("umd/react-dom.production.min.js", "LICENSE")),
    # GraphiQL 3 is the last release with a browser (UMD) build; 4 and later are ES modules
    # that expect a bundler or an import map of CDN URLs. Strawberry pins the same release.
    Package("graphiql", "3.8.3", "MIT", ("graphiql.min.js", "graphiql.min.css", "LICENSE")),
    Package(
        "@graphiql/plugin-explorer",
        "1.0.2",
        "MIT",
        ("dist/index.umd.js", "dist/style.css"),
        # Published from the GraphiQL repository without a licence file; its build bundles
        # graphiql-explorer, whose licence travels with it.
        licences={"graphiql@3.8.3": ("LICENSE",), "graphiql-explorer@0.9.0": ("LICENSE",)},
    ),
    Package(
        "swagger-ui-dist",
        "5.35.0",
        "Apache-2.0",
        ("swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png", "LICENSE", "NOTICE"),
    ),
    # Redoc 2 is the release FastAPI's /redoc page is written for.
    Package(
        "redoc",
        "2.5.4",
        "MIT",
        ("bundles/redoc.standalone.js", "bundles/redoc.standalone.js.LICENSE.txt", "LICENSE"),
    ),
    Package("cytoscape", "3.35.0", "MIT", ("dist/cytoscape.min.js", "LICENSE")),
)


def asset_path(package: str, file: str) -> str:
    """The URL of one vendored file (its name without the tarball's folders), for pages."""
    (found,) = [p for p in PACKAGES if p.name == package]
    return f"/static/vendor/{found.folder}/{file}"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def problems(root: Path = VENDOR) -> list[str]:
    """What differs between the vendor directory and its manifest (nothing when they agree):
    files missing, changed or unlisted, packages without a licence, releases not pinned here."""
    manifest = json.loads((root / "MANIFEST.json").read_text())
    found: list[str] = []
    listed = set()
    pinned = {(p.name, p.version) for p in PACKAGES}
    for entry in manifest["packages"]:
        if (entry["name"], entry["version"]) not in pinned:
            found.append(f"{entry['name']}@{entry['version']} is not in api.vendor.PACKAGES")
        if not any("LICENSE" in name or "NOTICE" in name for name in entry["files"]):
            found.append(f"{entry['name']}@{entry['version']} has no licence file")
        for name, digest in entry["files"].items():
            path = root / entry["folder"] / name
            listed.add(path)
            if not path.is_file():
                found.append(f"{path.relative_to(root)} is missing")
            elif sha256(path) != digest:
                found.append(f"{path.relative_to(root)} does not match its sha256")
    for path in sorted(root.rglob("*")):
        if path.is_file() and path != root / "MANIFEST.json" and path not in listed:
            found.append(f"{path.relative_to(root)} is not in the manifest")
    return found


def _pack(spec: str, into: Path) -> Path:
    """Download `name@version` from the npm registry and unpack it; returns its `package/`."""
    done = subprocess.run(
        ["npm", "pack", "--silent", spec, "--pack-destination", str(into)],
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    tarball = into / done.stdout.strip().splitlines()[-1]
    target = into / tarball.stem
    with tarfile.open(tarball) as archive:
        archive.extractall(target, filter="data")
    return target / "package"


def refresh(root: Path = VENDOR) -> None:
    """Rebuild the vendor directory and its manifest from the npm registry."""
    shutil.rmtree(root, ignore_errors=True)
    entries: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as scratch:
        for package in PACKAGES:
            folder = root / package.folder
            unpacked = _pack(f"{package.name}@{package.version}", Path(scratch))
            folder.mkdir(parents=True)
            files: dict[str, str] = {}
            for name in package.files:
                target = folder / Path(name).name
                shutil.copyfile(unpacked / name, target)
                files[target.name] = sha256(target)
            for spec, names in package.licences.items():
                other = _pack(spec, Path(scratch))
                for name in names:
                    target = folder / f"{name}.{spec.split('@')[0]}"
                    shutil.copyfile(other / name, target)
                    files[target.name] = sha256(target)
            entries.append(
                {
                    "name": package.name,
                    "version": package.version,
                    "licence": package.licence,
                    "folder": package.folder,
                    "files": files,
                }
            )
    (root / "MANIFEST.json").write_text(json.dumps({"packages": entries}, indent=2) + "\n")


if __name__ == "__main__":
    refresh()
    print("\n".join(problems()) or f"{MANIFEST} written", file=sys.stderr)
