"""Compiling a rule set: conditions → nested closures, indexed by transaction code.

The compiled rule set is plain Python: a dict transaction code → `CodeRules` (the rules of that
code, plus rules for every transaction), so the cost of an evaluation does not grow with the
rules of other transactions. Inside a code, rules whose condition has a top-level equality test
(`transaction.branch = "BJ01"`, `elements.product_code in [...]`, `customer.customer_type =
"corporate"`) are also indexed by that field's value: only the rules whose value matches are
tried. The engine takes a plain facts mapping (field path → value) and never touches the
database: the evaluate service gathers the facts.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.utils.translation import get_language

from bankcore.money import Money

from .catalogue import BOOLEAN, INTEGER, MONEY, STRING, field_source
from .conditions import (
    AllOf,
    Leaf,
    Node,
    Not,
    condition_expression,
    condition_fields,
    parse_condition,
)
from .sentences import Explainer, ValueNames, compile_condition_text, compile_explainer
from .specs import (
    ImageRef,
    ProcessingSpec,
    ReviewPointRef,
    RuleSetSpec,
    RuleSpec,
    SceneSpec,
    TransactionSpec,
)

Facts = Mapping[str, Any]
Matcher = Callable[[Facts], bool]

_ORDERED = {
    "eq": operator.eq,
    "ne": operator.ne,
    "gt": operator.gt,
    "gte": operator.ge,
    "lt": operator.lt,
    "lte": operator.le,
}

# --- Decisions ------------------------------------------------------------------------------


# Built on every evaluation that raises a reason: named tuples (immutable, as the decisions they
# make up are shared, and several times quicker to build than frozen dataclasses).
class RaisedReason(NamedTuple):
    reason_code: str
    reason_name: str
    rule_code: str
    rule_name: str
    condition: str  # the rule's condition as a sentence, in the request's language
    explanation: str  # the compared values, in the request's language
    outcome: str
    mode: str
    level: int
    authorizers_required: int
    # The condition's technical form, for integrators (field paths, the same in every language).
    expression: str = ""


@dataclass(frozen=True, slots=True)
class SceneRef:
    code: str
    name: str
    classification: str
    business_type: str


class Decision(NamedTuple):
    """The answer to "does this transaction need authorization, and how?"."""

    required: bool
    refused: bool
    mode: str | None
    level: int | None
    authorizer_role: str | None
    authorizers_required: int | None
    time_limit_minutes: int | None
    escalation_level: int | None
    scene: SceneRef | None
    required_image_types: tuple[ImageRef, ...]
    optional_image_types: tuple[ImageRef, ...]
    review_points: tuple[ReviewPointRef, ...]
    reasons: tuple[RaisedReason, ...]
    version_id: int
    version_number: int


# The order of strictness when several reasons fire (strictest first): the physical presence of
# a supervisor beats a push to another terminal, which beats the remote centre, then mobile.
MODE_STRICTNESS = {"on_site": 4, "cross_terminal": 3, "remote_centralized": 2, "mobile": 1}
DEFAULT_PROCESSING = ProcessingSpec(
    code="(default)",
    reason_code="",
    outcome="authorize",
    mode="on_site",
    level=1,
    authorizer_role="branch_supervisor",
    authorizers_required=1,
    time_limit_minutes=None,
    escalation_level=None,
    scene_code=None,
)

# --- Conditions → closures ------------------------------------------------------------------


def _leaf_matcher(leaf: Leaf) -> Matcher:
    path, op, lit = leaf.field, leaf.op, leaf.value
    if op == "is_set":
        return lambda facts: facts.get(path) is not None
    if leaf.kind == MONEY:
        compare = _ORDERED[op]
        amount, currency = lit.amount, lit.currency

        def money(facts: Facts) -> bool:
            value = facts.get(path)
            return (
                value is not None and value.currency == currency and compare(value.amount, amount)
            )

        return money
    if op == "eq":
        return lambda facts: (value := facts.get(path)) is not None and value == lit
    if op in _ORDERED:
        compare = _ORDERED[op]
        return lambda facts: (value := facts.get(path)) is not None and compare(value, lit)
    if op == "in":
        return lambda facts: facts.get(path) in lit
    if op == "not_in":
        return lambda facts: (value := facts.get(path)) is not None and value not in lit
    if op == "starts_with":
        return lambda facts: (value := facts.get(path)) is not None and value.startswith(lit)
    raise ValueError(f"unknown operator {op}")  # parse_condition already refused it


def compile_matcher(node: Node) -> Matcher:
    if isinstance(node, Leaf):
        return _leaf_matcher(node)
    if isinstance(node, Not):
        inner = compile_matcher(node.child)
        return lambda facts: not inner(facts)
    children = tuple(compile_matcher(child) for child in node.children)
    if len(children) == 1:
        return children[0]
    if isinstance(node, AllOf):
        if not children:
            return lambda facts: True
        if len(children) == 2:
            first, second = children
            return lambda facts: first(facts) and second(facts)
        return lambda facts: all(child(facts) for child in children)
    if len(children) == 2:
        first, second = children
        return lambda facts: first(facts) or second(facts)
    return lambda facts: any(child(facts) for child in children)


@dataclass(slots=True)
class CompiledRule:
    code: str
    name: str
    reason_code: str
    position: int
    systems: frozenset[str] | None
    match: Matcher
    node: Node
    sources: frozenset[str]
    explain: Explainer
    wording: Callable[[str], str]  # language → the condition as a sentence (kept)
    _expression: str = ""

    def text(self, language: str | None = None) -> str:
        """The condition as a sentence, in `language` (the active one; the default: the
        active)."""
        return self.wording(language or get_language())

    def expression(self) -> str:
        """The condition's technical form (field paths; the same in every language)."""
        if not self._expression:
            self._expression = condition_expression(self.node)
        return self._expression

    def explanation(self, facts: Facts, language: str | None = None) -> str:
        return "; ".join(self.explain(facts, language or get_language()))


