"""Etiquetas y estilos de cada clase de nodo del dibujo, y la leyenda."""
from ..autograd.graph import AccumulateGrad
from .labels import esc, etiqueta, forma, forma_y_tipo, norma, num, resumen, resumen_gradiente

COLOR_OP = "#e9ecef"
COLOR_PARAM = "#cfe2ff"
COLOR_ENTRADA = "#ffffff"
COLOR_SALIDA = "#d1e7dd"
COLOR_MODULO = "#fff3cd"
COLOR_GRAD = "#1f6feb"
COLOR_DESVANECE = "#d62728"
COLOR_EXPLOTA = "#e8590c"
COLORES_CAJA = ("#f8f9fa", "#eef1f4")

ESTILO = {
    "op": {"shape": "box", "style": "rounded,filled", "fillcolor": COLOR_OP, "color": "#495057"},
    "param": {"shape": "box", "style": "filled", "fillcolor": COLOR_PARAM, "color": "#084298"},
    "entrada": {"shape": "box", "style": "filled,dashed", "fillcolor": COLOR_ENTRADA,
                "color": "#6c757d"},
    "salida": {"shape": "box", "style": "filled,bold", "fillcolor": COLOR_SALIDA,
               "color": "#0f5132", "penwidth": "2"},
    "modulo": {"shape": "box3d", "style": "filled", "fillcolor": COLOR_MODULO,
               "color": "#997404"},
}


class Opciones:
    """Opciones de dibujo compartidas por las funciones de este módulo.

    ``vistos`` apunta qué clases de nodo, arista y texto tiene el dibujo: la leyenda solo
    explica lo que el dibujo muestra.
    """

    def __init__(self, show_values, show_grads, max_elements, backward, vanishing, exploding):
        self.show_values = show_values
        self.show_grads = show_grads
        self.max_elements = max_elements
        self.backward = backward
        self.vanishing = vanishing
        self.exploding = exploding
        self.vistos = set()

    def color_gradiente(self, array):
        self.vistos.add("gradiente")
        n = norma(array)
        if n < self.vanishing:
            self.vistos.add("desvanece")
            return COLOR_DESVANECE
        if n > self.exploding:
            self.vistos.add("explota")
            return COLOR_EXPLOTA
        return COLOR_GRAD if self.backward else None

    def linea_gradiente(self, array, prefijo="gradiente"):
        texto = f"{prefijo}: {resumen_gradiente(array, self.max_elements)}"
        return (texto, self.color_gradiente(array))

    def linea_valor(self, array):
        return f"valor: {resumen(array, self.max_elements)}"


def _retenido(nodo):
    """El tensor de salida si el usuario llamó a ``retain_grad()`` y sigue vivo."""
    ref = getattr(nodo, "retained", None)
    return ref() if ref is not None else None


def etiqueta_op(vista, op, op_, mostrar_valor=True):
    """Operación: nombre, número y forma/tipo de su salida; valor y gradiente si se conocen."""
    reg = vista.reg[op]
    lineas = [forma_y_tipo(op.shape, op.dtype)]
    nombre = vista.nombres.de_nodo(op)
    subtitulo = f"#{vista.numero[op]}"
    if nombre and mostrar_valor:   # en la última operación el nombre ya está en la salida
        subtitulo += f" → {nombre}"
    if reg is not None and reg.entradas is not None:
        for constante in reg.entradas:
            if constante is not None and not constante.es_tensor:
                lineas.append(f"constante: {resumen(constante.valor, op_.max_elements)}")
    retenido = _retenido(op)
    valor = reg.valor if reg is not None and reg.valor is not None else (
        retenido._data if retenido is not None else None)
    gradiente = reg.gradiente if reg is not None and reg.gradiente is not None else (
        retenido.grad._data if retenido is not None and retenido.grad is not None else None)
    if mostrar_valor and op_.show_values and valor is not None:
        lineas.append(op_.linea_valor(valor))
    if mostrar_valor and op_.show_grads and gradiente is not None:
        lineas.append(op_.linea_gradiente(gradiente))
    return etiqueta(op.op_name, lineas, subtitulo=subtitulo)


def etiqueta_hoja(vista, hoja, op_):
    tensor = hoja.variable
    titulo = vista.nombre_hoja(hoja) or "hoja (requiere gradiente)"
    lineas = [forma_y_tipo(tensor._data.shape, tensor._data.dtype)]
    if op_.show_values:
        lineas.append(op_.linea_valor(tensor._data))
    if op_.show_grads and tensor.grad is not None:
        lineas.append(op_.linea_gradiente(tensor.grad._data))
    return etiqueta(titulo, lineas)


def etiqueta_constante(vista, constante, op_):
    tensor = constante.tensor()
    titulo = (vista.nombres.de_tensor(tensor) if tensor is not None else None) or \
        "entrada (sin gradiente)"
    lineas = [forma_y_tipo(constante.valor.shape, constante.valor.dtype)]
    if op_.show_values:
        lineas.append(op_.linea_valor(constante.valor))
    return etiqueta(titulo, lineas)


