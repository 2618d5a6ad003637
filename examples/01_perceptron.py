"""El perceptrón de Rosenblatt: aprende AND y OR, pero no XOR.

1. Regla del perceptrón (activación escalón, sin gradientes): w <- w + lr * (y - ŷ) * x.
   Converge en AND y OR porque son linealmente separables; en XOR no converge nunca:
   ninguna recta separa (0,1) y (1,0) de (0,0) y (1,1).
2. La misma neurona entrenada con autograd. La escalón tiene derivada 0 en casi todo punto
   (no da pistas para bajar la pérdida), así que se cambia por la sigmoide: nn.Linear(2, 1)
   + entropía cruzada binaria (BCEWithLogitsLoss) + SGD.

Guarda en --salida la gráfica perceptron_fronteras.png: los cuatro puntos de cada compuerta y
la recta que aprendió la regla del perceptrón.

Uso: python examples/01_perceptron.py [--epocas 50] [--lr 0.1] [--rapido] [--salida salidas]
"""
import numpy as np

import _comun
import tinygrad_es as torch
import tinygrad_es.nn as nn
import tinygrad_es.optim as optim
from tinygrad_es.datasets import compuerta_logica

PUERTAS = ("AND", "OR", "XOR")


def regla_del_perceptron(X, y, epocas=50, lr=0.1):
    """Entrena con la regla de Rosenblatt.

    Devuelve (pesos, sesgo, época de convergencia o None, errores de cada época).
    """
    w = np.zeros(X.shape[1], dtype=np.float32)
    b = np.float32(0.0)
    historial = []
    for epoca in range(1, epocas + 1):
        errores = 0
        for xi, yi in zip(X, y):
            pred = np.float32(1.0 if xi @ w + b > 0 else 0.0)   # activación escalón
            if pred != yi:
                w += lr * (yi - pred) * xi
                b += np.float32(lr * (yi - pred))
                errores += 1
        historial.append(errores)
        if errores == 0:
            return w, b, epoca, historial
    return w, b, None, historial


def neurona_con_autograd(X, y, epocas=2000, lr=1.0, semilla=0):
    """Una neurona sigmoide entrenada con autograd: nn.Linear(2, 1) + BCEWithLogitsLoss + SGD.

    Devuelve (pérdida final, exactitud, pesos, sesgo).
    """
    torch.manual_seed(semilla)
    modelo = nn.Linear(X.shape[1], 1)
    perdida_fn = nn.BCEWithLogitsLoss()   # sigmoide + entropía cruzada, en un paso estable
    opt = optim.SGD(modelo.parameters(), lr=lr)
    Xt, yt = torch.tensor(X), torch.tensor(y).reshape(-1, 1)
    for _ in _comun.epocas(epocas, "neurona"):
        opt.zero_grad()
        perdida = perdida_fn(modelo(Xt), yt)
        perdida.backward()
        opt.step()
    with torch.no_grad():
        pred = (modelo(Xt) > 0).float().flatten()   # sigmoide(z) > 0.5  <=>  z > 0
    exactitud = float((pred == yt.flatten()).float().mean().item())
    return perdida.item(), exactitud, modelo.weight.detach().numpy().ravel(), \
        float(modelo.bias.item())


def _num(v):
    v = float(v)
    return f"{0.0 if abs(v) < 0.005 else v:.2f}"   # sin «-0.00»


def _redondear(w):
    return "[" + ", ".join(_num(v) for v in w) + "]"


