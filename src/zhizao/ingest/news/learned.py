"""A learned fallback for the metric: an averaged perceptron over character n-grams of a figure's context.

The rules (metric.py) name a figure's measure from trigger words. Where they name none ("no metric"), the
reader asks this model, which has read the context of every figure of the development articles and knows
which measure the annotators gave it, or that they gave it none:

    features   the unit; whether the figure is bracketed; character 1-, 2- and 3-grams of the last 16
               characters of the window that names the measure (clause.py) and of the 8 characters after
               the figure; the last 4 characters of the window as one feature; bigrams of the 20 characters of
               the sentence before the window; the measure the sentence last named
    labels     "none" (the figure is no fact) or the gold metric, with industry_X / industrial_X folded into
               {IND}X (which of the two is decided as the rules decide it: a named industry or not)
    decision   only for an amount, a percentage or a number of vehicles (not a count: counts are named by
               the noun counted, which the vocabulary lists in full) whose window names something more than
               a change (增长4.3% right after a figure continues that figure) and no measure the rules know
               (those the rules left out on purpose stay out): the best label, if it is not "none" and
               beats "none" by at least `margin` (the model file's threshold); a label whose unit does not
               fit the figure's is refused, and so is a growth whose window says 占 (a share)

Trained by `tools/news_eval/train_metric.py` on the seeds and the development half of news-dev only (never
the held-out half), deterministically (fixed order, fixed epochs); the weights ship with the package as
`metric_model.json`, so nothing is downloaded or trained at run time. docs/news-reader-rules.md gives how it
was judged (leave-articles-out on the development articles, then one blind score) and its measured effect.
"""

from __future__ import annotations

import functools
import json
import re
from contextlib import contextmanager
from pathlib import Path

from ...vocab import FACT_METRICS
from . import metrics as M
from .clause import Choice

# the words of a change: a window holding only these continues the figure before it
CHANGE = r"(同比|比上年|较上年|比去年|较去年|同期)?(增长|下降|提高|增加|减少|回落|增速)(了|为|达)?"
MODEL_PATH = Path(__file__).with_name("metric_model.json")
NONE = "none"

_override: list = []  # a model put in place by `using` (training, cross-validation); None switches it off


def features(window: str, after: str, unit: str, in_parens: bool, before: str = "", prior: str = "") -> list[str]:
    """The features of a figure: its unit and the character n-grams around it."""
    w = window.strip(" ,、;:")[-16:]
    a = after[:8]
    b = before[-20:]
    out = [f"u={unit}", f"p={int(in_parens)}", f"n={w[-4:]}", f"u={unit}|a={a[:2]}", f"lb={prior}|u={unit}"]
    for n in (1, 2, 3):
        out += [f"w{n}={w[i : i + n]}" for i in range(len(w) - n + 1)]
        out += [f"a{n}={a[i : i + n]}" for i in range(len(a) - n + 1)]
    out += [f"b2={b[i : i + 2]}" for i in range(len(b) - 1)]
    return out


def clause_features(c) -> list[str]:
    t, q, s = c.doc.text, c.q, c.sent
    return features(
        c.window, t[q.end : min(s.end, q.end + 8)], q.unit, q.in_parens, t[s.start : c.wstart], c.prior_base
    )


def label_of(metric: str) -> str:
    """A gold metric as the model's label: industry_X and industrial_X are one measure, {IND}X."""
    for prefix in ("industry_", "industrial_"):
        if metric.startswith(prefix):
            rest = metric[len(prefix) :]
            if f"industry_{rest}" in FACT_METRICS and f"industrial_{rest}" in FACT_METRICS:
                return "{IND}" + rest
    return metric


def fits_unit(label: str, unit: str) -> bool:
    """Whether a label can be the measure of a figure in this unit."""
    if label.endswith("_count"):
        return unit == "count"
    if label.endswith(("_growth", "_share")) or "_share_of_" in label:
        return unit == "percent"
    if label in ("vehicle_production", "nev_production", "nev_sales"):
        return unit == "vehicle"
    return unit in ("yuan", "usd")


class Model:
    """Weights of an averaged perceptron: feature -> {label index: weight}."""

    def __init__(self, labels: list[str], weights: dict[str, dict[int, float]], margin: float):
        self.labels, self.weights, self.margin = labels, weights, margin
        self.none = labels.index(NONE)

    def scores(self, feats: list[str]) -> list[float]:
        s = [0.0] * len(self.labels)
        for f in feats:
            for k, v in self.weights.get(f, {}).items():
                s[k] += v
        return s

    def predict(self, feats: list[str], unit: str) -> tuple[str, float]:
        """The best label that fits the unit and how far it beats "none" (NONE, 0.0 if none does)."""
        s = self.scores(feats)
        best, top = NONE, s[self.none]
        for k, v in enumerate(s):
            if v > top and fits_unit(self.labels[k], unit):
                best, top = self.labels[k], v
        return best, top - s[self.none]

    def to_json(self, meta: dict) -> str:
        w = {
            f: {str(k): round(v, 3) for k, v in sorted(d.items()) if round(v, 3)}
            for f, d in sorted(self.weights.items())
        }
        w = {f: d for f, d in w.items() if d}
        return json.dumps({**meta, "labels": self.labels, "margin": self.margin, "weights": w}, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Model:
        d = json.loads(text)
        w = {f: {int(k): v for k, v in ws.items()} for f, ws in d["weights"].items()}
        return cls(d["labels"], w, d["margin"])


@functools.lru_cache(maxsize=1)
def shipped() -> Model | None:
    return Model.from_json(MODEL_PATH.read_text(encoding="utf-8")) if MODEL_PATH.exists() else None


def current() -> Model | None:
    return _override[-1] if _override else shipped()


@contextmanager
def using(model: Model | None):
    """Read with another model (or with none: the rules alone) inside the block."""
    _override.append(model)
    try:
        yield
    finally:
        _override.pop()


def fallback(c) -> bool:
    """The measure the model gives a figure the rules gave none, into c.choice; False if it gives none."""
    model = current()
    if model is None or c.q.unit not in ("yuan", "usd", "percent", "vehicle"):
        return False  # a count is named by the noun counted, which the vocabulary lists in full
    if M.ANY_BASE.search(c.window):
        return False  # the rules saw a measure they know and left the figure out on purpose
    if len(re.findall(r"[\u4e00-\u9fff]", re.sub(CHANGE, "", c.window))) < 2:
        return False  # 增长4.3% right after a figure: the growth of a figure the rules have decided on
    label, margin = model.predict(clause_features(c), c.q.unit)
    if label == NONE or margin < model.margin:
        return False
    if label.endswith("_growth") and M.SHARE.search(c.window):
        return False  # 占…的比重 is a share, never a growth
    cluster = None
    if label.startswith("{IND}"):
        cluster = M.find_cluster(c.window)
        measure = label[5:]
        metric = ("industry_" if cluster else "industrial_") + measure
    else:
        metric = label
    if metric not in FACT_METRICS:
        return False
    value = c.q.value
    if metric.endswith("_growth") and M.FALL.search(c.window):
        value = -abs(value)  # 下降3.2%
    c.choice = Choice(metric, c.window.strip(" ,、")[-20:], cluster, value)
    c.learned = True
    return True
