"""Names of the fictional Republic of Valdoria: people and streets.

Portuguese- and English-flavoured, as in a bilingual country. Lists are ordered
from most to least common: names are drawn with Zipf-like weights, so a few are
frequent and most are rare, as in real registers (and in their typos).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

FEMALE_FIRST = (
    "Maria", "Ana", "Sofia", "Beatriz", "Mariana", "Inês", "Joana", "Carolina", "Emma",
    "Leonor", "Marta", "Catarina", "Rita", "Olivia", "Sara", "Laura", "Matilde", "Alice",
    "Francisca", "Helena", "Teresa", "Isabel", "Grace", "Clara", "Luísa", "Filipa",
    "Margarida", "Rosa", "Amelia", "Lúcia", "Patrícia", "Daniela", "Chloe", "Fernanda",
    "Lily", "Raquel", "Vera", "Sónia", "Eleanor", "Graça", "Ruby", "Constança", "Iris",
    "Violet", "Benedita", "Hazel", "Aurora", "Dora",
)  # fmt: skip

MALE_FIRST = (
    "João", "José", "António", "Francisco", "Pedro", "Tiago", "Miguel", "Rodrigo", "James",
    "Martim", "Tomás", "Duarte", "Manuel", "Santiago", "Oliver", "Rafael", "Gonçalo", "Luís",
    "Diogo", "Afonso", "Henrique", "Carlos", "Jack", "Paulo", "Rui", "Nuno", "Bruno",
    "George", "Ricardo", "Jorge", "Vasco", "Samuel", "Thomas", "Gabriel", "Lourenço",
    "Daniel", "Arthur", "Bernardo", "Simão", "Edward", "Vicente", "Hugo", "Alfredo",
    "Harry", "Joaquim", "Leo", "Teodoro", "Felix",
)  # fmt: skip

FAMILY = (
    "Silva", "Santos", "Ferreira", "Pereira", "Oliveira", "Costa", "Rodrigues", "Martins",
    "Smith", "Jesus", "Sousa", "Fernandes", "Gonçalves", "Gomes", "Lopes", "Marques",
    "Alves", "Almeida", "Ribeiro", "Jones", "Pinto", "Carvalho", "Teixeira", "Moreira",
    "Correia", "Mendes", "Williams", "Nunes", "Soares", "Vieira", "Monteiro", "Cardoso",
    "Rocha", "Brown", "Raposo", "Neves", "Coelho", "Cruz", "Cunha", "Pires", "Taylor",
    "Ramos", "Reis", "Simões", "Antunes", "Matos", "Fonseca", "Davies", "Machado", "Araújo",
    "Barbosa", "Tavares", "Evans", "Lourenço", "Castro", "Figueiredo", "Azevedo", "Wilson",
    "Freitas", "Moura", "Valente", "Baptista", "Hughes", "Miranda", "Torres", "Campos",
    "Walker", "Brandão", "Quintela", "Wright", "Sequeira", "Abreu", "Thompson", "Faria",
    "Bettencourt", "Robinson", "Magalhães", "Loureiro", "Green", "Valadares", "Hall",
    "Mascarenhas", "Ashford", "Falcão", "Whitmore", "Albuquerque", "Pemberton", "Quaresma",
)  # fmt: skip

STREET_KINDS = (
    "Rua", "Avenida", "Travessa", "Largo", "Praça", "Estrada", "Beco", "Alameda",
    "Calçada", "Rua Nova",
)  # fmt: skip

STREET_NAMES = (
    "das Flores", "da Liberdade", "do Comércio", "da Igreja", "do Mar", "da Estação",
    "dos Pescadores", "da República", "do Castelo", "das Oliveiras", "do Sol", "da Fonte",
    "dos Moinhos", "da Escola", "do Mercado", "das Amoreiras", "do Norte", "da Paz",
    "dos Navegadores", "da Ribeira", "do Rossio", "das Palmeiras", "da Boavista",
    "do Carmo", "de Santo António", "de São João", "da Misericórdia", "das Laranjeiras",
    "do Poço", "da Serra", "dos Combatentes", "da Alegria", "do Jardim", "das Acácias",
    "do Farol", "da Ponte", "Ashford", "Queen Anne", "Harbour View", "Elm Grove",
    "King's Row", "Mill Lane", "Chapel Hill", "Orchard Way", "do Vale", "da Cruz",
    "dos Lírios", "do Pinhal", "da Saudade", "das Gaivotas",
)  # fmt: skip


def zipf_weights(count: int, exponent: float = 1.0) -> npt.NDArray[np.float64]:
    """Probabilities for ranks 1..count, proportional to 1 / rank**exponent."""
    weights: npt.NDArray[np.float64] = 1.0 / np.arange(1, count + 1, dtype=np.float64) ** exponent
    weights /= weights.sum()
    return weights


def street_pool() -> list[str]:
    """Every street name a municipality can have: kind and name combined."""
    return [f"{kind} {name}" for name in STREET_NAMES for kind in STREET_KINDS]
