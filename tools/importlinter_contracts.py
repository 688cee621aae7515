"""import-linter contract types for nutgraf's ``[tool.importlinter]`` (``lint-imports``).

nutgraf's tests sit beside the code (``nutgraf/read/sentences_test.py``) and import across the
layers freely, as tests should; import-linter's module expressions cannot name "every module
whose name ends in ``_test``", so each contract type here is a built-in one that first removes
the test modules (a last name part ending in ``_test``, or ``conftest``) from its copy of the
graph. :class:`AcyclicModulesContract` adds what import-linter lacks: no import cycle between
any two modules, at whatever depth.

lint-imports puts the working directory on ``sys.path``, so ``pyproject.toml`` names these as
``tools.importlinter_contracts.NAME`` and lint-imports runs from the repository root.
"""

from __future__ import annotations

from grimp import ImportGraph
from importlinter.application import output
from importlinter.contracts.acyclic_siblings import AcyclicSiblingsContract
from importlinter.contracts.forbidden import ForbiddenContract
from importlinter.contracts.layers import LayersContract
from importlinter.domain.contract import Contract, ContractCheck


def is_test_module(module: str) -> bool:
    """Tell a test module (``x.y_test``, ``conftest``) from the code it tests."""
    last = module.rpartition(".")[2]
    return last.endswith("_test") or last == "conftest"


def remove_test_modules(graph: ImportGraph) -> None:
    """Take every test module, and so its imports, out of ``graph`` (the contract's own copy)."""
    for module in [m for m in graph.modules if is_test_module(m)]:
        graph.remove_module(module)


class ProductLayersContract(LayersContract):
    """``layers``, over the product modules only."""

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        """Check the built-in contract with the test modules taken out of ``graph``."""
        remove_test_modules(graph)
        return super().check(graph, verbose)


class ProductForbiddenContract(ForbiddenContract):
    """``forbidden``, over the product modules only."""

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        """Check the built-in contract with the test modules taken out of ``graph``."""
        remove_test_modules(graph)
        return super().check(graph, verbose)


class ProductAcyclicSiblingsContract(AcyclicSiblingsContract):
    """``acyclic_siblings``, over the product modules only."""

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        """Check the built-in contract with the test modules taken out of ``graph``."""
        remove_test_modules(graph)
        return super().check(graph, verbose)


class AcyclicModulesContract(Contract):
    """No module of the root packages imports itself through other modules, tests left out.

    ``acyclic_siblings`` compares the children of each package, each with its descendants
    squashed into it; this looks at single modules, so it also finds a package's
    ``__init__`` and one of its own modules importing each other. Every cycle is one strongly
    connected component of the import graph; each is reported with one of its cycles.
    """

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        """Find the strongly connected components of more than one module, or a self-import."""
        remove_test_modules(graph)
        roots: list[str] = list(self.session_options["root_packages"])
        internal = sorted(
            m for m in graph.modules if any(m == r or m.startswith(f"{r}.") for r in roots)
        )
        imports = {
            m: sorted(i for i in graph.find_modules_directly_imported_by(m) if i in internal)
            for m in internal
        }
        cycles = [
            _one_cycle(component, imports)
            for component in _strongly_connected(internal, imports)
            if len(component) > 1 or component[0] in imports[component[0]]
        ]
        return ContractCheck(kept=not cycles, metadata={"cycles": cycles})

    def render_broken_contract(self, check: ContractCheck) -> None:
        """Print one cycle of each component, a line each."""
        for cycle in check.metadata["cycles"]:
            output.print_error(" -> ".join(cycle), bold=False)
            output.new_line()


def _strongly_connected(nodes: list[str], edges: dict[str, list[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components, without recursion; each component sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    for start in nodes:
        if start in index:
            continue
        work: list[tuple[str, int]] = [(start, 0)]
        while work:
            node, position = work.pop()
            if position == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            for offset, target in enumerate(edges[node][position:], position):
                if target not in index:
                    work.append((node, offset + 1))
                    work.append((target, 0))
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            else:
                if low[node] == index[node]:
                    component: list[str] = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    components.append(sorted(component))
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
    return components


def _one_cycle(component: list[str], edges: dict[str, list[str]]) -> list[str]:
    """One cycle through the first module of ``component``, as a list that ends where it began."""
    members = set(component)
    start = component[0]
    came_from: dict[str, str] = {}
    frontier = [start]
    while frontier:  # breadth first, so the cycle shown is a shortest one through start
        following: list[str] = []
        for node in frontier:
            for target in edges[node]:
                if target == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(came_from[path[-1]])
                    return [start, *reversed(path[:-1]), start]
                if target in members and target not in came_from:
                    came_from[target] = node
                    following.append(target)
        frontier = following
    raise AssertionError(f"no cycle through {start}")  # a component always has one
