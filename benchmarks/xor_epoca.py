"""Una época de la red XOR del curso (``examples/02_xor_mlp.py``): NumPy a mano, tinygrad_es y
PyTorch, en modo eager.

La red: 2-3-1, sigmoide en la capa oculta y en la salida, error cuadrático medio, descenso de
gradiente con lr = 0,5 y la actualización a mano de los apuntes (``p -= lr * p.grad`` bajo
``no_grad()``). Una época = forward + backward + paso de SGD sobre las 4 muestras de XOR y
``perdida.item()`` (el ejemplo guarda la pérdida de cada época). Candidatos, desde los mismos
pesos iniciales (float32):
- NumPy escrito a mano como en el curso (las derivadas de la sigmoide y del ECM a mano): la
  referencia;
- tinygrad_es con el bucle del ejemplo;
- el mismo bucle compilado con ``tinygrad_es.compile`` (fuera del objetivo de modo eager);
- PyTorch en CPU con el mismo código (si está instalado).

Con redes tan pequeñas el cálculo es despreciable: se mide lo que cuesta cada operación (la
sobrecarga de ``sobrecarga_ops.py``): 9 operaciones hacia delante, su backward y 8 en la
actualización (un producto y una resta por parámetro). Objetivos (#20): tinygrad_es ≤ 1,5x
NumPy a mano y, compilado, ≤ 1,1x. Antes de medir, cada candidato entrena ``--comprobar`` épocas
desde los mismos pesos y se imprime su pérdida: todos deben dar la misma.

Uso: python benchmarks/xor_epoca.py [--repeticiones 21] [--bloque 200] [--comprobar 300]
                                    [--pausa 0.3] [--hilos defecto|1|ambos] [--json]
"""
import os
import statistics
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _comun import (aviso_ruido, datos_medicion, maquina_completa, medir_por_bloques,  # noqa: E402
                    opciones_medicion, pausas_tras, raiz_en_path, razones, razones_pareadas,
                    resumir, tabla, texto_maquina, texto_medicion, torch_o_none, variantes,
                    volcar_json)

raiz_en_path()
import tinygrad_es as tg  # noqa: E402
from tinygrad_es.utils.cli import ParserEs  # noqa: E402

LR, OCULTAS = 0.5, 3
OBJETIVO, OBJETIVO_COMPILADO = 1.5, 1.1   # #20: eager ≤ 1,5x y compilado ≤ 1,1x NumPy a mano
ENTRADAS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)
OBJETIVOS = np.array([[0], [1], [1], [0]], dtype=np.float32)
REFERENCIA = "NumPy a mano"
TINYGRAD = "tinygrad_es (eager)"
COMPILADO = "tinygrad_es.compile"
PYTORCH = "PyTorch CPU (eager)"


def pesos_iniciales(semilla=0):
    """W1 (2, 3) y W2 (3, 1) normales, sesgos a cero, como el ejemplo (float32)."""
    rng = np.random.default_rng(semilla)
    return {"W1": rng.standard_normal((2, OCULTAS), dtype=np.float32),
            "b1": np.zeros(OCULTAS, np.float32),
            "W2": rng.standard_normal((OCULTAS, 1), dtype=np.float32),
            "b2": np.zeros(1, np.float32)}


def epoca_numpy(pesos):
    """Backprop escrito a mano, como en los apuntes del curso."""
    W1, b1, W2, b2 = (pesos[k].copy() for k in ("W1", "b1", "W2", "b2"))
    X, Y = ENTRADAS, OBJETIVOS

    def epoca():
        nonlocal W1, b1, W2, b2     # se actualizan en su sitio (``-=``)
        oculta = 1 / (1 + np.exp(-(X @ W1 + b1)))
        salida = 1 / (1 + np.exp(-(oculta @ W2 + b2)))
        perdida = ((salida - Y) ** 2).mean()
        # hacia atrás: ECM, sigmoide (s·(1 − s)), capa lineal
        d_salida = 2 * (salida - Y) / Y.size * salida * (1 - salida)
        d_oculta = (d_salida @ W2.T) * oculta * (1 - oculta)
        W2 -= LR * (oculta.T @ d_salida)
        b2 -= LR * d_salida.sum(axis=0)
        W1 -= LR * (X.T @ d_oculta)
        b1 -= LR * d_oculta.sum(axis=0)
        return perdida.item()
    return epoca


def epoca_biblioteca(torch, pesos, compilar=False):
    """El bucle de ``examples/02_xor_mlp.py``, idéntico para tinygrad_es y para torch; con
    ``compilar``, el paso compilado con ``tinygrad_es.compile`` (issue #20, punto 3) y la
    lectura ``perdida.item()`` fuera de la función compilada."""
    X, Y = torch.from_numpy(ENTRADAS.copy()), torch.from_numpy(OBJETIVOS.copy())
    parametros = {k: torch.tensor(v, requires_grad=True) for k, v in pesos.items()}
    W1, b1, W2, b2 = parametros.values()

    def paso():
        oculta = torch.sigmoid(X @ W1 + b1)
        salida = torch.sigmoid(oculta @ W2 + b2)
        perdida = ((salida - Y) ** 2).mean()
        perdida.backward()
        with torch.no_grad():
            for p in parametros.values():
                p -= LR * p.grad
                p.grad = None
        return perdida
    paso = torch.compile(paso) if compilar else paso

    def epoca():
        return paso().item()
    return epoca


