"""La RedMNIST del curso: un perceptrón multicapa 784-128-64-10 que reconoce dígitos escritos a mano.

Es el mismo código que en PyTorch cambiando ``import torch`` por ``import tinygrad_es as torch``:
``DataLoader`` con lotes de 64, ``LogSoftmax`` + ``NLLLoss``, ``Adam`` con lr=0.003, el bucle
``zero_grad() / backward() / step()`` y la evaluación con ``model.eval()`` y ``torch.no_grad()``.

Qué datos usa (lo explica al empezar): MNIST completo si está, si no el conjunto de prueba real
de MNIST en ``../shared/data/mnist`` (8.000 para entrenar / 2.000 para medir) y, sin nada de eso,
las 5.000 imágenes de MNIST que trae el paquete (4.000 / 1.000), que funcionan sin internet.

Guarda en ``--salida`` (``salidas/``): la curva de pérdida, la matriz de confusión, la exactitud
por dígito, el modelo (``red_mnist.safetensors``, que se vuelve a cargar para comprobarlo) y el
grafo de un paso de forward y backward con los módulos colapsados.

Uso: python examples/03_mnist_mlp.py [--epocas 10] [--datos CARPETA|5k] [--salida salidas]
     [--semilla 0] [--rapido]
"""
import pathlib
import sys
import textwrap
import time

import numpy as np

import tinygrad_es as torch
from tinygrad_es import nn, optim, viz
from tinygrad_es.utils.data import DataLoader, Subset

from _comun import crear_parser
from _mnist_datos import elegir_datos, miles

EPOCAS = 10
EPOCAS_RAPIDO = 3
MAX_ENTRENAMIENTO_RAPIDO = 10000


