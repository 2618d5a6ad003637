"""LeNet-5: una red convolucional que reconoce dígitos de MNIST.

La red de LeCun (1998) escrita con las capas de PyTorch: dos convoluciones de 5×5 (1→6 con
relleno 2, para que la imagen siga siendo de 28×28, y 6→16), cada una seguida de ReLU y de un
``MaxPool2d(2)`` que reduce a la mitad el alto y el ancho, y tres capas lineales 400→120→84→10.
Se entrena con ``Adam`` y ``CrossEntropyLoss`` sobre los mismos datos que
``03_mnist_mlp.py`` (se explica al empezar cuáles: ver ``_mnist_datos.py``).

Guarda en ``--salida`` (``salidas/``):

- ``cnn_perdida.png``: la pérdida de cada lote y la exactitud con imágenes no vistas.
- ``cnn_filtros.png``: los 6 filtros de 5×5 que aprendió la primera convolución.
- ``cnn_mapas.png``: un dígito de prueba y lo que ve la red en él: los 6 mapas de
  características de la primera capa (28×28) y los 16 de la segunda (10×10).

Uso: python examples/08_mnist_cnn.py [--epocas 3] [--datos CARPETA|5k] [--salida salidas]
     [--semilla 0] [--rapido]
"""
import sys
import time

import numpy as np

import tinygrad_es as torch
from tinygrad_es import nn, optim
from tinygrad_es.utils.data import DataLoader, Subset
from tinygrad_es.vision.utils import make_grid

from _comun import carpeta, crear_parser, guardar_figura, porcentaje, pyplot
from _mnist_datos import elegir_datos, miles

EPOCAS = 3
EPOCAS_RAPIDO = 1
MAX_ENTRENAMIENTO_RAPIDO = 3000
MAX_PRUEBA_RAPIDO = 1000