def fabricas(torch, pesos):
    lista = {REFERENCIA: lambda: epoca_numpy(pesos),
             TINYGRAD: lambda: epoca_biblioteca(tg, pesos),
             COMPILADO: lambda: epoca_biblioteca(tg, pesos, compilar=True)}
    if torch is not None:
        lista[PYTORCH] = lambda: epoca_biblioteca(torch, pesos)
    return lista


def perdidas_tras(fabricas_, epocas):
    """La pérdida de la última de ``epocas`` épocas de cada candidato, desde los pesos
    iniciales (instancias nuevas: no cuentan para la medición)."""
    resultado = {}
    for nombre, fabrica in fabricas_.items():
        epoca = fabrica()
        for _ in range(epocas):
            perdida = epoca()
        resultado[nombre] = perdida
    return resultado


def main(argv=None):
    parser = ParserEs(description=__doc__.split("\n")[0])
    parser.add_argument("--repeticiones", type=int, default=21,
                        help="turnos intercalados (21); cada turno son --bloque épocas seguidas")
    parser.add_argument("--bloque", type=int, default=200, help="épocas seguidas por turno (200)")
    parser.add_argument("--comprobar", type=int, default=300,
                        help="épocas desde los mismos pesos para comparar la pérdida (300)")
    opciones_medicion(parser)
    parser.add_argument("--json", action="store_true", help="salida en JSON")
    args = parser.parse_args(argv)

    torch = torch_o_none()
    pesos = pesos_iniciales()
    perdidas = perdidas_tras(fabricas(torch, pesos), args.comprobar)
    candidatos, contextos = variantes(fabricas(torch, pesos), args.hilos)
    tiempos = medir_por_bloques(candidatos, repeticiones=args.repeticiones, bloque=args.bloque,
                                calentamiento=20, por_llamada=True,
                                pausas=pausas_tras(candidatos, args.pausa), contextos=contextos)
    resumen = resumir(tiempos)
    medianas = {n: statistics.median(ts) for n, ts in tiempos.items()}
    cocientes = razones(medianas, REFERENCIA)
    pareadas = razones_pareadas(tiempos, REFERENCIA, args.bloque)
    objetivos = {}
    for n, p in pareadas.items():
        maximo = (OBJETIVO if n.startswith(TINYGRAD) else
                  OBJETIVO_COMPILADO if n.startswith(COMPILADO) else None)
        if maximo is not None:
            objetivos[n] = {"razon_maxima": maximo, "razon_pareada": p["mediana"],
                            "cumple": p["mediana"] <= maximo}
    titulo = (f"Época de la red XOR 2-{OCULTAS}-1 (sigmoide, ECM, SGD lr = {LR:g}, 4 muestras, "
              "float32), modo eager")
    if args.json:
        volcar_json(titulo, parametros={"repeticiones": args.repeticiones,
                                        "bloque": args.bloque, "lr": LR, "ocultas": OCULTAS,
                                        "epocas_comprobacion": args.comprobar,
                                        **datos_medicion(args.pausa, args.hilos)},
                    medianas_us={n: t * 1e6 for n, t in medianas.items()}, referencia=REFERENCIA,
                    razones=cocientes, razones_pareadas=pareadas,
                    perdida_tras_comprobar=perdidas, objetivo=objetivos)
        return
    print(f"== {titulo} ==")
    print("\n".join(texto_maquina(maquina_completa())))
    print(texto_medicion(args.pausa, args.hilos))
    print(f"Medianas de {args.repeticiones} turnos intercalados de {args.bloque} épocas:")
    filas = [(n, f"{medianas[n] * 1e6:.1f}", f"{cocientes[n]:.2f}x",
              f"{p['mediana']:.2f}x ({p['p25']:.2f}-{p['p75']:.2f})")
             for n, p in pareadas.items()]
    print("\n".join(tabla(("candidato", "µs por época", f"vs {REFERENCIA}",
                           "pareado (p25-p75)"), filas)))
    print(f"Pérdida tras {args.comprobar} épocas desde los mismos pesos: " + "; ".join(
        f"{n} {v:.6f}" for n, v in perdidas.items()))
    for nombre, o in objetivos.items():
        veredicto = "cumple" if o["cumple"] else "NO cumple"
        print(f"Objetivo: {nombre} <= {o['razon_maxima']:.1f}x {REFERENCIA} (pareado): {veredicto} "
              f"({o['razon_pareada']:.2f}x)")
    aviso = aviso_ruido(resumen)
    if aviso:
        print(aviso)


if __name__ == "__main__":
    main()
