"""``tinygrad_es.compile``: la misma cuenta que sin compilar, bit a bit, y capturas que se rehacen
cuando deben (issue #20, punto 3).

Cada test entrena dos copias idénticas (misma semilla), una sin compilar y otra compilada, y
compara los parámetros con ``np.array_equal`` (no con tolerancia: la repetición llama a las
mismas funciones de NumPy en el mismo orden).
"""
import warnings

import numpy as np
import pytest

import tinygrad_es as torch
from tinygrad_es import nn

RNG = np.random.default_rng(0)
X = torch.tensor(RNG.standard_normal((70, 12)).astype(np.float32))
Y = torch.tensor(RNG.integers(0, 3, 70))


def _modelo(dropout=0.0, batchnorm=False):
    torch.manual_seed(0)
    capas = [nn.Linear(12, 16), nn.ReLU()]
    if dropout:
        capas.append(nn.Dropout(dropout))
    capas.append(nn.Linear(16, 8))
    if batchnorm:
        capas.append(nn.BatchNorm1d(8))
    capas += [nn.Tanh(), nn.Linear(8, 3)]
    return nn.Sequential(*capas)


def _paso(modelo, optimizador, criterio=None):
    criterio = criterio or nn.CrossEntropyLoss()

    def paso(x, y):
        optimizador.zero_grad()
        perdida = criterio(modelo(x), y)
        perdida.backward()
        optimizador.step()
        return perdida
    return paso


def _iguales(a, b):
    for (nombre, x), (_, y) in zip(a.state_dict().items(), b.state_dict().items()):
        assert np.array_equal(x.numpy(), y.numpy()), nombre


def _entrenar(paso, epocas=3, lote=32):
    perdidas = []
    for epoca in range(epocas):
        torch.manual_seed(100 + epoca)   # el mismo flujo aleatorio (dropout) en las dos copias
        for i in range(0, len(X), lote):
            perdidas.append(paso(X[i:i + lote], Y[i:i + lote]).item())
    return perdidas


OPTIMIZADORES = [
    (torch.optim.SGD, dict(lr=0.1)),
    (torch.optim.SGD, dict(lr=0.1, momentum=0.9, weight_decay=1e-3, nesterov=True)),
    (torch.optim.Adam, dict(lr=1e-2)),
    (torch.optim.Adam, dict(lr=1e-2, weight_decay=1e-3, amsgrad=True)),
    (torch.optim.AdamW, dict(lr=1e-2, weight_decay=0.1)),
    (torch.optim.RMSprop, dict(lr=1e-2, momentum=0.5)),
]


@pytest.mark.parametrize("clase, opciones", OPTIMIZADORES,
                         ids=[f"{c.__name__}-{i}" for i, (c, _) in enumerate(OPTIMIZADORES)])
def test_compilado_igual_que_sin_compilar_bit_a_bit(clase, opciones):
    normal, compilado = _modelo(), _modelo()
    paso_normal = _paso(normal, clase(normal.parameters(), **opciones))
    paso_compilado = torch.compile(_paso(compilado, clase(compilado.parameters(), **opciones)))
    with warnings.catch_warnings():
        warnings.simplefilter("error")   # ningún aviso de «no se pudo capturar»
        assert _entrenar(paso_normal) == _entrenar(paso_compilado)
    _iguales(normal, compilado)
    assert paso_compilado.code is not None   # de verdad se capturó y se repitió


def test_dropout_y_batchnorm_con_mascaras_nuevas_en_cada_llamada():
    normal, compilado = _modelo(0.3, True), _modelo(0.3, True)
    paso_normal = _paso(normal, torch.optim.SGD(normal.parameters(), lr=0.1))
    paso_compilado = torch.compile(_paso(compilado, torch.optim.SGD(compilado.parameters(),
                                                                    lr=0.1)))
    perdidas = _entrenar(paso_compilado)
    assert _entrenar(paso_normal) == perdidas
    assert len(set(perdidas)) == len(perdidas)   # la máscara no se quedó fija
    _iguales(normal, compilado)   # también running_mean/var y num_batches_tracked
    assert int(compilado[4].num_batches_tracked) == 9


def test_se_captura_de_nuevo_con_otro_tamano_de_lote():
    modelo = _modelo()
    paso = torch.compile(_paso(modelo, torch.optim.SGD(modelo.parameters(), lr=0.1)))
    _entrenar(paso, epocas=2)   # lotes de 32, 32 y 6
    formas = sorted(clave[1][0][0] for clave in paso._cache)
    assert formas == [(6, 12), (32, 12)]


