"""The five bundled reports end to end: the facts an auditor reads from each by hand."""

import pytest

from auditlib import extract, parse_bytes


def facts_of(extraction):
    f = extraction.facts
    return {"unit_name": f.unit_name, "fiscal_year": f.fiscal_year, "kind": f.kind, "project_name": f.project_name,
            "self_score": f.self_score, "grade": f.grade}


EXPECTED = {
    "qionghai-2021": {"unit_name": "琼海市工商业联合会", "fiscal_year": 2021, "kind": "project",
                      "project_name": "商会协会建设工作", "self_score": None, "grade": None},
    "wuchang-2018": {"unit_name": "武汉市武昌区工商业联合会", "fiscal_year": 2018, "kind": "project",
                     "project_name": "服务企业商会经费", "self_score": None, "grade": "优"},
    "bishan-2020": {"unit_name": "重庆市璧山区工商业联合会", "fiscal_year": 2020, "kind": "department",
                    "project_name": None, "self_score": None, "grade": None},
    "jiangmen-2021": {"unit_name": "江门市工商业联合会", "fiscal_year": 2021, "kind": "project",
                      "project_name": "工商界联络建设经费", "self_score": 98.5, "grade": None},
    "xinzhou-2019": {"unit_name": "武汉市新洲区工商业联合会", "fiscal_year": 2019, "kind": "department",
                     "project_name": None, "self_score": 93.0, "grade": "优"},
}
RATES = {"qionghai-2021": 1.0, "wuchang-2018": 44.9 / 48, "bishan-2020": None, "jiangmen-2021": 64.61 / 88.5,
         "xinzhou-2019": 1.358}


@pytest.fixture(scope="module")
def seeds(seed_paths):
    return {name: extract(parse_bytes(path.read_bytes(), str(path))) for name, path in seed_paths.items()}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_headline_facts(seeds, name):
    assert facts_of(seeds[name]) == EXPECTED[name]
    rate = seeds[name].facts.execution_rate
    assert rate == (pytest.approx(RATES[name], abs=5e-4) if RATES[name] is not None else None)


def lines(extraction):
    return extraction.frames()["budget_lines"].to_dict(orient="records")


def test_qionghai_requested_allocated_spent(seeds):
    x = seeds["qionghai-2021"]
    first = lines(x)[0]
    assert (first["requested_wan"], first["budget_wan"]) == (15, 8)
    assert x.facts.spent_wan == 8 and x.facts.execution_rate_source == "stated"


def test_wuchang_budget_received_spent_balance(seeds):
    x = seeds["wuchang-2018"]
    rows = lines(x)
    assert any((r["budget_wan"], r["spent_wan"], r["balance_wan"]) == (48, 44.9, 3.1) for r in rows)
    assert any((r["budget_wan"], r["received_wan"], r["stated_rate"], r["rate_kind"]) == (48, 48, 1.0, "funding")
               for r in rows)
    assert x.facts.execution_rate_source == "computed"


def test_bishan_breakdowns_and_eleven_project_lines(seeds):
    x = seeds["bishan-2020"]
    by_total = {(b.total.measure, b.total.value_wan): b for b in x.breakdowns}
    assert len(by_total[("budget", 198.27)].parts) == 5
    assert len(by_total[("received", 258.5)].parts) == 5
    assert [p.signed_value for p in by_total[("increase", 23.74)].parts] == [-44.99, 68.71]
    project_lines = [r for r in lines(x) if r["stated_rate"] is not None]
    assert len(project_lines) == 11
    assert all(r["budget_wan"] and r["spent_wan"] is not None for r in project_lines)
    assert project_lines[0]["budget_wan"] == 5 and project_lines[0]["spent_wan"] == 3.97
    assert project_lines[0]["stated_rate"] == pytest.approx(0.7932)
    weights = x.frames()["scores"]
    assert list(weights["weight"]) == [7, 24, 57, 10]


def test_jiangmen_ten_parts_and_split_amount(seeds):
    x = seeds["jiangmen-2021"]
    parts = next(b for b in x.breakdowns if b.total.value_wan == 88.5)
    assert parts.stated_count == 10 and len(parts.parts) == 10
    assert sum(p.value_wan for p in parts.parts) == pytest.approx(88.5)
    spent = [r["spent_wan"] for r in lines(x)]
    assert 13.99 in spent  # "13.99" / "万" across a page break is one amount
    assert sum(spent) == pytest.approx(64.61)
    assert x.facts.budget_wan == 88.5 and x.facts.spent_wan == pytest.approx(64.61)
    assert x.facts.evidence["unit_name"].line > 5  # named only in the body


def test_xinzhou_totals_and_score_table(seeds):
    x = seeds["xinzhou-2019"]
    total = next(b for b in x.breakdowns if b.total.value_wan == 222.48)
    assert [(p.label, p.value_wan) for p in total.parts] == [("基本支出", 189.4), ("项目支出", 33.08)]
    project = next(r for r in lines(x) if r["stated_rate"] is not None)
    assert (project["budget_wan"], project["spent_wan"], project["stated_rate"]) == (24.36, 33.08, 1.358)
    assert project["line"] == 88 and project["section"] == "二（一）3"
    scores = x.frames()["scores"]
    top = scores[scores["level"] <= 1]
    assert list(zip(top["name"], top["weight"], top["score"])) == [("产出", 80, 74), ("效果", 20, 19), ("综合绩效", 100, 93)]
    assert x.facts.written_year == 2020


def test_outlines_of_seeds(seeds):
    wuchang = seeds["wuchang-2018"].outline
    assert [s.path for s in wuchang.sections if s.level == 1] == ["1", "2", "三", "四", "五"]
    assert wuchang.find("2（一）1（2）").title == "项目资金执行情况分析"
    bishan = seeds["bishan-2020"].outline
    assert [s.numbering.label for s in bishan.find("二").children] == ["（1）", "（二）", "（三）"]
    assert [s.numbering.label for s in bishan.find("1").children] == ["（一）", "（二）", "（二）"]
    qionghai = seeds["qionghai-2021"].outline
    assert qionghai.find("四（二）").body_chars == 0


@pytest.mark.parametrize("encoding", ["gb18030", "utf-16", "utf-8-sig", "crlf"])
def test_same_facts_when_re_encoded(seed_paths, seeds, encoding):
    for name, path in seed_paths.items():
        text = path.read_bytes().decode("utf-8")
        data = text.replace("\n", "\r\n").encode() if encoding == "crlf" else text.encode(encoding)
        again = extract(parse_bytes(data, name))
        assert facts_of(again) == facts_of(seeds[name]), (name, encoding)
        assert again.facts.execution_rate == seeds[name].facts.execution_rate
        assert (again.frames()["budget_lines"].drop(columns="quote").equals(
            seeds[name].frames()["budget_lines"].drop(columns="quote"))), (name, encoding)
        assert [(s.path, s.line) for s in again.outline.sections] == [(s.path, s.line) for s in seeds[name].outline.sections]
