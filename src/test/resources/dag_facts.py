"""Reads an Airflow DAG file with ast only (no Airflow needed) and prints what the test checks."""
import ast
import json
import sys



def resolve(node, known):
    """Evaluates a literal, a name of an earlier constant, or a list or dict of them."""
    if isinstance(node, ast.Name):
        return known.get(node.id)
    if isinstance(node, ast.List):
        values = [resolve(element, known) for element in node.elts]
        return None if None in values else values
    try:
        return ast.literal_eval(node)
    except ValueError:
        return None


tree = ast.parse(open(sys.argv[1], encoding="utf-8").read(), filename=sys.argv[1])
constants = {}
edges = []
operators = set()
for node in ast.walk(tree):
    if isinstance(node, ast.Assign) and len(node.targets) == 1:
        target = node.targets[0]
        if isinstance(target, ast.Name) and target.id.isupper():
            value = resolve(node.value, constants)
            if value is not None:
                constants[target.id] = value
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.RShift):
        if isinstance(node.left, ast.Name) and isinstance(node.right, ast.Name):
            edges.append([node.left.id, node.right.id])
    if isinstance(node, ast.ImportFrom) and node.module and "operators" in node.module:
        operators.update(alias.name for alias in node.names)
    if isinstance(node, ast.ImportFrom) and node.module and "sensors" in node.module:
        operators.update(alias.name for alias in node.names)
print(json.dumps({"constants": constants, "edges": edges, "operators": sorted(operators)}))
