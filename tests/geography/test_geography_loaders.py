"""Corpus loaders: arXiv daily and OAI layouts, OpenAlex works, Epoch models; one-line errors for bad input."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from aiprogress.errors import InputError
from aiprogress.geography.corpus import AFFILIATION_COLUMNS, PAPER_COLUMNS, load_arxiv, load_epoch, load_openalex, openalex_abstract

FIXTURES = Path(__file__).parent / "fixtures"


def test_arxiv_oai_layout():
    c = load_arxiv(FIXTURES / "arxiv_oai.jsonl")
    p = c.papers.set_index("doc_id")
    assert list(c.papers.columns) == PAPER_COLUMNS
    assert p.loc["0704.0001", "date"] == pd.Timestamp("2007-04-02")  # first version's date
    assert p.loc["0704.0001", "authors"] == ["C. Balázs", "E. L. Berger", "P. M. Nadolsky", "C. -P. Yuan"]
    assert p.loc["1512.03385", "authors"] == ["Kaiming He", "Xiangyu Zhang", "Shaoqing Ren", "Jian Sun"]  # from 'authors'
    assert p.loc["1706.03762", "date"] == pd.Timestamp("2017-06-13")  # no versions: update_date
    assert p.loc["1706.03762", "categories"] == ["cs.CL", "cs.LG"]
    assert p.loc["0704.0001", "title"].startswith("Calculation of prompt diphoton production cross sections at Tevatron and LHC")


def test_arxiv_daily_layout_gz(tmp_path):
    recs = [{"id": "2503.00001", "announced": "2025-03-18", "title": "A", "authors": ["X Y"], "categories": ["cs.LG"], "abstract": "b"},
            {"id": "2503.00002", "announced": "2025-04-01", "title": "B", "authors": [], "categories": ["cs.CV", "cs.AI"], "abstract": "c"}]
    p = tmp_path / "d.jsonl.gz"
    with gzip.open(p, "wt") as fh:
        fh.write("\n".join(json.dumps(r) for r in recs) + "\n")
    c = load_arxiv(p)
    assert c.papers["year"].tolist() == [2025, 2025]
    assert c.papers["source_line"].tolist() == [1, 2]


@pytest.mark.parametrize("line, match", [
    ('{"id": "1", "announced": "not a date", "title": "t", "categories": []}', r"line 2, column 'announced': cannot parse date"),
    ('{"announced": "2025-01-01", "categories": []}', r"line 2, column 'id'"),
    ('{"id": "1", "announced": "2025-01-01"', r"line 2: not valid JSON"),
    ('[1, 2]', r"line 2: a JSON list, not an object"),
    ('{"id": "1", "announced": "2025-01-01", "categories": 5}', r"line 2, column 'categories'"),
])
def test_arxiv_bad_lines(tmp_path, line, match):
    p = tmp_path / "bad.jsonl"
    p.write_text('{"id": "0", "announced": "2025-01-01", "title": "ok", "categories": ["cs.LG"]}\n' + line + "\n")
    with pytest.raises(InputError, match=match) as err:
        load_arxiv(p)
    assert "bad.jsonl" in str(err.value) and "\n" not in str(err.value)


def test_arxiv_duplicate_id(tmp_path):
    p = tmp_path / "dup.jsonl"
    r = '{"id": "1", "announced": "2025-01-01", "title": "t", "categories": []}'
    p.write_text(r + "\n" + r + "\n")
    with pytest.raises(InputError, match="line 2, column 'id': duplicate id"):
        load_arxiv(p)


def test_openalex_hand_written_file():
    c = load_openalex(FIXTURES / "openalex_works.jsonl")
    p = c.papers.set_index("doc_id")
    assert list(p.index) == ["W2194775991", "W1000000002", "W1000000003"]
    assert p.loc["W2194775991", "abstract"] == "Deeper neural networks are more difficult to train."
    assert p.loc["W2194775991", "citations"] == 180000
    assert p.loc["W1000000003", "date"] == pd.Timestamp("2019-07-01")  # only publication_year
    assert p.loc["W2194775991", "categories"] == ["Computer science", "Deep learning"]
    a = c.affiliations
    assert list(a.columns) == AFFILIATION_COLUMNS
    # W2194775991: two authors at the same institution -> one row, weight 1; W1000000002: two countries, 1/2 each
    assert a.groupby("doc_id")["weight"].sum().to_dict() == {"W1000000002": 1.0, "W2194775991": 1.0}
    assert sorted(a.loc[a["doc_id"] == "W1000000002", "country_code"]) == ["DE", "FR"]
    assert "W1000000003" not in set(a["doc_id"])


def test_openalex_bad_country(tmp_path):
    rec = json.loads((FIXTURES / "openalex_works.jsonl").read_text().splitlines()[0])
    rec["authorships"][0]["institutions"][0]["country_code"] = "USA"
    p = tmp_path / "w.jsonl"
    p.write_text(json.dumps(rec) + "\n")
    with pytest.raises(InputError, match=r"line 1, column 'authorships.institutions.country_code'.*ISO 3166"):
        load_openalex(p)


def test_inverted_index_reference():
    assert openalex_abstract({"b": [1], "a": [0, 2]}) == "a b a"
    assert openalex_abstract(None) == ""


def test_epoch_corpus_from_models_frame():
    models = pd.DataFrame({
        "model": ["M1", "M2", None], "domain": ["Vision,Language", "Games", None], "organization": ["Org A", "Org B,Org C", None],
        "countries": [["United States of America"], ["China", "Multinational"], []], "authors": [["A B"], [], []],
        "publication_date": pd.to_datetime(["2010-05-01", "2016-01-01", "2020-01-01"]), "citations": [10.0, np.nan, 1.0],
        "abstract": ["x", None, None], "reference": ["Paper 1", None, None], "hardware": [None, "GPU", None],
        "source_file": "epoch/all_ai_models_2025-03.csv", "source_line": [2, 3, 4]})
    c = load_epoch(models=models)
    assert c.papers["doc_id"].tolist() == ["M1 (2010-05-01)", "M2 (2016-01-01)"]
    assert c.papers["categories"].tolist() == [["Vision", "Language"], ["Games"]]
    assert c.affiliations["country_code"].tolist() == ["US", "CN"]
    assert c.notes["unmapped_countries"] == {"Multinational": 1}
