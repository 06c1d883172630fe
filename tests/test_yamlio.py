"""yamlio reads YAML as PyYAML's safe loader would (with the module's resolver rules),
whichever of its ways a document takes, and refuses keys written twice."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from issfacts import yamlio

# Scalars that look like something else in YAML 1.1: the resolvers decide what they are.
TRICKY = st.sampled_from(
    ["yes", "No", "on", "OFF", "true", "~", "null", "", "0", "-7", "012", "0x1F", "1_000", "3:25:45", "1.5", ".inf",
     "-.NaN", "1e3", "2021", "2021-07-29", "2021-07-29T12:00:00Z", "<<", "=", "!", "&", "-", "#", "@x", "'q'"]
)  # fmt: skip
SCALAR = st.one_of(
    TRICKY,
    st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=30),
    st.integers(-(10**12), 10**12),
    st.booleans(),
    st.none(),
)
PLAIN = st.recursive(
    SCALAR,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(SCALAR, inner, max_size=4),
    max_leaves=25,
)


def reference(text: str) -> Any:
    """PyYAML's constructor with the same resolvers: what every way must agree with."""
    return yaml.load(text, Loader=yamlio._FastLoader)


def test_libyaml_is_used_when_pyyaml_has_it() -> None:
    assert yamlio.WITH_LIBYAML is bool(yaml.__with_libyaml__)


@settings(max_examples=300)
@given(PLAIN, st.sampled_from([None, False, True]))
def test_the_fast_way_builds_what_pyyaml_builds(value: Any, flow: bool | None) -> None:
    text = yaml.safe_dump(value, default_flow_style=flow, allow_unicode=True)
    assume(yamlio._looks_harmless(text))  # the scan is cautious: `[&` looks like an anchor
    assert yamlio.load(text) == reference(text)


@settings(max_examples=100)
@given(PLAIN)
def test_the_guarded_way_builds_what_pyyaml_builds(value: Any) -> None:
    text = "anchored: &a 1\nvalue: " + yaml.safe_dump({"v": value}, default_flow_style=True, allow_unicode=True)
    assert not yamlio._looks_harmless(text)  # an anchor sends it the guarded way
    assert yamlio.load(text) == reference(text)


@pytest.mark.parametrize(
    "text",
    [
        "a: !!binary aGVsbG8=\n",
        "a: !!float 1\nb: 1.5\nc: .inf\n",
        "a: !!int 0x1F\nb: 0o17\n",
        "a: !!timestamp 2021-07-29\n",
        "a: !!set {x, y}\n",
        "a: !!omap [x: 1, y: 2]\n",
        "<<: {a: 1}\nb: 2\n",
        "? [1, 2]\n: x\n",
        "",
        "# only a comment\n",
        "--- plain text\n",
    ],
)
def test_documents_beyond_plain_data_read_as_pyyaml_reads_them(text: str) -> None:
    try:
        expected: Any = reference(text)
    except yaml.YAMLError as error:
        with pytest.raises(type(error)):
            yamlio.load(text)
        return
    assert yamlio.load(text) == expected


@settings(max_examples=300)
@given(st.one_of(TRICKY, st.text(max_size=12)), st.booleans(), st.booleans())
def test_the_quick_resolver_agrees_with_pyyaml(value: str, plain: bool, quoted: bool) -> None:
    quick, full = yamlio._TreeLoader(""), yamlio._GuardedLoader("")
    for kind in (ScalarNode, SequenceNode, MappingNode):
        shown = value if kind is ScalarNode else None
        assert quick.resolve(kind, shown, (plain, quoted)) == full.resolve(kind, shown, (plain, quoted))  # type: ignore[no-untyped-call]


DUPLICATES = [
    ("a: 1\nb: 2\na: 3\n", 3),
    ("a: 1\n'a': 2\n", 2),  # quoted or not, the same key
    ("x:\n  - {k: 1, k: 2}\n", 2),
    ("top: &t 1\nlist:\n  - a: 1\n    b: *t\n    a: 2\n", 5),  # the guarded way
]


@pytest.mark.parametrize(("text", "line"), DUPLICATES)
def test_a_key_written_twice_is_refused_where_it_is(text: str, line: int) -> None:
    with pytest.raises(yaml.MarkedYAMLError) as caught:
        yamlio.load(text)
    assert "appears twice in one mapping" in str(caught.value.problem)
    assert caught.value.problem_mark is not None and caught.value.problem_mark.line + 1 == line


def test_keys_that_differ_only_in_type_are_not_duplicates() -> None:
    assert yamlio.load("1: int\n'1': text\n") == {1: "int", "1": "text"}


@pytest.mark.parametrize(
    "text", ["x: " + "[" * 3000 + "]" * 3000, "x:\n" + "".join(" " * i + "-\n" for i in range(1, 1200))]
)
def test_nesting_is_refused_in_one_message_whichever_layer_stops_it(text: str) -> None:
    # libyaml 0.2.6 (PyYAML >= 6.0.4) stops deep flow nesting in its own scanner, before
    # the composer's limit; older builds and pure Python reach the composer's limit.
    with pytest.raises(yamlio.LimitError, match=f"nesting deeper than {yamlio.MAX_DEPTH} levels"):
        yamlio.load(text)
    with pytest.raises(yamlio.LimitError, match=f"nesting deeper than {yamlio.MAX_DEPTH} levels"):
        yamlio.compose(text)


def test_other_scanner_errors_pass_through_unchanged() -> None:
    with pytest.raises(yaml.scanner.ScannerError, match="mapping values are not allowed"):
        yamlio.load("a: b: c\n")
