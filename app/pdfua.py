"""PDF/UA-1 finishing of the PDFs Chromium prints (ISO 14289-1, the machine-checkable part).

Chromium tags a PDF from the page's accessibility tree, but leaves what that tree hides out of
the structure and out of any marked content (the `aria-hidden` station digit, backgrounds,
borders), maps every `<figure>` to a /Figure without alternative text (a quotation, the QR
code's wrapper), puts no /LBody in list items, gives link annotations no description and
writes no XMP. `finish` repairs all of that with pikepdf, so every PDF the guide makes (the
handouts, the booklet, the werkbladen, the paper scan, a session's result) passes `pdfua`:

- page content outside any marked content becomes an /Artifact: it is decoration, because
  everything a reader needs is in the accessibility tree and so tagged by Chromium;
- a /Figure without /Alt that only groups other elements (quotation and attribution; QR code
  and its address) becomes a /Div: the quotation stays a /BlockQuote, the code a /Figure with
  its /Alt;
- every /LI gets an /LBody around what follows its /Lbl;
- every link annotation gets /Contents: the accessible name of its link in the page;
- the catalog says /Lang, /MarkInfo and DisplayDocTitle; the XMP says dc:title, dc:language
  and pdfuaid:part 1.
"""

from __future__ import annotations

import io
from collections import defaultdict, deque
from collections.abc import Iterator, Sequence
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name, Operator

# A link in the printed page, in document order: where it leads (an absolute address, or "#id"
# for a place in the same document) and its accessible name.
Link = tuple[str, str]

# Read by PdfPrinter from the page Chromium is about to print (print media, so what print
# hides has no boxes): the document's title and language, and its links.
PAGE_FACTS_SCRIPT = """() => {
  const here = location.href.split('#')[0];
  const name = (a) => {
    const ids = (a.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean);
    const named = ids.map((id) => document.getElementById(id)?.textContent || '').join(' ');
    const images = [...a.querySelectorAll('img[alt]')].map((img) => img.alt).join(' ');
    const text = named || a.getAttribute('aria-label') || a.textContent || images || a.title || '';
    return text.replace(/[\\s\\u00ad]+/g, ' ').replace(/\\u00ad/g, '').trim();
  };
  const href = (a) => a.getAttribute('href') ?? a.getAttributeNS('http://www.w3.org/1999/xlink', 'href');
  const target = (a) => {  // an SVG link's href is no string: resolve the attribute
    const url = new URL(href(a), document.baseURI).href;
    const [page, fragment] = url.split('#');
    return page === here && fragment ? '#' + decodeURIComponent(fragment) : url;
  };
  const links = [...document.querySelectorAll('a')]
    .filter((a) => href(a) !== null && a.getClientRects().length > 0)
    .map((a) => [target(a), name(a)]);
  return {title: document.title, lang: document.documentElement.lang || 'nl', links};
}"""

PATH_START = {"m", "re"}
PATH_PAINT = {"S", "s", "f", "F", "f*", "B", "B*", "b", "b*"}
PATH_END = PATH_PAINT | {"n"}  # "n" ends a path that only clips: it paints nothing
SHOW_TEXT = {"Tj", "TJ", "'", '"'}
PAINT = {"Do", "sh", "INLINE IMAGE"}
BEGIN = {"BDC", "BMC"}
ARTIFACT_BEGIN = ([Name.Artifact], Operator("BMC"))
ARTIFACT_END: tuple[list[Any], Operator] = ([], Operator("EMC"))


def finish(body: bytes, *, title: str, lang: str, links: Sequence[Link]) -> bytes:
    """The PDF `body` as Chromium printed it, finished for PDF/UA-1."""
    with pikepdf.open(io.BytesIO(body)) as pdf:
        for page in pdf.pages:
            _mark_artifacts(pdf, page)
        tree: Any = pdf.Root.get("/StructTreeRoot")
        if tree is not None:
            parents = pikepdf.NumberTree(tree.ParentTree) if "/ParentTree" in tree else None
            for element in list(_elements(tree)):
                _regroup_figure(element)
                _add_list_body(pdf, element, parents)
        _describe_links(pdf, tree, links)
        _declare(pdf, title, lang)
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()


# -- content: what Chromium left unmarked is decoration ---------------------------------------


def _op(instruction: Any) -> str:
    if isinstance(instruction, pikepdf.ContentStreamInlineImage):
        return "INLINE IMAGE"
    return str(instruction.operator)


def _artifact(instructions: list[Any]) -> list[Any]:
    return [ARTIFACT_BEGIN, *instructions, ARTIFACT_END]


def _mark_artifacts(pdf: pikepdf.Pdf, page: pikepdf.Page) -> None:
    """Wrap every painting operation outside marked content in an /Artifact sequence."""
    out: list[Any] = []
    depth = 0  # marked-content nesting
    path: list[Any] = []  # a path built outside marked content: m/re ... S/f/n
    text: list[Any] | None = None  # a text object (BT ... ET) begun outside marked content
    for instruction in pikepdf.parse_content_stream(page):
        op = _op(instruction)
        sink = text if text is not None else out
        if path:
            path.append(instruction)
            if op in PATH_END:
                sink.extend(_artifact(path) if op in PATH_PAINT else path)
                path = []
            continue
        if op in BEGIN:
            depth += 1
        elif op == "EMC":
            depth -= 1
        elif depth == 0 and op == "BT" and text is None:
            text = [instruction]
            continue
        elif depth == 0 and op == "ET" and text is not None:
            out.extend(_text_object([*text, instruction]))
            text = None
            continue
        elif depth == 0 and op in PATH_START:
            path = [instruction]
            continue
        elif depth == 0 and op in PAINT:
            sink.extend(_artifact([instruction]))
            continue
        sink.append(instruction)
    out.extend([*(text or []), *path])
    page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(out))


