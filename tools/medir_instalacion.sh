#!/bin/bash
# Mide lo que pesa y tarda cada forma de instalar tinygrad_es (la tabla «Qué instala cada extra»
# del README): un venv nuevo por medida, pip sin caché (descarga todo de nuevo, como la primera
# vez) y el tamaño que añade la instalación al site-packages del venv vacío (du -sk).
#
#   tools/medir_instalacion.sh ETIQUETA ARGUMENTOS_DE_PIP...
#   tools/medir_instalacion.sh base -e .
#   tools/medir_instalacion.sh ejemplos -e ".[ejemplos]"
#   tools/medir_instalacion.sh ejemplos_notebook -e ".[ejemplos]" notebook
#
# Escribe una línea por medida en /tmp/medir_instalacion/resultados.txt. El tiempo depende de la
# red y de la máquina: repítelo y da la mediana.
set -e
etiqueta=$1; shift
carpeta=/tmp/medir_instalacion
mkdir -p $carpeta
venv=$carpeta/venv_$etiqueta
rm -rf "$venv"
python3 -m venv "$venv"
sitio=$("$venv/bin/python" -c "import sysconfig; print(sysconfig.get_paths()['purelib'])")
antes=$(du -sk "$sitio" | cut -f1)
inicio=$(date +%s.%N)
"$venv/bin/pip" install --no-cache-dir -q --disable-pip-version-check "$@" > "$carpeta/log_$etiqueta.txt" 2>&1
fin=$(date +%s.%N)
despues=$(du -sk "$sitio" | cut -f1)
paquetes=$("$venv/bin/pip" list --disable-pip-version-check 2>/dev/null | tail -n +3 | wc -l)
echo "$etiqueta: $(echo "$fin - $inicio" | bc) s, $(( (despues - antes) / 1024 )) MB añadidos, $((paquetes - 2)) paquetes (sin pip ni setuptools); pip install $*" | tee -a $carpeta/resultados.txt