def test_train_y_eval_cambian_la_captura():
    normal, compilado = _modelo(0.5), _modelo(0.5)
    paso_n = _paso(normal, torch.optim.SGD(normal.parameters(), lr=0.1))
    paso_c = torch.compile(_paso(compilado, torch.optim.SGD(compilado.parameters(), lr=0.1)))
    for modo in ("train", "eval", "train", "eval"):
        getattr(normal, modo)()
        getattr(compilado, modo)()
        assert _entrenar(paso_n, epocas=1) == _entrenar(paso_c, epocas=1)
    _iguales(normal, compilado)


def test_xor_con_actualizacion_manual_y_variables_globales():
    """El bucle de los apuntes: ``p -= lr * p.grad`` y ``p.grad = None`` dentro de no_grad."""
    def red():
        torch.manual_seed(0)
        w1 = torch.randn(2, 3, requires_grad=True)
        b1 = torch.zeros(3, requires_grad=True)
        w2 = torch.randn(3, 1, requires_grad=True)
        b2 = torch.zeros(1, requires_grad=True)
        return [w1, b1, w2, b2]
    entradas = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    salidas = torch.tensor([[0.0], [1.0], [1.0], [0.0]])

    def epoca(params, lr):
        w1, b1, w2, b2 = params
        oculta = torch.sigmoid(entradas @ w1 + b1)
        prediccion = torch.sigmoid(oculta @ w2 + b2)
        perdida = ((prediccion - salidas) ** 2).mean()
        perdida.backward()
        with torch.no_grad():
            for p in params:
                p -= lr * p.grad
                p.grad = None
        return perdida
    normal, compilado = red(), red()
    epoca_compilada = torch.compile(epoca)
    for i in range(200):
        lr = 0.5 if i < 100 else 2.0   # cambiar un argumento que no es tensor: otra captura
        assert epoca(normal, lr).item() == epoca_compilada(compilado, lr).item()
    for a, b in zip(normal, compilado):
        assert np.array_equal(a.detach().numpy(), b.detach().numpy())
    assert len(epoca_compilada._cache) == 2


def test_leer_un_valor_dentro_avisa_en_espanol_y_sigue_sin_compilar():
    modelo = _modelo()
    opt = torch.optim.SGD(modelo.parameters(), lr=0.1)
    historial = []

    def paso(x, y):
        opt.zero_grad()
        perdida = nn.functional.cross_entropy(modelo(x), y)
        perdida.backward()
        opt.step()
        historial.append(perdida.item())   # lectura desde Python: no se puede repetir
        return perdida
    compilado = torch.compile(paso)
    with pytest.warns(UserWarning, match=r"no pudo capturar paso: se leyó el valor de un "
                                         r"tensor desde Python \(\.item\(\)\)"):
        compilado(X[:8], Y[:8])
    with warnings.catch_warnings():
        warnings.simplefilter("error")   # se avisa una sola vez
        compilado(X[:8], Y[:8])
    assert len(historial) == 2   # se ejecutó de verdad las dos veces
    with pytest.raises(RuntimeError, match="fullgraph=True"):
        torch.compile(paso, fullgraph=True)(X[:8], Y[:8])


def test_un_tensor_aleatorio_creado_dentro_se_sortea_en_cada_llamada():
    """``torch.randn`` y ``torch.zeros`` dentro de la función se repiten en cada llamada: el
    ruido cambia y es el mismo que sin compilar con la misma semilla."""
    def paso(w):
        ruido = torch.randn(3) + torch.zeros(3)
        perdida = (w * ruido).sum()
        perdida.backward()
        return w.grad
    compilado = torch.compile(paso)
    w_normal, w_compilado = (torch.ones(3, requires_grad=True) for _ in range(2))
    gradientes = []
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for i in range(4):
            w_normal.grad = w_compilado.grad = None
            torch.manual_seed(i)
            esperado = paso(w_normal).clone()
            torch.manual_seed(i)
            gradientes.append(compilado(w_compilado).clone())
            assert np.array_equal(esperado.numpy(), gradientes[-1].numpy())
    assert not np.array_equal(gradientes[2].numpy(), gradientes[3].numpy())


def test_un_tensor_creado_dentro_sin_camino_conocido_no_se_congela():
    """Un tensor de datos de NumPy calculados dentro: si se congelara, sería siempre el mismo."""
    w = torch.ones(3, requires_grad=True)

    def paso():
        ruido = torch.from_numpy(np.random.default_rng().standard_normal(3))
        perdida = (w * ruido).sum()
        perdida.backward()
        return w.grad
    compilado = torch.compile(paso)
    with pytest.warns(UserWarning, match="se creó dentro de la llamada"):
        compilado()
    w.grad = None
    a = compilado().clone()
    w.grad = None
    b = compilado()
    assert not np.array_equal(a.numpy(), b.numpy())