def dibujar_fronteras(resultados, ruta):
    """Un panel por compuerta: los puntos (clase 1 rellenos) y la recta w·x + b = 0."""
    plt = _comun.pyplot()
    if plt is None:
        return
    fig, ejes = plt.subplots(1, len(resultados), figsize=(4 * len(resultados), 4.2))
    xs = np.linspace(-0.5, 1.5, 50)
    malla = np.linspace(-0.5, 1.5, 201)
    g1, g2 = np.meshgrid(malla, malla)
    for ax, (puerta, X, y, w, b, epoca) in zip(ejes, resultados):
        zona_1 = (w[0] * g1 + w[1] * g2 + b > 0).astype(float)   # donde la escalón da 1
        ax.contourf(g1, g2, zona_1, levels=[-0.5, 0.5, 1.5], colors=["#fbe3e3", "#dde9f7"])
        for clase, marca, etiqueta in ((1, "o", "salida 1"), (0, "x", "salida 0")):
            sel = y == clase
            ax.scatter(X[sel, 0], X[sel, 1], marker=marca, s=120,
                       c="tab:blue" if clase else "tab:red", label=etiqueta, zorder=3)
        if abs(w[1]) > 1e-6:
            ax.plot(xs, -(w[0] * xs + b) / w[1], "k-", label="recta w·x + b = 0 (da 0)")
        elif abs(w[0]) > 1e-6:
            ax.axvline(-b / w[0], color="k", label="recta w·x + b = 0 (da 0)")
        estado = f"converge en la época {epoca}" if epoca else "no converge"
        ax.set_title(f"{puerta}: {estado}")
        ax.set_xlim(-0.5, 1.5)
        ax.set_ylim(-0.5, 1.5)
        ax.set_xlabel("entrada x₁")
        ax.set_ylabel("entrada x₂")
        ax.set_aspect("equal")
        ax.grid(alpha=0.3)
    ejes[0].legend(loc="upper left", fontsize=8)
    fig.suptitle("Regla del perceptrón: fondo azul = la neurona responde 1, rojo = responde 0 "
                 "(XOR: pesos de la última época)")
    fig.tight_layout()
    _comun.guardar_figura(fig, ruta)


def main(argv=None):
    parser = _comun.crear_parser("El perceptrón de Rosenblatt en AND, OR y XOR.")
    parser.add_argument("--epocas", type=int, default=50, help="épocas de la regla (50)")
    parser.add_argument("--lr", type=float, default=0.1, help="tasa de aprendizaje (0.1)")
    args = parser.parse_args(argv)
    salida = _comun.carpeta(args.salida)

    print("1) Regla del perceptrón (activación escalón)")
    resultados = []
    for puerta in PUERTAS:
        X, y = compuerta_logica(puerta)
        X, y = X.numpy(), y.numpy().ravel()
        w, b, epoca, errores = regla_del_perceptron(X, y, args.epocas, args.lr)
        pred = (X @ w + b > 0).astype(np.float32)
        exactitud = _comun.porcentaje((pred == y).mean())
        resultados.append((puerta, X, y, w, b, epoca))
        if epoca is not None:
            print(f"  {puerta}: converge en la época {epoca}; w = {_redondear(w)}, "
                  f"b = {float(b):.2f}; exactitud: {exactitud}")
        else:
            print(f"  {puerta}: NO converge en {args.epocas} épocas; en la última aún corrigió "
                  f"los pesos {errores[-1]} veces\n       y con ellos acierta "
                  f"{int((pred == y).sum())} de 4 (exactitud: {exactitud}).")
            print("       Por qué: XOR no es linealmente separable. Ninguna recta deja (0,1) y "
                  "(1,0) a un lado\n       y (0,0) y (1,1) al otro, así que la regla corrige "
                  "los pesos sin parar.\n       Hace falta una capa oculta "
                  "(examples/02_xor_mlp.py).")
    dibujar_fronteras(resultados, salida / "perceptron_fronteras.png")

    epocas_autograd = 300 if args.rapido else 2000
    print(f"\n2) La misma neurona con autograd (sigmoide + entropía cruzada + SGD, "
          f"{epocas_autograd} épocas)")
    for puerta in PUERTAS:
        X, y = compuerta_logica(puerta)
        perdida, exactitud, w, b = neurona_con_autograd(X.numpy(), y.numpy().ravel(),
                                                        epocas_autograd, semilla=args.semilla)
        print(f"  {puerta}: pérdida final {perdida:.4f}, exactitud: {_comun.porcentaje(exactitud)}"
              f"; w = {_redondear(w)}, b = {_num(b)}")
    print("  En XOR la pérdida se queda en ln 2 = 0.6931: la mejor neurona sola lleva w y b a 0 y "
          "responde\n  0.5 para los cuatro puntos (no sabe; por eso su exactitud es casi un "
          "sorteo).\n  Una recta acertaría como mucho 3 de 4.")


if __name__ == "__main__":
    main()
