"""Input formats: saved web pages (declared charset or not), PDF with a text layer, scanned PDF, Word.

Every test builds its own small files in tmp_path; each asserts the targets found and that their
provenance columns lead back to the number in the file (raw page, PDF page text, Word paragraph)."""
from __future__ import annotations

import io
import logging
import zlib

import docx
import opencc
from docx.oxml.ns import qn
from pypdf import PdfReader

from qualitylib.pipeline import run_pipeline
from qualitylib.text.clean import clean_file
from qualitylib.text.corpus import clean_corpus, discover
from qualitylib.text.html_page import declared_charset, read_html

TITLE = "宜昌市质量提升行动计划"
INTRO = "为深入贯彻落实质量强国战略，全面提升我市产品、工程和服务质量，结合我市实际，制定本计划。"
GOAL = "到2020年，工业产品质量监督抽查合格率达到96.5%以上，培育国际标准3项，新增省长质量奖企业2家。"


# ------------------------------------------------------------------------------------------ helpers
def _targets(path):
    result = run_pipeline([path])
    assert not result.failures, result.failures
    return result


def _values(targets) -> set[tuple[float, str]]:
    return {(float(v), u) for v, u in zip(targets["value"], targets["unit"])}


def _line(text: str, char: int) -> int:
    return text.count("\n", 0, char) + 1


# --------------------------------------------------------------------------------------------- HTML
PAGE = """<!DOCTYPE html>
<html><head>{meta}<title>宜昌市人民政府门户网站</title>
<style>.nav {{ color: red }} p {{ margin: 0 }}</style>
<script>var x = "合格率达到99%"; if (a < b) {{ y(); }}</script></head>
<body>
<div class="top_nav"><a href="/">首页</a> | <a href="/zw">政务公开</a> | <a href="/hd">互动交流</a></div>
<nav><ul><li>网站首页</li><li>政策文件</li></ul></nav>
<div class="article">
<h1>{title}</h1>
<p>&nbsp;&nbsp;{intro}</p>
<p>一、工作目标</p>
<p>{goal_a}
{goal_b}</p>
<p>二、保障措施</p>
<p>农产品质量安全例行监测合格率稳定在98&#37;以上，食品抽检合格率达到97.5%&nbsp;以上，R&amp;D经费投入持续增长&#12290;</p>
</div>
<footer><p>版权所有：宜昌市人民政府 &copy; 2019 电话：0717-1234567</p></footer>
</body></html>
"""


def _page(meta: str) -> str:
    cut = GOAL.index("监督抽查")  # a source line break inside a sentence, between two Chinese chars
    return PAGE.format(meta=meta, title=TITLE, intro=INTRO, goal_a=GOAL[:cut], goal_b=GOAL[cut:])


def _check_html_targets(path, data: bytes, encoding: str):
    result = _targets(path)
    t = result.targets
    assert _values(t) >= {(96.5, "%"), (3.0, "项"), (2.0, "家"), (98.0, "%"), (97.5, "%")}
    assert 99.0 not in set(t["value"])  # the script's number is no target
    page = data.decode(encoding)
    for row in t.itertuples():
        digits = row.number_text.rstrip("%项家")
        # character offsets and line point into the decoded page, byte offsets into the file
        assert page[row.raw_start:row.raw_end] == digits, row
        assert data[row.byte_start:row.byte_end].decode(encoding) == digits, row
        assert row.line == _line(page, row.raw_start)
        assert digits in page.split("\n")[row.line - 1]
        assert row.page is None or str(row.page) == "<NA>"
    assert (t["paragraph"].isna() & t["page"].isna() & t["part_start"].isna()).all()
    return result


def test_html_in_gbk_with_meta_charset(tmp_path):
    data = _page('<meta charset="gbk">').encode("gbk")
    path = tmp_path / "yichang_meta.html"
    path.write_bytes(data)
    assert declared_charset(data) == "gb18030"
    doc = clean_file(path)
    assert doc.raw.encoding == "gb18030"
    assert doc.body.startswith(TITLE)
    assert "首页" not in doc.full_text and "网站首页" not in doc.full_text  # navigation dropped
    assert "var x" not in doc.full_text and "color" not in doc.full_text  # script and style dropped
    assert "版权所有" not in doc.body  # footer gone
    assert GOAL.replace("，", ",").replace("。", "。") in doc.body  # the source line break is gone
    assert "98%以上" in doc.body and "R&D经费" in doc.body and "增长。" in doc.body  # entities decoded
    result = _check_html_targets(path, data, "gbk")
    assert result.documents.loc[0, "encoding"] == "gb18030"
    assert result.documents.loc[0, "city"] == "宜昌市"


