"""El estado de autograd es por hilo (issue #14), como el modo gradiente de PyTorch.

El modo gradiente (``no_grad``/``enable_grad``/``set_grad_enabled``/``inference_mode``), el
modo anomalía y el registrador de viz viven en un ``threading.local()``: un hilo nuevo
empieza con el gradiente activo, y lo que un hilo cambie no afecta a los demás.

Los tests de modo gradiente corren también con torch (el oráculo) para comprobar que el
test pide lo que hace PyTorch. El modo anomalía es distinto a propósito: en torch es global
para todo el proceso (``set_detect_anomaly(True)`` en un hilo lo activa en todos); aquí es
por hilo, como dice ARCHITECTURE.md ("State that is per thread"), y solo se prueba en
tinygrad_es.

Para que los hilos se intercalen de verdad, ``sys.setswitchinterval`` se baja mientras
corren (y se restaura al terminar); todos los bucles están acotados y todos los ``join``
tienen límite de tiempo.
"""
import contextlib
import sys
import threading

import numpy as np
import pytest

import tinygrad_es as tg
from tinygrad_es.viz.recorder import registro

ESPERA = 10.0   # segundos como mucho para cualquier join o barrera

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")   # log(0) de NumPy


@pytest.fixture(params=["tinygrad_es", "torch"])
def m(request):
    """El módulo bajo prueba: tinygrad_es, o torch para comprobar el propio test."""
    if request.param == "torch":
        return request.getfixturevalue("requiere_torch")
    return tg


@contextlib.contextmanager
def _cambios_de_hilo_frecuentes():
    anterior = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)
    try:
        yield
    finally:
        sys.setswitchinterval(anterior)


class _Hilos:
    """Arranca hilos que guardan sus excepciones; al salir los para y exige que terminen.

    Las barreras se crean con ``barrera()``: si un hilo (o el principal) falla, se rompen
    todas para que nadie se quede esperando hasta el límite de tiempo.
    """

    def __init__(self):
        self.parar = threading.Event()
        self.errores = []
        self.hilos = []
        self.barreras = []

    def barrera(self):
        b = threading.Barrier(2, timeout=ESPERA)
        self.barreras.append(b)
        return b

    def _romper_barreras(self):
        for b in self.barreras:
            b.abort()

    def lanzar(self, objetivo, *args):
        def envoltura():
            try:
                objetivo(*args)
            except BaseException as exc:   # noqa: BLE001 (se relanza en el hilo principal)
                self.errores.append(exc)
                self._romper_barreras()

        hilo = threading.Thread(target=envoltura, daemon=True)
        self.hilos.append(hilo)
        hilo.start()
        return hilo

    def __enter__(self):
        return self

    def __exit__(self, tipo, valor, traza):
        self.parar.set()
        if tipo is not None or self.errores:
            self._romper_barreras()
        for hilo in self.hilos:
            hilo.join(ESPERA)
        vivos = [h for h in self.hilos if h.is_alive()]
        assert not vivos, f"{len(vivos)} hilos no terminaron en {ESPERA} s"
        if self.errores and (tipo is None or issubclass(tipo, threading.BrokenBarrierError)):
            raise self.errores[0]         # el error original del hilo, no la barrera rota
        return False


@pytest.fixture(autouse=True)
def _restaurar_modos():
    """Si un test falla a medias (o el estado no es por hilo), no contamina a los siguientes."""
    yield
    tg.set_grad_enabled(True)
    tg.autograd.set_detect_anomaly(False)


def _en_hilo(f):
    """Corre ``f`` en un hilo nuevo y devuelve su resultado (o relanza su excepción)."""
    resultado = {}
    with _Hilos() as hilos:
        hilos.lanzar(lambda: resultado.setdefault("valor", f()))
    return resultado["valor"]


# --- entrenamiento en el hilo principal con inferencia en otros hilos ------------------------
PASOS = 40
DATOS_X = np.random.default_rng(0).standard_normal((16, 4)).astype(np.float32)
DATOS_Y = np.random.default_rng(1).standard_normal((16, 3)).astype(np.float32)


def _entrenar(m, modelo, comprobar_cada_paso):
    """SGD sobre ``modelo``; comprueba en cada paso que todo se registró en el grafo."""
    opt = m.optim.SGD(modelo.parameters(), lr=0.05, momentum=0.9)
    x, y = m.tensor(DATOS_X), m.tensor(DATOS_Y)
    perdidas = []
    for paso in range(PASOS):
        opt.zero_grad()
        perdida = ((modelo(x) - y) ** 2).mean()
        if comprobar_cada_paso:
            assert m.is_grad_enabled(), f"paso {paso}: el modo gradiente del hilo principal cambió"
            assert perdida.grad_fn is not None and perdida.requires_grad, (
                f"paso {paso}: la pérdida no tiene grad_fn (se calculó sin registrar el grafo)")
        perdida.backward()
        if comprobar_cada_paso:
            for nombre, p in modelo.named_parameters():
                assert p.grad is not None, f"paso {paso}: {nombre} no recibió gradiente"
        opt.step()
        perdidas.append(perdida.item())
    return [p.detach().numpy().copy() for p in modelo.parameters()], perdidas


