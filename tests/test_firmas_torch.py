"""Conformidad de firmas con PyTorch como test (issue #16): cada función, método o constructor
exportado acepta por nombre todos los parámetros que acepta el de torch (``tools/firmas.py``),
salvo los de la lista ``EXCEPCIONES`` (parámetros de torch sin sentido aquí, cada uno con su
motivo en ``tools/firmas.py: MOTIVOS``).

Y las funciones de ``torch.`` que son métodos tienen la firma de PyTorch (``input`` primero,
``out=``), no ``(self)`` ni ``(*args, **kwargs)``.
"""
import inspect
import pathlib
import sys

import pytest

import tinygrad_es as tg

RAIZ = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RAIZ / "tools"))
import firmas  # noqa: E402


def test_ninguna_funcion_rechaza_un_nombre_que_torch_acepta(requiere_torch):
    faltan = firmas.diferencias()
    assert not faltan, "\n".join(f"{e}: no acepta {', '.join(n)}" for e, n in faltan)


def test_las_excepciones_son_de_verdad_parametros_de_torch(requiere_torch):
    """Cada nombre ignorado aparece en alguna firma de torch (no esconde una errata nuestra)."""
    import torch
    vistos = set()
    for clave in ("funciones", "nn", "Tensor"):
        for sobrecargas in firmas._stubs(clave).values():
            for s in sobrecargas:
                vistos |= s
    for clase in (torch.utils.data.DataLoader, torch.optim.SGD, torch.optim.Adam,
                  torch.nn.MSELoss, torch.nn.Embedding, torch.nn.SyncBatchNorm):
        vistos |= set(inspect.signature(clase.__init__).parameters)
    vistos |= set(inspect.signature(torch.nn.functional.softmax).parameters)
    assert firmas.IGNORADOS - vistos == set()


@pytest.mark.parametrize("nombre,esperada", [
    ("exp", "(input, *, out=None)"),
    ("sum", None),
    ("max", "(input, dim=None, keepdim=False, other=None, *, out=None)"),   # max(a, other=b)
    ("mm", "(input, mat2, *, out=None)"),
    ("reshape", "(input, shape)"),
    ("split", "(tensor, split_size_or_sections, dim=0)"),
    ("round", "(input, *, decimals=0, out=None)"),
    ("pow", "(input, exponent, *, out=None)"),
])
def test_las_funciones_alias_de_metodos_tienen_la_firma_de_torch(nombre, esperada):
    firma = inspect.signature(getattr(tg, nombre))
    primeros = list(firma.parameters.values())
    assert primeros[0].name in ("input", "tensor")
    assert all(p.kind not in (p.VAR_KEYWORD,) for p in primeros)
    if esperada is not None:
        assert str(firma) == esperada


def test_las_comprobaciones_del_analizador_coinciden_con_torch(requiere_torch):
    """Los nombres que el analizador saca de los .pyi de torch, comprobados llamando a torch."""
    import torch
    t = torch.ones(3)
    assert "other" in firmas.nombres_torch(torch.Tensor.mul, "Tensor.mul")[0]
    t.mul(other=t)                       # la documentación dice mul(value): es falso
    with pytest.raises(TypeError):
        t.mul(value=t)
    with pytest.raises(TypeError):
        t.add(t, out=torch.empty(3))     # los métodos no tienen out=
    assert all("out" not in s for s in firmas.nombres_torch(torch.Tensor.add, "Tensor.add"))
    t.requires_grad_(requires_grad=False)
    with pytest.raises(TypeError):
        t.requires_grad_(mode=False)
    assert firmas.nombres_torch(torch.Tensor.requires_grad_, "Tensor.requires_grad_") \
        == [{"requires_grad"}]
    with pytest.raises(TypeError):
        torch.from_numpy(ndarray=t.numpy())
    torch.sum(input=t, dim=0, out=torch.empty(()))
    assert any({"input", "dim", "out"} <= s
               for s in firmas.nombres_torch(torch.sum, "torch.sum"))


def test_coste_de_la_funcion_una_sola_llamada_extra():
    """``torch.exp(x)`` es una función de Python que llama a ``Tensor.exp`` directamente (dentro
    de la envoltura de argumentos en español, que es la misma que la de ``Tensor.exp``)."""
    codigo = tg.exp.__wrapped__.__code__
    assert codigo.co_filename.endswith("<torch.exp>")
    assert "_method" in codigo.co_names or "_method" in codigo.co_varnames \
        or "_method" in tg.exp.__wrapped__.__globals__
    assert tg.exp.__wrapped__.__globals__["_method"] is tg.Tensor.exp.__wrapped__
