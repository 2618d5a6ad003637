"""``trace_backward``: la regla de la cadena paso a paso, como se escribe en la pizarra.

Ejecuta el backward dentro de ``viz.registrar()`` y anota, en el orden en que el motor
procesa los nodos: qué gradiente llega a cada nodo (y de dónde; si llegan dos ramas se ve la
suma), qué derivada local aplica y qué envía a cada entrada. Se exporta como texto, Markdown
o LaTeX; con ``respuestas=False`` los números quedan en blanco: el enunciado de un ejercicio,
y con ``True`` su solución.
"""
from .backward_view import derivada_de_arista
from .clusters import Agrupacion
from .derivatives import regla, regla_latex
from .labels import forma, norma, num
from .nodes import es_hoja
from .recorder import Registrador, registro
from .walk import Vista

FORMATOS = ("texto", "markdown", "latex")
BLANCO = "______"


def trace_backward(output, formato="texto", *, gradient=None, retain_graph=False, params=None,
                   model=None, respuestas=True, imprimir=True):
    """Ejecuta ``output.backward()`` registrándolo e imprime la traza de la regla de la cadena.

    - ``formato``: ``"texto"``, ``"markdown"`` o ``"latex"`` (una tabla para apuntes; la
      columna de la regla es la ``rule_latex`` de cada operación y usa ``\\text``, de amsmath).
    - ``gradient``/``retain_graph``: como en ``Tensor.backward``.
    - ``params``/``model``: nombres de parámetros y tensores, como en ``draw_graph``
      (``params=locals()`` nombra cada variable: ``∂e/∂c = d = -2.0 → -2.0``).
    - ``respuestas=False``: deja los números en blanco (versión de ejercicio).

    Los gradientes de las hojas quedan en ``.grad`` como con ``backward()``. Si el forward se
    hizo dentro de ``viz.registrar()``, la traza también usa los valores intermedios.
    Devuelve una ``Traza`` (``traza.como("latex", respuestas=False)``, ``traza.pasos``).
    """
    _validar(formato)
    vista = Vista(output, params, model)
    if vista.raices[0] is None or len(vista.salidas) != 1:
        raise RuntimeError("trace_backward necesita un solo tensor con grafo (que requiera "
                           "gradiente), como la pérdida. ¿Está el cálculo dentro de no_grad()?")
    with Registrador() as registrador:
        vista.salidas[0].backward(gradient, retain_graph=retain_graph)
    vista.reg = {n: registro(n) for n in vista.reg}
    traza = Traza(_pasos(vista, registrador.pasos), formato, respuestas)
    if imprimir:
        print(traza)
    return traza


def _validar(formato):
    if formato not in FORMATOS:
        raise ValueError(f"formato debe ser uno de {', '.join(FORMATOS)}, no {formato!r}.")


class Paso:
    """Un nodo procesado por el motor: lo que recibe, la regla local y lo que envía."""

    __slots__ = ("numero", "nodo", "modulo", "recibidos", "total", "regla", "regla_latex",
                 "envios", "hoja")

    def __init__(self, numero, nodo, modulo, recibidos, total, regla_, envios, hoja,
                 regla_latex_=None):
        self.numero = numero
        self.nodo = nodo            # "Linear #3" o el nombre de la hoja
        self.modulo = modulo        # "stack.0: Linear" o None
        self.recibidos = recibidos  # [(origen, gradiente)]; origen None = semilla
        self.total = total          # gradiente total (la suma de lo recibido)
        self.regla = regla_          # la de la operación (op.rule)
        self.regla_latex = regla_latex_   # op.rule_latex, o None (se escapa la de texto)
        self.envios = envios        # [(destino, gradiente, texto escalar o None)]
        self.hoja = hoja

    def __repr__(self):
        return f"<Paso {self.numero}: {self.nodo}>"


def _pasos(vista, orden):
    titulo_de_registro = {}
    for nodo, reg in vista.reg.items():
        if reg is not None:
            titulo_de_registro[id(reg)] = vista.titulo(nodo)
    cajas = Agrupacion(vista).de_nodo
    pasos = []
    for k, nodo in enumerate(orden, 1):
        reg = vista.reg.get(nodo) or registro(nodo)
        caja = cajas.get(nodo)
        if not reg.recibidos:
            recibidos = [(None, reg.gradiente)]
        else:
            recibidos = [(titulo_de_registro.get(id(hijo), "?"), g)
                         for hijo, _, g in reg.recibidos]
        if es_hoja(nodo):
            pasos.append(Paso(k, vista.titulo(nodo), caja.etiqueta if caja else None, recibidos,
                              reg.gradiente, "acumula en .grad", [], True))
            continue
        envios = []
        for posicion, padre in enumerate(nodo.parents):
            if padre is None or posicion not in reg.aristas:
                continue
            g = reg.aristas[posicion]
            destino = vista.simbolo(padre) if es_hoja(padre) else vista.titulo(padre)
            envios.append((destino, g, _Escalar(vista, nodo, posicion, g)))
        pasos.append(Paso(k, vista.titulo(nodo), caja.etiqueta if caja else None, recibidos,
                          reg.gradiente, regla(nodo), envios, False, regla_latex(nodo)))
    return pasos


class _Escalar:
    """Texto ``∂c/∂a = b = 2.0 → +2.0`` de un envío, con los números visibles o en blanco."""

    def __init__(self, vista, nodo, posicion, g):
        self.vista, self.nodo, self.posicion, self.g = vista, nodo, posicion, g

    def texto(self, fmt):
        return derivada_de_arista(self.vista, self.nodo, self.posicion, self.g, fmt)