class RedMNIST(nn.Module):
    def __init__(self):
        super().__init__()
        self.flatten = nn.Flatten()
        self.stack = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU(),
                                   nn.Linear(64, 10))
        self.log_softmax = nn.LogSoftmax(dim=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.log_softmax(self.stack(self.flatten(x)))


def barra(iterable, **opciones):
    """Barra de progreso de tqdm sobre los lotes de una época (si hay terminal y tqdm)."""
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return iterable
    if not sys.stderr.isatty():
        return iterable
    return tqdm(iterable, leave=False, unit="lote", **opciones)


def entrenar_una_epoca(model: nn.Module, cargador: DataLoader, criterion: nn.Module,
                       optimizer: optim.Optimizer, descripcion: str) -> tuple[float, float]:
    model.train()
    perdida_total, aciertos, vistos = 0.0, 0, 0
    for imagenes, etiquetas in barra(cargador, desc=descripcion):
        optimizer.zero_grad()
        salida = model(imagenes)
        loss = criterion(salida, etiquetas)
        loss.backward()
        optimizer.step()
        perdida_total += loss.item() * len(etiquetas)
        aciertos += (salida.argmax(dim=1) == etiquetas).sum().item()
        vistos += len(etiquetas)
    return perdida_total / vistos, aciertos / vistos


def evaluar(model: nn.Module, cargador: DataLoader,
            criterion: nn.Module) -> tuple[float, float, np.ndarray, np.ndarray]:
    """Pérdida media, exactitud, y las predicciones y etiquetas de todo el conjunto."""
    model.eval()
    perdida_total, predicciones, reales = 0.0, [], []
    with torch.no_grad():
        for imagenes, etiquetas in cargador:
            salida = model(imagenes)
            perdida_total += criterion(salida, etiquetas).item() * len(etiquetas)
            predicciones.append(salida.argmax(dim=1))
            reales.append(etiquetas)
    predicho, real = torch.cat(predicciones), torch.cat(reales)
    exactitud = (predicho == real).float().mean().item()
    return perdida_total / len(real), exactitud, predicho.numpy(), real.numpy()


# --- gráficas --------------------------------------------------------------------------------
def _pyplot():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def sobreajuste(historial):
    """Lee las curvas: ¿en qué época deja de bajar la pérdida de prueba?

    Devuelve ``(epoca, lineas)``: la época (desde 1) con la menor pérdida de prueba y las frases
    que lo explican, sacadas de los números. Si la pérdida de prueba deja de bajar antes de la
    última época mientras la de entrenamiento sigue bajando, la red está sobreajustando:
    aprende detalles de sus imágenes de entrenamiento que no sirven para las nuevas.
    """
    entrenamiento, prueba = historial["perdida"], historial["perdida_prueba"]
    mejor = int(np.argmin(prueba))
    epoca, ultima = mejor + 1, len(prueba)
    if epoca == ultima:
        return epoca, [f"La pérdida de prueba baja hasta la última época ({prueba[-1]:.4f}): "
                       "todavía no se ve sobreajuste."]
    lineas = [f"La pérdida de prueba deja de bajar en la época {epoca} ({prueba[mejor]:.4f}) "
              f"y en la {ultima} vale {prueba[-1]:.4f}"]
    if entrenamiento[-1] < entrenamiento[mejor]:
        lineas[0] += (f", mientras la de entrenamiento sigue bajando ({entrenamiento[mejor]:.4f}"
                      f" → {entrenamiento[-1]:.4f}).")
        lineas += [
            "Es sobreajuste: la red memoriza detalles de sus imágenes de entrenamiento que no "
            "sirven para las nuevas.",
            "Remedios del curso: parada temprana (quedarse con los pesos de la mejor época, "
            "elegida con un conjunto de validación aparte, no con el de prueba), Dropout "
            "(nn.Dropout entre capas) o weight decay (optim.AdamW o weight_decay=...).",
        ]
    else:
        lineas[0] += (f"; la de entrenamiento tampoco baja ({entrenamiento[mejor]:.4f} → "
                      f"{entrenamiento[-1]:.4f}): prueba con una tasa de aprendizaje menor.")
    return epoca, lineas


def grafica_perdida(historial, ruta, titulo):
    plt = _pyplot()
    epocas = np.arange(1, len(historial["perdida"]) + 1)
    fig, (izq, der) = plt.subplots(1, 2, figsize=(10, 4))
    izq.plot(epocas, historial["perdida"], "o-", label="entrenamiento")
    izq.plot(epocas, historial["perdida_prueba"], "s--", label="prueba (no vistas)")
    mejor, _ = sobreajuste(historial)
    if mejor < len(epocas):
        izq.axvline(mejor, color="gray", ls=":",
                    label=f"mínimo de la pérdida de prueba (época {mejor})")
    izq.set(xlabel="época", ylabel="pérdida media (NLL)", title="Pérdida")
    der.plot(epocas, 100 * np.array(historial["exactitud"]), "o-", label="entrenamiento")
    der.plot(epocas, 100 * np.array(historial["exactitud_prueba"]), "s--",
             label="prueba (no vistas)")
    der.set(xlabel="época", ylabel="exactitud (%)", title="Exactitud")
    for ax in (izq, der):
        ax.set_xticks(epocas)
        ax.grid(alpha=0.3)
        ax.legend()
    fig.suptitle(titulo)
    fig.tight_layout()
    fig.savefig(ruta, dpi=100)
    plt.close(fig)


def matriz_confusion(predicho, real, clases=10):
    """``m[i, j]`` = cuántas imágenes del dígito ``i`` se clasificaron como ``j``."""
    m = np.zeros((clases, clases), dtype=np.int64)
    np.add.at(m, (real, predicho), 1)
    return m


def grafica_confusion(m, ruta, titulo):
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(7, 6))
    imagen = ax.imshow(m, cmap="Blues")
    fig.colorbar(imagen, ax=ax, label="número de imágenes")
    limite = m.max() / 2
    for i in range(m.shape[0]):
        for j in range(m.shape[1]):
            if m[i, j]:
                ax.text(j, i, str(m[i, j]), ha="center", va="center", fontsize=8,
                        color="white" if m[i, j] > limite else "black")
    ax.set_xticks(range(10))
    ax.set_yticks(range(10))
    ax.set(xlabel="dígito predicho por la red", ylabel="dígito real",
           title=f"Matriz de confusión ({titulo})\nfuera de la diagonal: los errores")
    fig.tight_layout()
    fig.savefig(ruta, dpi=100)
    plt.close(fig)