def test_html_http_equiv_and_no_declaration(tmp_path):
    legacy = _page('<meta http-equiv="Content-Type" content="text/html; charset=gb2312">').encode("gbk")
    (tmp_path / "a.htm").write_bytes(legacy)
    bare = _page("").encode("gbk")
    (tmp_path / "b.html").write_bytes(bare)
    assert declared_charset(bare) is None
    assert read_html(tmp_path / "b.html").raw.encoding == "gb18030"  # the cascade decides
    _check_html_targets(tmp_path / "a.htm", legacy, "gbk")
    _check_html_targets(tmp_path / "b.html", bare, "gbk")


def test_html_wrong_declaration_falls_back_with_a_note(tmp_path):
    data = _page('<meta charset="utf-8">').encode("gbk")
    path = tmp_path / "wrong.html"
    path.write_bytes(data)
    src = read_html(path)
    assert src.raw.encoding == "gb18030"
    assert any("utf-8" in n and "does not decode" in n for n in src.notes)
    result = _check_html_targets(path, data, "gbk")
    assert any("does not decode" in w for w in result.warnings)


def test_html_utf8_page_offsets_are_exact(tmp_path):
    data = _page('<meta charset="utf-8">').encode("utf-8")
    path = tmp_path / "utf8.html"
    path.write_bytes(data)
    _check_html_targets(path, data, "utf-8")


def test_unclosed_navigation_does_not_swallow_the_page(tmp_path):
    page = _page("").replace('<div class="top_nav">', '<div class="top_nav"><div>')
    path = tmp_path / "unclosed.html"
    path.write_bytes(page.encode("utf-8"))
    src = read_html(path)
    assert GOAL[:10] in src.text
    assert any("never closes" in n for n in src.notes)


# ---------------------------------------------------------------------------------------------- PDF
def cjk_pdf(pages: list[list[str]], image_only_pages: tuple[int, ...] = ()) -> bytes:
    """A PDF whose pages show the given lines in a Type0 font with a ToUnicode map, so the text layer
    holds exactly these lines (no glyphs are embedded: a viewer shows boxes, text extraction works).
    Pages whose index is in ``image_only_pages`` hold only an image, as a scan does."""
    chars = sorted({c for page in pages for line in page for c in line})
    cid = {c: i + 1 for i, c in enumerate(chars)}
    objs: list[bytes] = []

    def add(body: bytes) -> int:
        objs.append(body)
        return len(objs)

    def stream(data: bytes, extra: bytes = b"") -> bytes:
        return b"<< /Length %d%s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"

    cmap = [b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
            b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
            b"/CMapName /Adobe-Identity-UCS def /CMapType 2 def",
            b"1 begincodespacerange <0000> <FFFF> endcodespacerange"]
    items = list(cid.items())
    for k in range(0, len(items), 100):
        block = items[k:k + 100]
        cmap.append(b"%d beginbfchar" % len(block))
        cmap += [b"<%04X> <%s>" % (n, c.encode("utf-16-be").hex().upper().encode()) for c, n in block]
        cmap.append(b"endbfchar")
    cmap.append(b"endcmap CMapName currentdict /CMap defineresource pop end end")
    to_unicode = add(stream(b"\n".join(cmap)))
    descriptor = add(b"<< /Type /FontDescriptor /FontName /NotoSansSC /Flags 4 /FontBBox [0 -200 1000 900] "
                     b"/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>")
    cidfont = add(b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /NotoSansSC /CIDSystemInfo << /Registry (Adobe) "
                  b"/Ordering (Identity) /Supplement 0 >> /FontDescriptor %d 0 R /DW 1000 /CIDToGIDMap /Identity >>"
                  % descriptor)
    font = add(b"<< /Type /Font /Subtype /Type0 /BaseFont /NotoSansSC /Encoding /Identity-H "
               b"/DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>" % (cidfont, to_unicode))
    image = add(stream(zlib.compress(bytes([128]) * 64), b" /Type /XObject /Subtype /Image /Width 8 /Height 8 "
                       b"/ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode"))
    pages_id = add(b"")
    kids = []
    for k, lines in enumerate(pages):
        if k in image_only_pages:
            ops = b"q 500 0 0 700 40 60 cm /Im1 Do Q"
        else:
            ops = b"\n".join([b"BT /F1 10 Tf 12 TL 40 800 Td"]
                             + [b"<" + "".join("%04X" % cid[c] for c in line).encode() + b"> Tj T*" for line in lines]
                             + [b"ET"])
        content = add(stream(zlib.compress(ops), b" /Filter /FlateDecode"))
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 %d 0 R >> "
                        b"/XObject << /Im1 %d 0 R >> >> /Contents %d 0 R >>" % (pages_id, font, image, content)))
    objs[pages_id - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % i for i in kids), len(kids))
    catalog = add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id)
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, catalog, xref)
    return bytes(out)