def _modelo(m):
    m.manual_seed(0)
    return m.nn.Sequential(m.nn.Linear(4, 8), m.nn.Tanh(), m.nn.Linear(8, 3))


def test_entrenar_mientras_otros_hilos_infieren_bajo_no_grad(m):
    referencia, perdidas_ref = _entrenar(m, _modelo(m), comprobar_cada_paso=True)

    modelo = _modelo(m)
    x_inferencia = m.tensor(DATOS_X[:5])

    def inferir(hilos):
        for _ in range(100_000):
            if hilos.parar.is_set():
                return
            with m.no_grad():
                salida = modelo(x_inferencia)
                assert not m.is_grad_enabled()
            assert salida.grad_fn is None and not salida.requires_grad
            assert m.is_grad_enabled(), "no_grad de otro hilo se coló en este"

    def alternar_modos(hilos):
        """Entra y sale de no_grad (solapándose con los demás) y apaga el grad a mano."""
        for i in range(100_000):
            if hilos.parar.is_set():
                return
            with m.no_grad():
                with m.enable_grad():
                    assert m.is_grad_enabled()
                assert not m.is_grad_enabled()
            m.set_grad_enabled(i % 2 == 1)
            with m.inference_mode():
                assert not m.is_grad_enabled()
        m.set_grad_enabled(True)

    with _cambios_de_hilo_frecuentes(), _Hilos() as hilos:
        hilos.lanzar(inferir, hilos)
        hilos.lanzar(inferir, hilos)
        hilos.lanzar(alternar_modos, hilos)
        pesos, perdidas = _entrenar(m, modelo, comprobar_cada_paso=True)
    assert perdidas == perdidas_ref
    for p, q in zip(pesos, referencia):
        np.testing.assert_array_equal(p, q)   # exactamente los mismos pesos


def test_dos_hilos_entrenan_cada_uno_su_modelo(m):
    """Dos entrenamientos a la vez (dos grafos, dos backward) dan lo mismo que uno solo."""
    referencia, _ = _entrenar(m, _modelo(m), comprobar_cada_paso=False)
    modelos = [_modelo(m), _modelo(m)]
    resultados = [None, None]

    def entrenar(i):
        resultados[i] = _entrenar(m, modelos[i], comprobar_cada_paso=True)[0]

    with _cambios_de_hilo_frecuentes(), _Hilos() as hilos:
        hilos.lanzar(entrenar, 0)
        entrenar(1)
    for pesos in resultados:
        for p, q in zip(pesos, referencia):
            np.testing.assert_array_equal(p, q)


# --- el modo gradiente de un hilo nuevo y sin fugas --------------------------------------------
@pytest.mark.parametrize("contexto", ["no_grad", "set_grad_enabled", "inference_mode"])
def test_un_hilo_nuevo_empieza_con_el_gradiente_activo(m, contexto):
    w = m.ones(3, requires_grad=True)

    def en_el_hilo():
        return m.is_grad_enabled(), (w * 2).grad_fn is not None

    entrar = {"no_grad": m.no_grad, "inference_mode": m.inference_mode,
              "set_grad_enabled": lambda: m.set_grad_enabled(False)}[contexto]
    with entrar():
        assert not m.is_grad_enabled()
        activo, con_grafo = _en_hilo(en_el_hilo)
        assert not m.is_grad_enabled()
    assert m.is_grad_enabled()
    assert activo and con_grafo


def test_set_grad_enabled_en_un_hilo_no_afecta_al_principal(m):
    w = m.ones(3, requires_grad=True)
    hilos = _Hilos()
    apagado = hilos.barrera()
    medido = hilos.barrera()

    def hilo():
        m.set_grad_enabled(False)        # sin with: queda apagado en este hilo
        apagado.wait()
        medido.wait()
        return m.is_grad_enabled(), (w * 2).requires_grad

    with hilos:
        resultado = {}
        hilos.lanzar(lambda: resultado.setdefault("hilo", hilo()))
        apagado.wait()                   # el otro hilo ya apagó su gradiente
        assert m.is_grad_enabled()
        y = w * 3
        medido.wait()
    assert y.grad_fn is not None and y.requires_grad
    assert resultado["hilo"] == (False, False)
    assert m.is_grad_enabled()


