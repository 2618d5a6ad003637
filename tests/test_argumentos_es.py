"""Una llamada con argumentos que no encajan: TypeError en español con los parámetros que hay
(``tinygrad_es/_arguments.py``), y los avisos señalan la línea del usuario."""
import warnings

import pytest

import tinygrad_es as tg
import tinygrad_es.nn as nn
import tinygrad_es.nn.functional as F
from tinygrad_es.utils.data import DataLoader


@pytest.mark.parametrize("llamada, esperado", [
    (lambda: nn.Linear(10, 5, bais=False),
     "Linear(): no tiene ningún parámetro llamado 'bais' (¿querías decir 'bias'?). Parámetros "
     "que admite: Linear(in_features, out_features, bias=True, device=None, dtype=None)"),
    (lambda: nn.Linear(10),
     "Linear(): le falta 'out_features'. Parámetros que admite: Linear(in_features, "
     "out_features, bias=True, device=None, dtype=None)"),
    (lambda: tg.manual_seed(1, 2),
     "torch.manual_seed(): admite como mucho 1 argumento(s) por posición y recibió 2: pasa los "
     "demás por nombre (nombre=valor). Parámetros que admite: torch.manual_seed(seed)"),
])
def test_mensaje_completo(llamada, esperado):
    with pytest.raises(TypeError) as error:
        llamada()
    assert str(error.value) == esperado
    assert error.value.__suppress_context__      # sin el error en inglés debajo


@pytest.mark.parametrize("llamada, trozos", [
    (lambda: tg.zeros(3, requires_gard=True), ["torch.zeros()", "'requires_gard'",
                                               "¿querías decir 'requires_grad'?", "dtype=None"]),
    (lambda: F.cross_entropy(tg.zeros(2, 3), tg.tensor([0, 1]), reduccion="sum"),
     ["torch.nn.functional.cross_entropy()", "'reduccion'", "¿querías decir 'reduction'?"]),
    (lambda: tg.optim.SGD(nn.Linear(2, 2).parameters(), lr=0.1, momentun=0.9),
     ["SGD()", "'momentun'", "¿querías decir 'momentum'?", "*, maximize=False"]),
    (lambda: DataLoader([1, 2], batch_sise=2), ["DataLoader()", "¿querías decir 'batch_size'?"]),
    (lambda: nn.Conv2d(1, 6, kernel=5), ["Conv2d()", "¿querías decir 'kernel_size'?",
                                         "le falta 'kernel_size'"]),
    (lambda: tg.optim.lr_scheduler.StepLR(tg.optim.SGD(nn.Linear(2, 2).parameters()), 3,
                                          gama=0.5), ["StepLR()", "¿querías decir 'gamma'?"]),
    (lambda: nn.init.kaiming_uniform_(tg.empty(3, 3), modo="fan_in"),
     ["torch.nn.init.kaiming_uniform_()", "¿querías decir 'mode'?"]),
    (lambda: tg.nn.utils.clip_grad_norm_(nn.Linear(2, 2).parameters(), max_nrom=1.0),
     ["torch.nn.utils.clip_grad_norm_()", "¿querías decir 'max_norm'?"]),
    (lambda: __import__("tinygrad_es.vision", fromlist=["x"]).transforms.Normalize(
        (0.1,), (0.3,), inplce=True), ["Normalize()", "¿querías decir 'inplace'?"]),
    (lambda: tg.autograd.grad(tg.ones(1, requires_grad=True).sum(), [], retain=True),
     ["torch.autograd.grad()", "'retain'"]),
])
def test_dice_que_sobra_y_que_admite(llamada, trozos):
    with pytest.raises(TypeError) as error:
        llamada()
    texto = str(error.value)
    for trozo in trozos:
        assert trozo in texto
    assert "Parámetros que admite" in texto and "got an unexpected" not in texto


def test_un_typeerror_de_dentro_de_la_funcion_no_se_toca():
    """Solo se traducen los errores de la llamada: el de los datos del usuario sale igual."""
    with pytest.raises(TypeError) as error:
        tg.tensor([1.0, "a"])
    assert "Parámetros que admite" not in str(error.value)


def test_los_alias_comparten_envoltura_y_la_firma_se_ve():
    import inspect
    assert tg.nn.functional.softmax.__wrapped__.__name__ == "softmax"   # una sola envoltura
    assert list(inspect.signature(nn.Linear).parameters)[:2] == ["in_features", "out_features"]
    assert list(inspect.signature(tg.zeros).parameters)[0] == "sizes"


def test_los_avisos_senalan_la_linea_del_usuario():
    """Con la envoltura en medio, el aviso sigue señalando este archivo (no _arguments.py)."""
    with warnings.catch_warnings(record=True) as avisos:
        warnings.simplefilter("always")
        F.softmax(tg.zeros(2, 3))                                       # sin dim
        tg.full((2,), 7.0, out=tg.empty(5))                             # out de otra forma
        F.dropout(tg.zeros(2), p=0.5, training=True, inplace=False) if False else None
    assert len(avisos) >= 2
    for aviso in avisos:
        assert aviso.filename == __file__, (aviso.filename, str(aviso.message))


def test_un_metodo_de_tensor_con_un_argumento_que_no_tiene():
    """Los métodos de Tensor también (una envoltura fina: +1 % por operación diminuta)."""
    with pytest.raises(TypeError) as error:
        tg.ones(2, 3).sum(dimm=0)
    assert str(error.value).startswith("torch.Tensor.sum(): no tiene ningún parámetro llamado "
                                       "'dimm' (¿querías decir 'dim'?). Parámetros que admite:")
    with pytest.raises(TypeError, match=r"torch.Tensor.view\(\)"):
        tg.ones(4).view(2, 2, tamano=3)
    assert tg.ones(2, 3).sum(dim=0, keepdims=True).shape == (1, 3)   # lo válido, igual
    with pytest.raises(TypeError, match=r"^torch.sigmoid\(\): no tiene ningún parámetro "
                                        r"llamado 'foo'\. Parámetros que admite: "
                                        r"torch.sigmoid\(input, \*, out=None\)$"):
        tg.sigmoid(tg.ones(2), foo=1)   # las funciones de torch. hechas de los métodos, igual
