"""``gradient_report``: la salud de los gradientes de un modelo tras ``backward()``.

Por parámetro: la norma del gradiente, la razón media ``|grad| / |peso|`` y la fracción de
gradientes exactamente cero. Por capa ``nn.ReLU``: la fracción de neuronas muertas (su salida
es 0 para todos los ejemplos del último lote), medida con ``register_forward_hook``.
Los avisos en español señalan gradientes que se desvanecen o explotan y ReLU muertas.
"""
import math
import weakref

import numpy as np

from .labels import forma, norma, num

_VIGILADOS = weakref.WeakKeyDictionary()   # modelo -> Vigilancia activa


def _array(tensor):
    datos = getattr(tensor, "_data", None)
    if datos is not None:
        return datos
    return np.asarray(tensor.detach().cpu().numpy())   # un tensor de PyTorch


def _es_relu(modulo):
    return type(modulo).__name__ == "ReLU"


class Vigilancia:
    """Ganchos ``register_forward_hook`` en cada ``nn.ReLU`` de un modelo.

    ``datos[ruta] = (muertas, total)`` del último forward. ``remove()`` quita los ganchos.
    """

    def __init__(self, modelo):
        self.datos = {}
        self._ganchos = []
        for ruta, modulo in modelo.named_modules():
            if _es_relu(modulo):
                self._ganchos.append(modulo.register_forward_hook(self._gancho(ruta)))

    def _gancho(self, ruta):
        def medir(modulo, entradas, salida):
            salida = _array(salida)
            filas = salida.reshape(salida.shape[0], -1) if salida.ndim > 1 else \
                salida.reshape(1, -1)
            muertas = np.all(filas <= 0, axis=0)
            self.datos[ruta] = (int(muertas.sum()), int(muertas.size))
        return medir

    def remove(self):
        for gancho in self._ganchos:
            gancho.remove()
        self._ganchos = []


def watch_relus(model):
    """Empieza a medir las neuronas ReLU muertas en cada forward de ``model``.

    ``gradient_report(model)`` usa después la medida del último lote. Devuelve la vigilancia
    (``.remove()`` quita los ganchos). Llamarla dos veces no duplica los ganchos.
    """
    vigilancia = _VIGILADOS.get(model)
    if vigilancia is None:
        vigilancia = _VIGILADOS[model] = Vigilancia(model)
    return vigilancia


def _capa_anterior(modulos, ruta):
    """La capa con parámetros justo antes de la ReLU ``ruta`` entre sus hermanas (o None)."""
    padre = ruta.rpartition(".")[0]
    anterior = None
    for otra, modulo in modulos:
        if otra == ruta:
            return anterior
        if otra.rpartition(".")[0] == padre and otra and any(True for _ in modulo.parameters()):
            anterior = otra
    return None


class FilaParametro:
    __slots__ = ("nombre", "forma", "norma", "razon", "ceros")

    def __init__(self, nombre, forma_, norma_, razon, ceros):
        self.nombre, self.forma, self.norma, self.razon, self.ceros = (
            nombre, forma_, norma_, razon, ceros)


class FilaReLU:
    __slots__ = ("capa", "relu", "muertas", "total")

    def __init__(self, capa, relu, muertas, total):
        self.capa, self.relu, self.muertas, self.total = capa, relu, muertas, total

    @property
    def fraccion(self):
        return self.muertas / self.total if self.total else 0.0


class GradientReport:
    """Resultado de ``gradient_report``: ``parametros``, ``relus`` y ``avisos`` (textos)."""

    def __init__(self, parametros, relus, avisos, notas):
        self.parametros = parametros
        self.relus = relus
        self.avisos = avisos
        self.notas = notas

    def __str__(self):
        lineas = ["Informe de gradientes (del último backward)", ""]
        ancho = max([len(f.nombre) for f in self.parametros] + [9])
        lineas.append(f"{'parámetro':<{ancho}}  {'forma':<12} {'‖grad‖':>10}  "
                      f"{'|grad|/|peso|':>13}  {'grad = 0':>8}")
        for f in self.parametros:
            if f.norma is None:
                lineas.append(f"{f.nombre:<{ancho}}  {forma(f.forma):<12} {'sin .grad':>10}")
                continue
            razon = num(f.razon) if f.razon is not None else "—"
            lineas.append(f"{f.nombre:<{ancho}}  {forma(f.forma):<12} {num(f.norma):>10}  "
                          f"{razon:>13}  {100 * f.ceros:>7.1f}%")
        if self.relus:
            lineas += ["", "Neuronas ReLU muertas (salida 0 en todo el último lote):"]
            for r in self.relus:
                capa = f"{r.capa} → {r.relu} (ReLU)" if r.capa else f"{r.relu} (ReLU)"
                lineas.append(f"  {capa}: {r.muertas}/{r.total} muertas "
                              f"({100 * r.fraccion:.1f}%)")
        lineas += ["", "Avisos:" if self.avisos else "Sin avisos: los gradientes parecen sanos."]
        lineas += [f"  ⚠ {a}" for a in self.avisos]
        lineas += [f"  ({n})" for n in self.notas]
        return "\n".join(lineas)

    __repr__ = __str__