def _index_key(node: Node) -> tuple[str, tuple] | None:
    """A top-level equality conjunct to index the rule by: (field, hashable values)."""
    conjuncts = node.children if isinstance(node, AllOf) else (node,)
    for child in conjuncts:
        if isinstance(child, Leaf) and child.kind in (STRING, INTEGER, BOOLEAN):
            if child.op == "eq":
                return child.field, (child.value,)
            if child.op == "in":
                return child.field, tuple(child.value)
    return None


@dataclass(slots=True)
class CodeRules:
    """The rules of one transaction code: unindexed ones, and the others by field value."""

    residual: tuple[CompiledRule, ...]
    index: tuple[tuple[str, dict[Any, tuple[CompiledRule, ...]]], ...]
    sources: frozenset[str]

    def fired(self, channel: str, facts: Facts) -> list[CompiledRule]:
        candidates = self.residual
        hits: tuple[CompiledRule, ...] = ()
        for path, table in self.index:
            hit = table.get(facts.get(path))
            if hit:
                hits += hit
        if hits:  # in rule order, as if every rule had been tried
            candidates = sorted(candidates + hits, key=_position)
        return [
            rule
            for rule in candidates
            if (rule.systems is None or channel in rule.systems) and rule.match(facts)
        ]


def _position(rule: CompiledRule) -> int:
    return rule.position


def _build_code_rules(rules: list[CompiledRule], *, use_index: bool) -> CodeRules:
    residual: list[CompiledRule] = []
    index: dict[str, dict[Any, list[CompiledRule]]] = {}
    for rule in rules:
        key = _index_key(rule.node) if use_index else None
        if key is None:
            residual.append(rule)
            continue
        path, values = key
        table = index.setdefault(path, {})
        for value in values:
            table.setdefault(value, []).append(rule)
    sources = frozenset(source for rule in rules for source in rule.sources)
    return CodeRules(
        residual=tuple(residual),
        index=tuple(
            (path, {value: tuple(hits) for value, hits in table.items()})
            for path, table in index.items()
        ),
        sources=sources,
    )


