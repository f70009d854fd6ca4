"""Layout cleaning: page noise, OCR spacing, and documents extracted as one line."""

from kyoyaku.text.layout import clean_lines, close_up, split_signatures, split_table

from ..conftest import FIXTURES, SEED


def test_seed_lines_are_kept_with_their_numbers():
    text = SEED.read_text(encoding="utf-8")
    lines = clean_lines(text)
    assert [l.text for l in lines] == [t.rstrip() for t in text.split("\n") if t.strip()]
    first = next(i for i, t in enumerate(text.split("\n"), start=1) if t.strip())
    assert lines[0].number == first


def test_page_numbers_and_running_heads_are_dropped():
    text = "表題\n本文一\n- 1 -\n\f連携協約書\n本文二\n- 2 -\n連携協約書\n本文三\n"
    assert [l.text for l in clean_lines(text)] == ["表題", "本文一", "本文二", "本文三"]


def test_ocr_spacing_is_closed_up():
    assert close_up("連 携 協 約 書") == "連携協約書"
    assert close_up("区 分\t連携する取組") == "区分\t連携する取組"
    assert close_up("甲 北見市") == "甲 北見市"  # two words, not letter spacing


def test_one_line_document_is_split_into_its_lines():
    lines = clean_lines((FIXTURES / "family" / "layout-one-line.txt").read_text(encoding="utf-8"))
    texts = [l.text for l in lines]
    assert {l.number for l in lines} == {1}  # every piece cites the line it came from
    assert texts[0] == "北見西部連携中枢都市圏の形成に関する連携協約書"
    assert texts[2:4] == ["（目的）", texts[3]] and texts[3].startswith("第1条 この連携協約は")
    assert "2 この連携協約は,前項の規定による通告があった日から起算して2年を経過した日にその効力を失うものとする。" in texts
    i = texts.index("令和3年4月1日")
    assert texts[i + 1:i + 7] == ["北見市〇〇町1番地", "甲 北見市", "北見市長 佐藤 一郎", "置戸町〇〇1番地", "乙 置戸町",
                                  "置戸町長 田中 次郎"]
    assert texts[i + 7:i + 9] == ["別表（第3条関係）", "区分\t連携する取組\t甲の役割\t乙の役割"]
    assert len(texts) == i + 12 and all(t.count("\t") == 3 for t in texts[i + 8:])


def test_signatures_without_designations():
    assert split_signatures(["北見市長", "佐藤", "一郎", "置戸町長", "田中", "次郎"]) == ["北見市長 佐藤 一郎", "置戸町長 田中 次郎"]


def test_table_rows_are_category_then_one_sentence_per_column():
    rows = split_table("別表 区分 連携する取組 甲の役割 乙の役割 観光 観光を振興する。 主体的に取り組む。 連携する。")
    assert rows == ["別表", "区分\t連携する取組\t甲の役割\t乙の役割", "観光\t観光を振興する。\t主体的に取り組む。\t連携する。"]


def test_appendix_without_a_table_keeps_its_sentences():
    assert split_table("別表 甲及び乙が協議して定める。 以上。") == ["別表", "甲及び乙が協議して定める。", "以上。"]
