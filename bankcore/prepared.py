"""ORM statements compiled once per database connection and run again with new values.

Why: on the review queue's hot path (claim next, a decision) building and compiling the
ORM's SQL cost about ten times what the database took to run it (issue 9's benchmark,
bench/bench_review_queue.py). The statements are still written with the ORM, once, with
`Param` placeholders where values go; `Prepared` compiles each shape once per connection
(so per database vendor and per thread) and afterwards only binds the values the way the
ORM does (`Field.get_db_prep_value` / `get_db_prep_save`), runs the SQL through Django's
cursor (query logging, `django_assert_num_queries`, execute wrappers all see it) and turns
rows into model instances with the compiler's own converters. Tests and production run the
same path, on SQLite and PostgreSQL alike.

On PostgreSQL (psycopg 3) the statements also run with server-side binding, prepared on the
server at their first run on a connection (psycopg's PREPARE, kept per connection): Django's
own cursors bind on the client and never prepare (connection poolers in transaction mode do
not keep prepared statements), so each run would be parsed and planned again. Only these
statements are prepared; everything else keeps Django's defaults. A pooler in transaction
mode would need its prepared-statement support (PgBouncer >= 1.21, max_prepared_statements).

A shape is whatever changes the SQL text: the caller gives it as the key, and the builder
must produce the same SQL for the same key (values that change the text, such as how many
currencies a limit has, belong in the key; values that do not are Params).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from django.db import connections
from django.db.models import CharField, Expression, Field, Model, QuerySet, TextField

# Kept on each connection wrapper (one per thread and alias): compiled for its database.
_ATTRIBUTE = "_prepared_statements"


def _text_field(field: Field) -> bool:
    """Whether the field hands a str to the database as it is (CharField, TextField and
    subclasses that change none of the conversions): binding skips the conversion calls for
    str values, the bulk of a hot statement's values."""
    cls = type(field)
    return (
        cls.get_db_prep_save is Field.get_db_prep_save
        and cls.get_db_prep_value is Field.get_db_prep_value
        and cls.get_prep_value in (CharField.get_prep_value, TextField.get_prep_value)
        and cls.to_python in (CharField.to_python, TextField.to_python)
    )


class _Slot:
    __slots__ = ("field", "name", "save", "text")

    def __init__(self, name: str, field: Field, save: bool):
        self.name, self.field, self.save = name, field, save
        self.text = _text_field(field)


class Param(Expression):
    """A value bound at each run of a Prepared statement (`field`: the model field the
    value is compared with or stored in; it converts the value for the database)."""

    def __init__(self, name: str, field: Field, *, save: bool = False):
        super().__init__(output_field=field)
        self.slot = _Slot(name, field, save)

    def as_sql(self, compiler, connection):
        return "%s", [self.slot]

    def __repr__(self) -> str:
        return f"Param({self.slot.name!r})"


def _cursor(connection):
    """Django's cursor (query log, execute wrappers and error wrapping included); on
    PostgreSQL with psycopg 3 over a server-side binding cursor that prepares."""
    if connection.vendor != "postgresql" or not _psycopg3():
        return connection.cursor()
    connection.ensure_connection()
    raw = connection.connection
    if raw.prepare_threshold is None:
        # Django leaves psycopg's threshold unset, and psycopg then prepares nothing, not even
        # what asks for it (prepare=True). A threshold no statement reaches by repetition
        # keeps everything else unprepared (Django's own cursors bind on the client and never
        # prepare anyway) and lets these statements be prepared.
        raw.prepare_threshold = _ONLY_WHEN_ASKED
    cursor = _preparing_cursor_class()(raw)
    if connection.queries_logged:
        cursor.shown_by = connection.ops
    with connection.wrap_database_errors:
        return connection._prepare_cursor(cursor)


_PSYCOPG3: list[bool] = []
_ONLY_WHEN_ASKED = 2**31 - 1


def _psycopg3() -> bool:
    if not _PSYCOPG3:
        from django.db.backends.postgresql.psycopg_any import is_psycopg3

        _PSYCOPG3.append(is_psycopg3)
    return _PSYCOPG3[0]


_PREPARING_CURSOR: list[type] = []


