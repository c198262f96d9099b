"""Guards on what the browser downloads: a small budget, and nothing the CSP would block."""

import gzip
import re
from pathlib import Path

import pytest

# Run once, on SQLite only, unless a test asks for the database (tests/conftest.py, runs_once).
pytestmark = pytest.mark.engine_independent

ROOT = Path(__file__).resolve().parents[2] / "sonar"
BUDGET_BYTES = 50 * 1024

ASSETS = sorted(p for p in ROOT.glob("*/static/**/*") if p.suffix in {".css", ".js"})
TEMPLATES = sorted(ROOT.glob("**/templates/**/*.html"))

INLINE_STYLE = re.compile(r"<[^>]*\sstyle\s*=", re.IGNORECASE)
STYLE_BLOCK = re.compile(r"<style\b", re.IGNORECASE)
INLINE_SCRIPT = re.compile(r"<script\b[^>]*>(?P<body>.*?)</script>", re.IGNORECASE | re.DOTALL)
EVENT_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=\s*[\"']", re.IGNORECASE)


def relative(path):
    return str(path.relative_to(ROOT.parent))


def test_css_and_js_together_stay_under_50_kb_compressed():
    sizes = {relative(p): len(gzip.compress(p.read_bytes(), compresslevel=9)) for p in ASSETS}
    assert sum(sizes.values()) < BUDGET_BYTES, sizes


@pytest.mark.parametrize("template", TEMPLATES, ids=relative)
def test_template_has_no_inline_style_or_script_that_the_csp_would_block(template):
    html = template.read_text(encoding="utf-8")
    assert not INLINE_STYLE.search(html), 'style="…" attribute: put the rule in a CSS file'
    assert not STYLE_BLOCK.search(html), "<style> block: put the rules in a CSS file"
    assert not EVENT_HANDLER.search(html), "inline event handler: use a script file"
    inline = [m["body"] for m in INLINE_SCRIPT.finditer(html) if m["body"].strip()]
    assert not inline, "inline <script>: move the code to a file under static/"
