import pytest

from sxworker.site.loaders import (
    ArticleLoader,
    clean_text,
    page_number,
    strip_byline_marks,
    strip_leading_dashes,
)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("\u3000\u3000亲爱的同志们:\xa0\xa0你好 ", "亲爱的同志们: 你好"),
        ("  \n\t ", None),
        ("a\u200bb", "a b"),
        (None, None),
    ],
)
def test_clean_text_folds_every_kind_of_space(raw, clean):
    assert clean_text(raw) == clean


def test_subtitle_loses_its_dash_run():
    assert strip_leading_dashes("——致天车司机") == "致天车司机"
    assert strip_leading_dashes("── 记省劳模张三") == "记省劳模张三"
    assert strip_leading_dashes("—") is None


@pytest.mark.parametrize(
    ("raw", "author"),
    [
        ("□ 张三", "张三"),
        ("◎赵六", "赵六"),
        ("作者:吴娜", "吴娜"),
        ("作者\uff1a李明", "李明"),
        ("本报记者 王某", "本报记者 王某"),
    ],
)
def test_byline_marks_are_removed(raw, author):
    assert strip_byline_marks(raw) == author


@pytest.mark.parametrize(
    ("label", "number"), [("A4", 4), ("04", 4), ("第4版", 4), ("B12", 12), ("头版", None)]
)
def test_page_number(label, number):
    assert page_number(label) == number


def test_article_loader_builds_a_clean_item():
    loader = ArticleLoader(base_url="http://szb.sxworker.com/content/2016-12/05/134356.html")
    loader.add_value("title", " 发挥党员作用\xa0勇于担当作为 ")
    loader.add_value("subtitle", "——副题")
    loader.add_value("author", "□ 李颖")
    loader.add_value("body", ["\u3000\u3000第一段。", "", "  第二段。 "])
    loader.add_value("images", [{"url": "../../../pic/1.jpg", "caption": " 图为 \u3000现场 "}])
    loader.add_value("kicker", "   ")
    item = loader.load_item()
    assert item.title == "发挥党员作用 勇于担当作为"
    assert item.subtitle == "副题"
    assert item.author == "李颖"
    assert item.body == "第一段。\n第二段。"
    assert item.images == [{"url": "http://szb.sxworker.com/pic/1.jpg", "caption": "图为 现场"}]
    assert item.kicker is None
