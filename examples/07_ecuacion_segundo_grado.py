"""Una red que aprende a resolver ax² + bx + c = 0 (práctica 2 del curso).

Entrada: los coeficientes (a, b, c). Salida: las dos raíces reales ordenadas (x₁ ≤ x₂). La red
no conoce la fórmula (-b ± √(b² - 4ac)) / 2a: la aprende de ejemplos resueltos.

Datos: coeficientes al azar en [-1, 1] con discriminante b² - 4ac ≥ 0 (raíces reales). Como
multiplicar la ecuación por un número no cambia sus raíces, cada ecuación se normaliza antes de
entrar a la red: se divide por el coeficiente de mayor valor absoluto y se cambia el signo si
hace falta para que a > 0. Así la red solo ve coeficientes en [-1, 1] y también sirve para
ecuaciones como x² - 3x + 2 = 0. Se descartan las de |a| < 0.25 tras normalizar (raíces muy
grandes, |x| ≤ 6.5).

Red: 3 -> 64 -> 64 -> 2 con Tanh, error cuadrático medio y Adam (lr = 0.001, lotes de 64). Se
informa del error absoluto medio de las raíces en ecuaciones que la red no vio al entrenar.
Deja en --salida la gráfica ecuacion_segundo_grado.png.

Uso: python examples/07_ecuacion_segundo_grado.py [--ecuacion 1,-3,2] [--epocas 30]
     [--n 20000] [--salida salidas] [--rapido]
"""
import argparse

import numpy as np

import _comun
import tinygrad_es as torch
from tinygrad_es import nn, optim
from tinygrad_es.utils.data import DataLoader, TensorDataset

A_MINIMO = 0.25


def normalizar(abc):
    """Divide cada fila (a, b, c) por su coeficiente de mayor |valor| y deja a > 0."""
    abc = np.asarray(abc, dtype=np.float64).reshape(-1, 3)
    escala = np.abs(abc).max(axis=1, keepdims=True) * np.where(abc[:, :1] < 0, -1.0, 1.0)
    return abc / escala


def raices(abc):
    """Las dos raíces reales ordenadas de cada fila (requiere discriminante ≥ 0)."""
    a, b, c = np.asarray(abc, dtype=np.float64).T
    d = np.sqrt(np.maximum(b * b - 4 * a * c, 0.0))
    return np.sort(np.stack([(-b - d) / (2 * a), (-b + d) / (2 * a)], axis=1), axis=1)


def ecuaciones(n):
    """``n`` ecuaciones normalizadas con raíces reales: (coeficientes, raíces), float32."""
    partes, total = [], 0
    while total < n:
        abc = normalizar((torch.rand(2 * n, 3) * 2 - 1).numpy())
        a, b, c = abc.T
        validas = abc[(a >= A_MINIMO) & (b * b - 4 * a * c >= 0)]
        partes.append(validas)
        total += len(validas)
    abc = np.concatenate(partes)[:n]
    return (torch.tensor(abc.astype(np.float32)), torch.tensor(raices(abc).astype(np.float32)))


def crear_modelo():
    return nn.Sequential(nn.Linear(3, 64), nn.Tanh(), nn.Linear(64, 64), nn.Tanh(),
                         nn.Linear(64, 2))


def entrenar(modelo, X, Y, epocas, lr, lote):
    criterio = nn.MSELoss()
    optimizador = optim.Adam(modelo.parameters(), lr=lr)
    cargador = DataLoader(TensorDataset(X, Y), batch_size=lote, shuffle=True)
    historial = []
    for epoca in _comun.epocas(epocas, "ecuaciones"):
        total = 0.0
        for x, y in cargador:
            optimizador.zero_grad()
            perdida = criterio(modelo(x), y)
            perdida.backward()
            optimizador.step()
            total += perdida.item() * len(x)
        historial.append(total / len(X))
        if epoca % 10 == 0 or epoca == epocas - 1:
            _comun.imprimir(f"época {epoca:3d}   pérdida (ECM) {historial[-1]:.5f}")
    return historial


def ecuacion_texto(a, b, c):
    texto = f"{a:.2f}x²"
    for coef, parte in ((b, "x"), (c, "")):
        texto += f" {'-' if coef < 0 else '+'} {abs(coef):.2f}{parte}"
    return texto + " = 0"


