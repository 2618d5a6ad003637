"""Gradientes de todas las operaciones diferenciables, comprobados con hypothesis.

``TABLA`` dice, para cada clase Op de ``tinygrad_es.ops``, qué casos de gradiente la
ejercitan. Los casos están en test_ops_casos_*.py; aquí:

- ``test_toda_op_esta_en_la_tabla`` recorre todas las subclases de ``Op`` y falla nombrando
  la que no tenga casos (añadir una operación sin su test de gradiente rompe CI);
- ``test_gradiente`` ejecuta cada caso con ``assert_gradients_match`` (float64, diferencias
  centrales y un gradiente de salida aleatorio) y comprueba en el grafo que el caso usa de
  verdad las operaciones que la tabla le atribuye.
"""
import importlib
import pathlib
import pkgutil
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tinygrad_es.ops
from tinygrad_es.ops import base, inplace, linalg, losses, nnops, norms
from tinygrad_es.ops import elementwise as ew
from tinygrad_es.ops import unary as un
from tinygrad_es.ops import selection as sel
from tinygrad_es.ops import movement as mv
from tinygrad_es.ops import reduce as red
from tinygrad_es.autograd import gradgradcheck
from tinygrad_es.testing import assert_gradients_match

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import test_subgradientes as _casos_sub  # noqa: E402

# Cada familia de operaciones tiene su archivo test_ops_casos_<familia>.py con sus CASOS y,
# si quiere, su propia TABLA (Op -> casos), que se une a la de aquí: añadir una familia no
# toca este archivo.
_FAMILIAS = [importlib.import_module(ruta.stem)
             for ruta in sorted(pathlib.Path(__file__).parent.glob("test_ops_casos_*.py"))]
CASOS = {nombre: caso for modulo in _FAMILIAS for nombre, caso in modulo.CASOS.items()}

# Op -> casos que la ejercitan (y que el grafo de cada caso debe contener).
TABLA = {
    ew.Add: ["add_difusion", "difusion_ambos_lados",
             "escalares_python", "reuso_a_mas_a", "reuso_cadena", "reuso_dos_ramas",
             "reuso_dos_entradas"],
    ew.Sub: ["sub_difusion", "difusion_ambos_lados",
             "escalares_python", "reuso_dos_entradas"],
    ew.Mul: ["mul_difusion", "difusion_ambos_lados",
             "escalares_python", "reuso_cadena", "reuso_dos_ramas", "reuso_dos_entradas", "clone"],
    ew.Div: ["div_difusion", "difusion_ambos_lados",
             "escalares_python", "reuso_dos_entradas"],
    ew.DivRounding: ["div_redondeo"],
    ew.Neg: ["neg"],
    ew.Pow: ["pow_exponente_entero", "pow_exponente_real", "pow_base_escalar",
             "pow_tensor_tensor"],
    un.Exp: ["exp", "reuso_dos_ramas"],
    un.Log: ["log"],
    un.Log1p: ["log1p"],
    un.Sqrt: ["sqrt"],
    un.Abs: ["abs_"],
    un.Sin: ["sin_cos", "reuso_dos_ramas"],
    un.Cos: ["sin_cos"],
    un.Tanh: ["tanh_sigmoid"],
    un.Sigmoid: ["tanh_sigmoid"],
    sel.ReLU: ["relu"],
    sel.LeakyReLU: ["leaky_relu"],
    sel.Clamp: ["clamp"],
    sel.Maximum: ["maximum_minimum", "maximum_escalar"],
    sel.Minimum: ["maximum_minimum", "maximum_escalar"],
    sel.Where: ["where"],
    ew.Cast: ["cast_ida_y_vuelta"],
    ew.Clone: ["clone"],
    red.Sum: ["sum_"],
    red.Mean: ["mean"],
    red.Var: ["std_var"],
    red.Std: ["std_var"],
    red.Prod: ["prod_"],
    red.Amax: ["amax_amin", "max_min_total"],
    red.Amin: ["amax_amin", "max_min_total"],
    red.TakeAlongDim: ["max_min_dim"],
    # norma_p, norma_nuclear, dist_, cdist_, prod_ y div_redondeo son casos de
    # test_subgradientes.py: se ejecutan allí, con las mismas comprobaciones
    norms.VectorNorm: ["norm", "norma_p"],
    norms.NuclearNorm: ["norma_nuclear"],
    norms.Dist: ["dist_"],
    norms.Cdist: ["cdist_"],
    mv.Reshape: ["reshape_con_menos_uno", "flatten", "squeeze_unsqueeze", "repeat"],
    mv.Permute: ["transpose_permute", "t_y_T"],
    mv.Expand: ["expand", "repeat"],
    mv.GetItem: ["getitem_enteros", "getitem_cortes", "getitem_none",
                 "getitem_indices_repetidos", "getitem_avanzado_pareado", "getitem_mascara",
                 "split_chunk_unbind"],
    mv.Diagonal: ["diagonal_narrow_select", "segundo_orden_indexado"],
    mv.Embed: ["segundo_orden_indexado"],
    mv.DiagonalEmbed: ["segundo_orden_indexado"],
    red.PutAlongDim: ["segundo_orden_indexado"],
    inplace.CopySlices: ["inplace_en_vista", "asignacion_por_indice"],
    inplace.CopyInto: ["asignacion_por_indice"],
    inplace.IndexPut: ["asignacion_por_indice"],
    mv.Cat: ["cat"],
    mv.Stack: ["stack"],
    linalg.MatMul: ["matmul", "mm_bmm_dot", "matmul_una_sola_entrada_con_grad"],
    nnops.Softmax: ["softmax"],
    nnops.LogSoftmax: ["log_softmax", "cross_entropy_clases", "cross_entropy_probabilidades"],
    nnops.Linear: ["linear"],
    losses.MseLoss: ["mse_loss"],
    losses.NllLoss: ["nll_loss", "cross_entropy_clases"],
    losses.BinaryCrossEntropy: ["binary_cross_entropy"],
    losses.BinaryCrossEntropyWithLogits: ["binary_cross_entropy_with_logits"],
}
for _modulo in _FAMILIAS:
    TABLA.update(getattr(_modulo, "TABLA", {}))

