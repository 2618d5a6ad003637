"""Backward sobre una cadena de 100.000 operaciones: ``y = y * 1.00001`` repetido.

Mide por separado, con repeticiones intercaladas de tinygrad_es y PyTorch (si está instalado):
- forward: construir la cadena (100.000 nodos del grafo);
- backward: recorrerla entera (el motor debe ser iterativo: con recursión no llegaría);
- liberación: soltar el grafo (``del y``), que también es trabajo del intérprete.
El gradiente exacto es 1.00001 ** 100000 ≈ e; se imprime para comprobar que todos coinciden.

Uso: python benchmarks/grafo_profundo.py [--operaciones 100000] [--repeticiones 5] [--json]
"""
import os
import statistics
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _comun import (maquina_completa, raiz_en_path, resumir, tabla, texto_maquina,  # noqa: E402
                    torch_o_none, volcar_json)

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
    parser.add_argument("--json", action="store_true", help="salida en JSON")
    args = parser.parse_args(argv)

    candidatos = {"tinygrad_es": tg}
    torch = torch_o_none()
    if torch is not None:
        candidatos["PyTorch"] = torch
    for lib in candidatos.values():     # calentamiento con una cadena corta
        cadena(lib, max(1, args.operaciones // 10))()
    ejecuciones = {n: cadena(lib, args.operaciones) for n, lib in candidatos.items()}
    tiempos = {(n, fase): [] for n in candidatos for fase in FASES}
    gradientes = {}
    for _ in range(args.repeticiones):
        for nombre, ejecutar in ejecuciones.items():
            fases, gradientes[nombre] = ejecutar()
            for fase, t in fases.items():
                tiempos[nombre, fase].append(t)
    medianas = {n: {f: statistics.median(tiempos[n, f]) for f in FASES} for n in candidatos}
    resumen = {n: resumir({f: tiempos[n, f] for f in FASES}) for n in candidatos}
    razones = None
    if torch is not None:
        razones = {f: medianas["tinygrad_es"][f] / medianas["PyTorch"][f] for f in FASES}
    esperado = float(np.float32(FACTOR)) ** args.operaciones
    t_backward = medianas["tinygrad_es"]["backward"]
    objetivo = {"fase": "backward", "segundos_max": OBJETIVO_S, "segundos": t_backward,
                "cumple": t_backward < OBJETIVO_S}
    titulo = f"Grafo profundo: cadena de {args.operaciones} multiplicaciones (y = y * {FACTOR})"
    if args.json:
        volcar_json(titulo, parametros={"operaciones": args.operaciones,
                                        "repeticiones": args.repeticiones, "factor": FACTOR},
                    medianas_s=medianas, resumen=resumen, razones_tinygrad_pytorch=razones,
                    gradientes=gradientes, gradiente_esperado=esperado, objetivo=objetivo)
        return
    print(f"== {titulo} ==")
    print("\n".join(texto_maquina(maquina_completa())))
    print(f"Medianas de {args.repeticiones} ejecuciones intercaladas, en segundos:")
    filas = [(n, *(f"{medianas[n][f]:.3f}" for f in FASES), f"{gradientes[n]:.5f}")
             for n in candidatos]
    if razones:
        filas.append(("tinygrad_es / PyTorch", *(f"{razones[f]:.2f}x" for f in FASES), ""))
    print("\n".join(tabla(("candidato", "forward", "backward", "liberación", "x.grad"), filas)))
    print(f"Gradiente esperado (float32 de {FACTOR} elevado a {args.operaciones}): "
          f"{esperado:.5f}")
    veredicto = "cumple" if objetivo["cumple"] else "NO cumple"
    print(f"Objetivo: backward de tinygrad_es < {OBJETIVO_S:.0f} s: {veredicto} "
          f"({t_backward:.3f} s)")


if __name__ == "__main__":
    main()
