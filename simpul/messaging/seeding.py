"""Demo conversations: an announcement, the demo province's channel, the demo centre's thread, and a direct
conversation (reporting adds a comment on a returned report), written through the services (so mentions, read marks and
notifications are the real ones). Only where the demo accounts exist."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from simpul.core.seeding import SeedContext, seeder

from . import services


@seeder(order=60)
def seed_conversations(context: SeedContext) -> None:
    demo = context.shared.get("demo_center")
    users = {u.username: u for u in get_user_model().objects.filter(username__endswith=".demo")}
    users |= {
        u.username: u
        for u in get_user_model().objects.filter(
            username__in=["admin.pusat", "fkn.nasional", "fkn.jatim", "pemda.jatim", "pemda.malang"]
        )
    }
    if demo is None or "admin.pusat" not in users or "pengelola.demo" not in users:
        return
    say = services.message_post
    say(
        actor=users["admin.pusat"],
        thread=services.announcement_thread(),
        body=(
            "**Pelaporan bulanan kini lewat Simpul.** Mulai bulan ini laporan kegiatan bulanan dikirim dan "
            "ditinjau di Simpul, tidak lagi lewat Excel dan grup percakapan.\n\n"
            "- Tenggat: tanggal 10 bulan berikutnya\n- Pertanyaan: tulis di kanal provinsi Anda"
        ),
    )
    say(
        actor=users["fkn.nasional"],
        thread=services.announcement_thread(),
        body="Rapat koordinasi FKN daring hari Kamis pukul 09.00 WIB. Tautan dikirim lewat kanal provinsi.",
    )
    province = services.province_thread(demo.province)
    say(
        actor=users["fkn.jatim"],
        thread=province,
        body="Rekan-rekan BLK Jawa Timur, mohon laporan Oktober dikirim sebelum tanggal 10. @pengelola.demo "
        "tolong bagikan pengalaman mengisi laporan pertama Anda.",
    )
    say(
        actor=users["pengelola.demo"],
        thread=province,
        body="Siap. Angka pelatihan sudah terisi otomatis dari data paket, kami tinggal memeriksa.",
    )
    center = services.center_thread(demo)
    say(
        actor=users["pemda.malang"],
        thread=center,
        body="Kunjungan monitoring ke BLK dijadwalkan minggu depan. Mohon siapkan daftar hadir pelatihan.",
    )
    say(
        actor=users["pengelola.demo"],
        thread=center,
        body="Baik, Pak. Daftar hadir paket _Menjahit_ dan _Las_ sudah kami siapkan.",
    )
    other = users["pemda.malang"]
    say(
        actor=users["pengelola.demo"],
        thread=services.direct_thread_open(actor=users["pengelola.demo"], other=other),
        body="Pak, apakah berkas LPJ tahap 1 cukup dalam bentuk PDF pindaian?",
        members=(users["pengelola.demo"], other),
    )
    context.out.write("  percakapan contoh: pengumuman, kanal provinsi, utas BLK, pesan langsung\n")
