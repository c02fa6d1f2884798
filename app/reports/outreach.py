"""The material of the start of the school year (protocol 5a, 5b): a poster (A4 or A3), a
flyer (A5, two sides) and the text for the school website (plain text and HTML), all made
from the VP's answers (`Contact`) and the school's name. No pupil data goes in.

What they say, in plain Dutch for pupils of 12 to 18: what the VP is for (protocol 3a, 4a,
4b); that the VP listens and is careful with what they hear, but does not always keep it to
themself (the limits of protocol 2d, 3b, 5d, 5e and 6a: danger to the pupil or someone else,
abuse, a relationship between a staff member and a pupil; sometimes the parents must be told)
and tells the pupil first; how to reach the VP, with the promise of protocol 5b (an answer by
the next working day; urgent: through the mentor or head of department); and the free
national helplines with their hours (`HELPLINES`). A QR code on the paper leads to the school's
web page for the VP when one is given.

The photo is given as image bytes; `prepare_photo` checks and shrinks it (JPEG, at most
`PHOTO_MAX_PX` on a side) before it is kept in the encrypted store or drawn.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlsplit

from app.domain.errors import ValidationError
from app.i18n import _

PHOTO_MAX_PX = 800
PHOTO_MAX_BYTES = 30 * 1024 * 1024
MAX_FIELD = 120
PAGE_SIZES = ("A4", "A3")

#: (name, number, open day and night). The Kindertelefoon is open every day from 11 to 21
#: (kindertelefoon.nl); 113 Zelfmoordpreventie, Veilig Thuis and Centrum Seksueel Geweld
#: answer day and night. All four are free.
HELPLINES: tuple[tuple[str, str, bool], ...] = (
    ("De Kindertelefoon", "0800-0432", False),
    ("113 Zelfmoordpreventie", "0800-0113", True),
    ("Veilig Thuis", "0800-2000", True),
    ("Centrum Seksueel Geweld", "0800-0188", True),
)

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^[0-9+\-() .]+$")


@dataclass(frozen=True)
class Contact:
    """How pupils know and reach the VP (the wizard's answers)."""

    name: str
    email: str = ""
    phone: str = ""
    room: str = ""
    hours: str = ""
    url: str = ""
    photo: bytes | None = None


# ------------------------------------------------------------------------ checking
def normalise_url(text: str) -> str:
    """`www.school.nl/vp` → `https://www.school.nl/vp`; '' stays ''. ValidationError when it is
    not a web address."""
    value = text.strip()
    if not value:
        return ""
    if not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", value):
        value = "https://" + value
    parts = urlsplit(value)
    host = parts.hostname or ""
    if (
        parts.scheme.lower() not in ("http", "https")
        or "." not in host
        or any(c.isspace() for c in value)
        or len(value) > 300
    ):
        raise ValidationError(
            _("The web address is not complete; write it as on the school website, "
              "for example https://www.school.nl/vertrouwenspersoon."),
            "url",
        )
    return value


def check_contact(contact: Contact) -> Contact:
    """The answers tidied and checked: a name, at least one way to reach the VP, a real
    e-mail address, phone number and web address when given."""
    name = " ".join(contact.name.split())
    if not name:
        raise ValidationError(_("Fill in the name pupils know you by."), "name")
    values = {
        "email": contact.email.strip(),
        "phone": " ".join(contact.phone.split()),
        "room": " ".join(contact.room.split()),
        "hours": " ".join(contact.hours.split()),
    }
    for field, value in {"name": name, **values}.items():
        if len(value) > MAX_FIELD:
            raise ValidationError(
                _("This is too long for a poster; keep it under {max} characters.").format(
                    max=MAX_FIELD), field)
    if values["email"] and not _EMAIL.match(values["email"]):
        raise ValidationError(
            _("The e-mail address is not complete, for example naam@school.nl."), "email")
    phone = values["phone"]
    if phone and (not _PHONE.match(phone) or sum(c.isdigit() for c in phone) < 6):
        raise ValidationError(
            _("Write the phone number in digits, for example 06-12345678."), "phone")
    url = normalise_url(contact.url)
    if not (values["email"] or phone or values["room"] or url):
        raise ValidationError(
            _("Fill in at least one way pupils can reach you: e-mail, phone, room or web page."),
            "email",
        )
    return replace(contact, name=name, url=url, email=values["email"], phone=phone,
                   room=values["room"], hours=values["hours"])


def prepare_photo(data: bytes) -> bytes:
    """The photo as a JPEG of at most `PHOTO_MAX_PX` on a side, turned upright, without its
    metadata (no location or camera data). ValidationError when it is not a picture."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    if len(data) > PHOTO_MAX_BYTES:
        raise ValidationError(_("The photo is too large; choose a smaller picture."), "photo")
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            upright = ImageOps.exif_transpose(image)
            picture = upright.convert("RGB")
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise ValidationError(
            _("This file is not a photo that Vertrouwd can read; choose a JPEG or PNG."),
            "photo",
        ) from None
    picture.thumbnail((PHOTO_MAX_PX, PHOTO_MAX_PX))
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=85)
    return out.getvalue()


# ------------------------------------------------------------------------ the words
def headline() -> str:
    return _("Something on your mind?")


def intro(contact: Contact, school: str) -> str:
    if school:
        return _("I am {name}, the confidential adviser for the pupils of {school}.").format(
            name=contact.name, school=school)
    return _("I am {name}, the confidential adviser for pupils.").format(name=contact.name)


def purpose() -> tuple[str, str]:
    return (
        _("What can you come to me for?"),
        _("Are you being bullied, threatened or discriminated against? Did someone touch you "
          "or say things to you in a way you did not want? Is something happening at home "
          "that worries you? Or is something else bothering you? Come and talk to me. I "
          "listen, and together we look for what can help you. If you need other help, I "
          "help you find it."),
    )


def confidentiality() -> tuple[str, str]:
    return (
        _("Does it stay between us?"),
        _("I am careful with what you tell me. I only talk about it with your mentor, your "
          "parents or anyone else if you agree. But not always:"),
    )


def limits_sentence() -> str:
    """The limits of protocol 6a in pupil language (checked in the PDFs by the tests)."""
    return _("If you or someone else is in danger, I have to call in help. I will always "
             "tell you first.")


def limits_examples() -> str:
    return _("For example when you hurt yourself or think about ending your life, when "
             "someone abuses you or touches you sexually, or when someone from school has a "
             "relationship with a pupil. Sometimes I then also have to tell your parents.")


def reach_heading() -> str:
    return _("How to reach me")


def reach_lines(contact: Contact) -> list[tuple[str, str]]:
    """(label, value) for each way to reach the VP that was given."""
    lines = []
    if contact.email:
        lines.append((_("E-mail"), contact.email))
    if contact.phone:
        lines.append((_("Phone or app"), contact.phone))
    if contact.room:
        where = contact.room if not contact.hours else _("{room}, {hours}").format(
            room=contact.room, hours=contact.hours)
        lines.append((_("Where"), where))
    elif contact.hours:
        lines.append((_("When"), contact.hours))
    if contact.url:
        lines.append((_("Web page"), contact.url))
    return lines


def respond_promise() -> str:
    """Protocol 5b."""
    return _("I answer by the next working day at the latest. Is it urgent? Ask your mentor, "
             "coach or head of department to get me to contact you as soon as possible.")


def helpline_heading() -> str:
    return _("Rather talk to someone outside school? Free help:")


def helpline_hours(day_and_night: bool) -> str:
    return _("day and night") if day_and_night else _("every day 11:00–21:00")


def qr_caption() -> str:
    return _("Scan for my web page")


# ------------------------------------------------------------------------ website text
def website_text(contact: Contact, school: str) -> str:
    """The website text as plain text (to paste into a site editor)."""
    title, body = purpose()
    secret, secret_body = confidentiality()
    parts = [
        _("Confidential adviser for pupils"),
        "",
        intro(contact, school),
        "",
        title,
        body,
        "",
        secret,
        f"{secret_body} {limits_sentence()} {limits_examples()}",
        "",
        reach_heading(),
        *[f"- {name}: {value}" for name, value in reach_lines(contact)],
        respond_promise(),
        "",
        helpline_heading(),
        *[f"- {name}: {number} ({helpline_hours(always)})" for name, number, always in HELPLINES],
    ]
    return "\n".join(parts) + "\n"


def _link(label: str, value: str, contact: Contact) -> str:
    shown = html.escape(value)
    if value == contact.email:
        return f'<a href="mailto:{html.escape(value, quote=True)}">{shown}</a>'
    if value == contact.url:
        return f'<a href="{html.escape(value, quote=True)}">{shown}</a>'
    if value == contact.phone:
        digits = re.sub(r"[^0-9+]", "", value)
        return f'<a href="tel:{digits}">{shown}</a>'
    return shown


def website_html(contact: Contact, school: str) -> str:
    """The same text as HTML (every answer escaped)."""
    e = html.escape
    title, body = purpose()
    secret, secret_body = confidentiality()
    reach = "".join(
        f"  <li>{e(name)}: {_link(name, value, contact)}</li>\n"
        for name, value in reach_lines(contact)
    )
    helplines = "".join(
        f"  <li>{e(name)}: <a href=\"tel:{number.replace('-', '')}\">{number}</a> "
        f"({e(helpline_hours(always))})</li>\n"
        for name, number, always in HELPLINES
    )
    return (
        f"<h2>{e(_('Confidential adviser for pupils'))}</h2>\n"
        f"<p>{e(intro(contact, school))}</p>\n"
        f"<h3>{e(title)}</h3>\n<p>{e(body)}</p>\n"
        f"<h3>{e(secret)}</h3>\n<p>{e(secret_body)} <strong>{e(limits_sentence())}</strong> "
        f"{e(limits_examples())}</p>\n"
        f"<h3>{e(reach_heading())}</h3>\n<ul>\n{reach}</ul>\n"
        f"<p>{e(respond_promise())}</p>\n"
        f"<h3>{e(helpline_heading())}</h3>\n<ul>\n{helplines}</ul>\n"
    )


# ------------------------------------------------------------------------ the PDFs
_INK = "#1f3b57"
_ACCENT = "#0b7a75"
_SOFT = "#e6f2f1"
_WARM = "#fff4d6"
_FRAME_PAD = 6  # reportlab's Frame pads every side by 6 points


class _Look:
    """Paragraph styles at a scale (1 = A4)."""

    def __init__(self, scale: float) -> None:
        from reportlab.lib import colors
        from reportlab.lib.styles import ParagraphStyle

        from app.services.access_export import _fonts as fonts

        regular, bold = fonts()
        self.scale = scale
        self.regular, self.bold = regular, bold

        def style(name: str, size: float, font: str = regular, color: str = _INK,
                  after: float = 0.35, **extra: Any) -> ParagraphStyle:
            return ParagraphStyle(
                name, fontName=font, fontSize=size * scale, leading=size * scale * 1.25,
                textColor=colors.HexColor(color), spaceAfter=size * scale * after, **extra)

        self.headline = style("headline", 36, bold, _ACCENT, 0.2)
        self.intro = style("intro", 17, bold)
        self.h = style("h", 17, bold, _ACCENT, 0.25, spaceBefore=9 * scale)
        self.body = style("body", 13.5)
        self.limits = style("limits", 14.5, bold)
        self.line = style("line", 14)
        self.small = style("small", 11)
        self.help_name = style("helpname", 12.5, bold)
        self.help_number = style("helpnumber", 17, bold, _ACCENT, 0.05)


def _qr(url: str, size: float) -> Any:
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing

    widget = QrCodeWidget(url, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    return drawing


def _photo(photo: bytes, width: float) -> Any:
    from reportlab.platypus import Image

    picture = Image(io.BytesIO(photo))
    ratio = picture.imageHeight / max(1, picture.imageWidth)
    picture.drawWidth, picture.drawHeight = width, width * ratio
    if picture.drawHeight > width * 1.3:  # a tall photo: limit its height
        picture.drawHeight = width * 1.3
        picture.drawWidth = picture.drawHeight / ratio
    return picture


def _box(content: Sequence[Any], width: float, background: str, look: _Look) -> Any:
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    pad = 10 * look.scale
    table = Table([[list(content)]], colWidths=[width], hAlign="LEFT")
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor(background)),
        ("LEFTPADDING", (0, 0), (-1, -1), pad),
        ("RIGHTPADDING", (0, 0), (-1, -1), pad),
        ("TOPPADDING", (0, 0), (-1, -1), pad * 0.8),
        ("BOTTOMPADDING", (0, 0), (-1, -1), pad * 0.6),
    ]))
    return table


def _p(text: str, style: Any) -> Any:
    from reportlab.platypus import Paragraph

    return Paragraph(html.escape(text), style)


def _top(contact: Contact, school: str, width: float, look: _Look) -> list[Any]:
    from reportlab.platypus import Table, TableStyle

    words = [_p(headline(), look.headline), _p(intro(contact, school), look.intro)]
    if not contact.photo:
        return words
    photo_width = width * 0.26
    table = Table([[_photo(contact.photo, photo_width), words]],
                  colWidths=[photo_width + 12 * look.scale, width - photo_width - 12 * look.scale],
                  hAlign="LEFT")
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (0, 0), 12 * look.scale),
    ]))
    return [table]


def _about(look: _Look, width: float) -> list[Any]:
    title, body = purpose()
    secret, secret_body = confidentiality()
    return [
        _p(title, look.h),
        _p(body, look.body),
        _p(secret, look.h),
        _p(secret_body, look.body),
        _box([_p(limits_sentence(), look.limits), _p(limits_examples(), look.small)],
             width, _WARM, look),
    ]


def _reach(contact: Contact, look: _Look, width: float) -> list[Any]:
    from reportlab.platypus import Table, TableStyle

    lines = [_p(reach_heading(), look.h)]
    lines += [_p(f"{name}: {value}", look.line) for name, value in reach_lines(contact)]
    lines.append(_p(respond_promise(), look.small))
    if not contact.url:
        return lines
    code = width * 0.24
    caption = _p(qr_caption(), look.small)
    table = Table([[lines, [_qr(contact.url, code), caption]]],
                  colWidths=[width - code - 14 * look.scale, code + 14 * look.scale],
                  hAlign="LEFT")
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("LEFTPADDING", (1, 0), (1, 0), 14 * look.scale),
        ("TOPPADDING", (1, 0), (1, 0), 12 * look.scale),
    ]))
    return [table]


def _helplines(look: _Look, width: float) -> list[Any]:
    from reportlab.platypus import Table, TableStyle

    cells = [
        [_p(name, look.help_name), _p(number, look.help_number),
         _p(helpline_hours(always), look.small)]
        for name, number, always in HELPLINES
    ]
    half = (width - 20 * look.scale) / 2
    grid = Table([[cells[0], cells[1]], [cells[2], cells[3]]], colWidths=[half, half],
                 hAlign="LEFT")
    grid.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4 * look.scale),
    ]))
    return [_box([_p(helpline_heading(), look.h), grid], width, _SOFT, look)]


def _width(size: tuple[float, float], margin: float) -> float:
    """The width the flowables get: the page less its margins and the frame's padding."""
    return size[0] - 2 * margin - 2 * _FRAME_PAD


def _height(flow: Sequence[Any], width: float, height: float) -> float:
    """The height `flow` takes in a frame of `width` (spaces between flowables included)."""
    total = 0.0
    for flowable in flow:
        _w, h = flowable.wrap(width, height)
        total += h + flowable.getSpaceBefore() + flowable.getSpaceAfter()
    return total


#: Text sizes tried, largest first, until a page's content fits its frame.
_FITS = tuple(1 - step / 20 for step in range(9))


def _document(pages: Sequence[Callable[[_Look], list[Any]]], scale: float,
              size: tuple[float, float], margin: float, title: str) -> bytes:
    """Each page built by its function at the largest text size that fits (long answers get
    smaller text, never a second page); a last resort shrinks the page as a whole."""
    from reportlab.platypus import KeepInFrame, PageBreak, SimpleDocTemplate

    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out, pagesize=size, leftMargin=margin, rightMargin=margin, topMargin=margin,
        bottomMargin=margin, title=title, author="Vertrouwd", subject=title,
    )
    width = _width(size, margin)
    height = doc.height - 2 * _FRAME_PAD - 1
    story: list[Any] = []
    for index, build in enumerate(pages):
        if index:
            story.append(PageBreak())
        for fit in _FITS:
            flow = build(_Look(scale * fit))
            if _height(flow, width, height) <= height * 0.98:
                break
        flow = build(_Look(scale * fit))  # wrap() above laid these out; fresh ones to draw
        story.append(KeepInFrame(width, height, flow, mode="shrink", hAlign="LEFT"))
    doc.build(story)
    return out.getvalue()