RECLAMADAS = {nombre: {op for op, casos in TABLA.items() if nombre in casos} for nombre in CASOS}


def todas_las_ops():
    """Subclases públicas de ``Op`` definidas en ``tinygrad_es.ops.*`` (recorrido recursivo)."""
    for modulo in pkgutil.iter_modules(tinygrad_es.ops.__path__):
        importlib.import_module(f"tinygrad_es.ops.{modulo.name}")
    encontradas, pendientes = set(), [base.Op]
    while pendientes:
        for sub in pendientes.pop().__subclasses__():
            pendientes.append(sub)
            if sub.__module__.startswith("tinygrad_es.ops") and not sub.__name__.startswith("_"):
                encontradas.add(sub)
    return encontradas


def test_toda_op_esta_en_la_tabla():
    faltan = sorted(f"{op.__module__}.{op.__name__}" for op in todas_las_ops() - set(TABLA))
    assert not faltan, (f"Operaciones sin test de gradiente en TABLA: {', '.join(faltan)}. "
                        "Añade un caso para cada una.")


def test_la_tabla_solo_nombra_casos_que_existen():
    desconocidos = sorted({c for casos in TABLA.values() for c in casos} - set(CASOS)
                          - set(_casos_sub.CASOS))
    assert not desconocidos, f"La tabla nombra casos inexistentes: {desconocidos}"
    huerfanos = sorted(nombre for nombre, ops in RECLAMADAS.items() if not ops)
    assert not huerfanos, f"Casos que no figuran en la tabla: {huerfanos}"
    for op, casos in TABLA.items():
        assert casos, f"{op.__name__} no tiene ningún caso"


def test_la_tabla_no_nombra_ops_que_ya_no_existen():
    sobran = sorted(op.__name__ for op in set(TABLA) - todas_las_ops())
    assert not sobran, f"TABLA nombra operaciones que ya no están en tinygrad_es.ops: {sobran}"
    assert len(TABLA) >= 41   # 37 del núcleo + 4 pérdidas fusionadas al escribir la tabla


def ops_del_grafo(salidas):
    """Clases de las operaciones de todos los nodos alcanzables desde ``salidas``."""
    salidas = salidas if isinstance(salidas, tuple) else (salidas,)
    vistos, pendientes, ops = set(), [s.grad_fn for s in salidas if s.grad_fn is not None], set()
    while pendientes:
        nodo = pendientes.pop()
        if id(nodo) in vistos:
            continue
        vistos.add(id(nodo))
        if hasattr(nodo, "op"):
            ops.add(nodo.op)
        if getattr(nodo, "inner", None) is not None:   # CopySlices: la operación in situ
            pendientes.append(nodo.inner)
        pendientes.extend(p for p in nodo.parents if p is not None)
    return ops


@pytest.mark.parametrize("nombre", sorted(CASOS))
@given(data=st.data())
def test_gradiente(nombre, data):
    fn, entradas, *extra = data.draw(CASOS[nombre], label=nombre)
    originales = [t.detach().numpy().copy() for t in entradas]
    assert_gradients_match(fn, *entradas, **(extra[0] if extra else {}))
    faltan = RECLAMADAS[nombre] - ops_del_grafo(fn(*entradas))
    assert not faltan, (f"La tabla atribuye a {nombre} operaciones que su grafo no usa: "
                        f"{sorted(op.__name__ for op in faltan)}")
    for t, antes in zip(entradas, originales):   # gradcheck restaura lo que perturba
        assert (t.detach().numpy() == antes).all()


@pytest.mark.parametrize("nombre", sorted(CASOS))
@settings(max_examples=8)
@given(data=st.data())
def test_segunda_derivada(nombre, data):
    """Segundas derivadas de cada operación (gradgradcheck): su backward, registrado con
    create_graph=True, también se deriva bien."""
    fn, entradas, *extra = data.draw(CASOS[nombre], label=nombre)
    gradgradcheck(fn, entradas, **(extra[0] if extra else {}))