class _Shown:
    """A statement as the query log shows it (what it reads of psycopg's `_query`)."""

    __slots__ = ("query",)

    def __init__(self, query: bytes):
        self.query = query


def _preparing_cursor_class() -> type:
    if not _PREPARING_CURSOR:
        from django.db.backends.postgresql.base import ServerBindingCursor

        class PreparingCursor(ServerBindingCursor):
            """Server-side binding; each statement prepared on the server at its first run
            (psycopg keeps up to `prepared_max` per connection)."""

            shown_by = None  # the connection's operations while queries are logged

            def execute(self, query, params=None, *, prepare=None, binary=None):
                result = super().execute(query, params, prepare=True, binary=binary)
                if self.shown_by is not None:
                    # Django's query log (connection.queries, CaptureQueriesContext, the
                    # debug toolbar) reads the statement from `_query.query`, which psycopg
                    # fills for client-side binding only: give it the statement with its
                    # values, as Django does for its own server-side binding.
                    self._query = _Shown(self.shown_by.compose_sql(query, params).encode())
                return result

        _PREPARING_CURSOR.append(PreparingCursor)
    return _PREPARING_CURSOR[0]


def _bind(params: tuple, values: dict[str, Any], connection) -> list:
    bound = []
    for param in params:
        if param.__class__ is _Slot:
            value = values[param.name]
            if param.text and isinstance(value, str):
                bound.append(value)  # what CharField.get_db_prep_save answers
                continue
            if isinstance(value, Model):
                value = value.pk
            if param.save:
                value = param.field.get_db_prep_save(value, connection)
            else:
                value = param.field.get_db_prep_value(value, connection, prepared=False)
            bound.append(value)
        else:
            bound.append(param)
    return bound


class _Rows:
    """A compiled SELECT answering its rows as tuples (a values_list queryset), their values
    in the order values_list named them."""

    def __init__(self, queryset: QuerySet, connection):
        compiler = self.compiler = queryset.query.get_compiler(connection=connection)
        self.sql, params = compiler.as_sql()
        self.params = tuple(params)
        self.converters = compiler.get_converters(
            [column[0] for column in compiler.select[: compiler.col_count]]
        )
        self.order = _column_order(queryset)

    def rows(self, values: dict[str, Any], connection) -> list[tuple]:
        with _cursor(connection) as cursor:
            cursor.execute(self.sql, _bind(self.params, values, connection))
            fetched = cursor.fetchall()
        if self.converters:
            fetched = [
                tuple(row) for row in self.compiler.apply_converters(fetched, self.converters)
            ]
        if self.order is not None:
            return [tuple(row[i] for i in self.order) for row in fetched]
        return fetched


def _column_order(queryset: QuerySet) -> tuple[int, ...] | None:
    """Where each field values_list named sits in the SELECT, when that is not the order named.

    django-modeltranslation's querysets (models with translated fields, e.g. OrgUnit) pass the
    fields to the SELECT as a set, in an order that changes from one process to the next, and
    put them back in order only in their own row iterator, which a compiled statement does not
    use. Translated fields themselves are not supported here (their SELECT holds one column per
    language)."""
    named = tuple(getattr(queryset, "original_fields", None) or queryset._fields or ())
    selected = tuple(queryset.query.selected or ())
    if not named or not selected or named == selected:
        return None
    missing = [name for name in named if name not in selected]
    if missing:
        raise ValueError(f"a prepared statement cannot select translated fields: {missing}")
    return tuple(selected.index(name) for name in named)


class _Select(_Rows):
    """A compiled SELECT answering model instances (with their annotations and the related
    objects of select_related)."""

    def __init__(self, queryset: QuerySet, connection):
        from django.db.models.query import get_related_populators

        super().__init__(queryset, connection)
        compiler = self.compiler
        klass_info = compiler.klass_info
        self.model = klass_info["model"]
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        self.model_slice = slice(start, end)
        self.init_list = [f[0].target.attname for f in compiler.select[start:end]]
        self.annotations = tuple(compiler.annotation_col_map.items())
        self.related = get_related_populators(klass_info, compiler.select, connection.alias)

    def run(self, values: dict[str, Any], connection) -> list[Model]:
        objects = []
        for row in self.rows(values, connection):
            obj = self.model.from_db(connection.alias, self.init_list, row[self.model_slice])
            for populator in self.related:
                populator.populate(row, obj)
            for name, position in self.annotations:
                setattr(obj, name, row[position])
            objects.append(obj)
        return objects