def test_no_grad_solapados_en_dos_hilos(m):
    """Un hilo sale de su no_grad mientras el otro sigue dentro: cada uno ve el suyo."""
    w = m.ones(2, requires_grad=True)
    hilos = _Hilos()
    dentro = hilos.barrera()
    salio = hilos.barrera()
    seguido = hilos.barrera()

    def hilo():
        with m.no_grad():
            dentro.wait()
            salio.wait()                 # el principal ya salió de su no_grad
            y = w * 2
            seguido.wait()
        return y.requires_grad, m.is_grad_enabled()

    with hilos:
        resultado = {}
        hilos.lanzar(lambda: resultado.setdefault("hilo", hilo()))
        with m.no_grad():
            dentro.wait()
        salio.wait()
        z = w * 2                        # el otro hilo sigue dentro de su no_grad
        seguido.wait()
    assert z.requires_grad and z.grad_fn is not None
    assert resultado["hilo"] == (False, True)


# --- el modo anomalía y el registrador de viz son por hilo (solo tinygrad_es) --------------------
def test_detect_anomaly_de_otro_hilo_no_se_activa_en_este():
    """En torch el modo anomalía es global; aquí es por hilo (ARCHITECTURE.md)."""
    hilos = _Hilos()
    activado = hilos.barrera()
    hecho = hilos.barrera()

    def hilo():
        with tg.autograd.detect_anomaly():
            activado.wait()
            hecho.wait()
            x = tg.tensor([0.0, 1.0], requires_grad=True)
            y = tg.log(x)
            anotado = y.grad_fn.trace is not None
            try:
                y.sum().backward()
                error = None
            except RuntimeError as exc:
                error = str(exc)
        return tg.autograd.is_anomaly_enabled(), anotado, error

    with hilos:
        resultado = {}
        hilos.lanzar(lambda: resultado.setdefault("hilo", hilo()))
        activado.wait()
        assert not tg.autograd.is_anomaly_enabled()
        x = tg.tensor([0.0, 1.0], requires_grad=True)
        y = tg.log(x)
        assert y.grad_fn.trace is None            # sin anotar: el modo no está activo aquí
        y.sum().backward()                        # sin error: el gradiente es inf
        assert np.isinf(x.grad.numpy()[0])
        hecho.wait()
    activo, anotado, error = resultado["hilo"]
    assert not activo and anotado                      # fuera del with ya no está activo
    assert error is not None and "Log" in error        # dentro sí detuvo el backward


def test_set_detect_anomaly_en_un_hilo_no_afecta_al_principal():
    def hilo():
        tg.autograd.set_detect_anomaly(True)
        return tg.autograd.is_anomaly_enabled()

    assert _en_hilo(hilo) is True
    assert not tg.autograd.is_anomaly_enabled()
    assert _en_hilo(tg.autograd.is_anomaly_enabled) is False   # un hilo nuevo empieza apagado


def test_check_nan_de_otro_hilo_no_cambia_el_de_este():
    """``detect_anomaly(check_nan=False)`` en un hilo no apaga la comprobación en otro."""
    hilos = _Hilos()
    principal_dentro = hilos.barrera()
    hilo_dentro = hilos.barrera()
    hecho = hilos.barrera()

    def hilo():
        principal_dentro.wait()           # el principal entró antes: el otro hilo entra después
        with tg.autograd.detect_anomaly(check_nan=False):
            hilo_dentro.wait()
            hecho.wait()

    with hilos:
        hilos.lanzar(hilo)
        with tg.autograd.detect_anomaly():
            principal_dentro.wait()
            hilo_dentro.wait()            # el otro hilo está dentro con check_nan=False
            x = tg.tensor([0.0, 1.0], requires_grad=True)
            y = tg.log(x).sum()
            with pytest.raises(RuntimeError, match="Log"):
                y.backward()
            hecho.wait()


def test_el_registrador_de_viz_es_por_hilo():
    hilos = _Hilos()
    empezado = hilos.barrera()
    hecho = hilos.barrera()

    def hilo():
        empezado.wait()                   # el principal ya está dentro de registrar()
        w = tg.ones(3, requires_grad=True)
        z = (w * 3).sum()
        z.backward()
        hecho.wait()
        return registro(z.grad_fn) is None

    with hilos:
        resultado = {}
        hilos.lanzar(lambda: resultado.setdefault("hilo", hilo()))
        with tg.viz.registrar() as reg:
            empezado.wait()
            hecho.wait()
            assert reg.pasos == []        # el backward del otro hilo no se registró aquí
            a = tg.ones(2, requires_grad=True)
            b = (a * 2).sum()
            b.backward()
        assert registro(b.grad_fn) is not None and len(reg.pasos) > 0
    assert resultado["hilo"] is True      # lo del otro hilo no se registró
