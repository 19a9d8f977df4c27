"""The rule language (conditions.py), the fact catalogue (catalogue.py) and the compiler
(compiler.py). Pure Python: no database access, no eval."""