def dibujar(Y, pred, X, historial, ruta):
    plt = _comun.pyplot()
    if plt is None:
        return
    fig, (ax1, ax2, ax3) = plt.subplots(1, 3, figsize=(15, 4.6), layout="constrained")
    ax1.plot(np.arange(1, len(historial) + 1), historial, marker=".")
    ax1.set_yscale("log")
    ax1.set_xlabel("época")
    ax1.set_ylabel("error cuadrático medio (escala log.)")
    ax1.set_title("Pérdida de entrenamiento")
    ax1.grid(alpha=0.3)

    lim = float(np.abs(Y).max()) * 1.05
    ax2.scatter(Y[:, 0], pred[:, 0], s=4, alpha=0.5, label="x₁ (la menor)")
    ax2.scatter(Y[:, 1], pred[:, 1], s=4, alpha=0.5, label="x₂ (la mayor)")
    ax2.plot([-lim, lim], [-lim, lim], "k--", lw=1, label="acierto perfecto")
    ax2.set_xlabel("raíz verdadera")
    ax2.set_ylabel("raíz que predice la red")
    ax2.set_title("Ecuaciones de prueba: predicción frente a verdad")
    ax2.legend(markerscale=3)
    ax2.set_aspect("equal")
    ax2.grid(alpha=0.3)

    error = np.abs(pred - Y).mean(axis=1)
    a, b, c = X.T
    puntos = ax3.scatter(b * b - 4 * a * c, error, s=4, alpha=0.6, c=a, cmap="viridis")
    fig.colorbar(puntos, ax=ax3, label="a (normalizado)")
    ax3.set_yscale("log")
    ax3.set_xlabel("discriminante b² - 4ac (0: raíz doble)")
    ax3.set_ylabel("error absoluto medio de la ecuación")
    ax3.set_title("Dónde se equivoca más: cerca de la raíz doble")
    ax3.grid(alpha=0.3)
    fig.suptitle("Una red 3-64-64-2 aprende las raíces de ax² + bx + c = 0")
    _comun.guardar_figura(fig, ruta)


def leer_ecuacion(texto):
    try:
        abc = tuple(float(v) for v in texto.replace(" ", "").split(","))
    except ValueError:
        abc = ()
    if len(abc) != 3:
        raise argparse.ArgumentTypeError(
            f"ecuación no válida {texto!r}: escribe los coeficientes a,b,c (p. ej. 1,-3,2 "
            "para x² - 3x + 2 = 0)")
    return abc


def resolver(modelo, abc):
    a, b, c = abc
    print(f"\necuación {ecuacion_texto(a, b, c)}")
    if a == 0:
        print("  no es de segundo grado (a = 0)")
        return
    if b * b - 4 * a * c < 0:
        print("  no tiene raíces reales (discriminante < 0): la red no se entrenó para eso")
        return
    norm = normalizar(abc)
    with torch.no_grad():
        pred = modelo(torch.tensor(norm.astype(np.float32))).numpy()[0]
    verdad = raices(norm)[0]
    print(f"  la red: x₁ = {pred[0]:.3f}, x₂ = {pred[1]:.3f}   la fórmula: x₁ = {verdad[0]:.3f}, "
          f"x₂ = {verdad[1]:.3f}")
    if norm[0, 0] < A_MINIMO:
        print(f"  (ojo: normalizada, a = {norm[0, 0]:.2f} < {A_MINIMO}: la red no vio ecuaciones "
              "así; sus raíces son demasiado grandes)")


def main(argv=None):
    parser = _comun.crear_parser("Una red aprende las raíces de ax² + bx + c = 0.")
    parser.add_argument("--ecuacion", type=leer_ecuacion, action="append", metavar="A,B,C",
                        help="resuelve también esta ecuación (p. ej. 1,-3,2); se puede repetir")
    parser.add_argument("--n", type=int, default=None,
                        help="ecuaciones de entrenamiento (20000; 5000 con --rapido)")
    parser.add_argument("--epocas", type=int, default=None, help="épocas (30; 15 con --rapido)")
    parser.add_argument("--lr", type=float, default=0.001, help="tasa de aprendizaje de Adam "
                        "(0.001)")
    parser.add_argument("--lote", type=int, default=64, help="tamaño del lote (64)")
    args = parser.parse_args(argv)
    carpeta = _comun.carpeta(args.salida)
    n = args.n or (5000 if args.rapido else 20000)
    epocas = args.epocas or (15 if args.rapido else 30)

    torch.manual_seed(args.semilla)
    X, Y = ecuaciones(n)
    Xp, Yp = ecuaciones(2000)                     # de prueba: la red no las ve al entrenar
    print(f"{n} ecuaciones de entrenamiento y {len(Xp)} de prueba; {epocas} épocas de Adam "
          f"(lr = {args.lr:g}, lotes de {args.lote})")
    modelo = crear_modelo()
    historial = entrenar(modelo, X, Y, epocas, args.lr, args.lote)

    with torch.no_grad():
        pred = modelo(Xp).numpy()
    Yn, Xn = Yp.numpy(), Xp.numpy()
    error = np.abs(pred - Yn)
    referencia = np.abs(Yn - Y.numpy().mean(axis=0)).mean()
    print(f"\nerror absoluto medio en ecuaciones de prueba: {error.mean():.4f}")
    print(f"  (x₁: {error[:, 0].mean():.4f}, x₂: {error[:, 1].mean():.4f}; mediana "
          f"{np.median(error):.4f}; peor {error.max():.3f})")
    print(f"  para comparar, responder siempre las raíces medias da un error de {referencia:.4f}")
    print("\nAlgunas ecuaciones de prueba:")
    for i in range(5):
        a, b, c = Xn[i]
        print(f"  {ecuacion_texto(a, b, c):<28} verdad ({Yn[i, 0]:6.3f}, {Yn[i, 1]:6.3f})   "
              f"red ({pred[i, 0]:6.3f}, {pred[i, 1]:6.3f})")
    dibujar(Yn, pred, Xn, historial, carpeta / "ecuacion_segundo_grado.png")
    for abc in args.ecuacion or ():
        resolver(modelo, abc)


if __name__ == "__main__":
    main()
