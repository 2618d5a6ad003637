"""``tinygrad_es.compile`` frente a NumPy a mano, a tinygrad_es sin compilar y a PyTorch.

Dos cargas, cada una con sus candidatos intercalados por turnos (issue #20, punto 3):

- **paso del MLP** del curso (784-128-64-10, lote 64, float32, SGD lr 0,01, LogSoftmax+NLLLoss);
- **época de MNIST**: las 5.000 imágenes que trae el paquete en lotes de 64 (el último, de 8:
  una segunda captura), el mismo paso.

La época de la red XOR compilada está en ``xor_epoca.py``, junto a la de modo eager.

Candidatos: NumPy escrito a mano (la referencia: forward, backward y SGD), tinygrad_es sin
compilar, ``tinygrad_es.compile`` del paso entero, PyTorch sin compilar y, si corre en esta
máquina, ``torch.compile`` (necesita un compilador de C++; si no lo hay se dice por qué).
Todos empiezan con los mismos pesos y se comprueba antes de medir que tinygrad_es compilado y
sin compilar dan los mismos parámetros bit a bit.

Uso: python benchmarks/compilado.py [--repeticiones 15] [--bloque 20] [--pausa 0.3]
     [--hilos defecto|1|ambos] [--solo mlp,epoca] [--sin-torch-compile] [--json]
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _comun import (UN_HILO, datos_medicion, gradientes_numpy, maquina_completa,  # noqa: E402
                    medir_por_bloques, mlp, opciones_medicion, paso_nn, pausas_tras, pesos_mlp,
                    raiz_en_path, razones_pareadas, resumir, sgd_numpy, tabla, texto_maquina,
                    texto_medicion, torch_o_none, un_hilo, volcar_json)

raiz_en_path()
import tinygrad_es as tg  # noqa: E402
from tinygrad_es.datasets.subsets import load_mnist_5k_arrays  # noqa: E402
from tinygrad_es.utils.cli import ParserEs  # noqa: E402

LR, LOTE = 0.01, 64


def candidatos_mlp(torch, x, y, pesos, con_torch_compile=True):
    """{nombre: función sin argumentos que da un paso} sobre el lote ``x``, ``y``."""
    params = [[w.copy(), b.copy()] for w, b in pesos]

    def numpy_a_mano():
        _, grads = gradientes_numpy(params, x, y)
        sgd_numpy(params, grads, LR)

    def paso_de(lib, compilar=False):
        paso, modelo = _paso(lib, pesos, compilar)
        xt, yt = lib.from_numpy(x), lib.from_numpy(y)
        return (lambda: paso(xt, yt)), modelo

    sin, modelo_sin = paso_de(tg)
    con, modelo_con = paso_de(tg, True)
    _comprobar_iguales(sin, con, modelo_sin, modelo_con)
    funciones = {"NumPy a mano": numpy_a_mano, "tinygrad_es": sin, "tinygrad_es.compile": con}
    nota = None
    if torch is not None:
        funciones["PyTorch"] = paso_de(torch)[0]
        compilado = (_torch_compile(lambda: paso_de(torch, True)[0])
                     if con_torch_compile else None)
        if callable(compilado):
            funciones["torch.compile"] = compilado
        else:
            nota = compilado
    return funciones, nota


def candidatos_epoca(torch, imagenes, etiquetas, pesos):
    """Una época entera (lotes de 64, el último más pequeño) con cada candidato."""
    lotes = [(imagenes[i:i + LOTE], etiquetas[i:i + LOTE]) for i in range(0, len(imagenes), LOTE)]
    params = [[w.copy(), b.copy()] for w, b in pesos]

    def numpy_a_mano():
        for x, y in lotes:
            _, grads = gradientes_numpy(params, x, y)
            sgd_numpy(params, grads, LR)

    def epoca_de(lib, compilar=False):
        paso = _paso(lib, pesos, compilar)[0]
        tensores = [(lib.from_numpy(x), lib.from_numpy(y)) for x, y in lotes]

        def epoca():
            for x, y in tensores:
                paso(x, y)
        return epoca

    funciones = {"NumPy a mano": numpy_a_mano, "tinygrad_es": epoca_de(tg),
                 "tinygrad_es.compile": epoca_de(tg, True)}
    if torch is not None:
        funciones["PyTorch"] = epoca_de(torch)
    return funciones


def _paso(lib, pesos, compilar):
    """El paso del curso (``paso_nn``) sobre el MLP con los pesos dados, compilado o no."""
    modelo = mlp(lib, pesos)
    paso = paso_nn(modelo, lib.nn.NLLLoss(), lib.optim.SGD(modelo.parameters(), lr=LR))
    return (lib.compile(paso) if compilar else paso), modelo


def _comprobar_iguales(sin, con, modelo_sin, modelo_con, pasos=5):
    for _ in range(pasos):
        sin()
        con()
    for a, b in zip(modelo_sin.parameters(), modelo_con.parameters()):
        if not np.array_equal(a.detach().numpy(), b.detach().numpy()):
            raise SystemExit("tinygrad_es.compile no da los mismos parámetros que sin compilar")


def _torch_compile(construir):
    """El paso con ``torch.compile`` si corre aquí; si no, el motivo (texto)."""
    try:
        paso = construir()
        paso()
        return paso
    except Exception as exc:   # sin compilador de C++, sin triton...: se dice y se sigue
        return f"torch.compile no corre aquí: {type(exc).__name__}: {str(exc).splitlines()[0]}"


def _datos_mnist():
    """Las 5.000 imágenes que trae el paquete (sin red), como en el trabajo principal."""
    imagenes, etiquetas = load_mnist_5k_arrays()
    return imagenes.reshape(len(imagenes), -1).astype(np.float32) / np.float32(255), etiquetas


def con_variantes(construir, hilos):
    """Los candidatos de ``construir()`` según ``--hilos`` (como ``_comun.variantes``, pero
    construidos de una vez: el paso compilado se comprueba contra el eager al construirlo)."""
    candidatos, contextos, notas = {}, {}, []
    if hilos != "1":
        funciones, nota = construir()
        candidatos.update(funciones)
        notas.append(nota)
    if hilos != "defecto":
        with un_hilo():
            funciones, nota = construir()
        for nombre, f in funciones.items():
            candidatos[nombre + UN_HILO] = f
            contextos[nombre + UN_HILO] = un_hilo
        notas.append(nota)
    return candidatos, contextos, [n for n in notas if n]


def medir(nombre, construir, args):
    funciones, contextos, notas = con_variantes(construir, args.hilos)
    tiempos = medir_por_bloques(funciones, repeticiones=args.repeticiones, bloque=args.bloque,
                                por_llamada=True, pausas=pausas_tras(funciones, args.pausa),
                                contextos=contextos)
    resumen = resumir(tiempos)
    pareadas = razones_pareadas(tiempos, "NumPy a mano", args.bloque)
    filas = [[candidato, f"{r['mediana'] * 1e6:.1f}", f"{pareadas[candidato]['mediana']:.2f}x",
              f"{pareadas[candidato]['p25']:.2f}-{pareadas[candidato]['p75']:.2f}"]
             for candidato, r in resumen.items()]
    return {"carga": nombre, "resumen": resumen, "pareadas": pareadas, "filas": filas,
            "notas": sorted(set(notas))}


def main():
    parser = ParserEs(description=__doc__.split("\n")[0])
    parser.add_argument("--repeticiones", type=int, default=15, help="turnos intercalados")
    parser.add_argument("--bloque", type=int, default=20, help="llamadas seguidas por turno")
    opciones_medicion(parser)
    parser.add_argument("--solo", default="mlp,epoca", help="cargas, separadas por comas")
    parser.add_argument("--sin-torch-compile", action="store_true",
                        help="sin el candidato torch.compile (compilar tarda decenas de segundos)")
    parser.add_argument("--json", action="store_true", help="salida en JSON")
    args = parser.parse_args()
    torch = torch_o_none()
    pesos = pesos_mlp(0)
    rng = np.random.default_rng(1)
    resultados = []
    cargas = args.solo.split(",")
    if "mlp" in cargas:
        x, y = rng.random((LOTE, 784), dtype=np.float32), rng.integers(0, 10, LOTE)
        resultados.append(medir("paso del MLP (lote 64), µs",
                                lambda: candidatos_mlp(torch, x, y, pesos,
                                                       not args.sin_torch_compile), args))
    if "epoca" in cargas:
        imagenes, etiquetas = _datos_mnist()
        bloque = args.bloque
        args.bloque = max(2, bloque // 10)
        resultados.append(medir("época de 5.000 imágenes, µs", lambda: (candidatos_epoca(
            torch, imagenes, etiquetas, pesos), None), args))
        args.bloque = bloque
    if args.json:
        volcar_json("tinygrad_es.compile", medicion=datos_medicion(args.pausa, args.hilos),
                    resultados=[{k: v for k, v in r.items() if k != "filas"}
                                for r in resultados])
        return
    print("== tinygrad_es.compile frente a NumPy a mano, sin compilar y PyTorch ==")
    print("\n".join(texto_maquina(maquina_completa())))
    print(texto_medicion(args.pausa, args.hilos))
    print(f"Medianas de {args.repeticiones} turnos intercalados; razón pareada = mediana de las "
          "razones turno a turno frente a NumPy a mano (con su mismo número de hilos).")
    for r in resultados:
        print(f"\n{r['carga']}")
        print("\n".join(tabla(["candidato", "mediana", "frente a NumPy", "p25-p75"], r["filas"])))
        for nota in r["notas"]:
            print(nota)


if __name__ == "__main__":
    main()
