"""Reference classifications used by alumni tracing.

KBJI 2014 (Klasifikasi Baku Jabatan Indonesia, BPS) follows ISCO-08 to four
digits, so a four-digit occupation code is checked against its sub-major
group (the first two digits, 43 groups) below. The full list of 4-digit unit
groups is not shipped: BPS publishes it as a PDF, not as data.

KBLI 2020 (Klasifikasi Baku Lapangan Usaha Indonesia) sections classify the
business of a self-employed graduate.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

KBJI_GROUPS: dict[str, str] = {
    "01": "Perwira TNI",
    "02": "Bintara TNI",
    "03": "Tamtama TNI",
    "11": "Pimpinan eksekutif, pejabat senior dan anggota legislatif",
    "12": "Manajer administrasi dan komersial",
    "13": "Manajer produksi dan jasa khusus",
    "14": "Manajer perhotelan, perdagangan dan jasa lainnya",
    "21": "Profesional sains dan teknik",
    "22": "Profesional kesehatan",
    "23": "Profesional pendidikan",
    "24": "Profesional bisnis dan administrasi",
    "25": "Profesional teknologi informasi dan komunikasi",
    "26": "Profesional hukum, sosial dan budaya",
    "31": "Teknisi dan asisten ahli sains dan teknik",
    "32": "Teknisi dan asisten ahli kesehatan",
    "33": "Teknisi dan asisten ahli bisnis dan administrasi",
    "34": "Teknisi dan asisten ahli hukum, sosial, budaya dan terkait",
    "35": "Teknisi informasi dan komunikasi",
    "41": "Tenaga usaha umum dan pengetikan",
    "42": "Tenaga usaha pelayanan pelanggan",
    "43": "Tenaga usaha pencatatan angka dan barang",
    "44": "Tenaga tata usaha lainnya",
    "51": "Pekerja jasa perorangan",
    "52": "Pekerja penjualan",
    "53": "Pekerja perawatan perorangan",
    "54": "Pekerja jasa perlindungan",
    "61": "Pekerja terampil pertanian berorientasi pasar",
    "62": "Pekerja terampil kehutanan, perikanan dan perburuan berorientasi pasar",
    "63": "Petani, nelayan, pemburu dan pengumpul subsisten",
    "71": "Pekerja bangunan dan yang terkait (kecuali listrik)",
    "72": "Pekerja pengolahan logam, mesin dan yang terkait",
    "73": "Pekerja kerajinan tangan dan percetakan",
    "74": "Pekerja listrik dan elektronika",
    "75": "Pekerja pengolahan makanan, pengolahan kayu, garmen dan kerajinan lainnya",
    "81": "Operator mesin dan instalasi tetap",
    "82": "Perakit",
    "83": "Pengemudi dan operator alat berat",
    "91": "Petugas kebersihan dan pembantu",
    "92": "Pekerja kasar pertanian, kehutanan dan perikanan",
    "93": "Pekerja kasar pertambangan, konstruksi, industri pengolahan dan transportasi",
    "94": "Asisten penyiapan makanan",
    "95": "Pedagang keliling dan pekerja jasa jalanan",
    "96": "Pekerja pengumpul sampah dan pekerja kasar lainnya",
}

KBLI_SECTIONS: tuple[tuple[str, object], ...] = (
    ("A", _("Pertanian, kehutanan dan perikanan")),
    ("B", _("Pertambangan dan penggalian")),
    ("C", _("Industri pengolahan")),
    ("D", _("Pengadaan listrik dan gas")),
    ("E", _("Pengadaan air, pengelolaan sampah dan daur ulang")),
    ("F", _("Konstruksi")),
    ("G", _("Perdagangan besar dan eceran; reparasi mobil dan sepeda motor")),
    ("H", _("Pengangkutan dan pergudangan")),
    ("I", _("Penyediaan akomodasi dan makan minum")),
    ("J", _("Informasi dan komunikasi")),
    ("K", _("Jasa keuangan dan asuransi")),
    ("L", _("Real estat")),
    ("M", _("Jasa profesional, ilmiah dan teknis")),
    ("N", _("Jasa persewaan, ketenagakerjaan, agen perjalanan dan penunjang usaha")),
    ("O", _("Administrasi pemerintahan, pertahanan dan jaminan sosial wajib")),
    ("P", _("Jasa pendidikan")),
    ("Q", _("Jasa kesehatan dan kegiatan sosial")),
    ("R", _("Kesenian, hiburan dan rekreasi")),
    ("S", _("Kegiatan jasa lainnya")),
    ("T", _("Jasa perorangan yang melayani rumah tangga")),
    ("U", _("Kegiatan badan internasional dan badan ekstra internasional lainnya")),
)
