#!/usr/bin/env python3
"""Install the front-end packages pinned in package-lock.json and copy their built files into
src/baomi/web/static/vendor/.

Classified networks are isolated: the running system fetches nothing from a CDN, so every script,
stylesheet and font the pages use is served from our own static files. They come from the npm
registry at build time only; the copies are not committed (see .gitignore).

Idempotent: `npm ci` runs only when node_modules is missing or older than package-lock.json, files
whose content is unchanged are not rewritten, and files no longer wanted are removed from vendor/.

Usage: python3 scripts/build_assets.py [--reinstall]
"""

from __future__ import annotations

import argparse
import filecmp
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"
LOCKFILE = ROOT / "package-lock.json"
# npm rewrites this "hidden lockfile" on every install, so its mtime says when node_modules was
# last brought in line with package-lock.json.
INSTALLED_MARKER = NODE_MODULES / ".package-lock.json"
VENDOR = ROOT / "src" / "baomi" / "web" / "static" / "vendor"

# group -> [(source under node_modules, destination under vendor/)].
# Licence texts travel with the code they cover (MIT and Apache-2.0 ask for that on
# redistribution). Bootstrap's .map files are kept because bootstrap.min.css/.js name them in a
# sourceMappingURL comment, and Django's manifest storage refuses to collect a file whose
# references are missing.
GROUPS: dict[str, list[tuple[str, str]]] = {
    "htmx": [
        ("htmx.org/dist/htmx.min.js", "htmx/htmx.min.js"),
        ("htmx.org/LICENSE", "htmx/LICENSE"),
    ],
    "bootstrap": [
        ("bootstrap/dist/css/bootstrap.min.css", "bootstrap/bootstrap.min.css"),
        ("bootstrap/dist/css/bootstrap.min.css.map", "bootstrap/bootstrap.min.css.map"),
        ("bootstrap/dist/js/bootstrap.bundle.min.js", "bootstrap/bootstrap.bundle.min.js"),
        ("bootstrap/dist/js/bootstrap.bundle.min.js.map", "bootstrap/bootstrap.bundle.min.js.map"),
        ("bootstrap/LICENSE", "bootstrap/LICENSE"),
        # The bundle embeds Popper.
        ("@popperjs/core/LICENSE.md", "bootstrap/LICENSE-popper.md"),
    ],
    "bootstrap-icons": [
        # The stylesheet refers to url("fonts/bootstrap-icons.woff2?...") relative to itself,
        # so the fonts keep their folder beside it.
        ("bootstrap-icons/font/bootstrap-icons.min.css", "bootstrap-icons/bootstrap-icons.min.css"),
        (
            "bootstrap-icons/font/fonts/bootstrap-icons.woff2",
            "bootstrap-icons/fonts/bootstrap-icons.woff2",
        ),
        (
            "bootstrap-icons/font/fonts/bootstrap-icons.woff",
            "bootstrap-icons/fonts/bootstrap-icons.woff",
        ),
        ("bootstrap-icons/LICENSE", "bootstrap-icons/LICENSE"),
    ],
    "echarts": [
        ("echarts/dist/echarts.min.js", "echarts/echarts.min.js"),
        ("echarts/LICENSE", "echarts/LICENSE"),
        ("echarts/NOTICE", "echarts/NOTICE"),
        ("echarts/licenses/LICENSE-d3", "echarts/LICENSE-d3"),
        # echarts.min.js bundles zrender.
        ("zrender/LICENSE", "echarts/LICENSE-zrender"),
    ],
}


class BuildError(Exception):
    pass


def needs_install() -> bool:
    if not INSTALLED_MARKER.exists():
        return True
    return INSTALLED_MARKER.stat().st_mtime < LOCKFILE.stat().st_mtime


def npm_ci() -> None:
    npm = shutil.which("npm")
    if npm is None:
        raise BuildError(
            "npm is not installed, and node_modules/ is missing or older than package-lock.json.\n"
            "Install Node.js and npm (Debian: apt-get install nodejs npm), then run this again."
        )
    print("npm ci: installing the packages pinned in package-lock.json", flush=True)
    result = subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=ROOT, check=False)
    if result.returncode != 0:
        raise BuildError(f"npm ci failed with exit code {result.returncode}")


def copy_group(name: str, files: list[tuple[str, str]]) -> str:
    written = 0
    for source_rel, dest_rel in files:
        source = NODE_MODULES / source_rel
        dest = VENDOR / dest_rel
        if not source.is_file():
            raise BuildError(
                f"{source.relative_to(ROOT)} is missing: has the package layout changed? "
                "Check the pinned version in package.json against GROUPS in this script."
            )
        if dest.is_file() and filecmp.cmp(source, dest, shallow=False):
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, dest)
        written += 1
    state = f"{written} updated" if written else "unchanged"
    return f"{name}: {len(files)} files -> {VENDOR.relative_to(ROOT)}/{name}/ ({state})"


def remove_unwanted() -> list[Path]:
    """Delete files in vendor/ that no group lists (left over from an older pin)."""
    wanted = {VENDOR / dest for files in GROUPS.values() for _, dest in files}
    removed = []
    for path in sorted(VENDOR.rglob("*"), reverse=True):
        if path.is_file() and path not in wanted:
            path.unlink()
            removed.append(path)
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    return removed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--reinstall", action="store_true", help="run npm ci even if node_modules is up to date"
    )
    args = parser.parse_args(argv)
    try:
        if not LOCKFILE.exists():
            raise BuildError(f"{LOCKFILE.relative_to(ROOT)} is missing; run `npm install` once.")
        if args.reinstall or needs_install():
            npm_ci()
        for name, files in GROUPS.items():
            print(copy_group(name, files), flush=True)
        for path in remove_unwanted():
            print(f"removed stale {path.relative_to(ROOT)}")
    except BuildError as exc:
        print(f"build_assets: error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