def grafica_por_digito(m, ruta, exactitud):
    plt = _pyplot()
    por_digito = 100 * np.diag(m) / np.maximum(m.sum(axis=1), 1)
    fig, ax = plt.subplots(figsize=(7, 4))
    barras = ax.bar(range(10), por_digito, color="tab:blue")
    ax.bar_label(barras, fmt="%.1f", fontsize=8)
    ax.axhline(100 * exactitud, color="tab:red", ls="--",
               label=f"exactitud global: {100 * exactitud:.1f}%")
    ax.set_xticks(range(10))
    ax.set_ylim(0, 118)   # desde 0: la altura de cada barra es su exactitud; arriba, la leyenda
    ax.set_yticks(range(0, 101, 20))
    ax.set(xlabel="dígito", ylabel="aciertos (%)",
           title="Exactitud por dígito en el conjunto de prueba")
    ax.legend(loc="upper right", framealpha=1)
    fig.tight_layout()
    fig.savefig(ruta, dpi=100)
    plt.close(fig)


# --- grafo -----------------------------------------------------------------------------------
def guardar_grafo(model, criterion, imagenes, etiquetas, carpeta):
    """Un forward y un backward con un lote, dibujados con un nodo por módulo.

    ``viz.registrar()`` guarda los tensores intermedios (así se dibujan la entrada y las
    etiquetas); fuera de él el entrenamiento no gasta nada en esto.
    """
    model.train()
    model.zero_grad()
    with viz.registrar():
        perdida = criterion(model(imagenes), etiquetas)
        perdida.backward()
    grafo = viz.draw_graph(perdida, model=model, collapse=True,
                           params={"etiquetas": etiquetas, "pérdida": perdida},
                           title="RedMNIST: un paso de forward y backward con un lote "
                                 f"de {len(etiquetas)} imágenes (un nodo por módulo)")
    try:
        for formato in ("svg", "png"):
            (carpeta / f"grafo_red_mnist.{formato}").write_bytes(grafo.pipe(format=formato))
        return [carpeta / "grafo_red_mnist.svg", carpeta / "grafo_red_mnist.png"]
    except viz.GraphvizNoEncontrado as exc:
        print(exc)
        ruta = carpeta / "grafo_red_mnist.dot"
        ruta.write_text(grafo.source, encoding="utf-8")
        print(f"Se guarda el texto DOT en {ruta}: conviértelo luego con dot -Tpng {ruta} -o "
              "grafo.png")
        return [ruta]


# --- programa --------------------------------------------------------------------------------
def argumentos(argv):
    parser = crear_parser("Entrena la RedMNIST del curso (784-128-64-10, Adam, NLLLoss) y "
                          "guarda gráficas, el modelo y su grafo.")
    parser.add_argument("--epocas", type=int, default=None,
                        help=f"número de épocas ({EPOCAS}; {EPOCAS_RAPIDO} con --rapido, que "
                             f"además usa como mucho {miles(MAX_ENTRENAMIENTO_RAPIDO)} imágenes "
                             "de entrenamiento)")
    parser.add_argument("--datos", default=None,
                        help="carpeta con los archivos IDX de MNIST, o 5k para el subconjunto "
                             "del paquete (por defecto se elige solo; ver _mnist_datos.py)")
    args = parser.parse_args(argv)
    if args.epocas is None:
        args.epocas = EPOCAS_RAPIDO if args.rapido else EPOCAS
    if args.epocas < 1:
        parser.error(f"--epocas debe ser al menos 1, no {args.epocas}")
    return args


