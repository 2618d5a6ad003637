"""Unos cientos de nombres de pila en español, para modelos de lenguaje de caracteres sin internet.

La lista la escribimos para este paquete (no es una copia de ningún conjunto de datos): nombres
corrientes en España e Hispanoamérica, en minúsculas, con sus tildes y eñes. Es pequeña (los
modelos la memorizan pronto), pero basta para que un ejemplo del curso funcione sin conexión;
con ``names.txt`` de makemore (32.000 nombres en inglés) los resultados son más interesantes.

- ``NOMBRES``: la tupla de nombres, sin repetidos.
- ``nombres()``: la misma lista como ``list`` (una copia nueva).
"""

_TEXTO = """
abel abril adela adolfo adrián adriana agustín agustina aitana aitor alba alberto alejandra
alejandro alfonso alfredo alicia alma álvaro amaia amalia amanda amparo ana andrea andrés
ángel ángela ángeles anselmo antonia antonio araceli ariadna armando arturo asunción aurora
azucena bárbara beatriz belén benito benjamín berta blanca borja bruno camila candela
carina carla carlos carmen carolina catalina cayetana cecilia celia césar cristian cristina
cristóbal claudia clara concepción consuelo cosme dalia damián daniel daniela darío david
débora delia diana diego dolores domingo dora edgar eduardo elena elisa eloísa elvira emilia
emiliano emilio emma enrique ernesto esperanza esteban estefanía estela ester eugenia eugenio
eva evaristo ezequiel fabián fátima federico felipe félix fermín fernanda fernando fidel
flor florencia francisca francisco gabriel gabriela gaspar gema gerardo germán gilberto
gisela gloria gonzalo graciela gregorio guadalupe guillermo gustavo héctor helena hernán
hilario hortensia hugo ignacio inés ingrid irene iris isabel ismael iván jacinto jaime javier
jazmín jesús jimena joaquín jorge josé josefa josefina juan juana julia julián julio
laura lázaro leandro leire leonardo leonor leticia lidia lorena lorenzo lucas lucía luciana
luciano lucio luis luisa luna macarena manuel manuela marcela marcelo marcos margarita
maría mariana mariano marina mario marta martín martina mateo matías mauricio máximo
mercedes micaela miguel milagros mireia miriam mónica natalia nerea nicolás noelia nora
norma nuria octavio olga óscar pablo paloma paola pascual patricia paula paulina pedro
pilar ramiro ramón raquel raúl rebeca remedios renata ricardo roberto rocío rodrigo rogelio
rosa rosalía rosario rubén ruth salomé salvador samuel sandra santiago sara sebastián
sergio silvia simón sofía soledad sonia susana tadeo teresa tomás valentín valentina
valeria vanesa vicente víctor victoria violeta virginia xavier ximena yolanda zacarías zoe
abigail adelaida agustín alejo alonso ambrosio anabel aníbal anselma apolonia ariel aurelio
baltasar bautista begoña benigno bernardo brenda brígida calixto camilo casimiro cándido
ciro clemente constanza crisanto dámaso dionisio dulce efraín elías eliseo emiliana encarna
eusebio eulalia fabiola facundo fausto feliciano filomena florentino fortunato fructuoso
gaudencio genaro gervasio gilda gracia hipólito honorato iñaki iñigo inmaculada isidro
itziar jacobo jenaro jerónimo joel jordi josué juliana lautaro leocadia leopoldo lino
lisandro lourdes lupe maite marcial marisol maximiliano melchor milagros modesto montserrat
narciso nazario nieves olegario osvaldo pancracio paz perla petra plácido prudencia quintín
rafael rafaela regina reinaldo reyes rigoberto romina rufino sabino sagrario saturnino
serafín severino sixto socorro tamara teodoro tobías trinidad ulises urbano valerio
wenceslao xiomara yago yesenia zulema
"""

NOMBRES = tuple(dict.fromkeys(_TEXTO.split()))


def nombres():
    """Los nombres de ``NOMBRES`` como una lista nueva (se puede barajar sin miedo)."""
    return list(NOMBRES)
