"""Una época de LeNet-5 sobre las 10.000 imágenes del conjunto de prueba de MNIST (lote 64).

Compara, en una misma ejecución y desde los mismos pesos iniciales:
- NumPy escrito a mano (im2col, el de ``paso_lenet.py``): baraja con una permutación y recorre
  los lotes por índice;
- tinygrad_es con el bucle del curso: TensorDataset + DataLoader(batch_size=64, shuffle=True),
  ``nn`` (Conv2d, MaxPool2d...), CrossEntropyLoss y optim.SGD;
- PyTorch en CPU con el mismo código (si está instalado).

Datos: el conjunto de prueba real de MNIST si se encuentra (``../shared/data/mnist``, la caché
de ``tinygrad_es.datasets`` o ``--datos``), normalizado a [0, 1]; si no, 10.000 imágenes
sintéticas con la misma forma (el tiempo no depende de los valores; la salida dice cuáles se
usaron). Las épocas de los candidatos avanzan intercaladas por trozos de lotes, como en
``epoca_mnist.py``, para que un frenazo de la máquina caiga sobre todos.

Pausa tras cada trozo (``--pausa``, más larga tras PyTorch), cocientes pareados época a época
y, con ``--hilos ambos`` (por defecto), cada candidato también con un hilo.

Uso: python benchmarks/epoca_lenet.py [--repeticiones 3] [--trozo 20] [--pausa 0.3]
                                      [--hilos defecto|1|ambos] [--muestras 10000]
                                      [--datos CARPETA] [--json]
"""
import importlib
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _comun import (UN_HILO, aviso_ruido, datos_medicion, maquina_completa,  # noqa: E402
                    opciones_medicion, paso_nn, raiz_en_path, tabla, texto_maquina,
                    texto_medicion, torch_o_none, volcar_json)
from epoca_mnist import lotes_por_indices, medir_y_resumir, recorrer  # noqa: E402
from paso_lenet import LOTE, LR, cargar, datos, lenet, paso_numpy  # noqa: E402

raiz_en_path()
import tinygrad_es as tg  # noqa: E402
from tinygrad_es.datasets.mnist import load_mnist_arrays  # noqa: E402
from tinygrad_es.utils.cli import ParserEs  # noqa: E402

REFERENCIA = "NumPy a mano (im2col)"
COMPARTIDA = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                          os.pardir, "shared", "data", "mnist")


def imagenes(muestras, carpeta=None):
    """(X float32 (N, 1, 28, 28) en [0, 1], y int64 (N,), de dónde salen)."""
    for raiz in (carpeta, COMPARTIDA, None):
        if raiz is not None and not os.path.isdir(raiz):
            continue
        try:
            X, y = load_mnist_arrays(raiz, train=False)
        except (FileNotFoundError, ValueError):
            continue
        X = (X[:muestras, None] / np.float32(255)).astype(np.float32)
        return X, y[:muestras], f"MNIST real (conjunto de prueba, {len(y[:muestras])} imágenes)"
    rng = np.random.default_rng(0)
    return (rng.random((muestras, 1, 28, 28), dtype=np.float32), rng.integers(0, 10, muestras),
            f"sintéticos ({muestras} imágenes con la forma de MNIST; no se encontró MNIST)")


def epoca_numpy(pesos, X, y):
    paso = paso_numpy(pesos, X[:LOTE], y[:LOTE])
    rng = np.random.default_rng(1)
    return lambda trozo: recorrer(lotes_por_indices(rng, X, y), paso, trozo)


def epoca_biblioteca(torch, pesos, X, y):
    """El bucle del curso con DataLoader, para ``torch`` y para ``tinygrad_es as torch``."""
    utilidades = importlib.import_module(torch.__name__ + ".utils.data")
    torch.manual_seed(1)
    modelo = cargar(lenet(torch), torch, pesos)
    paso = paso_nn(modelo, torch.nn.CrossEntropyLoss(),
                   torch.optim.SGD(modelo.parameters(), lr=LR))
    conjunto = utilidades.TensorDataset(torch.from_numpy(X), torch.from_numpy(y))
    # generador propio: cada candidato (y su variante de un hilo) baraja igual que los demás
    cargador = utilidades.DataLoader(conjunto, batch_size=LOTE, shuffle=True,
                                     generator=torch.Generator().manual_seed(1))
    return lambda trozo: recorrer(cargador, paso, trozo)


def main(argv=None):
    parser = ParserEs(description=__doc__.split("\n")[0])
    parser.add_argument("--repeticiones", type=int, default=3,
                        help="épocas medidas por candidato (más una de calentamiento)")
    parser.add_argument("--trozo", type=int, default=20, help="lotes por turno (20)")
    parser.add_argument("--muestras", type=int, default=10000, help="imágenes (10000)")
    parser.add_argument("--datos", default=None, help="carpeta con los archivos de MNIST")
    opciones_medicion(parser)
    parser.add_argument("--json", action="store_true", help="salida en JSON")
    args = parser.parse_args(argv)

    X, y, origen = imagenes(args.muestras, args.datos)
    pesos = datos()[0]
    fabricas = {REFERENCIA: lambda: epoca_numpy(pesos, X, y),
                "tinygrad_es (DataLoader, nn, SGD)": lambda: epoca_biblioteca(tg, pesos, X, y)}
    torch = torch_o_none()
    if torch is not None:
        fabricas["PyTorch CPU eager (DataLoader, nn, SGD)"] = (
            lambda: epoca_biblioteca(torch, pesos, X, y))
    _, perdidas, resumen, medianas, cocientes, pareadas = medir_y_resumir(fabricas, REFERENCIA,
                                                                         args)
    titulo = f"Época de LeNet-5: {origen}, lote {LOTE}, barajado, SGD"
    if args.json:
        volcar_json(titulo, parametros={"muestras": len(y), "lote": LOTE, "lr": LR,
                                        "repeticiones": args.repeticiones, "datos": origen,
                                        "trozo_lotes": args.trozo,
                                        **datos_medicion(args.pausa, args.hilos)},
                    medianas_s=medianas, resumen=resumen, referencia=REFERENCIA,
                    razones=cocientes, razones_pareadas=pareadas,
                    perdida_media_ultima_epoca=perdidas, malloc=tg._allocator.status)
        return
    print(f"== {titulo} ==")
    print("\n".join(texto_maquina(maquina_completa())))
    print(texto_medicion(args.pausa, args.hilos))
    print(f"malloc: {tg._allocator.status}")
    filas = [(n, f"{r['mediana']:.3f} s", f"{cocientes[n]:.2f}x",
              f"{pareadas[n]['mediana']:.2f}x",
              f"{perdidas[n]:.4f}") for n, r in resumen.items()]
    print("\n".join(tabla(("candidato", "mediana", f"vs {REFERENCIA}", "pareado",
                           "pérdida media"), filas)))
    for sufijo in ("", UN_HILO):
        nombre_torch = "PyTorch CPU eager (DataLoader, nn, SGD)" + sufijo
        if nombre_torch in medianas:
            t = medianas["tinygrad_es (DataLoader, nn, SGD)" + sufijo]
            print(f"tinygrad_es / PyTorch eager{sufijo}: {t / medianas[nombre_torch]:.2f}x")
    aviso = aviso_ruido(resumen)
    if aviso:
        print(aviso)


if __name__ == "__main__":
    main()
