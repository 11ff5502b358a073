"""The ledger and the blacklist know nothing of each other; the automatic rules sit above both
(ratings.services.automatic)."""

import ast
import inspect

from ratings.services import automatic, blacklist, credit


def imported_modules(module) -> set[str]:
    """Every module the source imports, at the top or inside a function."""
    names = set()
    for node in ast.walk(ast.parse(inspect.getsource(module))):
        if isinstance(node, ast.ImportFrom):
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_credit_does_not_import_the_blacklist_nor_the_rules():
    imported = imported_modules(credit)
    assert not {n for n in imported if n.startswith(("ratings.services.blacklist",
                                                       "ratings.services.automatic"))}
    assert "ratings.services" not in imported  # the package would bring the blacklist along


def test_the_blacklist_does_not_import_credit_nor_the_rules():
    imported = imported_modules(blacklist)
    assert not {n for n in imported if n.startswith(("ratings.services.credit",
                                                       "ratings.services.automatic"))}
    assert "ratings.services" not in imported  # the package would bring credit along


def test_the_rules_module_imports_both():
    imported = imported_modules(automatic)
    assert {"ratings.services.credit", "ratings.services.blacklist"} <= imported