def gradient_report(model, *, input=None, dead_threshold=0.25, vanishing=1e-7,
                    exploding=1e3, zero_threshold=0.5):
    """Informe de la salud de los gradientes de ``model`` (llámalo tras ``backward()``).

    - ``input``: si se da un lote, se pasa por el modelo (sin grafo) para medir las neuronas
      ReLU muertas ahora; si no, se usa la medida del último forward vigilado
      (``watch_relus(model)``; la primera llamada empieza a vigilar).
    - ``dead_threshold``: fracción de neuronas muertas a partir de la cual se avisa.
    - ``vanishing``/``exploding``: umbrales de la norma del gradiente.
    - ``zero_threshold``: avisa si esa fracción de los gradientes de un parámetro es 0.

    La razón ``|grad|/|peso|`` multiplicada por la tasa de aprendizaje da el tamaño relativo
    de cada paso de SGD; en torno a 1e-3 suele ser sano.
    """
    avisos, notas = [], []
    parametros = []
    for nombre, p in model.named_parameters():
        datos = _array(p)
        if p.grad is None:
            parametros.append(FilaParametro(nombre, datos.shape, None, None, None))
            if p.requires_grad:
                avisos.append(f"{nombre}: sin gradiente (.grad es None). ¿Participa en la "
                              "pérdida? ¿Llamaste a backward()?")
            continue
        g = _array(p.grad)
        n = norma(g)
        peso = float(np.abs(datos).mean(dtype=np.float64)) if datos.size else 0.0
        razon = float(np.abs(g).mean(dtype=np.float64)) / peso if peso > 0 else None
        ceros = float(np.count_nonzero(g == 0)) / g.size if g.size else 0.0
        parametros.append(FilaParametro(nombre, datos.shape, n, razon, ceros))
        if not math.isfinite(n) or n > exploding:
            avisos.append(f"{nombre}: el gradiente explota (‖grad‖ = {num(n)} > {num(exploding)})")
        elif n < vanishing:
            avisos.append(f"{nombre}: el gradiente se desvanece (‖grad‖ = {num(n)} < "
                          f"{num(vanishing)})")
        elif ceros >= zero_threshold:
            avisos.append(f"{nombre}: el {100 * ceros:.0f}% de sus gradientes son exactamente 0")
    relus = _medir_relus(model, input, notas)
    for r in relus:
        if r.total and r.fraccion >= dead_threshold:
            capa = r.capa or r.relu
            avisos.append(f"capa {capa}: {100 * r.fraccion:.0f}% de neuronas ReLU muertas")
    return GradientReport(parametros, relus, avisos, notas)


def _medir_relus(model, input, notas):
    modulos = list(model.named_modules())
    rutas = [ruta for ruta, m in modulos if _es_relu(m)]
    if not rutas:
        return []
    if input is not None:
        vigilancia = Vigilancia(model)
        try:
            from ..autograd.grad_mode import no_grad
            with no_grad():
                model(input)
        finally:
            vigilancia.remove()
        datos = vigilancia.datos
    else:
        vigilada = model in _VIGILADOS
        datos = watch_relus(model).datos
        if not vigilada:
            notas.append("las neuronas ReLU se medirán desde el próximo forward; pasa "
                         "input=lote para medirlas ahora")
    return [FilaReLU(_capa_anterior(modulos, ruta), ruta, *datos[ruta])
            for ruta in rutas if ruta in datos]