def poster_pdf(contact: Contact, school: str, size: str = "A4") -> bytes:
    """The poster on one A4 or A3 page."""
    from reportlab.lib.pagesizes import A3, A4
    from reportlab.lib.units import mm

    if size not in PAGE_SIZES:
        raise ValueError(size)
    contact = check_contact(contact)
    scale = 1.0 if size == "A4" else 2 ** 0.5
    margin = 15 * mm * scale
    page = A4 if size == "A4" else A3
    width = _width(page, margin)

    def poster(look: _Look) -> list[Any]:
        return [*_top(contact, school, width, look), *_about(look, width),
                *_reach(contact, look, width), *_helplines(look, width)]

    return _document([poster], scale, page, margin, poster_title())


def flyer_pdf(contact: Contact, school: str) -> bytes:
    """The flyer on the two sides of an A5 sheet: who and what on the front, how to reach
    the VP and the helplines on the back."""
    from reportlab.lib.pagesizes import A5
    from reportlab.lib.units import mm

    contact = check_contact(contact)
    margin = 11 * mm
    width = _width(A5, margin)

    def front(look: _Look) -> list[Any]:
        return [*_top(contact, school, width, look), *_about(look, width)]

    def back(look: _Look) -> list[Any]:
        return [*_reach(contact, look, width), *_helplines(look, width)]

    return _document([front, back], 0.95, A5, margin, flyer_title())