class Traza:
    """La traza de un backward: ``pasos`` y sus exportaciones de texto, Markdown y LaTeX."""

    def __init__(self, pasos, formato="texto", respuestas=True):
        self.pasos = pasos
        self.formato = formato
        self.respuestas = respuestas

    def como(self, formato="texto", respuestas=None):
        _validar(formato)
        respuestas = self.respuestas if respuestas is None else respuestas
        fmt = num if respuestas else (lambda x: BLANCO)
        filas = [_fila(p, fmt) for p in self.pasos]
        if formato == "markdown":
            return _markdown(filas)
        if formato == "latex":
            return _latex(filas)
        return _texto(filas)

    def __str__(self):
        return self.como(self.formato)

    def __repr__(self):
        return (f"<Traza del backward: {len(self.pasos)} pasos. print(traza) o "
                f"traza.como('markdown'|'latex') para verla>")


# --- filas comunes a los tres formatos ---------------------------------------------
def _magnitud(g, fmt):
    if g.size == 1:
        return fmt(float(g.reshape(()).item()))
    return f"‖g‖ = {fmt(norma(g))} · forma {forma(g.shape)}"


def _fila(paso, fmt):
    """(paso, nodo, recibe, regla, [envíos], es hoja, regla en LaTeX o None) como textos."""
    if paso.recibidos[0][0] is None:
        recibe = f"semilla: {_magnitud(paso.recibidos[0][1], fmt)}"
    elif len(paso.recibidos) == 1:
        origen, g = paso.recibidos[0]
        recibe = f"de {origen}: {_magnitud(g, fmt)}"
    else:
        sumandos = " + ".join(f"de {o}: {_magnitud(g, fmt)}" for o, g in paso.recibidos)
        recibe = (f"suma de {len(paso.recibidos)} ramas: {sumandos} = "
                  f"{_magnitud(paso.total, fmt)}")
    nodo = paso.nodo + (f" [{paso.modulo}]" if paso.modulo else "")
    if paso.hoja:
        envios = [f"{paso.nodo}.grad += {_magnitud(paso.total, fmt)}"]
    else:
        envios = []
        for destino, g, escalar in paso.envios:
            texto = escalar.texto(fmt)
            envios.append(f"{destino}: {texto if texto is not None else _magnitud(g, fmt)}")
    return str(paso.numero), nodo, recibe, paso.regla, envios, paso.hoja, paso.regla_latex


def _texto(filas):
    lineas = ["Traza del backward (regla de la cadena), en el orden en que se ejecuta:", ""]
    for numero, nodo, recibe, regla_, envios, hoja, _ in filas:
        lineas.append(f"Paso {numero} · {nodo}")
        lineas.append(f"  recibe:  {recibe}")
        if hoja:
            lineas.extend(f"  acumula: {e}" for e in envios)
        else:
            lineas.append(f"  regla:   {regla_}")
            lineas.extend(f"  envía →  {e}" for e in envios)
        lineas.append("")
    return "\n".join(lineas).rstrip() + "\n"


def _md(texto):
    return texto.replace("|", "\\|")


def _markdown(filas):
    lineas = ["| Paso | Nodo | Gradiente que recibe | Derivada local | Envía a |",
              "|---:|---|---|---|---|"]
    for numero, nodo, recibe, regla_, envios, _, _ in filas:
        lineas.append(f"| {numero} | {_md(nodo)} | {_md(recibe)} | {_md(regla_)} | "
                      f"{'<br>'.join(_md(e) for e in envios)} |")
    return "\n".join(lineas) + "\n"


_LATEX = [("\\", r"\textbackslash{}"), ("&", r"\&"), ("%", r"\%"), ("$", r"\$"),
          ("#", r"\#"), ("_", r"\_"), ("{", r"\{"), ("}", r"\}"), ("~", r"\textasciitilde{}"),
          ("^", r"\^{}")]
_LATEX_SIMBOLOS = {"∂": r"$\partial$", "‖": r"$\|$", "σ": r"$\sigma$", "→": r"$\to$",
                   "·": r"$\cdot$", "Σ": r"$\Sigma$", "ᵀ": r"$^\top$", "²": r"$^2$",
                   "⊙": r"$\odot$", "√": r"$\surd$", "ⁿ": r"$^n$", "ŷ": r"$\hat{y}$",
                   "ᵢ": r"$_i$", "×": r"$\times$", "«": "<<", "»": ">>"}


def _tex(texto):
    for a, b in _LATEX:
        texto = texto.replace(a, b)
    return "".join(_LATEX_SIMBOLOS.get(c, c) for c in texto)


def _latex(filas):
    lineas = [r"\begin{tabular}{r p{3cm} p{4.5cm} p{3.5cm} p{5cm}}",
              r"\hline",
              r"Paso & Nodo & Gradiente que recibe & Derivada local & Envía a \\",
              r"\hline"]
    for numero, nodo, recibe, regla_, envios, _, latex in filas:
        celdas = [numero, _tex(nodo), _tex(recibe), f"${latex}$" if latex else _tex(regla_),
                  r" \newline ".join(_tex(e) for e in envios)]
        lineas.append(" & ".join(celdas) + r" \\")
    lineas += [r"\hline", r"\end{tabular}"]
    return "\n".join(lineas) + "\n"
