"""A fact the reader found: one figure with who it belongs to, what it measures, when, and its quote."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

# Fields a fact leaves out of its dictionary when they are empty.
OPTIONAL = ("qualifier", "entity_as_written", "metric_zh", "entity_code")
FLAGS = ("entity_inferred", "period_inferred")


@dataclass
class Fact:
    article: str
    entity: str
    entity_type: str
    metric: str
    value: float
    unit: str
    period: str | None
    kind: str
    cluster: str | None
    quote: str
    span: tuple[int, int]  # in the cleaned text
    qualifier: str | None = None
    entity_as_written: str | None = None
    metric_zh: str | None = None
    entity_code: str | None = None
    entity_inferred: bool = False
    period_inferred: bool = False
    # how the reader came to it (not part of the fact schema)
    bracketed: bool = field(default=False, repr=False, compare=False)  # a figure in brackets (全省(7.7%))
    explicit: bool = field(default=True, repr=False, compare=False)  # its measure is named next to it
    from_table: bool = field(default=False, repr=False, compare=False)  # a cell of a statistics table

    def to_dict(self) -> dict:
        d = asdict(self)
        del d["bracketed"], d["explicit"], d["from_table"]
        d["span"] = list(self.span)
        for k in OPTIONAL:
            if d[k] is None:
                del d[k]
        for k in FLAGS:
            if not d[k]:
                del d[k]
        return d
