"""Sobrecarga por operación con tensores diminutos: tinygrad_es frente a micrograd y a PyTorch.

Con tensores tan pequeños el cálculo es despreciable y lo que se mide es el coste fijo de cada
operación: crear el tensor de salida, registrar el nodo del grafo, recorrerlo en backward...
- ``(a*b + a).sum()`` y su backward: 3 operaciones hacia delante (mul, add, sum) y sus 3
  derivadas; se da el tiempo por iteración y por operación (iteración / operaciones). Cada
  iteración deja ``a.grad = b.grad = None``, como ``zero_grad()``. Candidatos:
  * micrograd (el motor escalar de A. Karpathy) con escalares: ``a*b + a`` y ``backward()``
    (2 operaciones: la suma de un escalar es él mismo); es la **referencia** de la tabla. Si el
    paquete ``micrograd`` está instalado se usa; si no, la clase ``Value`` de este archivo, que
    hace lo mismo (y la salida lo dice);
  * micrograd con la misma cuenta que los tensores 4x4, elemento a elemento (16 productos, 16
    sumas y 15 sumas para reducir: 47 nodos);
  * tinygrad_es y PyTorch con tensores 4x4 float32 y con tensores 0-d (un escalar), y la
    misma cuenta 4x4 compilada con ``tinygrad_es.compile`` (fuera del objetivo: es el modo
    eager el que debe llegar).
- Operaciones sueltas solo hacia delante (suma, matmul 4x4, relu), sin y con requires_grad
  (con requires_grad se registra además el nodo del grafo), tinygrad_es frente a PyTorch.

Cada turno ejecuta ``--iteraciones`` veces seguidas la misma operación; los turnos de los
candidatos se intercalan (con pausa tras cada bloque, más larga tras PyTorch) y se da la
mediana por iteración en microsegundos y el cociente pareado (turno a turno) frente a la
referencia. Con ``--hilos ambos`` (por defecto) tinygrad_es y PyTorch se miden además con un
hilo (micrograd es Python puro: no tiene hilos).

Uso: python benchmarks/sobrecarga_ops.py [--iteraciones 2000] [--repeticiones 21]
                                          [--pausa 0.3] [--hilos defecto|1|ambos] [--json]
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _comun import (aviso_ruido, datos_medicion, maquina_completa, medir_por_bloques,  # noqa: E402
                    opciones_medicion, pausas_tras, raiz_en_path, razones_pareadas,
                    referencia_de, resumir, tabla, texto_maquina, texto_medicion, torch_o_none,
                    variantes, volcar_json)

raiz_en_path()
import tinygrad_es as tg  # noqa: E402
from tinygrad_es.utils.cli import ParserEs  # noqa: E402

FORMA = (4, 4)
COMPUESTA = "(a*b + a).sum() + backward"
MICROGRAD = "micrograd (escalares: a*b + a)"
MICROGRAD_4X4 = "micrograd (4x4: 16 escalares, 47 nodos)"
COMPILADO = "tinygrad_es.compile"


class Value:
    """Un escalar con su gradiente, al estilo de micrograd (Karpathy): cada operación guarda
    sus operandos y una función ``_backward`` que reparte el gradiente de la salida entre
    ellos; ``backward()`` ordena el grafo topológicamente y llama a esas funciones de la salida
    hacia las hojas. Es lo que se mide si el paquete ``micrograd`` no está instalado."""

    def __init__(self, data, _children=(), _op=""):
        self.data = data
        self.grad = 0
        self._backward = lambda: None
        self._prev = set(_children)
        self._op = _op

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other), "+")

        def _backward():        # d(x + y) = dx + dy
            self.grad += out.grad
            other.grad += out.grad
        out._backward = _backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other), "*")

        def _backward():        # d(x·y) = y·dx + x·dy
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad
        out._backward = _backward
        return out

    def backward(self):
        orden, vistos = [], set()

        def visitar(v):         # orden topológico: cada nodo detrás de sus operandos
            if v not in vistos:
                vistos.add(v)
                for hijo in v._prev:
                    visitar(hijo)
                orden.append(v)
        visitar(self)
        self.grad = 1
        for v in reversed(orden):
            v._backward()


def clase_micrograd():
    """La clase ``Value`` del paquete ``micrograd`` si está instalado; si no, la de aquí."""
    try:
        from micrograd.engine import Value as ValueMicrograd
    except ImportError:
        return Value, "clase Value escrita en este benchmark (el paquete micrograd no está)"
    try:
        from importlib.metadata import version
        texto = f"paquete micrograd {version('micrograd')}"
    except Exception:   # instalado sin metadatos (p. ej. en PYTHONPATH)
        texto = "paquete micrograd"
    return ValueMicrograd, texto


def arrays():
    rng = np.random.default_rng(0)
    return tuple(rng.standard_normal(FORMA, dtype=np.float32) for _ in range(2))


def tensores(lib, requires_grad, escalar=False):
    a, b = arrays()
    if escalar:
        a, b = a[0, 0], b[0, 0]
    return (lib.tensor(a, requires_grad=requires_grad),
            lib.tensor(b, requires_grad=requires_grad))


def compuesta_tensores(lib, escalar=False, compilar=False):
    """Una iteración de la cuenta con tensores (4x4 o 0-d); ``.gradientes()`` da los de a y b.
    Con ``compilar``, la cuenta y su backward pasan por ``tinygrad_es.compile``."""
    a, b = tensores(lib, True, escalar)

    def cuenta():
        (a * b + a).sum().backward()
    cuenta = lib.compile(cuenta) if compilar else cuenta

    def iteracion():
        cuenta()
        a.grad = None
        b.grad = None

    def gradientes():
        cuenta()
        ga, gb = a.grad.detach().numpy().copy(), b.grad.detach().numpy().copy()
        a.grad = b.grad = None
        return ga, gb
    iteracion.gradientes = gradientes
    return iteracion


def compuesta_micrograd(V, elementos):
    """La misma cuenta con escalares de micrograd: con ``elementos=1``, ``a*b + a`` sobre el
    primer elemento; con 16, elemento a elemento sobre los 4x4 y la suma de los 16 términos."""
    a_np, b_np = arrays()
    A = [V(float(v)) for v in a_np.flat[:elementos]]
    B = [V(float(v)) for v in b_np.flat[:elementos]]
    hojas = A + B

    def cuenta():
        terminos = [x * y + x for x, y in zip(A, B)]
        total = terminos[0]
        for t in terminos[1:]:
            total = total + t
        total.backward()

    def iteracion():
        cuenta()
        for v in hojas:
            v.grad = 0

    def gradientes():
        cuenta()
        ga = np.array([v.grad for v in A], np.float64)
        gb = np.array([v.grad for v in B], np.float64)
        for v in hojas:
            v.grad = 0
        return ga, gb
    iteracion.gradientes = gradientes
    return iteracion


def comprobar_gradientes(candidatos):
    """¿Da cada candidato ∂/∂a = b + 1 y ∂/∂b = a (en los elementos que usa)?"""
    a, b = arrays()
    resultado = {}
    for nombre, f in candidatos.items():
        ga, gb = (np.ravel(g) for g in f.gradientes())
        n = ga.size
        resultado[nombre] = bool(np.allclose(ga, (b.ravel()[:n] + 1), rtol=1e-5, atol=1e-6)
                                 and np.allclose(gb, a.ravel()[:n], rtol=1e-5, atol=1e-6))
    return resultado


def casos(torch, V):
    """Cada caso: (nombre, referencia, {candidato: (operaciones, fábrica de la iteración)},
    candidatos sin hilos). Las fábricas construyen la iteración (``_comun.variantes``)."""
    compuesta = {MICROGRAD: (2, lambda: compuesta_micrograd(V, 1)),
                 MICROGRAD_4X4: (47, lambda: compuesta_micrograd(V, 16)),
                 "tinygrad_es": (3, lambda: compuesta_tensores(tg)),
                 "tinygrad_es (0-d)": (3, lambda: compuesta_tensores(tg, escalar=True)),
                 COMPILADO: (3, lambda: compuesta_tensores(tg, compilar=True))}
    if torch is not None:
        compuesta.update({"PyTorch": (3, lambda: compuesta_tensores(torch)),
                          "PyTorch (0-d)": (3, lambda: compuesta_tensores(torch, escalar=True))})
    lista = [(COMPUESTA, MICROGRAD, compuesta, (MICROGRAD, MICROGRAD_4X4))]
    libs = {"tinygrad_es": tg, **({"PyTorch": torch} if torch is not None else {})}
    referencia = "PyTorch" if torch is not None else "tinygrad_es"

    def suelta(lib, con_grad, operacion):
        x, z = tensores(lib, con_grad)
        return lambda: operacion(x, z)
    for con_grad in (False, True):
        sufijo = ", requires_grad" if con_grad else ""
        for nombre, operacion in ((f"a + b{sufijo}", lambda x, z: x + z),
                                  (f"a @ b (4x4){sufijo}", lambda x, z: x @ z),
                                  (f"a.relu(){sufijo}", lambda x, z: x.relu())):
            cands = {n: (1, lambda lib=lib, g=con_grad, op=operacion: suelta(lib, g, op))
                     for n, lib in libs.items()}
            lista.append((nombre, referencia, cands, ()))
    return lista


def medir_caso(candidatos, sin_hilos, args):
    """Mide un caso; devuelve los candidatos (con sus variantes) y sus tiempos."""
    con_hilos = {n: f for n, (_, f) in candidatos.items() if n not in sin_hilos}
    funciones, contextos = variantes(con_hilos, args.hilos)
    funciones = {**{n: candidatos[n][1]() for n in sin_hilos}, **funciones}
    tiempos = medir_por_bloques(funciones, repeticiones=args.repeticiones,
                                bloque=args.iteraciones, calentamiento=min(200, args.iteraciones),
                                pausas=pausas_tras(funciones, args.pausa), contextos=contextos)
    return funciones, tiempos


def ops_de(fila, nombre):
    return round(fila[f"{nombre}_us"] / fila[f"{nombre}_us_por_op"])


def main(argv=None):
    parser = ParserEs(description=__doc__.split("\n")[0])
    parser.add_argument("--iteraciones", type=int, default=2000,
                        help="iteraciones seguidas por turno")
    parser.add_argument("--repeticiones", type=int, default=21, help="turnos por candidato")
    opciones_medicion(parser)
    parser.add_argument("--json", action="store_true", help="salida en JSON")
    args = parser.parse_args(argv)

    torch = torch_o_none()
    V, origen_micrograd = clase_micrograd()
    resultados, resumenes, pareadas_casos, micrograd = {}, {}, {}, None
    for nombre, referencia, candidatos, sin_hilos in casos(torch, V):
        funciones, tiempos = medir_caso(candidatos, sin_hilos, args)
        resumen = resumenes[nombre] = resumir(tiempos)
        pareadas = pareadas_casos[nombre] = razones_pareadas(tiempos, referencia)
        ops = {n: candidatos[n.split(" [")[0]][0] for n in funciones}
        fila = {"operaciones": candidatos["tinygrad_es"][0], "referencia": referencia}
        for n, r in resumen.items():
            fila[f"{n}_us"] = r["mediana"] * 1e6
            fila[f"{n}_us_por_op"] = r["mediana"] * 1e6 / ops[n]
        if torch is not None:
            fila["razon_tinygrad_pytorch"] = fila["tinygrad_es_us"] / fila["PyTorch_us"]
        fila["razones_pareadas"] = pareadas
        resultados[nombre] = fila
        if nombre == COMPUESTA:
            micrograd = {"origen": origen_micrograd, "referencia": MICROGRAD,
                         "operaciones": ops,
                         "us": {n: r["mediana"] * 1e6 for n, r in resumen.items()},
                         "us_por_op": {n: r["mediana"] * 1e6 / ops[n] for n, r in resumen.items()},
                         "razon_por_iteracion_pareada": {n: p["mediana"]
                                                         for n, p in pareadas.items()},
                         "razon_por_op_pareada": {
                             n: p["mediana"] * ops[referencia_de(n, MICROGRAD, funciones)]
                             / ops[n] for n, p in pareadas.items()},
                         "gradientes_correctos": comprobar_gradientes(funciones)}

    razon_op = micrograd["razon_por_op_pareada"]["tinygrad_es"]
    objetivo = {"caso": COMPUESTA, "candidato": "tinygrad_es", "frente_a": MICROGRAD,
                "medida": "µs por operación, cociente pareado", "razon_maxima": 1.0,
                "razon": razon_op, "cumple": razon_op <= 1.0}
    if torch is not None:
        r = resultados[COMPUESTA]["razon_tinygrad_pytorch"]
        objetivo["frente_a_pytorch"] = {"razon_maxima": 1.0, "razon": r, "cumple": r <= 1.0}
    titulo = "Sobrecarga por operación con tensores diminutos (4x4 y 0-d, float32)"
    if args.json:
        volcar_json(titulo, parametros={"forma": list(FORMA), "iteraciones": args.iteraciones,
                                        "repeticiones": args.repeticiones,
                                        **datos_medicion(args.pausa, args.hilos)},
                    casos=resultados, frente_a_micrograd=micrograd, objetivo=objetivo)
        return
    print(f"== {titulo} ==")
    print("\n".join(texto_maquina(maquina_completa())))
    print(texto_medicion(args.pausa, args.hilos))
    print(f"micrograd: {origen_micrograd}")
    print(f"Medianas de {args.repeticiones} turnos intercalados de {args.iteraciones} "
          "iteraciones, en µs; cocientes frente a la referencia de cada caso:")
    filas = []
    for nombre, fila in resultados.items():
        for i, (n, p) in enumerate(fila["razones_pareadas"].items()):
            ref = referencia_de(n, fila["referencia"], fila["razones_pareadas"])
            iteracion = fila[f"{n}_us"]
            por_op = fila[f"{n}_us_por_op"]
            filas.append(["" if i else nombre, n, round(iteracion / por_op),
                          f"{iteracion:.2f}", f"{por_op:.2f}",
                          f"{iteracion / fila[f'{ref}_us']:.2f}x", f"{p['mediana']:.2f}x",
                          f"{p['mediana'] * ops_de(fila, ref) / ops_de(fila, n):.2f}x"])
    print("\n".join(tabla(["caso", "candidato", "ops", "µs/iter", "µs/op", "vs ref",
                           "pareado", "por op, pareado"], filas)))
    print("Referencia: micrograd con escalares en la cuenta compuesta; PyTorch (o tinygrad_es "
          "si no está) en las operaciones sueltas. Las variantes de un hilo, frente a la de un "
          "hilo de la referencia si la hay.")
    print("Gradientes correctos (∂/∂a = b + 1, ∂/∂b = a): " + "; ".join(
        f"{n} {'sí' if ok else 'NO'}" for n, ok in micrograd["gradientes_correctos"].items()))
    veredicto = "cumple" if objetivo["cumple"] else "NO cumple"
    print(f"Objetivo: µs por operación de tinygrad_es (4x4) <= micrograd (escalares): "
          f"{veredicto} ({objetivo['razon']:.2f}x, pareado)")
    print(f"Compilada con {COMPILADO}: "
          f"{micrograd['razon_por_op_pareada'][COMPILADO]:.2f}x micrograd por operación "
          "(pareado; fuera del objetivo, que es sin compilar)")
    if torch is not None:
        r = objetivo["frente_a_pytorch"]
        print(f"Objetivo: tinygrad_es <= PyTorch en {COMPUESTA}: "
              f"{'cumple' if r['cumple'] else 'NO cumple'} ({r['razon']:.2f}x)")
    else:
        print("PyTorch no está instalado: no se mide.")
    ruidosos = [caso for caso, r in resumenes.items() if aviso_ruido(r)]
    if ruidosos:
        print(f"Aviso: medición ruidosa en {', '.join(ruidosos)} (dispersión > 25 %); la "
              "máquina estaba ocupada. Repite la ejecución con la máquina libre.")


if __name__ == "__main__":
    main()