def _wrap(text: str, width: int = 24) -> list[str]:
    return [text[i:i + width] for i in range(0, len(text), width)]


PDF_PAGE_1 = [TITLE, *_wrap("　　" + INTRO), "一、工作目标", *_wrap("　　" + GOAL)[:2], "- 1 -"]
PDF_PAGE_2 = [*_wrap("　　" + GOAL)[2:], "二、保障措施", *_wrap("　　农产品质量安全例行监测合格率稳定在98%以上，食品抽检合格率达到97.5%以上。"), "- 2 -"]


def test_pdf_targets_carry_page_and_offsets_within_the_page(tmp_path):
    path = tmp_path / "yichang.pdf"
    data = cjk_pdf([PDF_PAGE_1, PDF_PAGE_2])
    path.write_bytes(data)
    doc = clean_file(path)
    # wrapped lines and the page break are undone, page numbers dropped: the goal is one sentence again
    assert GOAL.replace("，", ",") in doc.body
    assert "- 1 -" not in doc.full_text and "- 2 -" not in doc.full_text
    result = _targets(path)
    t = result.targets
    assert _values(t) >= {(96.5, "%"), (3.0, "项"), (2.0, "家"), (98.0, "%"), (97.5, "%")}
    page_texts = [p.extract_text() for p in PdfReader(io.BytesIO(data)).pages]
    for row in t.itertuples():
        digits = row.number_text.rstrip("%项家")
        assert page_texts[row.page - 1][row.part_start:row.part_end] == digits, row
        assert doc.raw.text[row.raw_start:row.raw_end] == digits
        assert str(row.byte_start) == "<NA>" and str(row.paragraph) == "<NA>"
    pages = dict(zip(t["number_text"], t["page"]))
    assert pages["98%"] == 2 and pages["97.5%"] == 2
    # the goal sentence starts on page 1 and ends on page 2: each number keeps its own page
    where = {n: p for n, p in pages.items() if n in ("96.5%", "3项", "2家")}
    assert set(where.values()) <= {1, 2} and len(where) == 3
    for n, p in where.items():
        assert n.rstrip("%项家") in page_texts[p - 1]
    assert result.documents.loc[0, "encoding"] == "pdf"


def test_pdf_without_text_layer_is_skipped_saying_it_needs_ocr(tmp_path):
    (tmp_path / "scan.pdf").write_bytes(cjk_pdf([["扫描件"], ["扫描件"]], image_only_pages=(0, 1)))
    (tmp_path / "good.txt").write_text(f"{TITLE}\n{INTRO}\n{GOAL}\n", encoding="utf-8")
    corpus = clean_corpus([tmp_path])
    assert [d.doc_id for d in corpus.documents] == ["good"]
    assert len(corpus.failures) == 1
    problem = corpus.failures[0].problem
    assert "scan.pdf" in problem and "no text layer" in problem and "OCR" in problem
    result = run_pipeline([tmp_path])
    assert [f.path for f in result.failures] == [str(tmp_path / "scan.pdf")]
    assert len(result.targets) >= 3


