"""Third-party modules the given step scripts import, by AST: import statements and require / is_importable /
importlib.import_module calls with a literal name. Prints one JSON object {script: [module, ...]}."""
import ast
import json
import sys

CALLS = {"require", "is_importable", "import_module"}


def modules(source):
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name in CALLS:
                found.add(node.args[0].value)
    tops = {m.split(".")[0] for m in found}
    return sorted(t for t in tops if t not in sys.stdlib_module_names and t != "__future__")


if __name__ == "__main__":
    print(json.dumps({path: modules(open(path, encoding="utf-8").read()) for path in sys.argv[1:]}))
