"""La red 784-100-200-10 del libro, dos veces: escrita a mano con NumPy y con autograd.

1. **A mano con NumPy**: forward (``x @ W + b``, ReLU), la pérdida de entropía cruzada con
   softmax, el backward escrito con la regla de la cadena y la actualización de SGD.
2. **Con tinygrad_es**: la misma red con ``nn.Sequential``, ``nn.CrossEntropyLoss`` y
   ``optim.SGD``; ``loss.backward()`` calcula los mismos gradientes sin escribirlos.

Las dos empiezan con los mismos pesos y ven los mismos lotes de 32 imágenes: se comprueba que
dan la misma pérdida paso a paso (con la tolerancia de float32). Después se entrena la versión
de tinygrad_es con las 5.000 imágenes de MNIST del paquete, apartando 1/6 para validación, y se
reproduce la tabla del libro: exactitud de entrenamiento de 1,00 y de validación de 0,94 más o
menos. Con solo 833 imágenes de validación, la cifra cambia alrededor de un punto según qué
imágenes se aparten: por eso se repite con varias particiones y se da la media.

Uso: python examples/04_mnist_numpy_vs_autograd.py [--epocas 20] [--lr 0.1] [--pasos 5]
     [--particiones 3] [--semilla 0] [--salida salidas] [--rapido]
"""
import pathlib
import sys
import time

import numpy as np

import tinygrad_es as torch
from tinygrad_es import nn, optim
from tinygrad_es.datasets import load_mnist_5k
from tinygrad_es.utils.data import DataLoader, TensorDataset, random_split

from _comun import crear_parser

LOTE = 32
EPOCAS, EPOCAS_RAPIDO = 20, 6
LIBRO = {"entrenamiento": 1.00, "validacion": 0.94}


def red_del_libro():
    return nn.Sequential(nn.Linear(784, 100), nn.ReLU(), nn.Linear(100, 200), nn.ReLU(),
                         nn.Linear(200, 10))


class RedNumPy:
    """La misma red escrita a mano. Los pesos ``W`` tienen forma (entradas, salidas), como
    en el libro: la capa es ``x @ W + b`` (``nn.Linear`` guarda la traspuesta)."""

    def __init__(self, modelo):
        lineales = [capa for capa in modelo if isinstance(capa, nn.Linear)]
        self.W = [capa.weight.detach().numpy().T.copy() for capa in lineales]
        self.b = [capa.bias.detach().numpy().copy() for capa in lineales]

    def forward(self, X):
        self.a = [X]          # entrada de cada capa (para el backward)
        self.z = []           # salida de cada capa antes de la ReLU
        h = X
        for i, (W, b) in enumerate(zip(self.W, self.b)):
            z = h @ W + b
            self.z.append(z)
            h = np.maximum(z, 0) if i < len(self.W) - 1 else z   # la última no lleva ReLU
            self.a.append(h)
        return h              # logits, forma (lote, 10)

    def perdida(self, logits, y):
        """Entropía cruzada media: -log softmax(logits)[clase correcta]."""
        z = logits - logits.max(axis=1, keepdims=True)          # estable: sin overflow
        log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        self.p, self.y = np.exp(log_p), y
        return -log_p[np.arange(len(y)), y].mean()

    def backward(self):
        n = len(self.y)
        delta = self.p.copy()                  # ∂L/∂logits = (softmax - one_hot) / n
        delta[np.arange(n), self.y] -= 1
        delta /= n
        self.dW, self.db = [None] * 3, [None] * 3
        for i in reversed(range(3)):
            self.dW[i] = self.a[i].T @ delta   # ∂L/∂W = entradaᵀ · delta
            self.db[i] = delta.sum(axis=0)     # ∂L/∂b = suma de delta sobre el lote
            if i > 0:                          # hacia la capa anterior, por la ReLU
                delta = (delta @ self.W[i].T) * (self.z[i - 1] > 0)

    def paso(self, lr):
        for i in range(3):
            self.W[i] -= lr * self.dW[i]
            self.b[i] -= lr * self.db[i]


def datos():
    """Las 5.000 imágenes aplanadas a 784 valores, escaladas a [0, 1] y normalizadas."""
    imagenes, etiquetas = load_mnist_5k()
    X = (imagenes.reshape(-1, 784).float() / 255 - 0.1307) / 0.3081
    return X, etiquetas


