"""The per-sentence caches and regexes of ``numerals`` answer as the plain loops did."""
from __future__ import annotations

from qualitylib.extract import numerals


def _in_name_plain(t: str, s: int, e: int) -> bool:
    for name in numerals._names():
        k = t.find(name, max(0, e - len(name)), s + len(name))
        while 0 <= k <= s:
            if k + len(name) >= e:
                return True
            k = t.find(name, k + 1, s + len(name))
    return False


def test_in_name_equals_the_plain_search():
    names = numerals._names()
    texts = ["坚持" + n + "和" + n + "的要求,推进三个一工作" for n in names[:20]] + ["五水共治一打三整治", "十九大精神"]
    for t in texts:
        for s in range(len(t)):
            for e in range(s + 1, min(len(t), s + 4) + 1):
                assert numerals._in_name(t, s, e) == _in_name_plain(t, s, e), (t, s, e)


def test_fold_equals_translate():
    for s in ("３５％", "全面提升。", "１，０００（万）", "萬億"):
        assert numerals._fold(s) == s.translate(numerals._FW)
