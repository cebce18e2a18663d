"""The README and the guides do not go stale: every relative link resolves, every `rembug` command in a command block
parses with the command line as it is (no option or command that has gone), every `make` target exists, every script
named exists, and the README stays a page a newcomer reads in five minutes. The research path itself is run line by
line by tests/experiments/test_readme.py."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from sim.cli import parser

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = sorted([ROOT / "README.md", ROOT / "CHANGELOG.md", *(ROOT / "docs").rglob("*.md")])
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def links(path: Path) -> list[str]:
    text = re.sub(r"```.*?```", "", path.read_text(encoding="utf-8"), flags=re.S)  # not inside code blocks
    return [target for target in LINK.findall(text) if not re.match(r"[a-z]+:", target)]


def anchors(path: Path) -> set[str]:
    """GitHub's anchors for the headings of a Markdown file."""
    found = set()
    for heading in re.findall(r"^#+ (.+)$", path.read_text(encoding="utf-8"), flags=re.M):
        slug = re.sub(r"[^\w\- ]", "", heading.lower()).strip().replace(" ", "-")
        found.add(slug)
    return found


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_resolves(path):
    for target in links(path):
        file, _, anchor = target.partition("#")
        resolved = (path.parent / file).resolve() if file else path
        assert resolved.exists(), f"{path.name}: {target}"
        if anchor and resolved.suffix == ".md":
            assert anchor in anchors(resolved), f"{path.name}: #{anchor} is no heading of {resolved.name}"


def command_lines(path: Path) -> list[str]:
    """The lines of the file's ```bash blocks, without comments, continuation lines joined."""
    lines = []
    for block in re.findall(r"```bash\n(.*?)```", path.read_text(encoding="utf-8"), flags=re.S):
        for line in block.replace("\\\n", " ").splitlines():
            line = re.sub(r"\s+#.*$", "", line).strip()
            if line and not line.startswith("#"):
                lines.append(line)
    return lines


def test_the_documents_have_command_blocks_to_check():
    assert sum(len(command_lines(p)) for p in DOCUMENTS) >= 15


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_command_in_a_block_is_one_the_project_has(path):
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z][\w-]*):", makefile, flags=re.M))
    for line in command_lines(path):
        for command in re.split(r"\s*&&\s*", line.rstrip("&").strip()):
            words = shlex.split(command)
            if words[0] == "rembug":
                try:
                    parser().parse_args(words[1:])
                except SystemExit:
                    pytest.fail(f"{path.name}: `{command}` is not a command the CLI takes")
            elif words[0] == "make":
                named = [w for w in words[1:] if "=" not in w and not w.startswith("-")]
                assert all(t in targets for t in named), f"{path.name}: `{command}` names no Makefile target"
            elif words[0] in ("python", "python3") and words[1:2] and words[1].endswith(".py"):
                assert (ROOT / words[1]).exists(), f"{path.name}: {words[1]} does not exist"


def test_the_readme_is_a_page_a_newcomer_reads_quickly():
    """The first screen gives the two commands; the whole README is at most 12 KB, with one path per reader."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(text.encode("utf-8")) <= 12 * 1024
    first_screen = "\n".join(text.splitlines()[:30])
    assert "make app" in first_screen and "make test" in first_screen
    for heading in ("### Run a workshop", "### Play", "### Research", "## What the model claims"):
        assert heading in text, heading


def test_seed_means_a_random_seed_in_what_users_read():
    """The source documents are 'sources'; 'seed' is kept for random seeds (the word once meant both)."""
    for path in DOCUMENTS:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\bseeds? on (gotong|collective|inter-organisation|the weaving|strategic)", text, re.I), \
            path.name
        assert "the seed's" not in text and "The seed's" not in text, path.name


def test_the_facilitators_guide_warns_that_the_debrief_names_people_before_it_is_shown():
    """The debrief puts on the wall by name who took more water, did not pay for the well or grabbed: the guide says
    so where the workshop is run, and its checklist says it before the step that shows the debrief."""
    guide = (ROOT / "docs" / "facilitator.md").read_text(encoding="utf-8")
    during = guide.split("### During the workshop")[1].split("\n## ")[0]
    warning = next((p for p in re.split(r"\n(?=- )", during) if "by name" in p), "")
    for words in ("*Show what happened*", "took more water", "did not pay", "before you press it"):
        assert words in " ".join(warning.split()), words
    checklist = guide.split("## Checklist")[1]
    items = [" ".join(item.split()) for item in re.split(r"\n(?=- \[ \])", checklist)]
    shown = next(n for n, item in enumerate(items) if item.startswith("- [ ] *Show what happened*"))
    assert any("by name" in item for item in items[:shown]), "no warning in the checklist before the debrief"
