"""The public report form filled as a visitor would, captcha answered."""

import re
import struct
import zlib

from jiandu.portal.models import CaptchaChallenge


def captcha_from(html: str) -> tuple[str, str]:
    """The challenge id in the page, and its answer read from the server-side table."""
    challenge_id = re.search(r'name="captcha_id" value="([^"]+)"', html).group(1)
    return challenge_id, CaptchaChallenge.objects.get(pk=challenge_id).answer


def report_form_data(client, **fields):
    page = client.get("/public/report/")
    assert page.status_code == 200
    challenge_id, answer = captcha_from(page.content.decode())
    data = {
        "category": "inspection",
        "description": "检查人员一个月来了三次，每次查同样的内容。",
        "identity": "anonymous",
        "captcha_id": challenge_id,
        "captcha_answer": answer,
    }
    data.update(fields)
    return data


def solid_png(size: tuple[int, int], mode: str = "RGB", colour=(10, 120, 200)) -> bytes:
    """A valid PNG of one colour, pixel for pixel what `Image.new(mode, size, colour)`
    saves, written without Pillow's encoder: that deflates every row of a 48-megapixel
    picture one by one (most of a second). Here one stretch of rows is deflated once and
    repeated (each copy starts fresh, so a decoder reads every copy alike). Modes: "RGB"
    with an (r, g, b) colour, "1" with 0 or 1."""
    width, height = size
    if mode == "RGB":
        depth, colour_type, row = 8, 2, bytes(colour) * width
    elif mode == "1":
        depth, colour_type, row = 1, 0, (b"\xff" if colour else b"\x00") * -(-width // 8)
    else:
        raise ValueError(mode)
    line = b"\x00" + row  # filter type 0: the row as it is
    per_block = max(1, (1 << 20) // len(line))

    def deflated(rows: int) -> bytes:
        compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
        return compressor.compress(line * rows) + compressor.flush(zlib.Z_FULL_FLUSH)

    full, rest = divmod(height, per_block)
    block, checksum = deflated(per_block), 1
    for _ in range(full):
        checksum = zlib.adler32(line * per_block, checksum)
    checksum = zlib.adler32(line * rest, checksum)
    body = (
        b"\x78\xda"  # zlib header: deflate, 32 KiB window, best compression
        + block * full
        + (deflated(rest) if rest else b"")
        + zlib.compressobj(9, zlib.DEFLATED, -15).flush()  # the empty final block
        + struct.pack(">I", checksum)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, depth, colour_type, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")
    )
