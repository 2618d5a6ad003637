"""L-BFGS (Liu y Nocedal, 1989) con la búsqueda lineal de Wolfe fuerte opcional: el algoritmo de
``torch.optim.LBFGS`` (que a su vez sigue a minFunc), paso por paso y en el mismo orden.

Todo el trabajo se hace sobre un vector plano con los gradientes de todos los parámetros
(``flat_grad``) y con ndarrays de NumPy. Los escalares intermedios (productos escalares, ``ro``,
``H_diag``, el paso ``t``...) son escalares de NumPy del tipo de los parámetros, como los
tensores 0-d de PyTorch: en float32 se redondean igual que allí.
"""
from collections import defaultdict

import numpy as np

from ..autograd.grad_mode import enable_grad
from ._opciones import add_scaled_
from .optimizer import Optimizer, _grad_array, _make


def _rdiv(num, den):
    """``num / den`` como en PyTorch: un número de Python entre un tensor es
    ``den.reciprocal() * num`` (dos redondeos), no una división."""
    if isinstance(den, (np.ndarray, np.generic)) and not isinstance(num, (np.ndarray, np.generic)):
        return np.reciprocal(den) * num
    return num / den


def _cubic_interpolate(x1, f1, g1, x2, f2, g2, bounds=None):
    """Mínimo de la cúbica que pasa por (x1, f1) y (x2, f2) con derivadas g1 y g2, recortado a
    ``bounds`` (por defecto, el intervalo entre x1 y x2)."""
    if bounds is not None:
        xmin_bound, xmax_bound = bounds
    else:
        xmin_bound, xmax_bound = (x1, x2) if x1 <= x2 else (x2, x1)
    d1 = g1 + g2 - _rdiv(3 * (f1 - f2), x1 - x2)
    d2_square = d1 ** 2 - g1 * g2
    if d2_square >= 0:
        d2 = np.sqrt(d2_square)
        if x1 <= x2:
            min_pos = x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
        else:
            min_pos = x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2))
        return min(max(min_pos, xmin_bound), xmax_bound)
    return (xmin_bound + xmax_bound) / 2.0


def _strong_wolfe(obj_func, x, t, d, f, g, gtd, c1=1e-4, c2=0.9, tolerance_change=1e-9,
                  max_ls=25):
    """Búsqueda lineal que cumple las condiciones de Wolfe fuertes (la de PyTorch, que viene
    de ``lswolfe.lua``): primero acota un intervalo con un punto válido y luego lo estrecha
    con interpolación cúbica. Devuelve ``(f_nueva, g_nueva, t, evaluaciones)``."""
    d_norm = np.abs(d).max()
    g = g.copy()
    f_new, g_new = obj_func(x, t, d)
    ls_func_evals = 1
    gtd_new = g_new.dot(d)
    t_prev, f_prev, g_prev, gtd_prev = 0, f, g, gtd
    done = False
    ls_iter = 0
    while ls_iter < max_ls:
        if f_new > (f + c1 * t * gtd) or (ls_iter > 1 and f_new >= f_prev):
            bracket, bracket_f = [t_prev, t], [f_prev, f_new]
            bracket_g, bracket_gtd = [g_prev, g_new.copy()], [gtd_prev, gtd_new]
            break
        if abs(gtd_new) <= -c2 * gtd:
            bracket, bracket_f, bracket_g = [t], [f_new], [g_new]
            done = True
            break
        if gtd_new >= 0:
            bracket, bracket_f = [t_prev, t], [f_prev, f_new]
            bracket_g, bracket_gtd = [g_prev, g_new.copy()], [gtd_prev, gtd_new]
            break
        # interpolar
        min_step = t + 0.01 * (t - t_prev)
        max_step = t * 10
        tmp = t
        t = _cubic_interpolate(t_prev, f_prev, gtd_prev, t, f_new, gtd_new,
                               bounds=(min_step, max_step))
        t_prev, f_prev, g_prev, gtd_prev = tmp, f_new, g_new.copy(), gtd_new
        f_new, g_new = obj_func(x, t, d)
        ls_func_evals += 1
        gtd_new = g_new.dot(d)
        ls_iter += 1
    if ls_iter == max_ls:     # sin intervalo tras max_ls evaluaciones
        bracket, bracket_f, bracket_g = [0, t], [f, f_new], [g, g_new]

    # fase de zoom: estrechar el intervalo hasta dar con un punto que cumpla las condiciones
    insuf_progress = False
    low_pos, high_pos = (0, 1) if bracket_f[0] <= bracket_f[-1] else (1, 0)
    while not done and ls_iter < max_ls:
        if abs(bracket[1] - bracket[0]) * d_norm < tolerance_change:
            break
        t = _cubic_interpolate(bracket[0], bracket_f[0], bracket_gtd[0],
                               bracket[1], bracket_f[1], bracket_gtd[1])
        # si t cae muy cerca de un extremo, se aleja un 10 % del intervalo
        eps = 0.1 * (max(bracket) - min(bracket))
        if min(max(bracket) - t, t - min(bracket)) < eps:
            if insuf_progress or t >= max(bracket) or t <= min(bracket):
                if abs(t - max(bracket)) < abs(t - min(bracket)):
                    t = max(bracket) - eps
                else:
                    t = min(bracket) + eps
                insuf_progress = False
            else:
                insuf_progress = True
        else:
            insuf_progress = False
        f_new, g_new = obj_func(x, t, d)
        ls_func_evals += 1
        gtd_new = g_new.dot(d)
        ls_iter += 1
        if f_new > (f + c1 * t * gtd) or f_new >= bracket_f[low_pos]:
            # no cumple Armijo o no mejora el punto más bajo: nuevo extremo alto
            bracket[high_pos], bracket_f[high_pos] = t, f_new
            bracket_g[high_pos], bracket_gtd[high_pos] = g_new.copy(), gtd_new
            low_pos, high_pos = (0, 1) if bracket_f[0] <= bracket_f[1] else (1, 0)
        else:
            if abs(gtd_new) <= -c2 * gtd:
                done = True          # condiciones de Wolfe cumplidas
            elif gtd_new * (bracket[high_pos] - bracket[low_pos]) >= 0:
                bracket[high_pos], bracket_f[high_pos] = bracket[low_pos], bracket_f[low_pos]
                bracket_g[high_pos] = bracket_g[low_pos]
                bracket_gtd[high_pos] = bracket_gtd[low_pos]
            bracket[low_pos], bracket_f[low_pos] = t, f_new
            bracket_g[low_pos], bracket_gtd[low_pos] = g_new.copy(), gtd_new
    return bracket_f[low_pos], bracket_g[low_pos], bracket[low_pos], ls_func_evals


