"""Static files the replica's pages reference, so a browser's page load is realistic.

The listing pages link one stylesheet and one `nomodule` script (the tag §4.3 says follows
`__NEXT_DATA__`), and every card shows a company logo. Real pages load logos from
`www.lgstatic.com/thumbnail_120x120/…`; the replica serves them itself under the same path
(one small valid PNG for all) so a browser never leaves 127.0.0.1.
"""

from __future__ import annotations

import struct
import zlib

CSS_PATH = "/_next/static/css/app.css"
NOMODULE_JS_PATH = "/_next/static/chunks/polyfills.js"
LOGO_PREFIX = "/thumbnail_120x120/"
LOGO_SIDE = 8  # pixels; the page scales it like a 60 × 60 logo
LOGO_RGB = (0, 182, 128)  # Lagou green

PNG_TYPE = "image/png"
CSS_TYPE = "text/css; charset=utf-8"
JS_TYPE = "application/javascript; charset=utf-8"

STYLESHEET = """\
body { font-family: sans-serif; margin: 0; }
#jobList { width: 800px; margin: 16px auto; }
.item__10RTO { border-bottom: 1px solid #eee; padding: 12px 0; }
.item-top__1Z3Zo { display: flex; justify-content: space-between; }
.p-top__1F7CL a { color: #00b680; font-size: 16px; }
.p-top__1F7CL span { color: #999; margin-left: 8px; font-size: 12px; }
.money__3Lkgq { color: #fd5f39; margin-right: 8px; }
.com-logo__1QOwC img { width: 60px; height: 60px; }
.ir___QwEG span { background: #f6f6f6; margin-right: 6px; padding: 2px 6px; }
.lg-pagination { list-style: none; display: flex; gap: 6px; padding: 0; }
.lg-pagination-item-active a { color: #fff; background: #00b680; }
.lg-pagination-disabled a { color: #ccc; cursor: not-allowed; }
"""

NOMODULE_SCRIPT = "/* replica: legacy-browser polyfills (nomodule; modern browsers skip it) */\n"


def _png(side: int, rgb: tuple[int, int, int]) -> bytes:
    """A valid `side` × `side` single-colour RGB PNG."""

    def chunk(kind: bytes, payload: bytes) -> bytes:
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))

    header = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)  # 8-bit RGB, no interlace
    rows = b"".join(b"\x00" + bytes(rgb) * side for _ in range(side))  # filter byte 0 per row
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


LOGO_PNG = _png(LOGO_SIDE, LOGO_RGB)


def static_asset(path: str) -> tuple[bytes, str] | None:
    """(body, content type) of the static file at URL path `path`; None when there is none."""
    if path == CSS_PATH:
        return STYLESHEET.encode(), CSS_TYPE
    if path == NOMODULE_JS_PATH:
        return NOMODULE_SCRIPT.encode(), JS_TYPE
    if path.startswith(LOGO_PREFIX) and path.endswith(".png"):
        return LOGO_PNG, PNG_TYPE
    return None
