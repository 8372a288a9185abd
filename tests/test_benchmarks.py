"""Smoke test of the benchmark scripts: the generator is deterministic and writes decodable documents,
and the benchmark's batch function runs on them. No timing is asserted."""
from __future__ import annotations

import pytest

from bench_modules import load_benchmark


@pytest.fixture(scope="module")
def gen():
    return load_benchmark("generate_corpus")


@pytest.fixture(scope="module")
def bench():
    return load_benchmark("bench_extract")


@pytest.fixture(scope="module")
def corpus(gen, tmp_path_factory):
    return gen.generate(5, tmp_path_factory.mktemp("corpus"), seed=0)


def test_generator_is_deterministic(gen, corpus, tmp_path):
    again = gen.generate(5, tmp_path / "again", seed=0)
    assert [p.name for p in again] == [p.name for p in corpus]
    assert [p.read_bytes() for p in again] == [p.read_bytes() for p in corpus]
    other = gen.generate(2, tmp_path / "other", seed=1)
    assert [p.read_bytes() for p in other] != [p.read_bytes() for p in corpus[:2]]


def test_generated_documents_decode_and_look_real(gen, corpus):
    from qualitylib.text.decode import read_raw

    seed_cities = {"芜湖", "泰安", "银川", "温州", "宜昌", "蕪湖", "銀川", "溫州"}
    for p in corpus:
        size = p.stat().st_size
        assert 8 * 1024 <= size <= 41 * 1024, (p.name, size)
        raw = read_raw(p)
        assert raw.encoding in ("utf-8", "gb18030")
        assert sum("\u4e00" <= c <= "\u9fff" for c in raw.text) > 2000
        _, slug, horizon = p.stem.split("_")
        city = next(r for r in gen.gazetteer() if gen.city_slug(r) == slug)
        names = {city["city_short"], gen._trad(city["city_short"])}
        assert any(n in raw.text for n in names), p.name
        assert not any(c in raw.text for c in seed_cities - names), p.name
        assert 2015 <= int(horizon) <= 2025 and horizon in raw.text


def test_generator_mixes_encodings(gen, tmp_path):
    bom = [gen.document(i, seed=0)[1][:3] == b"\xef\xbb\xbf" for i in range(30)]
    assert any(bom) and not all(bom)


def test_batch_runs_and_counts(bench, corpus):
    one = bench.run_batch(corpus, workers=1)
    assert one.n_docs == 5 and one.n_failed == 0, one.failures
    assert one.raw_bytes == sum(p.stat().st_size for p in corpus)
    assert one.targets > 0 and one.sentences > 0
    two = bench.run_batch(corpus, workers=2, chunksize=1)
    assert (two.n_docs, two.targets, two.sentences, two.raw_bytes) == (one.n_docs, one.targets, one.sentences, one.raw_bytes)


def test_bad_file_is_counted_not_raised(bench, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01binary")
    res = bench.run_batch([bad], workers=1)
    assert res.n_docs == 1 and res.n_failed == 1 and "DecodeError" in res.failures[0][1]