# --- el estado se guarda con tensores (como PyTorch) y se trabaja con ndarrays ---------------
def _to_array(value):
    return value._data if hasattr(value, "_data") else value


def _to_tensor(value):
    if isinstance(value, (np.ndarray, np.generic)):
        return _make(np.asarray(value))
    return value


def _load_value(value, dtype):
    """Un valor del estado cargado, con los tensores copiados al tipo del parámetro."""
    if isinstance(value, (list, tuple)):
        return [_load_value(v, dtype) for v in value]
    if hasattr(value, "_data") or isinstance(value, (np.ndarray, np.generic)):
        array = np.asarray(_to_array(value))
        return _make(np.array(array, dtype=dtype if array.dtype.kind == "f" else array.dtype))
    return value


class LBFGS(Optimizer):
    """``LBFGS(params, lr=1, max_iter=20, max_eval=None, tolerance_grad=1e-7,
    tolerance_change=1e-9, history_size=100, line_search_fn=None)``.

    Método cuasi-Newton de memoria limitada: con los últimos ``history_size`` pares (cambio de
    parámetros, cambio de gradiente) aproxima la inversa de la hessiana y da pasos mucho
    mejores que los del gradiente en problemas pequeños y deterministas (ajuste de una
    regresión con todos los datos, la función de Rosenbrock...). Cada ``step`` hace hasta
    ``max_iter`` iteraciones y hasta ``max_eval`` evaluaciones de la función (por defecto
    ``max_iter * 1.25``), así que necesita poder recalcular la pérdida::

        def closure():
            optimizer.zero_grad()
            loss = loss_fn(model(x), y)
            loss.backward()
            return loss

        optimizer.step(closure)

    Sin ``line_search_fn`` el paso es fijo (``lr``; en la primera iteración, además, como mucho
    ``lr / sum(|grad|)``); con ``line_search_fn='strong_wolfe'`` se busca en cada iteración un
    paso que cumpla las condiciones de Wolfe fuertes. Se para antes si el gradiente es menor que
    ``tolerance_grad`` (en valor absoluto, elemento a elemento) o si la pérdida o los
    parámetros cambian menos que ``tolerance_change``.

    Como en PyTorch: un solo grupo de parámetros, el estado (global) se guarda en el del primer
    parámetro y ``state_dict()`` tiene las mismas claves que el de PyTorch.
    """

    def __init__(self, params, lr=1, max_iter=20, max_eval=None, tolerance_grad=1e-7,
                 tolerance_change=1e-9, history_size=100, line_search_fn=None):
        if not 0.0 <= lr:
            raise ValueError(f"Valor no válido para lr: {lr}. Debe ser mayor o igual que 0.")
        if line_search_fn not in (None, "strong_wolfe"):
            raise ValueError(
                f"line_search_fn debe ser None o 'strong_wolfe', pero es {line_search_fn!r} "
                "(PyTorch solo tiene esa búsqueda lineal).")
        if max_eval is None:
            max_eval = max_iter * 5 // 4
        defaults = {"lr": lr, "max_iter": max_iter, "max_eval": max_eval,
                    "tolerance_grad": tolerance_grad, "tolerance_change": tolerance_change,
                    "history_size": history_size, "line_search_fn": line_search_fn}
        super().__init__(params, defaults)

    def add_param_group(self, param_group):
        if self.param_groups:
            raise ValueError(
                "LBFGS no admite grupos de parámetros (ni opciones por parámetro): todos los "
                "parámetros van en un único grupo, como en PyTorch.")
        super().add_param_group(param_group)

    @property
    def _params(self):
        return self.param_groups[0]["params"]

    # --- el vector plano de los parámetros -------------------------------------------------
    def _gather_flat_grad(self):
        views = []
        for p in self._params:
            if p._grad is None:
                views.append(np.zeros(p._data.size, dtype=p._data.dtype))
            else:
                views.append(_grad_array(p._grad).reshape(-1))
        return np.concatenate(views)

    def _add_grad(self, step_size, update):
        offset = 0
        for p in self._params:
            data = p._data
            numel = data.size
            piece = update[offset:offset + numel].reshape(data.shape)
            add_scaled_(data, piece, step_size)
            p._bump_version()
            offset += numel

    def _clone_param(self):
        return [p._data.copy() for p in self._params]

    def _set_param(self, params_data):
        for p, pdata in zip(self._params, params_data):
            np.copyto(p._data, pdata)
            p._bump_version()

    def _directional_evaluate(self, closure, x, t, d):
        self._add_grad(t, d)
        loss = float(closure())
        flat_grad = self._gather_flat_grad()
        self._set_param(x)
        return loss, flat_grad

    # --- el paso ------------------------------------------------------------------------
    def step(self, closure=None):
        """Hasta ``max_iter`` iteraciones de L-BFGS; ``closure`` recalcula la pérdida (con
        ``zero_grad`` y ``backward``) y la devuelve. Devuelve la pérdida de la primera
        evaluación."""
        if closure is None or not callable(closure):
            raise TypeError(
                "LBFGS.step necesita una función closure que recalcule la pérdida, porque "
                "L-BFGS evalúa la función varias veces en cada paso: def closure(): "
                "optimizer.zero_grad(); loss = ...; loss.backward(); return loss; y luego "
                "optimizer.step(closure).")

        def evaluate():
            with enable_grad():
                return closure()

        group = self.param_groups[0]
        lr = group["lr"]
        if hasattr(lr, "_data"):
            lr = lr.item()
        max_iter, max_eval = group["max_iter"], group["max_eval"]
        tolerance_grad, tolerance_change = group["tolerance_grad"], group["tolerance_change"]
        line_search_fn, history_size = group["line_search_fn"], group["history_size"]

        # el estado es global, pero se guarda en el del primer parámetro (como PyTorch)
        state = self.state[self._params[0]]
        state.setdefault("func_evals", 0)
        state.setdefault("n_iter", 0)

        orig_loss = evaluate()
        loss = float(orig_loss)
        current_evals = 1
        state["func_evals"] += 1
        flat_grad = self._gather_flat_grad()
        opt_cond = np.abs(flat_grad).max() <= tolerance_grad
        if opt_cond:          # ya en un punto óptimo
            return orig_loss

        d = _to_array(state.get("d"))
        t = _to_array(state.get("t"))
        old_dirs = [_to_array(v) for v in state.get("old_dirs") or []]
        old_stps = [_to_array(v) for v in state.get("old_stps") or []]
        ro = [_to_array(v) for v in state.get("ro") or []]
        H_diag = _to_array(state.get("H_diag"))
        prev_flat_grad = _to_array(state.get("prev_flat_grad"))
        prev_loss = state.get("prev_loss")
        al = [_to_array(v) for v in state["al"]] if "al" in state else None

        n_iter = 0
        while n_iter < max_iter:
            n_iter += 1
            state["n_iter"] += 1

            # --- dirección de descenso ---
            if state["n_iter"] == 1:
                d = -flat_grad
                old_dirs, old_stps, ro = [], [], []
                H_diag = 1
            else:
                y = flat_grad - prev_flat_grad
                s = d * t
                ys = y.dot(s)
                if ys > 1e-10:        # se actualiza la memoria
                    if len(old_dirs) == history_size:
                        old_dirs.pop(0)
                        old_stps.pop(0)
                        ro.pop(0)
                    old_dirs.append(y)
                    old_stps.append(s)
                    ro.append(1.0 / ys)
                    H_diag = ys / y.dot(y)     # escala de la hessiana inicial
                # inversa aproximada de la hessiana por el gradiente (dos bucles de L-BFGS)
                num_old = len(old_dirs)
                if al is None:
                    al = [None] * history_size
                q = -flat_grad
                for i in range(num_old - 1, -1, -1):
                    al[i] = old_stps[i].dot(q) * ro[i]
                    add_scaled_(q, old_dirs[i], -al[i])
                d = r = q * H_diag
                for i in range(num_old):
                    be_i = old_dirs[i].dot(r) * ro[i]
                    add_scaled_(r, old_stps[i], al[i] - be_i)

            prev_flat_grad = flat_grad.copy()
            prev_loss = loss

            # --- longitud del paso ---
            if state["n_iter"] == 1:
                t = min(1.0, 1.0 / np.abs(flat_grad).sum()) * lr
            else:
                t = lr
            gtd = flat_grad.dot(d)         # derivada direccional
            if gtd > -tolerance_change:    # la dirección ya no baja
                break

            ls_func_evals = 0
            if line_search_fn is not None:
                x_init = self._clone_param()

                def obj_func(x, t, d):
                    return self._directional_evaluate(evaluate, x, t, d)

                loss, flat_grad, t, ls_func_evals = _strong_wolfe(
                    obj_func, x_init, t, d, loss, flat_grad, gtd,
                    max_ls=max_eval - current_evals)
                self._add_grad(t, d)
                opt_cond = np.abs(flat_grad).max() <= tolerance_grad
            else:
                self._add_grad(t, d)       # paso fijo
                if n_iter != max_iter:
                    # se reevalúa salvo en la última iteración (como PyTorch)
                    loss = float(evaluate())
                    flat_grad = self._gather_flat_grad()
                    opt_cond = np.abs(flat_grad).max() <= tolerance_grad
                    ls_func_evals = 1
            current_evals += ls_func_evals
            state["func_evals"] += ls_func_evals

            # --- condiciones de parada ---
            if n_iter == max_iter or current_evals >= max_eval or opt_cond:
                break
            if np.abs(d * t).max() <= tolerance_change:      # no hay progreso
                break
            if abs(loss - prev_loss) < tolerance_change:
                break

        state["d"] = _to_tensor(d)
        state["t"] = _to_tensor(t)
        state["old_dirs"] = [_to_tensor(v) for v in old_dirs]
        state["old_stps"] = [_to_tensor(v) for v in old_stps]
        state["ro"] = [_to_tensor(v) for v in ro]
        state["H_diag"] = _to_tensor(H_diag)
        state["prev_flat_grad"] = _to_tensor(prev_flat_grad)
        state["prev_loss"] = prev_loss
        if al is not None:
            state["al"] = [_to_tensor(v) for v in al]
        return orig_loss

    # --- estado ---------------------------------------------------------------------------
    def load_state_dict(self, state_dict):
        """Como ``Optimizer.load_state_dict``; el estado de L-BFGS (vectores planos y listas de
        vectores, no del tamaño de un parámetro) se copia al tipo de los parámetros."""
        if not isinstance(state_dict, dict) or "state" not in state_dict:
            return super().load_state_dict(state_dict)
        dtype = self._params[0]._data.dtype
        loaded = {}
        for key, value in state_dict["state"].items():
            if not isinstance(value, dict):
                raise ValueError(
                    f"El estado del parámetro {key} debe ser un diccionario, pero es "
                    f"{type(value).__name__}.")
            loaded[key] = {k: _load_value(v, dtype) for k, v in value.items()}
        super().load_state_dict(dict(state_dict, state={}))
        state = defaultdict(dict)
        for key, value in loaded.items():
            state[self._params[0] if key == 0 else key] = value
        self.state = state
