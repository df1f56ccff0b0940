"""Where each signature goes: the letter's layout leaves an empty box for it in the signature block (base.html:
`<div id="netra-sig-ttd">`, and `netra-sig-paraf` beside it when the letter takes a paraf), and WeasyPrint writes
each element id as a named destination — its page and its top-left corner. The size is the one letter.css gives
the boxes (tests/test_signing.py holds the two to each other)."""
from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO

from casework.errors import CaseworkError

CM = 72 / 2.54  # PDF points per centimetre
# width, height of each box, as letter.css sets them (.sig-ttd, .sig-paraf)
SIZES = {"ttd": (5.0 * CM, 2.0 * CM), "paraf": (1.8 * CM, 2.0 * CM)}
FIELDS = {"ttd": "TTD", "paraf": "Paraf"}
ANCHOR = "netra-sig-{role}"


@dataclass(frozen=True)
class Box:
    field: str  # the signature field's name
    page: int  # 0-based
    rect: tuple[float, float, float, float]  # x1, y1, x2, y2 in PDF points, origin bottom-left
    page_height: float

    def from_top_left(self) -> tuple[float, float, float, float]:
        """x, y from the page's top-left corner, width, height (how BSrE's API places a signature)."""
        x1, y1, x2, y2 = self.rect
        return x1, self.page_height - y2, x2 - x1, y2 - y1


def signature_boxes(pdf: bytes) -> dict[str, Box]:
    """role -> Box for every signature box the rendered letter holds."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(BytesIO(pdf))
    names = reader.root.get("/Names")
    dests = names.get("/Dests") if names is not None else None
    flat = list(dests.get("/Names", ())) if dests is not None else []
    kids = [kid.get_object() for kid in reader.root["/Pages"]["/Kids"]]  # WeasyPrint: one flat list of pages
    found: dict[str, Box] = {}
    for role, (width, height) in SIZES.items():
        anchor = ANCHOR.format(role=role)
        for name, target in zip(flat[::2], flat[1::2]):
            if str(name) != anchor:
                continue
            target = target.get_object() if hasattr(target, "get_object") else target
            page_object, x, top = target[0].get_object(), float(target[2]), float(target[3])
            page = next(i for i, kid in enumerate(kids) if kid is page_object or kid == page_object)
            page_height = float(kids[page]["/MediaBox"][3])
            found[role] = Box(FIELDS[role], page, (x, top - height, x + width, top), page_height)
    return found


def box_for(boxes: dict[str, Box], role: str) -> Box:
    if role not in boxes:
        raise CaseworkError("signing.no_box", role=role)
    return boxes[role]