def etiqueta_salida(vista, tensor, raiz, op_):
    nombre = vista.nombres.de_tensor(tensor) or (
        vista.nombres.de_nodo(raiz) if raiz is not None else None)
    lineas = [forma_y_tipo(tensor._data.shape, tensor._data.dtype)]
    if op_.show_values:
        lineas.append(op_.linea_valor(tensor._data))
    if op_.show_grads:
        reg = vista.reg.get(raiz) if raiz is not None else None
        if tensor.grad is not None:
            lineas.append(op_.linea_gradiente(tensor.grad._data))
        elif reg is not None and reg.gradiente is not None:
            lineas.append(op_.linea_gradiente(reg.gradiente, "gradiente inicial"))
    if raiz is None:
        lineas.append("no requiere gradiente: no hay grafo")
    return etiqueta(f"salida: {nombre}" if nombre else "salida", lineas)


def etiqueta_caja(vista, caja, ops, hojas, op_):
    """Módulo colapsado: sus operaciones, sus parámetros y la forma de su salida."""
    nombres_ops = list(dict.fromkeys(op.op_name for op in ops))
    if len(ops) == 1:
        lineas = [f"operación: {vista.titulo(ops[0])}"]
    else:
        lineas = [f"{len(ops)} operaciones: " + ", ".join(nombres_ops[:4])
                  + (", …" if len(nombres_ops) > 4 else "")]
    prefijo = caja.clave + "." if isinstance(caja.clave, str) and caja.clave else ""
    for hoja in hojas:
        nombre = vista.nombre_hoja(hoja) or "hoja"
        if prefijo and nombre.startswith(prefijo):
            nombre = nombre[len(prefijo):]
        texto = f"{nombre} {forma(hoja.shape)}"
        grad = hoja.variable.grad
        if op_.show_grads and grad is not None:
            lineas.append((f"{texto} · ‖g‖ = {num(norma(grad._data))}",
                           op_.color_gradiente(grad._data)))
        else:
            lineas.append(texto)
    if ops:
        ultima = max(ops, key=vista.numero.__getitem__)
        lineas.append(f"salida: {forma_y_tipo(ultima.shape, ultima.dtype)}")
    return etiqueta(caja.etiqueta, lineas)


def es_hoja(nodo):
    return type(nodo) is AccumulateGrad


FILAS_NODOS = (
    ("op", COLOR_OP, "operación #n (n: orden en el forward; forma y tipo de su salida)"),
    ("param", COLOR_PARAM, "tensor hoja que requiere gradiente (parámetro)"),
    ("entrada", COLOR_ENTRADA, "entrada sin gradiente (datos, constantes)"),
    ("salida", COLOR_SALIDA, "salida (el tensor dibujado)"),
    ("caja", COLORES_CAJA[0], "módulo: caja «ruta: tipo»"),
    ("modulo", COLOR_MODULO, "módulo colapsado en un solo nodo"),
)


def leyenda(op_, hay_registro):
    """Nodo con una tabla HTML que explica colores y flechas: solo los que hay en el dibujo.

    ``op_.vistos`` dice qué se dibujó (clases de nodo, de arista y de texto); una fila de la
    leyenda sin nada que le corresponda en la imagen confunde más de lo que explica.
    """
    vistos = op_.vistos
    html = ['<<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="4" '
            'COLOR="#adb5bd">', '<TR><TD COLSPAN="2"><B>Leyenda</B></TD></TR>']
    for clave, color, texto in FILAS_NODOS:
        if clave in vistos:
            html.append(f'<TR><TD BGCOLOR="{color}" WIDTH="24"> </TD>'
                        f'<TD ALIGN="LEFT">{esc(texto)}</TD></TR>')
    if "gradiente" in vistos:
        html.append('<TR><TD COLSPAN="2" ALIGN="LEFT">gradiente: ∂salida/∂(ese tensor), '
                    'tras backward()</TD></TR>')
    # en la vista hacia atrás la muestra es un trazo (las aristas); hacia delante, el texto
    # del gradiente en los nodos, que es lo único que se colorea
    muestra = "<B>━━</B>" if op_.backward else "<B>‖g‖</B>"
    trazos = [
        ("flujo_gradiente", COLOR_GRAD, "<B>━━</B>",
         "gradiente hacia atrás (grosor según su magnitud)"),
        ("desvanece", COLOR_DESVANECE, muestra, f"se desvanece: ‖g‖ &lt; {num(op_.vanishing)}"),
        ("explota", COLOR_EXPLOTA, muestra, f"explota: ‖g‖ &gt; {num(op_.exploding)}"),
        ("sin_dato", "#adb5bd", "<B>━━</B>",
         "hubo gradiente, pero no se registró (backward fuera de viz.registrar())"),
        ("sin_gradiente", "#868e96", "<B>· · ·</B>", "entrada sin gradiente: no recibe nada"),
    ]
    for clave, color, simbolo, texto in trazos:
        if clave in vistos:
            html.append(f'<TR><TD><FONT COLOR="{color}">{simbolo}</FONT></TD>'
                        f'<TD ALIGN="LEFT">{texto}</TD></TR>')
    if "flecha" in vistos:
        html.append('<TR><TD>→</TD><TD ALIGN="LEFT">el dato fluye hacia la operación '
                    'que lo usa</TD></TR>')
    if not hay_registro:
        html.append('<TR><TD COLSPAN="2" ALIGN="LEFT"><FONT POINT-SIZE="10">Para ver los '
                    'valores intermedios y el gradiente de cada arista, ejecuta forward y '
                    'backward<BR ALIGN="LEFT"/>dentro de «with viz.registrar():» o usa '
                    'viz.trace_backward(salida).<BR ALIGN="LEFT"/></FONT></TD></TR>')
    html.append("</TABLE>>")
    return "".join(html)