class _Update:
    """A compiled UPDATE; runs to the number of rows changed."""

    def __init__(self, queryset: QuerySet, changes: dict[str, Any], connection):
        from django.db.models.sql import UpdateQuery

        query = queryset.query.chain(UpdateQuery)
        query.add_update_values(changes)
        compiler = query.get_compiler(connection=connection)
        compiler.pre_sql_setup()
        if query.related_updates:  # one table only: several statements are not prepared
            raise ValueError("Prepared updates change one table.")
        self.sql, params = compiler.as_sql()
        self.params = tuple(params)

    def run(self, values: dict[str, Any], connection) -> int:
        with _cursor(connection) as cursor:
            cursor.execute(self.sql, _bind(self.params, values, connection))
            return cursor.rowcount


class _Insert:
    """A compiled single-row INSERT of `model` with every concrete field but the primary key
    (whose value, when the database returns it, is set on the saved object)."""

    def __init__(self, model: type[Model], connection):
        from django.db.models.sql import InsertQuery

        opts = model._meta
        self.fields = [f for f in opts.concrete_fields if not f.primary_key]
        template = model(**{f.attname: Param(f.attname, f, save=True) for f in self.fields})
        query = InsertQuery(model)
        query.insert_values(self.fields, [template])
        compiler = query.get_compiler(connection=connection)
        self.returning = connection.features.can_return_columns_from_insert
        if self.returning:
            compiler.returning_fields = [opts.pk]
        [(self.sql, params)] = compiler.as_sql()
        self.params = tuple(params)

    def run(self, obj: Model, connection) -> None:
        values = {f.attname: getattr(obj, f.attname) for f in self.fields}
        with _cursor(connection) as cursor:
            cursor.execute(self.sql, _bind(self.params, values, connection))
            if self.returning:
                obj.pk = cursor.fetchone()[0]
            else:
                obj.pk = connection.ops.last_insert_id(
                    cursor, obj._meta.db_table, obj._meta.pk.column
                )
        obj._state.adding = False
        obj._state.db = connection.alias


def _compiled(key: Hashable, build: Callable[[], Any], using: str):
    connection = connections[using]
    per_connection = connection.__dict__.get(_ATTRIBUTE)
    if per_connection is None:
        per_connection = connection.__dict__[_ATTRIBUTE] = {}
    compiled = per_connection.get(key)
    if compiled is None:
        compiled = per_connection[key] = build(connection)
    return compiled, connection


def select(
    key: Hashable, build: Callable[[], QuerySet], values: dict[str, Any], *, using="default"
) -> list[Model]:
    """The model instances `build()`'s queryset (with Params) returns for `values`."""
    compiled, connection = _compiled(
        ("select", key), lambda connection: _Select(build(), connection), using
    )
    return compiled.run(values, connection)


def rows(
    key: Hashable, build: Callable[[], QuerySet], values: dict[str, Any], *, using="default"
) -> list[tuple]:
    """The rows (tuples) `build()`'s values_list queryset (with Params) returns for `values`."""
    compiled, connection = _compiled(
        ("rows", key), lambda connection: _Rows(build(), connection), using
    )
    return compiled.rows(values, connection)


def update(
    key: Hashable,
    build: Callable[[], tuple[QuerySet, dict[str, Any]]],
    values: dict[str, Any],
    *,
    using="default",
) -> int:
    """Rows changed by `queryset.update(**changes)` (`build()` answers both, with Params)
    for `values`."""
    compiled, connection = _compiled(
        ("update", key), lambda connection: _Update(*build(), connection), using
    )
    return compiled.run(values, connection)


def insert(obj: Model, *, using="default") -> None:
    """Insert `obj` (a new row; every concrete field but the primary key), as
    `obj.save(force_insert=True)` does without its signals: for append-only records."""
    compiled, connection = _compiled(
        ("insert", type(obj)), lambda connection: _Insert(type(obj), connection), using
    )
    compiled.run(obj, connection)