def max_diferencia(tensores, W, b):
    """Máxima diferencia entre los tensores de ``nn.Linear`` (peso, sesgo, peso, sesgo...)
    y las listas ``W`` (forma entradas x salidas, de ahí la ``.T``) y ``b`` de NumPy."""
    a_mano = [m for w, sesgo in zip(W, b) for m in (w.T, sesgo)]
    return max(float(np.abs(t.detach().numpy() - m).max()) for t, m in zip(tensores, a_mano))


def comparar(modelo, X, y, indices, pasos, lr):
    """Los primeros ``pasos`` lotes con las dos versiones; devuelve si coinciden."""
    a_mano = RedNumPy(modelo)
    copia = red_del_libro()
    copia.load_state_dict(modelo.state_dict())
    criterion = nn.CrossEntropyLoss()
    optimizer = optim.SGD(copia.parameters(), lr=lr)
    Xn, yn = X.numpy(), y.numpy()
    print(f"\nPaso a paso con los mismos pesos iniciales y los mismos lotes de {LOTE}:")
    print("  paso   pérdida NumPy   pérdida autograd   diferencia   máx |Δ gradiente|")
    iguales = True
    for paso in range(pasos):
        lote = indices[paso * LOTE:(paso + 1) * LOTE]
        perdida_np = a_mano.perdida(a_mano.forward(Xn[lote]), yn[lote])
        a_mano.backward()

        optimizer.zero_grad()
        loss = criterion(copia(X[lote]), y[lote])
        loss.backward()

        delta_g = max_diferencia([p.grad for p in copia.parameters()], a_mano.dW, a_mano.db)
        diferencia = abs(perdida_np - loss.item())
        iguales &= bool(np.isclose(perdida_np, loss.item(), rtol=1e-5, atol=1e-6)
                        and delta_g < 1e-5)
        print(f"  {paso + 1:4d}   {perdida_np:13.6f}   {loss.item():16.6f}   {diferencia:10.2e}"
              f"   {delta_g:17.2e}")
        a_mano.paso(lr)
        optimizer.step()
    delta_w = max_diferencia(list(copia.parameters()), a_mano.W, a_mano.b)
    iguales &= bool(delta_w < 1e-5)
    print(f"  máx |Δ peso| después de {pasos} pasos: {delta_w:.2e}")
    print("  => las dos versiones calculan lo mismo (tolerancia de float32)." if iguales else
          "  => ¡NO coinciden! Algo está mal en una de las dos versiones.")
    return iguales


def exactitud(modelo, X, y):
    with torch.no_grad():
        return (modelo(X).argmax(dim=1) == y).float().mean().item()


def entrenar(X, y, semilla, epocas, lr, imprimir_tabla):
    """Entrena con 5/6 de las imágenes y mide con el 1/6 apartado; devuelve el historial."""
    generador = torch.Generator().manual_seed(semilla)
    train, val = random_split(TensorDataset(X, y), [5 / 6, 1 / 6], generator=generador)
    Xt, yt = X[train.indices], y[train.indices]
    Xv, yv = X[val.indices], y[val.indices]
    torch.manual_seed(semilla)
    model = red_del_libro()
    criterion = nn.CrossEntropyLoss()
    optimizer = optim.SGD(model.parameters(), lr=lr)
    cargador = DataLoader(train, batch_size=LOTE, shuffle=True)
    historial = []
    if imprimir_tabla:
        print(f"\nEntrenamiento con tinygrad_es: {len(train)} imágenes para entrenar y "
              f"{len(val)} (1/6) para validar; SGD lr={lr}, lotes de {LOTE}")
        print("  época   pérdida   exactitud entrenamiento   exactitud validación")
    for epoca in range(1, epocas + 1):
        model.train()
        total = 0.0
        for imagenes, etiquetas in cargador:
            optimizer.zero_grad()
            loss = criterion(model(imagenes), etiquetas)
            loss.backward()
            optimizer.step()
            total += loss.item() * len(etiquetas)
        model.eval()
        fila = (epoca, total / len(train), exactitud(model, Xt, yt), exactitud(model, Xv, yv))
        historial.append(fila)
        if imprimir_tabla and (epoca % 2 == 0 or epoca in (1, epocas)):
            print(f"  {fila[0]:5d}   {fila[1]:7.4f}   {fila[2]:23.2f}   {fila[3]:20.2f}")
    return model, historial


