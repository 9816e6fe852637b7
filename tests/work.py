"""Work counted, not timed: a bound on a busy CI machine's wall clock is either loose enough to
miss a runaway or tight enough to fail for no reason; the work done is the same everywhere."""

import contextlib
import difflib


class TooMuchWork(AssertionError):
    pass


@contextlib.contextmanager
def matcher_work(limit):
    """Count the token pairs every difflib.SequenceMatcher looks at while the block runs (an
    upper bound of find_longest_match's inner loop: each token of a's range against each of
    b's), and fail as soon as the count passes `limit`, rather than run a cubic diff for
    minutes. Yields a dict whose "pairs" and "matchers" grow as the work is done."""
    counted = {"pairs": 0, "matchers": 0}
    original = difflib.SequenceMatcher

    class Counting(original):
        def __init__(self, *args, **kwargs):
            counted["matchers"] += 1
            super().__init__(*args, **kwargs)

        def find_longest_match(self, alo=0, ahi=None, blo=0, bhi=None):
            ahi = len(self.a) if ahi is None else ahi
            bhi = len(self.b) if bhi is None else bhi
            counted["pairs"] += (ahi - alo) * (bhi - blo) + (ahi - alo)
            if counted["pairs"] > limit:
                raise TooMuchWork(f"over {limit:,} token pairs compared")
            return super().find_longest_match(alo, ahi, blo, bhi)

    difflib.SequenceMatcher = Counting
    try:
        yield counted
    finally:
        difflib.SequenceMatcher = original