def test_pdf_with_one_scanned_page_keeps_the_others_with_a_note(tmp_path):
    path = tmp_path / "mixed.pdf"
    path.write_bytes(cjk_pdf([PDF_PAGE_1, ["扫描页"], PDF_PAGE_2], image_only_pages=(1,)))
    result = _targets(path)
    assert any("page 2 has no text layer" in w and "OCR" in w for w in result.warnings)
    assert set(result.targets["page"]) <= {1, 3}


def test_broken_pdf_is_a_failure_not_a_crash(tmp_path):
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.7\nthis is not a pdf")
    corpus = clean_corpus([tmp_path])
    assert not corpus.documents and "broken.pdf" in corpus.failures[0].problem


# --------------------------------------------------------------------------------------------- DOCX
def _docx(path):
    d = docx.Document()
    d.add_paragraph(TITLE)
    d.add_paragraph(INTRO)
    d.add_paragraph("一、工作目标")
    p = d.add_paragraph(GOAL[:20])
    p.add_run(GOAL[20:])  # a number may sit in a later run: offsets count in the paragraph's text
    d.add_paragraph("二、主要指标")
    table = d.add_table(rows=2, cols=3)
    for cell, text in zip(table.rows[0].cells, ("指标", "目标值", "责任单位")):
        cell.text = text
    for cell, text in zip(table.rows[1].cells, ("农产品质量安全例行监测合格率", "稳定在98%以上", "市农业局")):
        cell.text = text
    d.add_paragraph("三、保障措施")
    d.add_paragraph("食品抽检合格率达到97.5%以上。各地各部门要加强组织领导，明确责任分工，确保各项任务落到实处。")
    d.save(path)


def test_docx_targets_carry_the_paragraph_index(tmp_path):
    path = tmp_path / "yichang.docx"
    _docx(path)
    result = _targets(path)
    t = result.targets
    assert _values(t) >= {(96.5, "%"), (3.0, "项"), (2.0, "家"), (98.0, "%"), (97.5, "%")}
    body = docx.Document(path).element.body
    paragraphs = [p.text for p in body.iter(qn("w:p"))]
    for row in t.itertuples():
        digits = row.number_text.rstrip("%项家")
        assert paragraphs[row.paragraph - 1][row.part_start:row.part_end] == digits, row
        assert str(row.byte_start) == "<NA>" and str(row.page) == "<NA>"
    by_number = dict(zip(t["number_text"], t["paragraph"]))
    assert paragraphs[by_number["96.5%"] - 1].startswith(GOAL[:10])
    assert paragraphs[by_number["98%"] - 1] == "稳定在98%以上"  # a table cell is a paragraph of its own
    row98 = t[t["number_text"] == "98%"].iloc[0]
    assert "例行监测合格率" in row98["indicator"]  # the cells of a row read as one line
    assert result.documents.loc[0, "encoding"] == "docx"


def test_folders_contribute_every_supported_format(tmp_path):
    for name in ("a.txt", "b.html", "c.htm", "d.pdf", "e.docx", "f.doc", "g.png", ".hidden.txt"):
        (tmp_path / name).write_bytes(b"x")
    assert [p.name for p in discover([tmp_path])] == ["a.txt", "b.html", "c.htm", "d.pdf", "e.docx"]


def test_an_unreadable_docx_is_a_failure(tmp_path, caplog):
    (tmp_path / "bad.docx").write_bytes(b"PK\x03\x04 not really a zip")
    with caplog.at_level(logging.ERROR):
        corpus = clean_corpus([tmp_path])
    assert not corpus.documents and "Word" in corpus.failures[0].problem


def test_html_declaration_that_decodes_into_rare_characters_is_overruled(tmp_path):
    data = _page('<meta charset="big5">').encode("gbk")
    path = tmp_path / "big5_label.html"
    path.write_bytes(data)
    src = read_html(path)
    assert src.raw.encoding == "gb18030"
    assert any("big5" in n for n in src.notes)
    _check_html_targets(path, data, "gbk")


def test_traditional_page_in_big5_as_declared(tmp_path):
    page = _page('<meta charset="big5">')
    trad = opencc.OpenCC("s2tw").convert(page)  # Taiwan forms: all in Big5
    data = trad.encode("big5")
    path = tmp_path / "big5.html"
    path.write_bytes(data)
    src = read_html(path)
    assert src.raw.encoding == "big5" and not src.notes
    _check_html_targets(path, data, "big5")