def guardar_curva(historial, ruta, semilla, media_val, particiones):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator
    h = np.array(historial)
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.plot(h[:, 0], h[:, 2], "o-", label="entrenamiento")
    ax.plot(h[:, 0], h[:, 3], "s--", label="validación (el 1/6 apartado)")
    ax.axhline(LIBRO["validacion"], color="gray", ls=":", label="validación en el libro: 0.94")
    if particiones > 1:
        ax.axhline(media_val, color="tab:orange", ls=":",
                   label=f"validación, media de {particiones} particiones: {media_val:.3f}")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set(xlabel="época", ylabel="exactitud", ylim=(min(0.8, h[:, 3].min() - 0.01), 1.005),
           title=f"Red 784-100-200-10 con SGD y lotes de {LOTE} (partición con semilla "
                 f"{semilla})")
    ax.grid(alpha=0.3)
    ax.legend(loc="lower right")
    fig.tight_layout()
    fig.savefig(ruta, dpi=100)
    plt.close(fig)


def argumentos(argv):
    parser = crear_parser("La red 784-100-200-10 del libro, a mano con NumPy y con autograd: "
                          "misma pérdida paso a paso y la tabla de exactitudes del libro.")
    parser.add_argument("--epocas", type=int, default=None,
                        help=f"épocas de entrenamiento ({EPOCAS}; {EPOCAS_RAPIDO} con --rapido)")
    parser.add_argument("--lr", type=float, default=0.1, help="tasa de aprendizaje de SGD (0.1)")
    parser.add_argument("--pasos", type=int, default=5,
                        help="pasos comparados entre NumPy y autograd (5)")
    parser.add_argument("--particiones", type=int, default=None,
                        help="cuántas particiones entrenamiento/validación distintas (3; 1 con "
                             "--rapido)")
    args = parser.parse_args(argv)
    if args.epocas is None:
        args.epocas = EPOCAS_RAPIDO if args.rapido else EPOCAS
    if args.particiones is None:
        args.particiones = 1 if args.rapido else 3
    for nombre in ("epocas", "pasos", "particiones"):
        if getattr(args, nombre) < 1:
            parser.error(f"--{nombre} debe ser al menos 1")
    return args


def main(argv=None):
    args = argumentos(argv)
    inicio = time.perf_counter()
    X, y = datos()
    print(f"Datos: las {len(y)} imágenes de MNIST incluidas en tinygrad_es (sin internet), "
          "aplanadas a 784 valores y normalizadas.")

    torch.manual_seed(args.semilla)
    orden = torch.randperm(len(y)).numpy()
    iguales = comparar(red_del_libro(), X, y, orden, args.pasos, args.lr)

    resultados = []
    for k in range(args.particiones):
        model, historial = entrenar(X, y, args.semilla + k, args.epocas, args.lr,
                                    imprimir_tabla=(k == 0))
        resultados.append(historial[-1])
        if k == 0:
            primero = historial
    if args.particiones > 1:
        print(f"\nLa misma red con {args.particiones} particiones distintas (semillas "
              f"{args.semilla}..{args.semilla + args.particiones - 1}):")
        for k, fila in enumerate(resultados):
            print(f"  partición {k + 1}: entrenamiento {fila[2]:.2f} · validación {fila[3]:.3f}")
    entrenamiento = float(np.mean([r[2] for r in resultados]))
    validacion = float(np.mean([r[3] for r in resultados]))
    dispersion = float(np.std([r[3] for r in resultados]))

    print("\nComparación con la tabla del libro:")
    print("                      entrenamiento   validación")
    print(f"  libro                       {LIBRO['entrenamiento']:.2f}         "
          f"{LIBRO['validacion']:.2f}")
    print(f"  tinygrad_es                 {entrenamiento:.2f}         {validacion:.2f}"
          + (f"  (media de {args.particiones}; ± {dispersion:.3f})" if args.particiones > 1
             else ""))
    try:
        carpeta = pathlib.Path(args.salida)
        carpeta.mkdir(parents=True, exist_ok=True)
        guardar_curva(primero, carpeta / "libro_exactitud.png", args.semilla, validacion,
                      args.particiones)
        print(f"\ngráfica guardada en {carpeta / 'libro_exactitud.png'}")
    except ImportError:
        print("\n(instala matplotlib para guardar la gráfica: pip install matplotlib)")
    print(f"tiempo total: {time.perf_counter() - inicio:.1f} s")
    print(f"exactitud de entrenamiento: {entrenamiento:.2f} · exactitud de validación: "
          f"{validacion:.2f}")
    return 0 if iguales else 1


if __name__ == "__main__":
    sys.exit(main())