@dataclass
class CompiledRuleSet:
    version_id: int
    version_number: int
    transactions: dict[str, TransactionSpec]
    channels: frozenset[str]
    by_code: dict[str, CodeRules]
    reasons: dict[str, str]
    processing: dict[str, ProcessingSpec]
    scenes: dict[str, SceneSpec]
    default_scenes: dict[tuple[str, str | None], str]
    not_required: Decision = field(init=False)
    _shapes: dict[tuple[str, str, tuple[str, ...]], DecisionShape] = field(
        init=False, default_factory=dict, repr=False
    )

    def __post_init__(self) -> None:
        self.not_required = Decision(
            required=False,
            refused=False,
            mode=None,
            level=None,
            authorizer_role=None,
            authorizers_required=None,
            time_limit_minutes=None,
            escalation_level=None,
            scene=None,
            required_image_types=(),
            optional_image_types=(),
            review_points=(),
            reasons=(),
            version_id=self.version_id,
            version_number=self.version_number,
        )

    def sources_for(self, code: str) -> frozenset[str]:
        """Fact sources the rules of `code` reference (the service gathers only these)."""
        rules = self.by_code.get(code)
        return rules.sources if rules is not None else frozenset()

    def fired(self, code: str, channel: str, facts: Facts) -> list[CompiledRule]:
        rules = self.by_code.get(code)
        return rules.fired(channel, facts) if rules is not None else []

    def decide(self, code: str, channel: str, facts: Facts) -> Decision:
        fired = self.fired(code, channel, facts)
        if not fired:
            return self.not_required
        return self.combine(code, channel, fired, facts)

    def scene_for(self, code: str, channel: str, processing: ProcessingSpec) -> SceneSpec | None:
        scene_code = processing.scene_code or self.default_scenes.get(
            (code, channel), self.default_scenes.get((code, None))
        )
        return self.scenes.get(scene_code) if scene_code else None

    def combine(self, code: str, channel: str, fired: list[CompiledRule], facts: Facts) -> Decision:
        """Combine the fired rules' reasons (see `_shape`); the explanations are written for
        these facts, in the active language."""
        language = get_language()
        reason_codes = tuple(dict.fromkeys(rule.reason_code for rule in fired))
        key = (code, channel, reason_codes)
        shape = self._shapes.get(key)
        if shape is None:
            shape = self._shape(code, channel, reason_codes)
            if len(self._shapes) >= _SHAPES_KEPT:
                self._shapes.clear()
            self._shapes[key] = shape
        processing, reasons = self.processing, self.reasons
        raised = []
        for rule in fired:
            reason = processing.get(rule.reason_code, DEFAULT_PROCESSING)
            raised.append(
                RaisedReason(
                    reason_code=rule.reason_code,
                    reason_name=reasons.get(rule.reason_code, rule.reason_code),
                    rule_code=rule.code,
                    rule_name=rule.name,
                    condition=rule.text(language),
                    explanation=rule.explanation(facts, language),
                    outcome=reason.outcome,
                    mode=reason.mode,
                    level=reason.level,
                    authorizers_required=reason.authorizers_required,
                    expression=rule.expression(),
                )
            )
        return Decision(
            required=True,
            refused=shape.refused,
            mode=shape.mode,
            level=shape.level,
            authorizer_role=shape.authorizer_role,
            authorizers_required=shape.authorizers_required,
            time_limit_minutes=shape.time_limit_minutes,
            escalation_level=shape.escalation_level,
            scene=shape.scene,
            required_image_types=shape.required_image_types,
            optional_image_types=shape.optional_image_types,
            review_points=shape.review_points,
            reasons=tuple(raised),
            version_id=self.version_id,
            version_number=self.version_number,
        )

    def _shape(self, code: str, channel: str, reason_codes: tuple[str, ...]) -> DecisionShape:
        """What a decision is for this set of reasons, whatever the facts: refused if any
        reason is not allowed; the strictest mode wins (on_site > cross_terminal >
        remote_centralized > mobile), then the highest level; dual beats single; the shortest
        time limit; images and review points are the union over the reasons' scenes
        (required beats optional)."""
        processings = [self.processing.get(code_, DEFAULT_PROCESSING) for code_ in reason_codes]
        refused = any(p.outcome == "refuse" for p in processings)
        authorizing = [p for p in processings if p.outcome != "refuse"] or processings
        winner = max(
            authorizing,
            key=lambda p: (MODE_STRICTNESS.get(p.mode, 0), p.level, p.authorizers_required),
        )
        limits = [p.time_limit_minutes for p in authorizing if p.time_limit_minutes]
        scenes: list[SceneSpec] = []
        primary = self.scene_for(code, channel, winner)
        if primary is not None:
            scenes.append(primary)
        for processing in processings:
            scene = self.scene_for(code, channel, processing)
            if scene is not None and scene not in scenes:
                scenes.append(scene)
        required: dict[str, ImageRef] = {}
        optional: dict[str, ImageRef] = {}
        points: dict[str, ReviewPointRef] = {}
        for scene in scenes:
            for image in scene.required_images:
                known = required.get(image.code)
                if known is None or known.min_count < image.min_count:
                    required[image.code] = image
            for image in scene.optional_images:
                optional.setdefault(image.code, image)
            for point in scene.review_points:
                points.setdefault(point.code, point)
        return DecisionShape(
            refused=refused,
            mode=winner.mode,
            level=max(p.level for p in authorizing),
            authorizer_role=winner.authorizer_role,
            authorizers_required=max(p.authorizers_required for p in authorizing),
            time_limit_minutes=min(limits) if limits else None,
            escalation_level=winner.escalation_level,
            scene=(
                SceneRef(primary.code, primary.name, primary.classification, primary.business_type)
                if primary is not None
                else None
            ),
            required_image_types=tuple(required.values()),
            optional_image_types=tuple(
                image for code_, image in optional.items() if code_ not in required
            ),
            review_points=tuple(points.values()),
        )