def test_un_global_reasignado_obliga_a_capturar_de_nuevo():
    global _ESCALA
    _ESCALA = 2.0
    x = torch.ones(3)
    compilado = torch.compile(lambda t: t * _ESCALA)
    assert compilado(x).tolist() == [2.0, 2.0, 2.0]
    _ESCALA = 3.0
    assert compilado(x).tolist() == [3.0, 3.0, 3.0]


def test_modulo_compilado_en_inferencia():
    modelo = _modelo()
    compilado = torch.compile(modelo)
    assert list(compilado.state_dict())[0] == "_orig_mod.0.weight"   # como PyTorch
    # compilado[0] da TypeError, como en PyTorch: el original está en _orig_mod
    assert compilado._orig_mod is modelo and compilado.training
    with torch.no_grad():
        esperado = modelo(X).numpy().copy()
        for _ in range(3):
            assert np.array_equal(compilado(X).numpy(), esperado)


def test_modulo_compilado_que_se_entrena_igual_bit_a_bit():
    """``modelo = torch.compile(modelo)`` y el bucle de siempre fuera: la salida lleva un solo
    nodo, CompiledFunctionBackward, con el backward capturado (dropout y batch norm incluidos)."""
    normal, compilado = _modelo(0.3, True), _modelo(0.3, True)
    llamada = torch.compile(compilado)

    def paso_con(f, modelo):
        opt = torch.optim.Adam(modelo.parameters(), lr=1e-2)

        def paso(x, y):
            opt.zero_grad()
            perdida = nn.functional.cross_entropy(f(x), y)
            perdida.backward()
            opt.step()
            return perdida
        return paso
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert _entrenar(paso_con(normal, normal)) == _entrenar(paso_con(llamada, compilado))
    _iguales(normal, compilado)
    assert type(llamada(X[:4]).grad_fn).__name__ == "Node"
    assert llamada(X[:4]).grad_fn.name() == "CompiledFunctionBackward"


def test_modulo_compilado_dos_forwards_antes_del_backward():
    """Cada llamada guarda lo suyo: dos salidas y un solo backward dan lo mismo que sin compilar."""
    normal, compilado = _modelo(0.5), _modelo(0.5)
    llamada = torch.compile(compilado)
    gradientes = []
    for f, modelo in ((normal, normal), (llamada, compilado)):
        torch.manual_seed(3)
        for _ in range(3):
            modelo.zero_grad()
            perdida = (nn.functional.cross_entropy(f(X[:10]), Y[:10])
                       + nn.functional.cross_entropy(f(X[10:30]), Y[10:30]))
            perdida.backward()
        gradientes.append([p.grad.numpy().copy() for p in modelo.parameters()])
    for a, b in zip(*gradientes):
        assert np.array_equal(a, b)


def test_modulo_compilado_con_entrada_que_requiere_gradiente_avisa():
    modelo = _modelo()
    x = X[:4].clone().requires_grad_()
    with pytest.warns(UserWarning, match="una entrada del módulo compilado requiere gradiente"):
        salida = torch.compile(modelo)(x)
    salida.sum().backward()   # sin compilar: el grafo llega hasta x
    assert x.grad is not None and x.grad.shape == (4, 12)

def test_reemplazar_un_parametro_obliga_a_capturar_de_nuevo():
    modelo = nn.Linear(2, 1)
    compilado = torch.compile(modelo)
    x = torch.ones(1, 2)
    with torch.no_grad():
        compilado(x)
        compilado(x)
        modelo.weight = nn.Parameter(torch.full((1, 2), 10.0))
        assert compilado(x).item() == pytest.approx(20.0 + modelo.bias.item())


def test_disable_y_decorador_con_opciones():
    def f(t):
        return t + 1
    assert torch.compile(f, disable=True) is f
    g = torch.compile(fullgraph=True, mode="reduce-overhead")(f)
    x = torch.zeros(2)
    assert g(x).tolist() == [1.0, 1.0] and g(x).tolist() == [1.0, 1.0]
    assert "def repetir" in g.code


