"""Cada operación lleva su derivada escrita junto a su backward: regla, LaTeX y forma local.

- toda subclase de ``Op`` define en su propia clase ``rule`` y ``rule_latex`` (una subclase
  no hereda la de su base: ``Std`` no es ``Var``);
- las elemento a elemento definen ``local``: una plantilla por entrada del forward;
- ``rule_latex`` es LaTeX de verdad (lo comprueba el intérprete de mathtext de matplotlib);
- ``shape_hint`` da los mismos mensajes de formas que antes daba ``errors.py``.
"""
import importlib
import inspect
import pkgutil
import re

import pytest

import tinygrad_es as torch
import tinygrad_es.ops
from tinygrad_es import nn
from tinygrad_es.errors import ShapeError
from tinygrad_es.ops import elementwise, selection, unary
from tinygrad_es.ops.base import Op
from tinygrad_es.viz.derivatives import simbolica


def _ops():
    for modulo in pkgutil.iter_modules(tinygrad_es.ops.__path__):
        importlib.import_module(f"tinygrad_es.ops.{modulo.name}")
    encontradas, pendientes = [], [Op]
    while pendientes:
        for sub in pendientes.pop().__subclasses__():
            pendientes.append(sub)
            if not sub.__name__.startswith("_"):   # bases abstractas: _Extreme
                encontradas.append(sub)
    return sorted(encontradas, key=lambda c: c.__name__)


OPS = _ops()
ELEMENTO_A_ELEMENTO = [op for op in OPS if op.__module__ in (elementwise.__name__, unary.__name__,
                                                             selection.__name__)]
CON_LOCAL = [op for op in OPS if "local" in vars(op)]
SIMBOLOS_UNICODE = set("∂σ·²ᵀΣ⊙√ⁿŷᵢⱼₚ‖→")


def _entradas(op):
    """Cuántos arrays recibe el forward: los parámetros sin valor por defecto, sin ctx."""
    forward = inspect.signature(op.forward)
    return sum(1 for p in list(forward.parameters.values())[1:]
               if p.default is inspect.Parameter.empty and p.kind is p.POSITIONAL_OR_KEYWORD)


def test_hay_operaciones():
    assert len(OPS) > 50 and len(ELEMENTO_A_ELEMENTO) > 20


@pytest.mark.parametrize("op", OPS, ids=lambda op: op.__name__)
def test_toda_op_tiene_su_regla(op):
    for atributo in ("rule", "rule_latex"):
        assert atributo in vars(op), f"{op.__name__} no define {atributo} (¿lo hereda?)"
        valor = vars(op)[atributo]
        assert isinstance(valor, str) and valor.strip(), f"{op.__name__}.{atributo} vacío"
    assert not SIMBOLOS_UNICODE & set(op.rule_latex), \
        f"{op.__name__}.rule_latex debe ser LaTeX, sin símbolos Unicode: {op.rule_latex}"


@pytest.mark.parametrize("op", ELEMENTO_A_ELEMENTO, ids=lambda op: op.__name__)
def test_las_elemento_a_elemento_tienen_local(op):
    assert "local" in vars(op), f"{op.__name__} no define local"


@pytest.mark.parametrize("op", CON_LOCAL, ids=lambda op: op.__name__)
def test_local_una_plantilla_por_entrada(op):
    local = op.local
    assert isinstance(local, tuple) and len(local) == _entradas(op), op.__name__
    for i, plantilla in enumerate(local):
        if plantilla is None:   # entrada no derivable (la condición de where)
            continue
        huecos = set(re.findall(r"\{(\w*)\}", plantilla))
        permitidos = {"a", "c"} | ({"b"} if len(local) > 1 else set())
        assert huecos <= permitidos, f"{op.__name__}.local[{i}] = {plantilla!r}"
        assert "{" not in re.sub(r"\{[abc]\}", "", plantilla), plantilla


@pytest.mark.parametrize("op", OPS, ids=lambda op: op.__name__)
def test_rule_latex_es_latex_valido(op):
    mathtext = pytest.importorskip("matplotlib.mathtext")
    mathtext.MathTextParser("path").parse(f"${op.rule_latex}$")


def test_cuadrado_de_un_simbolo_compuesto():
    assert simbolica("-{a}/{b}²", ["x", "w·z"], "y") == "-x/(w·z)²"
    assert simbolica("-{a}/{b}²", ["x", "w"], "y") == "-x/w²"
    assert simbolica("-{a}/{b}²", ["x", "Mul#1"], "y") == "-x/(Mul#1)²"
    assert simbolica("-{a}/{b}²", ["x", "-2.0"], "y") == "-x/(-2.0)²"
    assert simbolica("1 - {c}²", ["x"], "t") == "1 - t²"
    assert simbolica("{b}·{a}^({b} - 1)", ["x", "n"], "q") == "n·x^(n - 1)"


# Los mensajes que daba errors.py (commit 3ab4f6a), ahora en shape_hint de cada operación.
MENSAJES = [
    (lambda: torch.ones(2, 3) @ torch.ones(4, 5),
     "matmul: no se pueden multiplicar tensores de formas (2, 3) y (4, 5): la última dimensión "
     "del primero (3) debe coincidir con la penúltima del segundo (4)."),
    (lambda: torch.ones(2, 3, 4) @ torch.ones(5, 4, 2),
     "matmul: no se pueden multiplicar tensores de formas (2, 3, 4) y (5, 4, 2): las dimensiones "
     "de lote (las de delante) no se pueden difundir."),
    (lambda: torch.ones(2, 3) @ torch.ones(4),
     "matmul: no se pueden multiplicar tensores de formas (2, 3) y (4,): la última dimensión "
     "del primero (3) debe coincidir con la única del segundo (4)."),
    (lambda: nn.Linear(3, 2)(torch.ones(4, 5)),
     "Linear espera 3 características de entrada pero recibió un tensor de forma (4, 5). "
     "¿Olvidaste nn.Flatten()? (el peso tiene forma (2, 3))"),
    (lambda: torch.cat([torch.ones(2, 3), torch.ones(2, 4)]),
     "cat: los tensores deben coincidir en todas las dimensiones excepto la de concatenación, "
     "pero sus formas son (2, 3), (2, 4)."),
    (lambda: torch.stack([torch.ones(2, 3), torch.ones(2, 4)]),
     "stack: los tensores deben coincidir en todas las dimensiones, pero sus formas son "
     "(2, 3), (2, 4)."),
]


@pytest.mark.parametrize("llamada, mensaje", MENSAJES)
def test_shape_hint_da_los_mensajes_de_antes(llamada, mensaje):
    with pytest.raises(ShapeError) as info:
        llamada()
    assert str(info.value) == mensaje
