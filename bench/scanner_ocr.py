"""Which OCR engine reads scanned classification markings best: Debian's tesseract (chi_sim)
against rapidocr-onnxruntime (PP-OCR models in its wheel).

Each case is an A4 page rendered with Pillow in a CJK font at scan resolution (150 or 200 dpi):
the marking at the GB/T 9704 place (top left), a title and body text below; then what a scanner
does to paper: a slight rotation, grey background, salt-and-pepper noise, blur, JPEG. A case is
read when lib/markings.find_markings finds that marking, at its level, in the engine's text —
exactly what the scanner will do with it. Time is wall time per page, one process, model loaded.

    PYTHONPATH=src python bench/scanner_ocr.py [--pages 24]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import random
import shutil
import subprocess
import time

from PIL import Image, ImageDraw, ImageFilter, ImageFont

from baomi.lib.markings import find_markings

FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
MARKINGS = [
    ("绝密★启用前", "top_secret"),
    ("机密★5年", "secret"),
    ("秘密★10年", "confidential"),
    ("机密★长期", "secret"),
    ("绝密★20年", "top_secret"),
    ("秘密★6个月", "confidential"),
]
BODY = "关于加强涉密载体管理工作的通知各单位：为进一步做好保密工作，现将有关事项通知如下。"


def page(marking: str, dpi: int, rng: random.Random, noisy: bool) -> bytes:
    width, height = int(8.27 * dpi), int(11.69 * dpi)
    image = Image.new("L", (width, height), 235 if noisy else 255)
    draw = ImageDraw.Draw(image)
    size = int(16 / 72 * dpi)  # 三号 (16 pt), as GB/T 9704 sets the marking
    font, body = ImageFont.truetype(FONT, size), ImageFont.truetype(FONT, int(size * 0.8))
    margin = int(dpi * 1.1)
    draw.text((margin, margin), marking, font=font, fill=20)
    draw.text((margin + size * 3, margin + size * 3), "关于加强保密管理的通知", font=font, fill=20)
    line = margin + size * 6
    for start in range(0, len(BODY), 26):
        draw.text((margin, line), BODY[start : start + 26], font=body, fill=30)
        line += int(size * 1.6)
    if noisy:
        image = image.rotate(rng.uniform(-2.0, 2.0), fillcolor=235, resample=Image.BICUBIC)
        pixels = image.load()
        for _ in range(width * height // 150):
            pixels[rng.randrange(width), rng.randrange(height)] = rng.choice((0, 255))
        image = image.filter(ImageFilter.GaussianBlur(0.6))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=60 if noisy else 90)
    return out.getvalue()


def tesseract(data: bytes) -> str:
    done = subprocess.run(
        ["tesseract", "stdin", "stdout", "-l", "chi_sim", "--psm", "3"],
        input=data,
        capture_output=True,
        timeout=120,
        check=True,
    )
    return done.stdout.decode("utf-8", "replace")


def rapid():
    from rapidocr_onnxruntime import RapidOCR

    engine = RapidOCR()

    def read(data: bytes) -> str:
        boxes, _ = engine(data)
        return "\n".join(text for _, text, _ in boxes or [])

    return read


def found(text: str, level: str) -> bool:
    return any(parsed.level == level for _, _, parsed in find_markings(text))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=24)
    args = parser.parse_args()
    rng = random.Random(9)
    cases = []
    for n in range(args.pages):
        marking, level = MARKINGS[n % len(MARKINGS)]
        dpi, noisy = (150, 200)[n // len(MARKINGS) % 2], n // (2 * len(MARKINGS)) % 2 == 0
        cases.append((marking, level, dpi, noisy, page(marking, dpi, rng, noisy)))
    engines = {}
    if shutil.which("tesseract"):
        engines["tesseract chi_sim"] = tesseract
    with contextlib.suppress(ImportError):
        engines["rapidocr-onnxruntime"] = rapid()
    print(f"{len(cases)} pages (150/200 dpi, half rotated ±2° with noise, blur and JPEG q60)")
    for name, read in engines.items():
        read(cases[0][4])  # warm-up: model load and first-run compilation are not per page
        hits, misses, start = 0, [], time.perf_counter()
        for marking, level, dpi, noisy, data in cases:
            text = read(data)
            if found(text, level):
                hits += 1
            else:
                first = next((ln for ln in text.splitlines() if ln.strip()), "")
                misses.append(f"{marking}@{dpi}{'n' if noisy else ''}→{first[:16]!r}")
        per_page = (time.perf_counter() - start) / len(cases)
        print(f"{name}: {hits}/{len(cases)} markings read, {per_page:.2f} s/page")
        for miss in misses[:8]:
            print(f"    missed {miss}")


if __name__ == "__main__":
    main()
