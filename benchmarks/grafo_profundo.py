"""Backward sobre una cadena de 100.000 operaciones: ``y = y * 1.00001`` repetido.

Mide por separado, con repeticiones intercaladas de tinygrad_es y PyTorch (si está instalado):
- forward: construir la cadena (100.000 nodos del grafo);
- backward: recorrerla entera (el motor debe ser iterativo: con recursión no llegaría);
- liberación: soltar el grafo (``del y``), que también es trabajo del intérprete.
El gradiente exacto es 1.00001 ** 100000 ≈ e; se imprime para comprobar que todos coinciden.

El orden de los candidatos rota en cada repetición, con pausa tras cada uno (``--pausa``, más
larga tras PyTorch); el cociente pareado es la mediana, repetición a repetición, de
tinygrad_es / PyTorch. Con ``--hilos ambos`` (por defecto), cada uno también con un hilo.

Uso: python benchmarks/grafo_profundo.py [--operaciones 100000] [--repeticiones 5]
                                         [--pausa 0.3] [--hilos defecto|1|ambos] [--json]
"""
import os
import statistics
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _comun import (UN_HILO, contexto_de, datos_medicion, maquina_completa,  # noqa: E402
                    opciones_medicion, pausas_tras, raiz_en_path, razones_pareadas, resumir,
                    tabla, texto_maquina, texto_medicion, torch_o_none, variantes, volcar_json)

raiz_en_path()
import tinygrad_es as tg  # noqa: E402
from tinygrad_es.utils.cli import ParserEs  # noqa: E402

FACTOR, OBJETIVO_S = 1.00001, 1.0
FASES = ("forward", "backward", "liberacion")


def cadena(lib, operaciones):
    """Una ejecución: tiempos de las tres fases y el gradiente de x."""
    x = lib.tensor(1.0, requires_grad=True)

    def ejecutar():
        t0 = time.perf_counter()
        y = x
        for _ in range(operaciones):
            y = y * FACTOR
        t1 = time.perf_counter()
        y.backward()
        t2 = time.perf_counter()
        del y
        t3 = time.perf_counter()
        gradiente = x.grad.item()
        x.grad = None
        return {"forward": t1 - t0, "backward": t2 - t1, "liberacion": t3 - t2}, gradiente
    return ejecutar


def main(argv=None):
    parser = ParserEs(description=__doc__.split("\n")[0])
    parser.add_argument("--operaciones", type=int, default=100000,
                        help="longitud de la cadena")
    parser.add_argument("--repeticiones", type=int, default=5,
                        help="ejecuciones medidas por candidato")
    opciones_medicion(parser)
    parser.add_argument("--json", action="store_true", help="salida en JSON")
    args = parser.parse_args(argv)

    bibliotecas = {"tinygrad_es": tg}
    torch = torch_o_none()
    if torch is not None:
        bibliotecas["PyTorch"] = torch
    ejecuciones, contextos = variantes(
        {n: (lambda lib=lib: cadena(lib, args.operaciones)) for n, lib in bibliotecas.items()},
        args.hilos)
    candidatos = list(ejecuciones)
    pausas = pausas_tras(candidatos, args.pausa)
    for nombre in candidatos:       # calentamiento con una cadena corta
        with contexto_de(contextos, nombre):
            cadena(bibliotecas[nombre.split(" [")[0]], max(1, args.operaciones // 10))()
    tiempos = {(n, fase): [] for n in candidatos for fase in FASES}
    gradientes = {}
    for repeticion in range(args.repeticiones):
        inicio = repeticion % len(candidatos)     # el orden rota en cada repetición
        for nombre in candidatos[inicio:] + candidatos[:inicio]:
            with contexto_de(contextos, nombre):
                fases, gradientes[nombre] = ejecuciones[nombre]()
            for fase, t in fases.items():
                tiempos[nombre, fase].append(t)
            time.sleep(pausas[nombre])
    medianas = {n: {f: statistics.median(tiempos[n, f]) for f in FASES} for n in candidatos}
    resumen = {n: resumir({f: tiempos[n, f] for f in FASES}) for n in candidatos}
    sufijo = "" if "tinygrad_es" in medianas else UN_HILO     # con --hilos 1, solo hay esa
    razones = pareadas = None
    if torch is not None:
        razones = {f: medianas["tinygrad_es" + sufijo][f] / medianas["PyTorch" + sufijo][f]
                   for f in FASES}
        # por fase y candidato, la mediana de los cocientes repetición a repetición frente a
        # PyTorch (la variante de un hilo, frente a la de un hilo)
        pareadas = {f: razones_pareadas({n: tiempos[n, f] for n in candidatos}, "PyTorch")
                    for f in FASES}
    esperado = float(np.float32(FACTOR)) ** args.operaciones
    t_backward = medianas["tinygrad_es" + sufijo]["backward"]
    objetivo = {"fase": "backward", "segundos_max": OBJETIVO_S, "segundos": t_backward,
                "cumple": t_backward < OBJETIVO_S}
    titulo = f"Grafo profundo: cadena de {args.operaciones} multiplicaciones (y = y * {FACTOR})"
    if args.json:
        volcar_json(titulo, parametros={"operaciones": args.operaciones,
                                        "repeticiones": args.repeticiones, "factor": FACTOR,
                                        **datos_medicion(args.pausa, args.hilos)},
                    medianas_s=medianas, resumen=resumen, razones_tinygrad_pytorch=razones,
                    razones_pareadas=pareadas,
                    gradientes=gradientes, gradiente_esperado=esperado, objetivo=objetivo)
        return
    print(f"== {titulo} ==")
    print("\n".join(texto_maquina(maquina_completa())))
    print(texto_medicion(args.pausa, args.hilos))
    print(f"Medianas de {args.repeticiones} ejecuciones intercaladas, en segundos:")
    filas = [(n, *(f"{medianas[n][f]:.3f}" for f in FASES), f"{gradientes[n]:.5f}")
             for n in candidatos]
    if pareadas:
        for n in candidatos:
            if n.startswith("tinygrad_es"):
                filas.append((f"{n} / PyTorch (pareado)",
                              *(f"{pareadas[f][n]['mediana']:.2f}x" for f in FASES), ""))
    print("\n".join(tabla(("candidato", "forward", "backward", "liberación", "x.grad"), filas)))
    print(f"Gradiente esperado (float32 de {FACTOR} elevado a {args.operaciones}): "
          f"{esperado:.5f}")
    veredicto = "cumple" if objetivo["cumple"] else "NO cumple"
    print(f"Objetivo: backward de tinygrad_es < {OBJETIVO_S:.0f} s: {veredicto} "
          f"({t_backward:.3f} s)")


if __name__ == "__main__":
    main()