def _text_object(text: list[Any]) -> list[Any]:
    """A text object begun outside marked content, with what it shows unmarked as artifacts."""
    if not any(_op(i) in BEGIN for i in text):
        return _artifact(text) if any(_op(i) in SHOW_TEXT for i in text) else text
    out: list[Any] = []
    depth = 0
    for instruction in text:
        op = _op(instruction)
        depth += (op in BEGIN) - (op == "EMC")
        out.extend(_artifact([instruction]) if depth == 0 and op in SHOW_TEXT else [instruction])
    return out


# -- structure: grouping figures, list bodies -------------------------------------------------


def _kids(element: Dictionary) -> list[Any]:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, Array) else [kids]


def _is_element(node: Any) -> bool:
    return isinstance(node, Dictionary) and "/S" in node


def _role(element: Dictionary) -> str:
    return str(element.get("/S", ""))


def _elements(node: Dictionary) -> Iterator[Dictionary]:
    """Every structure element under `node`, in reading order."""
    for kid in _kids(node):
        if _is_element(kid):
            yield kid
            yield from _elements(kid)


def _regroup_figure(element: Dictionary) -> None:
    """A /Figure with no text alternative that holds other elements only groups them: a /Div."""
    if _role(element) != "/Figure" or "/Alt" in element or "/ActualText" in element:
        return
    if any(_is_element(kid) for kid in _kids(element)):
        element.S = Name.Div


def _add_list_body(pdf: pikepdf.Pdf, item: Dictionary, parents: pikepdf.NumberTree | None) -> None:
    """Put what follows an /LI's /Lbl into an /LBody, as ISO 32000-1 §14.8.4.3.3 has it."""
    if _role(item) != "/LI":
        return
    kids = _kids(item)
    body = [kid for kid in kids if not (_is_element(kid) and _role(kid) in ("/Lbl", "/LBody"))]
    if not body:
        return
    lbody = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.LBody, P=item, K=Array(body)))
    if "/Pg" in item:
        lbody.Pg = item.Pg
    for kid in body:
        if _is_element(kid):
            kid.P = lbody
        elif parents is not None:
            _repoint(kid, item, lbody, parents)
    item.K = Array([kid for kid in kids if _is_element(kid) and _role(kid) in ("/Lbl", "/LBody")] + [lbody])


def _repoint(content: Any, old: Dictionary, new: Dictionary, parents: pikepdf.NumberTree) -> None:
    """The parent tree entry of a marked-content or object reference moved from `old` to `new`."""
    if isinstance(content, Dictionary) and content.get("/Type") == Name.OBJR:
        key = content.Obj.get("/StructParent")
        if key is not None:
            parents[int(key)] = new
        return
    if isinstance(content, Dictionary):  # a marked-content reference
        page, mcid = content.get("/Pg", old.get("/Pg")), int(content.MCID)
    else:
        page, mcid = old.get("/Pg"), int(content)
    key = page.get("/StructParents") if page is not None else None
    if key is None or int(key) not in parents:
        return
    entries = parents[int(key)]
    if mcid < len(entries):
        entries[mcid] = new


# -- links: /Contents from the link's name in the page ----------------------------------------


def _target(annotation: Dictionary) -> str:
    action = annotation.get("/A")
    if action is not None and "/URI" in action:
        return str(action.URI)
    dest = annotation.get("/Dest", action.get("/D") if action is not None else None)
    if isinstance(dest, (Name, pikepdf.String)):
        return "#" + str(dest).removeprefix("/")
    return ""


def _describe_links(pdf: pikepdf.Pdf, tree: Dictionary | None, links: Sequence[Link]) -> None:
    """Every /Link annotation gets /Contents: its link's name, matched in order by target."""
    names: defaultdict[str, deque[str]] = defaultdict(deque)
    for target, name in links:
        names[target].append(name)

    def describe(annotations: list[Any]) -> None:
        target = _target(annotations[0])
        name = names[target].popleft() if names[target] else ""
        text = name or (f"Link naar {target}" if target and not target.startswith("#") else "Link in dit document")
        for annotation in annotations:
            annotation.Contents = pikepdf.String(text)

    for element in _elements(tree) if tree is not None else ():
        if _role(element) == "/Link":
            own = [kid.Obj for kid in _kids(element) if isinstance(kid, Dictionary) and kid.get("/Type") == Name.OBJR]
            own = [a for a in own if a.get("/Subtype") == Name.Link and "/Contents" not in a]
            if own:
                describe(own)
    for page in pdf.pages:
        for annotation in page.obj.get("/Annots", Array()):
            if annotation.get("/Subtype") == Name.Link and "/Contents" not in annotation:
                describe([annotation])


# -- the document: language, title, PDF/UA identification -------------------------------------


def _declare(pdf: pikepdf.Pdf, title: str, lang: str) -> None:
    root = pdf.Root
    root.Lang = pikepdf.String(str(root.get("/Lang", "")) or lang)
    root.MarkInfo = Dictionary(Marked=True)
    preferences = root.get("/ViewerPreferences", Dictionary())
    preferences.DisplayDocTitle = True
    root.ViewerPreferences = preferences
    title = title or str(pdf.docinfo.get("/Title", ""))
    pdf.docinfo.Title = pikepdf.String(title)
    with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
        meta.load_from_docinfo(pdf.docinfo)
        meta["dc:title"] = title
        meta["dc:language"] = [str(root.Lang)]
        meta["pdfuaid:part"] = "1"
