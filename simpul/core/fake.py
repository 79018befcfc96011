"""Realistic Indonesian values for the synthetic data generator (seeded, deterministic)."""

from __future__ import annotations

import random

FIRST_NAMES_MALE = (
    "Ahmad",
    "Muhammad",
    "Budi",
    "Agus",
    "Eko",
    "Joko",
    "Wahyu",
    "Yusuf",
    "Rizki",
    "Dimas",
    "Hendra",
    "Bambang",
    "Slamet",
    "Yohanes",
    "Made",
    "Ketut",
    "Wayan",
    "Nyoman",
    "Fajar",
    "Arif",
    "Imam",
    "Hasan",
    "Ilham",
    "Taufik",
    "Andi",
    "Rahmat",
    "Dedi",
    "Heru",
    "Irfan",
    "Zainal",
    "Syaiful",
    "Fransiskus",
)
FIRST_NAMES_FEMALE = (
    "Siti",
    "Nur",
    "Dewi",
    "Sri",
    "Rina",
    "Fitri",
    "Aisyah",
    "Fatimah",
    "Putri",
    "Ayu",
    "Suharti",
    "Lestari",
    "Maria",
    "Wulan",
    "Indah",
    "Yuliani",
    "Ratna",
    "Anisa",
    "Nurul",
    "Kartika",
    "Ni Luh",
    "Rahma",
    "Eka",
    "Dian",
    "Lina",
    "Maya",
    "Novi",
    "Umi",
    "Zahra",
    "Khadijah",
    "Theresia",
    "Melati",
)
FAMILY_NAMES = (
    "Santoso",
    "Wijaya",
    "Saputra",
    "Hidayat",
    "Pratama",
    "Nugroho",
    "Setiawan",
    "Rahmawati",
    "Kurniawan",
    "Siregar",
    "Nasution",
    "Harahap",
    "Simanjuntak",
    "Tanjung",
    "Manurung",
    "Hasibuan",
    "Lubis",
    "Purba",
    "Wibowo",
    "Susanto",
    "Syahputra",
    "Ramadhan",
    "Hakim",
    "Maulana",
    "Permana",
    "Firmansyah",
    "Sulistyo",
    "Handayani",
    "Astuti",
    "Utami",
    "Yulianto",
    "Gunawan",
    "Halim",
    "Daeng",
    "Mandala",
    "Tambunan",
)
PESANTREN_NAMES = (
    "Darul Ulum",
    "Al-Falah",
    "Al-Hikmah",
    "Nurul Huda",
    "Miftahul Huda",
    "Darussalam",
    "Al-Amien",
    "Roudlotul Mubtadiin",
    "Al-Ishlah",
    "Nurul Jadid",
    "Bahrul Ulum",
    "Al-Muhajirin",
    "Raudhatul Jannah",
    "Mambaul Ulum",
    "Hidayatullah",
    "Al-Munawwir",
    "Sabilul Muttaqin",
    "Darul Quran",
    "Nurul Iman",
    "Al-Ittihad",
    "Riyadlul Jannah",
    "Tebuireng Putri",
    "Al-Anwar",
    "Manba'ul Hikam",
    "Baitul Hikmah",
    "Daarut Tauhiid",
    "Al-Kautsar",
    "Asy-Syafi'iyah",
    "Minhajut Thullab",
    "Annuqayah",
    "Ihyaul Ulum",
    "Al-Furqon",
    "Salafiyah Syafi'iyah",
    "Darul Muttaqien",
    "Al-Baqiyatush Sholihat",
    "Attanwir",
)
SEMINARI_NAMES = ("St. Petrus Kanisius", "St. Paulus", "Mario John Boen", "St. Yohanes Maria Vianney", "Pius XII")
DHAMMASEKHA_NAMES = ("Saddhapala Jaya", "Dhammadipa", "Maitreya", "Ehipassiko", "Vidyasasana")
PASRAMAN_NAMES = ("Gurukula Bangli", "Widya Dharma", "Saraswati", "Dharma Santi", "Kerthi Yoga")
RELIGIOUS_OTHER_NAMES = ("Masjid Raya Al-Azhar", "Gereja Kristen Injili", "Klenteng Tri Dharma", "Muhammadiyah Cabang")
UNION_NAMES = ("KSPSI", "KSPI", "KSBSI", "SPSI Tekstil", "SP Kahutindo")
STREETS = (
    "Jl. KH. Hasyim Asy'ari",
    "Jl. Diponegoro",
    "Jl. Sudirman",
    "Jl. Ahmad Yani",
    "Jl. Pahlawan",
    "Jl. Raya Pesantren",
    "Jl. Masjid",
    "Jl. Veteran",
    "Jl. Merdeka",
    "Jl. Gajah Mada",
    "Jl. Imam Bonjol",
    "Jl. Cut Nyak Dhien",
    "Jl. Pattimura",
    "Jl. Sam Ratulangi",
    "Jl. Hayam Wuruk",
    "Jl. Kartini",
)


def person_name(rng: random.Random, sex: str | None = None) -> str:
    sex = sex or rng.choice("LP")
    first = rng.choice(FIRST_NAMES_MALE if sex == "L" else FIRST_NAMES_FEMALE)
    if rng.random() < 0.15:
        return first
    return f"{first} {rng.choice(FAMILY_NAMES)}"


def mobile_phone(rng: random.Random) -> str:
    """A valid Indonesian mobile number in E.164 (+62 8xx ...)."""
    prefix = rng.choice(("811", "812", "813", "821", "822", "852", "853", "857", "858", "878", "896"))
    return f"+62{prefix}{rng.randrange(10_000_000, 99_999_999)}"


def npwp(rng: random.Random) -> str:
    return "".join(str(rng.randrange(10)) for _ in range(16))


def address(rng: random.Random) -> str:
    return f"{rng.choice(STREETS)} No. {rng.randrange(1, 250)}"