def test_un_gancho_en_otro_tensor_no_impide_capturar_y_uno_del_grafo_si():
    ajeno = torch.ones(2, requires_grad=True)
    ajeno.register_hook(lambda g: g)   # vivo, pero fuera del grafo del paso
    w = torch.ones(3, requires_grad=True)

    def paso(x):
        (w * x).sum().backward()
        return w.grad
    compilado = torch.compile(paso)
    x = torch.arange(3.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        compilado(x)
        w.grad = None
        assert compilado(x).tolist() == [0.0, 1.0, 2.0]
    w.register_hook(lambda g: g * 2)
    w.grad = None
    with pytest.warns(UserWarning, match="un gancho de gradiente"):
        assert torch.compile(paso)(x).tolist() == [0.0, 2.0, 4.0]


def test_sgd_a_mano_con_data_como_en_los_cursos_antiguos():
    """``w.data -= lr * w.grad.data`` y ``w.grad.data.zero_()``: se captura y da lo mismo."""
    def datos():
        torch.manual_seed(0)
        return torch.randn(12, 1, requires_grad=True), torch.zeros(1, requires_grad=True)

    def paso(w, b):
        perdida = ((X @ w + b - Y.float().unsqueeze(1)) ** 2).mean()
        perdida.backward()
        for p in (w, b):
            p.data -= 0.01 * p.grad.data
            p.grad.data.zero_()
        return perdida
    normal, compilado = datos(), datos()
    paso_compilado = torch.compile(paso)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for _ in range(20):
            assert paso(*normal).item() == paso_compilado(*compilado).item()
    for a, b in zip(normal, compilado):
        assert np.array_equal(a.detach().numpy(), b.detach().numpy())
    assert paso_compilado.code.count("[...] = 0") == 2


def test_asignar_data_dentro_no_se_puede_repetir_y_lo_dice():
    w = torch.ones(2)

    def f(x):
        w.data = x * 2
        return w
    with pytest.warns(UserWarning, match=r"se asignó t.data = \.\.\."):
        torch.compile(f)(torch.ones(2))


def test_dos_hilos_con_el_mismo_paso_compilado():
    """Cuatro hilos entrenan cada uno su red con la misma función compilada: cada uno da lo que
    daría solo (las repeticiones no se mezclan)."""
    import threading

    def paso(w, x):
        perdida = ((x @ w) ** 2).mean()
        perdida.backward()
        with torch.no_grad():
            w -= 0.1 * w.grad
            w.grad = None
        return perdida
    compilado = torch.compile(paso)
    pesos = [torch.full((3, 1), float(i + 1), requires_grad=True) for i in range(4)]
    entradas = [torch.full((5, 3), 0.1 * (i + 1)) for i in range(4)]
    esperado = []
    for i in range(4):
        w = torch.full((3, 1), float(i + 1), requires_grad=True)
        for _ in range(50):
            paso(w, entradas[i])
        esperado.append(w.detach().numpy().copy())
    compilado(torch.ones(3, 1, requires_grad=True), torch.ones(5, 3))   # captura

    def entrenar(i):
        for _ in range(50):
            compilado(pesos[i], entradas[i])
    hilos = [threading.Thread(target=entrenar, args=(i,)) for i in range(4)]
    for h in hilos:
        h.start()
    for h in hilos:
        h.join()
    for w, e in zip(pesos, esperado):
        assert np.array_equal(w.detach().numpy(), e)


def test_el_gradiente_va_al_tensor_argumento_de_cada_llamada():
    """``w`` es un argumento: cada llamada suma en ``.grad`` del ``w`` que recibe (el de la
    captura ya no se toca), y si ya tenía ``.grad`` se suma, como sin compilar."""
    compilado = torch.compile(lambda w: (w * w).sum().backward())
    a, b = torch.ones(2, requires_grad=True), torch.full((2,), 3.0, requires_grad=True)
    compilado(a)
    compilado(b)
    assert a.grad.tolist() == [2.0, 2.0] and b.grad.tolist() == [6.0, 6.0]
    compilado(b)
    compilado(b)
    assert b.grad.tolist() == [18.0, 18.0] and a.grad.tolist() == [2.0, 2.0]


def test_un_argumento_con_grafo_de_antes_no_se_captura():
    """El backward seguiría por operaciones de antes de la llamada: se avisa y el gradiente
    llega igual, sin compilar."""
    w = torch.ones(3, requires_grad=True)
    compilado = torch.compile(lambda h: (h * h).sum().backward())
    with pytest.warns(UserWarning, match="una operación de antes de la llamada"):
        compilado(w * 2)
    assert w.grad.tolist() == [8.0, 8.0, 8.0]
    compilado(w * 2)
    assert w.grad.tolist() == [16.0, 16.0, 16.0]