class LeNet5(nn.Module):
    """LeNet-5 con ReLU y max-pooling: 1×28×28 → 6×28×28 → 6×14×14 → 16×10×10 → 16×5×5 → 10."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, kernel_size=5, padding=2)
        self.conv2 = nn.Conv2d(6, 16, kernel_size=5)
        self.pool = nn.MaxPool2d(2)
        self.relu = nn.ReLU()
        self.flatten = nn.Flatten()
        self.clasificador = nn.Sequential(nn.Linear(16 * 5 * 5, 120), nn.ReLU(),
                                          nn.Linear(120, 84), nn.ReLU(),
                                          nn.Linear(84, 10))

    def caracteristicas(self, x):
        """Los mapas de características de las dos convoluciones (después de la ReLU)."""
        mapas1 = self.relu(self.conv1(x))
        mapas2 = self.relu(self.conv2(self.pool(mapas1)))
        return mapas1, mapas2

    def forward(self, x):
        _, mapas2 = self.caracteristicas(x)
        return self.clasificador(self.flatten(self.pool(mapas2)))


def evaluar(model, cargador):
    """Exactitud en ``cargador`` (modo evaluación, sin gradientes)."""
    model.eval()
    aciertos, vistos = 0, 0
    with torch.no_grad():
        for imagenes, etiquetas in cargador:
            aciertos += (model(imagenes).argmax(dim=1) == etiquetas).sum().item()
            vistos += len(etiquetas)
    return aciertos / vistos


# --- gráficas --------------------------------------------------------------------------------
def grafica_perdida(perdidas, lotes_por_epoca, exactitudes, ruta, titulo):
    plt = pyplot()
    fig, (izq, der) = plt.subplots(1, 2, figsize=(10, 4))
    pasos = np.arange(1, len(perdidas) + 1)
    izq.plot(pasos, perdidas, color="tab:blue", alpha=0.35, lw=0.8, label="cada lote")
    ventana = min(20, len(perdidas))
    media = np.convolve(perdidas, np.ones(ventana) / ventana, mode="valid")
    izq.plot(pasos[ventana - 1:], media, color="tab:blue", lw=2,
             label=f"media de {ventana} lotes")
    for fin in range(lotes_por_epoca, len(perdidas), lotes_por_epoca):
        izq.axvline(fin + 0.5, color="gray", ls=":", lw=1)
    izq.set(xlabel="lote (las líneas de puntos separan épocas)",
            ylabel="pérdida (entropía cruzada)", title="Pérdida de entrenamiento")
    izq.set_ylim(0, None)
    izq.legend()
    epocas = np.arange(1, len(exactitudes) + 1)
    der.plot(epocas, 100 * np.array(exactitudes), "s-", color="tab:orange")
    for x, y in zip(epocas, exactitudes):
        der.annotate(porcentaje(y), (x, 100 * y), textcoords="offset points", xytext=(0, 6),
                     ha="center", fontsize=9)
    der.set_xticks(epocas)
    der.set_ylim(max(0, 100 * min(exactitudes) - 10), 100)
    der.set(xlabel="época", ylabel="exactitud (%)", title="Exactitud con imágenes no vistas")
    for eje in (izq, der):
        eje.grid(alpha=0.3)
    fig.suptitle(titulo)
    fig.tight_layout()
    return guardar_figura(fig, ruta)


def grafica_filtros(pesos, ruta):
    """Los filtros 5×5 de ``conv1``: una rejilla de ``make_grid`` y cada uno ampliado."""
    plt = pyplot()
    filtros = pesos.detach()                                    # (6, 1, 5, 5)
    limite = float(filtros.abs().max())
    # make_grid con la misma escala para todos: gris = 0, blanco = positivo, negro = negativo.
    rejilla = make_grid(filtros, nrow=6, padding=1, normalize=True,
                        value_range=(-limite, limite), pad_value=1.0)
    fig = plt.figure(figsize=(10, 4.2))
    arriba = fig.add_subplot(2, 1, 1)
    arriba.imshow(rejilla.permute(1, 2, 0).numpy(), interpolation="nearest")
    arriba.set_title("Los 6 filtros en una rejilla (make_grid): negro = peso negativo, "
                     "gris = 0, blanco = positivo", fontsize=10)
    arriba.axis("off")
    for i in range(filtros.shape[0]):
        eje = fig.add_subplot(2, 6, 7 + i)
        imagen = eje.imshow(filtros[i, 0].numpy(), cmap="RdBu_r", vmin=-limite, vmax=limite,
                            interpolation="nearest")
        eje.set_title(f"filtro {i}" if i else "los mismos, en color:\nfiltro 0", fontsize=9)
        eje.set_xticks([])
        eje.set_yticks([])
    fig.colorbar(imagen, ax=fig.axes[1:], shrink=0.8, label="peso")
    fig.suptitle("Filtros de 5×5 aprendidos por la primera convolución (conv1)")
    return guardar_figura(fig, ruta)


def grafica_mapas(model, imagen, etiqueta, ruta):
    """Un dígito y sus mapas de características tras conv1 (6×28×28) y conv2 (16×10×10)."""
    plt = pyplot()
    model.eval()
    with torch.no_grad():
        mapas1, mapas2 = model.caracteristicas(imagen[None])
        prediccion = model(imagen[None]).argmax(dim=1).item()
    fig = plt.figure(figsize=(12, 5.5))
    rejilla = fig.add_gridspec(3, 9, width_ratios=[1.6] + [1] * 8)
    eje = fig.add_subplot(rejilla[:, 0])
    eje.imshow(imagen[0].numpy(), cmap="gray_r")
    eje.set_title(f"entrada: un {etiqueta}\nla red dice: {prediccion}", fontsize=10)
    eje.axis("off")
    for i in range(6):
        eje = fig.add_subplot(rejilla[0, 1 + i])
        eje.imshow(mapas1[0, i].numpy(), cmap="viridis")
        eje.set_title(f"conv1 · {i}", fontsize=8)
        eje.axis("off")
    for i in range(16):
        eje = fig.add_subplot(rejilla[1 + i // 8, 1 + i % 8])
        eje.imshow(mapas2[0, i].numpy(), cmap="viridis")
        eje.set_title(f"conv2 · {i}", fontsize=8)
        eje.axis("off")
    fig.suptitle("Mapas de características (después de la ReLU; amarillo = activación alta, "
                 "morado = 0, cada mapa con su propia escala)\nfila 1: los 6 de conv1 (28×28) · "
                 "filas 2 y 3: los 16 de conv2 (10×10, tras el primer pooling)", fontsize=11)
    fig.tight_layout()
    return guardar_figura(fig, ruta)


# --- programa --------------------------------------------------------------------------------
def argumentos(argv):
    parser = crear_parser("Entrena LeNet-5 (dos convoluciones, pooling y tres capas lineales) "
                          "con MNIST y guarda la pérdida, los filtros y los mapas de "
                          "características.")
    parser.add_argument("--epocas", type=int, default=None,
                        help=f"número de épocas ({EPOCAS}; {EPOCAS_RAPIDO} con --rapido, que "
                             f"además usa como mucho {miles(MAX_ENTRENAMIENTO_RAPIDO)} imágenes "
                             f"de entrenamiento y {miles(MAX_PRUEBA_RAPIDO)} de prueba)")
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
    if args.rapido:
        if len(train_data) > MAX_ENTRENAMIENTO_RAPIDO:
            train_data = Subset(train_data, range(MAX_ENTRENAMIENTO_RAPIDO))
        if len(test_data) > MAX_PRUEBA_RAPIDO:
            test_data = Subset(test_data, range(MAX_PRUEBA_RAPIDO))
        print(f"Modo rápido: {miles(len(train_data))} imágenes para entrenar y "
              f"{miles(len(test_data))} para medir.")
    print(f"Entrenamiento: {miles(len(train_data))} imágenes · prueba: "
          f"{miles(len(test_data))} imágenes · {args.epocas} épocas")

    train_loader = DataLoader(train_data, batch_size=64, shuffle=True)
    test_loader = DataLoader(test_data, batch_size=500)

    model = LeNet5()
    print(model)
    print(f"{sum(p.numel() for p in model.parameters()):,} parámetros".replace(",", "."))
    criterion = nn.CrossEntropyLoss()
    optimizer = optim.Adam(model.parameters(), lr=0.003)

    perdidas, exactitudes = [], []
    for epoca in range(1, args.epocas + 1):
        model.train()
        t0 = time.perf_counter()
        inicio_epoca = len(perdidas)
        for imagenes, etiquetas in train_loader:
            optimizer.zero_grad()
            loss = criterion(model(imagenes), etiquetas)
            loss.backward()
            optimizer.step()
            perdidas.append(loss.item())
        exactitudes.append(evaluar(model, test_loader))
        print(f"época {epoca}/{args.epocas}: pérdida media {np.mean(perdidas[inicio_epoca:]):.4f}"
              f"  ·  exactitud con imágenes no vistas {porcentaje(exactitudes[-1])}"
              f"  ({time.perf_counter() - t0:.1f} s)")

    salida = carpeta(args.salida)
    if pyplot() is not None:
        grafica_perdida(perdidas, len(train_loader), exactitudes, salida / "cnn_perdida.png",
                        f"LeNet-5 (Adam, lr 0.003, lotes de 64) · datos: {datos.nombre}")
        grafica_filtros(model.conv1.weight, salida / "cnn_filtros.png")
        imagen, etiqueta = test_data[0]
        grafica_mapas(model, imagen, etiqueta, salida / "cnn_mapas.png")

    print(f"\npérdida del primer lote {perdidas[0]:.4f} → media de los 20 últimos "
          f"{np.mean(perdidas[-20:]):.4f}")
    print(f"tiempo total: {time.perf_counter() - inicio:.1f} s")
    print(f"exactitud en el conjunto de prueba: {porcentaje(exactitudes[-1])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
