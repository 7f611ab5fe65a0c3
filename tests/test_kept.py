"""The bounded memo every process-wide store uses (parsed YAML, frozen releases, scan memos, serve's pages)."""

from __future__ import annotations

from policypress.kept import Kept


def test_the_least_recently_used_entry_goes_first_and_memory_stays_bounded():
    kept: Kept[str, int] = Kept(2)
    kept.put("a", 1)
    kept.put("b", 2)
    assert kept["a"] == 1  # "a" is now the most recently used
    kept.put("c", 3)
    assert ("a" in kept, "b" in kept, "c" in kept, len(kept)) == (True, False, True, 2)
    for n in range(1000):
        kept.put(f"k{n}", n)
    assert len(kept) == 2 and "k999" in kept and "k998" in kept


def test_recall_makes_a_value_once_even_when_it_is_none():
    made: list[str] = []
    kept: Kept[str, str | None] = Kept(8)

    def make(key: str) -> str | None:
        made.append(key)
        return None  # a URL that does not parse is remembered as such

    assert kept.recall("x", lambda: make("x")) is None
    assert kept.recall("x", lambda: make("x")) is None
    assert made == ["x"]
    kept.clear()
    assert kept.recall("x", lambda: make("x")) is None and made == ["x", "x"]


def test_forget_all_empties_every_kept_of_the_process() -> None:
    from policypress.kept import forget_all

    first, second = Kept[str, int](2), Kept[str, int](2)
    first.put("a", 1)
    second.put("b", 2)
    forget_all()
    assert len(first) == len(second) == 0 and "a" not in first
