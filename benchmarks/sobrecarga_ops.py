"""Sobrecarga por operación con tensores diminutos (4x4, float32): tinygrad_es frente a PyTorch.

Con tensores tan pequeños el cálculo es despreciable y lo que se mide es el coste fijo de cada
operación: crear el tensor de salida, registrar el nodo del grafo, recorrerlo en backward...
- ``(a*b + a).sum()`` y su backward: 3 operaciones hacia delante (mul, add, sum) y sus 3
  derivadas; se da el tiempo por iteración y por operación (iteración / 3). Cada iteración
  deja ``a.grad = b.grad = None``, como ``zero_grad()``.
- Operaciones sueltas solo hacia delante (suma, matmul 4x4, relu), sin y con requires_grad
  (con requires_grad se registra además el nodo del grafo).

Cada turno ejecuta ``--iteraciones`` veces seguidas la misma operación; los turnos de
tinygrad_es y PyTorch se intercalan y se da la mediana por iteración en microsegundos.

Uso: python benchmarks/sobrecarga_ops.py [--iteraciones 2000] [--repeticiones 21] [--json]
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _comun import (aviso_ruido, maquina_completa, medir_por_bloques, raiz_en_path,  # noqa: E402
                    resumir, tabla, texto_maquina, torch_o_none, volcar_json)

raiz_en_path()
import tinygrad_es as tg  # noqa: E402
from tinygrad_es.utils.cli import ParserEs  # noqa: E402

FORMA = (4, 4)
COMPUESTA = "(a*b + a).sum() + backward"


def tensores(lib, requires_grad):
    rng = np.random.default_rng(0)
    a, b = (rng.standard_normal(FORMA, dtype=np.float32) for _ in range(2))
    return (lib.tensor(a, requires_grad=requires_grad),
            lib.tensor(b, requires_grad=requires_grad))


def casos(lib):
    """Cada caso: (nombre, operaciones por iteración, función de una iteración)."""
    a, b = tensores(lib, True)

    def compuesta():
        (a * b + a).sum().backward()
        a.grad = None
        b.grad = None

    lista = [(COMPUESTA, 3, compuesta)]
    for con_grad in (False, True):
        x, z = tensores(lib, con_grad)
        sufijo = ", requires_grad" if con_grad else ""
        lista += [(f"a + b{sufijo}", 1, lambda x=x, z=z: x + z),
                  (f"a @ b (4x4){sufijo}", 1, lambda x=x, z=z: x @ z),
                  (f"a.relu(){sufijo}", 1, lambda x=x: x.relu())]
    return lista


def main(argv=None):
    parser = ParserEs(description=__doc__.split("\n")[0])
    parser.add_argument("--iteraciones", type=int, default=2000,
                        help="iteraciones seguidas por turno")
    parser.add_argument("--repeticiones", type=int, default=21, help="turnos por candidato")
    parser.add_argument("--json", action="store_true", help="salida en JSON")
    args = parser.parse_args(argv)

    bibliotecas = {"tinygrad_es": casos(tg)}
    torch = torch_o_none()
    if torch is not None:
        bibliotecas["PyTorch"] = casos(torch)
    resultados, resumenes = {}, {}
    for i, (nombre, ops, _) in enumerate(bibliotecas["tinygrad_es"]):
        funciones = {lib: lista[i][2] for lib, lista in bibliotecas.items()}
        resumen = resumir(medir_por_bloques(funciones, repeticiones=args.repeticiones,
                                            bloque=args.iteraciones,
                                            calentamiento=min(200, args.iteraciones)))
        resumenes[nombre] = resumen
        fila = {"operaciones": ops}
        for lib, r in resumen.items():
            fila[f"{lib}_us"] = r["mediana"] * 1e6
            fila[f"{lib}_us_por_op"] = r["mediana"] * 1e6 / ops
        if torch is not None:
            fila["razon_tinygrad_pytorch"] = fila["tinygrad_es_us"] / fila["PyTorch_us"]
        resultados[nombre] = fila

    objetivo = None
    if torch is not None:
        r = resultados[COMPUESTA]["razon_tinygrad_pytorch"]
        objetivo = {"caso": COMPUESTA, "razon_maxima": 1.0, "razon": r, "cumple": r <= 1.0}
    titulo = f"Sobrecarga por operación con tensores {FORMA[0]}x{FORMA[1]} float32"
    if args.json:
        volcar_json(titulo, parametros={"forma": list(FORMA), "iteraciones": args.iteraciones,
                                        "repeticiones": args.repeticiones},
                    casos=resultados, objetivo=objetivo)
        return
    print(f"== {titulo} ==")
    print("\n".join(texto_maquina(maquina_completa())))
    print(f"Medianas de {args.repeticiones} turnos intercalados de {args.iteraciones} "
          "iteraciones, en µs:")
    encabezados = ["caso", "ops", "tinygrad_es µs", "µs/op"]
    if torch is not None:
        encabezados += ["PyTorch µs", "µs/op", "tinygrad_es/PyTorch"]
    filas = []
    for nombre, f in resultados.items():
        fila = [nombre, f["operaciones"], f"{f['tinygrad_es_us']:.2f}",
                f"{f['tinygrad_es_us_por_op']:.2f}"]
        if torch is not None:
            fila += [f"{f['PyTorch_us']:.2f}", f"{f['PyTorch_us_por_op']:.2f}",
                     f"{f['razon_tinygrad_pytorch']:.2f}x"]
        filas.append(fila)
    print("\n".join(tabla(encabezados, filas)))
    if objetivo:
        veredicto = "cumple" if objetivo["cumple"] else "NO cumple"
        print(f"Objetivo: µs por operación de {COMPUESTA} <= PyTorch: {veredicto} "
              f"({objetivo['razon']:.2f}x)")
    else:
        print("PyTorch no está instalado: solo se mide tinygrad_es.")
    ruidosos = [caso for caso, r in resumenes.items() if aviso_ruido(r)]
    if ruidosos:
        print(f"Aviso: medición ruidosa en {', '.join(ruidosos)} (dispersión > 25 %); la "
              "máquina estaba ocupada. Repite la ejecución con la máquina libre.")


if __name__ == "__main__":
    main()