def poster_title() -> str:
    return _("Poster confidential adviser for pupils")


def flyer_title() -> str:
    return _("Flyer confidential adviser for pupils")


def website_pdf(contact: Contact, school: str) -> bytes:
    """The website text on A4, to print or to hand to whoever edits the school website."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    contact = check_contact(contact)
    look = _Look(0.8)
    story: list[Any] = [_p(_("Text for the school website"), look.h)]
    for line in website_text(contact, school).splitlines():
        story.append(_p(line, look.body) if line else _p(" ", look.small))
    out = io.BytesIO()
    margin = 20 * mm
    SimpleDocTemplate(out, pagesize=A4, leftMargin=margin, rightMargin=margin,
                      topMargin=margin, bottomMargin=margin, title=website_title(),
                      author="Vertrouwd").build(story)
    return out.getvalue()


def website_title() -> str:
    return _("Website text confidential adviser for pupils")


def visit_plan_pdf(
    school: str, school_year: str, visits: Sequence[tuple[str, int | None, str, str]]
) -> bytes:
    """The class-visit plan on A4: (class, pupils, planned day, done day or '') per row."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate, Table, TableStyle

    look = _Look(0.8)
    title = visit_plan_title(school_year)
    rows: list[list[Any]] = [[
        _p(_("Class"), look.help_name), _p(_("Pupils"), look.help_name),
        _p(_("Planned"), look.help_name), _p(_("Done"), look.help_name)]]
    rows += [[_p(name, look.body), _p("" if pupils is None else str(pupils), look.body),
              _p(planned, look.body), _p(done, look.body)]
             for name, pupils, planned, done in visits]
    margin = 20 * mm
    width = A4[0] - 2 * margin - 2 * _FRAME_PAD
    table = Table(rows, colWidths=[width * 0.4, width * 0.16, width * 0.22, width * 0.22],
                  repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.HexColor("#c9d3df")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(_SOFT)),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    head = [_p(title, look.h)]
    if school:
        head.append(_p(school, look.body))
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, leftMargin=margin, rightMargin=margin,
                      topMargin=margin, bottomMargin=margin, title=title,
                      author="Vertrouwd").build([*head, table])
    return out.getvalue()


def visit_plan_title(school_year: str) -> str:
    return _("Class visits {year}").format(year=school_year)