def main(argv=None):
    args = argumentos(argv)
    inicio = time.perf_counter()
    torch.manual_seed(args.semilla)
    datos = elegir_datos(args.datos, args.semilla)
    train_data, test_data = datos.entrenamiento, datos.prueba
    if args.rapido and len(train_data) > MAX_ENTRENAMIENTO_RAPIDO:
        train_data = Subset(train_data, range(MAX_ENTRENAMIENTO_RAPIDO))
        print(f"Modo rápido: se entrena solo con {miles(MAX_ENTRENAMIENTO_RAPIDO)} imágenes.")
    print(f"Entrenamiento: {miles(len(train_data))} imágenes · prueba: "
          f"{miles(len(test_data))} imágenes · {args.epocas} épocas")

    train_loader = DataLoader(train_data, batch_size=64, shuffle=True)
    test_loader = DataLoader(test_data, batch_size=1000)

    model = RedMNIST()
    print(model)
    criterion = nn.NLLLoss()
    optimizer = optim.Adam(model.parameters(), lr=0.003)

    historial = {"perdida": [], "exactitud": [], "perdida_prueba": [], "exactitud_prueba": []}
    for epoca in range(1, args.epocas + 1):
        perdida, exactitud = entrenar_una_epoca(model, train_loader, criterion, optimizer,
                                                f"época {epoca}/{args.epocas}")
        perdida_prueba, exactitud_prueba, _, _ = evaluar(model, test_loader, criterion)
        for clave, valor in zip(historial, (perdida, exactitud, perdida_prueba, exactitud_prueba)):
            historial[clave].append(valor)
        print(f"época {epoca:2d}/{args.epocas}  pérdida {perdida:.4f}  exactitud "
              f"(entrenamiento) {100 * exactitud:5.1f}%  ·  pérdida de prueba "
              f"{perdida_prueba:.4f}  exactitud de prueba {100 * exactitud_prueba:5.1f}%")

    print()
    for linea in sobreajuste(historial)[1]:
        print(textwrap.fill(linea, width=96))

    _, exactitud, predicho, real = evaluar(model, test_loader, criterion)
    carpeta = pathlib.Path(args.salida)
    carpeta.mkdir(parents=True, exist_ok=True)

    ruta_modelo = carpeta / "red_mnist.safetensors"
    torch.save(model.state_dict(), ruta_modelo)
    recargado = RedMNIST()
    recargado.load_state_dict(torch.load(ruta_modelo))
    _, exactitud_recargado, predicho_recargado, _ = evaluar(recargado, test_loader, criterion)
    iguales = exactitud_recargado == exactitud and np.array_equal(predicho, predicho_recargado)
    print(f"\nModelo guardado en {ruta_modelo} y cargado de nuevo en una RedMNIST nueva: "
          f"exactitud {100 * exactitud_recargado:.1f}% "
          + ("(igual que la del modelo entrenado)." if iguales else
             f"(¡DISTINTA de la del modelo entrenado, {100 * exactitud:.1f}%!)"))

    try:
        _pyplot()
    except ImportError:
        print("(instala matplotlib para guardar las gráficas: pip install matplotlib)")
    else:
        m = matriz_confusion(predicho, real)
        grafica_perdida(historial, carpeta / "mnist_perdida.png",
                        f"RedMNIST (784-128-64-10, Adam) · datos: {datos.nombre}")
        grafica_confusion(m, carpeta / "mnist_confusion.png", f"{miles(len(real))} imágenes "
                          "de prueba")
        grafica_por_digito(m, carpeta / "mnist_por_digito.png", exactitud)
        for nombre in ("mnist_perdida.png", "mnist_confusion.png", "mnist_por_digito.png"):
            print(f"gráfica guardada en {carpeta / nombre}")

    imagenes, etiquetas = next(iter(train_loader))
    for ruta in guardar_grafo(model, criterion, imagenes, etiquetas, carpeta):
        print(f"grafo guardado en {ruta}")

    print(f"\ntiempo total: {time.perf_counter() - inicio:.1f} s")
    print(f"exactitud en el conjunto de prueba: {100 * exactitud:.1f}%")
    return 0 if iguales else 1


if __name__ == "__main__":
    sys.exit(main())