@dataclass(frozen=True, slots=True)
class DecisionShape:
    """The part of a decision that depends only on which reasons were raised (for one
    transaction code and channel): worked out once per combination and kept."""

    refused: bool
    mode: str
    level: int
    authorizer_role: str
    authorizers_required: int
    time_limit_minutes: int | None
    escalation_level: int | None
    scene: SceneRef | None
    required_image_types: tuple[ImageRef, ...]
    optional_image_types: tuple[ImageRef, ...]
    review_points: tuple[ReviewPointRef, ...]


# Combinations of reasons met in practice are few; the bound only guards memory.
_SHAPES_KEPT = 10_000


def compile_rule(
    spec: RuleSpec,
    *,
    elements: dict[str, str] | None,
    position: int,
    labels: dict[str, str] | None = None,
    names: ValueNames | None = None,
) -> CompiledRule:
    """`names`: the names of table catalogues' values the sentences show (codes without)."""
    node = parse_condition(spec.condition, elements=elements)
    sources = frozenset(field_source(path) for path in condition_fields(node))
    return CompiledRule(
        code=spec.code,
        name=spec.name,
        reason_code=spec.reason_code,
        position=position,
        systems=frozenset(spec.trigger_systems) if spec.trigger_systems else None,
        match=compile_matcher(node),
        node=node,
        sources=sources,
        explain=compile_explainer(
            node, labels, matcher=compile_matcher, elements=elements, names=names
        ),
        wording=compile_condition_text(node, labels, elements=elements, names=names),
    )


def compile_rule_set(spec: RuleSetSpec, *, use_index: bool = True) -> CompiledRuleSet:
    """Compile every rule once. Raises ConditionInvalid for a rule that does not parse (a
    published version has been checked, so this only happens for broken drafts)."""
    per_code: dict[str, list[CompiledRule]] = {code: [] for code in spec.transactions}
    ordered = sorted(enumerate(spec.rules), key=lambda item: (item[1].position, item[0]))
    for position, (_original, rule_spec) in enumerate(ordered):
        if rule_spec.transaction_code is None:
            compiled = compile_rule(
                rule_spec, elements=None, position=position, names=spec.value_names
            )
            for rules in per_code.values():
                rules.append(compiled)
        elif rule_spec.transaction_code in spec.transactions:
            transaction = spec.transactions[rule_spec.transaction_code]
            compiled = compile_rule(
                rule_spec,
                elements=transaction.elements,
                position=position,
                labels=transaction.labels,
                names=spec.value_names,
            )
            per_code[rule_spec.transaction_code].append(compiled)
    processing: dict[str, ProcessingSpec] = {}
    for item in spec.processing:
        processing.setdefault(item.reason_code, item)  # the check reports duplicates
    default_scenes: dict[tuple[str, str | None], str] = {}
    for scene in spec.scenes:
        if scene.transaction_code:
            default_scenes.setdefault((scene.transaction_code, scene.channel), scene.code)
    return CompiledRuleSet(
        version_id=spec.version_id,
        version_number=spec.version_number,
        transactions=spec.transactions,
        channels=spec.channels,
        by_code={
            code: _build_code_rules(rules, use_index=use_index) for code, rules in per_code.items()
        },
        reasons=spec.reasons,
        processing=processing,
        scenes={scene.code: scene for scene in spec.scenes},
        default_scenes=default_scenes,
    )


__all__ = [
    "CompiledRule",
    "CompiledRuleSet",
    "Decision",
    "ImageRef",
    "Money",
    "ProcessingSpec",
    "RaisedReason",
    "ReviewPointRef",
    "RuleSetSpec",
    "RuleSpec",
    "SceneRef",
    "SceneSpec",
    "TransactionSpec",
    "compile_rule_set",
]
