"""What a PDF drew its text with: the fonts each page uses, read with pypdf."""

import io

from pypdf import PdfReader

EMOJI_FONT = "Noto-Color-Emoji"


def fonts_used(content):
    """The base names of the fonts of every page (subset prefixes removed)."""
    names = set()
    for page in PdfReader(io.BytesIO(content)).pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for ref in fonts.values():
            name = str(ref.get_object().get("/BaseFont", ""))
            names.add(name.lstrip("/").split("+", 1)[-1])
    return names


def emoji_images(content):
    """How many colour glyphs of the emoji font the pages draw (WeasyPrint places each as an
    image named after the font's subset)."""
    count = 0
    for page in PdfReader(io.BytesIO(content)).pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        prefixes = {
            str(ref.get_object().get("/BaseFont", "")).lstrip("/").split("+", 1)[0]
            for ref in fonts.values()
            if EMOJI_FONT in str(ref.get_object().get("/BaseFont", ""))
        }
        images = page.get("/Resources", {}).get("/XObject", {})
        count += sum(1 for name in images if any(p and p in str(name) for p in prefixes))
    return count
