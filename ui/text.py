"""Every user-facing text of the app, in English and Bahasa Indonesia, in one place.

``t(key, lang, **values)`` looks a text up and fills its ``{placeholders}``. A missing key or language is an error
caught by the tests, never a blank label in front of a workshop.
"""

from __future__ import annotations

LANGUAGES = {"en": "English", "id": "Bahasa Indonesia"}

TEXT: dict[str, dict[str, str]] = {
    # -- frame ---------------------------------------------------------------------------------------------------
    "app.title": {"en": "Rembug: slice the pie or expand it?", "id": "Rembug: mengiris kue atau memperbesarnya?"},
    "app.tagline": {
        "en": "Organisations share a river. Do they haggle over a fixed pie, or work together (gotong royong) to make it bigger?",
        "id": "Organisasi-organisasi berbagi sebuah sungai. Apakah mereka berebut kue yang tetap, atau bergotong royong memperbesarnya?",
    },
    "app.language": {"en": "Language", "id": "Bahasa"},
    "app.presenter": {"en": "Presenter mode", "id": "Mode presentasi"},
    "app.presenter.help": {
        "en": "Large text, only the comparison and the animation: for a projector.",
        "id": "Huruf besar, hanya perbandingan dan animasi: untuk proyektor.",
    },
    "app.share": {
        "en": "The address bar holds these settings: copy the link to open the same scenario elsewhere.",
        "id": "Bilah alamat menyimpan pengaturan ini: salin tautannya untuk membuka skenario yang sama di tempat lain.",
    },
    "app.running": {"en": "Simulating…", "id": "Menyimulasikan…"},
    # -- sidebar groups --------------------------------------------------------------------------------------------
    "group.scenario": {"en": "Scenario", "id": "Skenario"},
    "group.trust": {"en": "Trust", "id": "Kepercayaan"},
    "group.resources": {"en": "Resources", "id": "Sumber daya"},
    "group.interests": {"en": "Interests", "id": "Kepentingan"},
    "group.strategies": {"en": "Mix of strategies", "id": "Campuran strategi"},
    "group.river": {"en": "The river", "id": "Sungai"},
    "group.backbone": {"en": "Backbone organisation (Collective Impact)", "id": "Organisasi backbone (Collective Impact)"},
    "group.world": {"en": "Size, time and chance", "id": "Ukuran, waktu, dan peluang"},
    "scenario.choose": {"en": "Preset scenario", "id": "Skenario siap pakai"},
    "scenario.upload": {"en": "…or upload your own scenario (.toml)", "id": "…atau unggah skenario sendiri (.toml)"},
    "scenario.upload.help": {
        "en": "A scenario file like those in the scenarios/ folder. It is checked before use; nothing in it is run.",
        "id": "Berkas skenario seperti di folder scenarios/. Diperiksa sebelum dipakai; tidak ada isinya yang dijalankan.",
    },
    "scenario.uploaded": {"en": "Using your scenario: {title}", "id": "Memakai skenario Anda: {title}"},
    "scenario.bad": {"en": "This scenario cannot be used. What to fix:", "id": "Skenario ini tidak bisa dipakai. Yang perlu diperbaiki:"},
    "scenario.reset": {"en": "Back to the preset's values", "id": "Kembali ke nilai skenario"},
    "settings.bad": {
        "en": "Some settings were out of range and were not applied:",
        "id": "Beberapa pengaturan di luar batas dan tidak dipakai:",
    },
    "run.failed": {
        "en": "The model could not run with these settings: {error}. Change a setting and it will try again.",
        "id": "Model tidak bisa berjalan dengan pengaturan ini: {error}. Ubah pengaturan dan model akan mencoba lagi.",
    },
    # -- controls ----------------------------------------------------------------------------------------------------
    "trust.initial": {"en": "Initial trust", "id": "Kepercayaan awal"},
    "trust.initial.help": {
        "en": "How far organisations trust a partner they have not met. Trust decides whether an integrative negotiator shares its priorities.",
        "id": "Seberapa besar organisasi mempercayai mitra yang belum dikenal. Kepercayaan menentukan apakah perunding integratif berbagi prioritasnya.",
    },
    "trust.growth": {"en": "Trust grows with each kept agreement", "id": "Kepercayaan tumbuh setiap kesepakatan ditepati"},
    "trust.growth.help": {
        "en": "Share of the gap to full trust closed by a kept agreement: trust is built in drops.",
        "id": "Bagian jarak menuju kepercayaan penuh yang tertutup oleh satu kesepakatan yang ditepati: kepercayaan dibangun setetes demi setetes.",
    },
    "trust.cut": {"en": "Trust lost to exploitation or a breach", "id": "Kepercayaan yang hilang karena eksploitasi atau pelanggaran"},
    "trust.cut.help": {
        "en": "Share of trust lost when a partner exploits your openness or is caught breaking an agreement: lost in buckets.",
        "id": "Bagian kepercayaan yang hilang ketika mitra memanfaatkan keterbukaan Anda atau ketahuan melanggar kesepakatan: hilang seember sekaligus.",
    },
    "water.inflow": {"en": "Water inflow (share of total need)", "id": "Aliran air masuk (bagian dari total kebutuhan)"},
    "water.inflow.help": {
        "en": "Average inflow per season compared with what all organisations need. Below 1 the river cannot meet every need.",
        "id": "Rata-rata aliran per musim dibanding kebutuhan semua organisasi. Di bawah 1 sungai tidak dapat memenuhi semua kebutuhan.",
    },
    "water.drought_probability": {"en": "Chance of drought each season", "id": "Peluang kemarau setiap musim"},
    "water.drought_probability.help": {"en": "Droughts cut the inflow of a season.", "id": "Kemarau mengurangi aliran air satu musim."},
    "water.drought_severity": {"en": "Drought severity", "id": "Keparahan kemarau"},
    "water.drought_severity.help": {"en": "Share of inflow a drought takes away.", "id": "Bagian aliran air yang hilang saat kemarau."},
    "organisations.endowment": {"en": "Means to invest per season", "id": "Dana dan tenaga untuk investasi per musim"},
    "organisations.endowment.help": {
        "en": "Money and labour each organisation can put into wells and canals each season (joint investment expands the pie over time).",
        "id": "Uang dan tenaga yang dapat ditanam tiap organisasi untuk sumur dan saluran setiap musim (investasi bersama memperbesar kue dari waktu ke waktu).",
    },
    "organisations.diversity": {"en": "Interest diversity", "id": "Keragaman kepentingan"},
    "organisations.diversity.help": {
        "en": "0: everyone cares about the same issues equally, nothing to trade. 1: priorities differ, so trading creates value (logrolling).",
        "id": "0: semua peduli hal yang sama dengan bobot sama, tak ada yang bisa ditukar. 1: prioritas berbeda, sehingga bertukar menciptakan nilai (logrolling).",
    },
    "mix.distributive": {"en": "Distributive (slice the pie)", "id": "Distributif (mengiris kue)"},
    "mix.integrative": {"en": "Integrative (expand the pie)", "id": "Integratif (memperbesar kue)"},
    "mix.reciprocal": {"en": "Reciprocal (cooperates with the trusted)", "id": "Resiprokal (bekerja sama dengan yang dipercaya)"},
    "mix.help": {
        "en": "Relative weights; they are rescaled to shares of the organisations.",
        "id": "Bobot relatif; diubah menjadi bagian dari jumlah organisasi.",
    },
    "learning.rate": {"en": "Social learning", "id": "Pembelajaran sosial"},
    "learning.rate.help": {
        "en": "Chance each season that an organisation compares itself with another and copies a more successful strategy.",
        "id": "Peluang setiap musim sebuah organisasi membandingkan diri dengan yang lain dan meniru strategi yang lebih berhasil.",
    },
    "water.river_order": {"en": "Upstream takes first", "id": "Hulu mengambil lebih dulu"},
    "water.river_order.help": {
        "en": "With a river order, organisations at the head take water first, so position is power.",
        "id": "Dengan urutan sungai, organisasi di hulu mengambil air lebih dulu, sehingga posisi menjadi kekuasaan.",
    },
    "negotiation.matching": {"en": "Who meets whom", "id": "Siapa bertemu siapa"},
    "matching.random": {"en": "Anyone", "id": "Siapa saja"},
    "matching.neighbours": {"en": "Neighbours along the river", "id": "Tetangga di sepanjang sungai"},
    "backbone.present": {"en": "A backbone organisation supports the river", "id": "Ada organisasi backbone yang mendukung"},
    "backbone.present.help": {
        "en": "A backbone organisation brings organisations together and supports them; it never decides for them. Each organisation pays it a fee every season.",
        "id": "Organisasi backbone mempertemukan dan mendampingi organisasi-organisasi; ia tidak pernah memutuskan untuk mereka. Setiap organisasi membayar iuran setiap musim.",
    },
    "backbone.common_agenda": {"en": "Guide vision and strategy (common agenda)", "id": "Memandu visi dan strategi (agenda bersama)"},
    "backbone.common_agenda.help": {
        "en": "Helps everyone see the problem the same way, so more of them notice that both sides want the well. Each keeps its own priorities.",
        "id": "Membantu semua melihat masalah dengan cara yang sama, sehingga lebih banyak yang sadar bahwa kedua pihak sama-sama ingin sumur. Masing-masing tetap punya prioritasnya sendiri.",
    },
    "backbone.shared_measurement": {"en": "Establish shared measurement", "id": "Membangun pengukuran bersama"},
    "backbone.shared_measurement.help": {
        "en": "Collects and reports the data: broken agreements are seen, what each one built is counted, and everyone can learn from the results.",
        "id": "Mengumpulkan dan melaporkan data: kesepakatan yang dilanggar terlihat, apa yang dibangun masing-masing tercatat, dan semua bisa belajar dari hasilnya.",
    },
    "backbone.aligned_activities": {"en": "Support aligned activities", "id": "Mendukung kegiatan yang selaras"},
    "backbone.aligned_activities.help": {
        "en": "Brings together partners whose needs fit each other, and guides their meeting: priorities are passed on only if both sides tell theirs.",
        "id": "Mempertemukan mitra yang kebutuhannya saling melengkapi, dan memandu pertemuan mereka: prioritas hanya disampaikan bila kedua pihak sama-sama menyampaikannya.",
    },
    "backbone.public_will": {"en": "Build public will", "id": "Membangun kemauan publik"},
    "backbone.public_will.help": {
        "en": "Agreements are made in public and the community stands behind them, so breaking one's word costs more.",
        "id": "Kesepakatan dibuat di depan warga dan warga mendukungnya, sehingga ingkar janji terasa lebih berat.",
    },
    "backbone.communication": {"en": "Open and continuous communication", "id": "Komunikasi terbuka dan berkelanjutan"},
    "backbone.communication.help": {
        "en": "Trust grows faster, and everyone hears who kept their word and who did not.",
        "id": "Kepercayaan tumbuh lebih cepat, dan semua orang tahu siapa yang menepati janji dan siapa yang tidak.",
    },
    "backbone.funding": {"en": "Mobilise funding", "id": "Menggalang dana"},
    "backbone.funding.help": {
        "en": "Outside money added to what organisations build together (1 = as much again as they put in).",
        "id": "Dana pendamping dari luar untuk apa yang dibangun bersama (1 = sebesar yang ditanam organisasi).",
    },
    "backbone.policy": {"en": "Advance policy", "id": "Mendorong kebijakan"},
    "backbone.policy.help": {
        "en": "A cap on unilateral grabs: walking away pays less, so agreements are easier.",
        "id": "Batas pengambilan sepihak: pergi dari perundingan kurang menguntungkan, sehingga kesepakatan lebih mudah.",
    },
    "backbone.cost": {"en": "Backbone fee per organisation per season", "id": "Iuran backbone per organisasi per musim"},
    "backbone.cost.help": {"en": "A backbone can fail to pay for itself.", "id": "Backbone bisa saja tidak sepadan dengan biayanya."},
    "world.organisations": {"en": "Organisations", "id": "Jumlah organisasi"},
    "world.seasons": {"en": "Seasons (two per year)", "id": "Musim (dua per tahun)"},
    "world.seed": {"en": "Random seed", "id": "Benih acak"},
    "world.seed.help": {
        "en": "Same settings and seed give exactly the same story; change it to see another possible one.",
        "id": "Pengaturan dan benih yang sama memberi cerita yang persis sama; ubah untuk melihat kemungkinan lain.",
    },
    # -- tabs -----------------------------------------------------------------------------------------------------------
    "tab.compare": {"en": "Slice vs expand", "id": "Iris vs perbesar"},
    "tab.watch": {"en": "Watch it unfold", "id": "Saksikan jalannya"},
    "tab.negotiation": {"en": "Open a negotiation", "id": "Buka satu perundingan"},
    "tab.learn": {"en": "Learn", "id": "Belajar"},
    "tab.data": {"en": "Data", "id": "Data"},
    # -- comparison -----------------------------------------------------------------------------------------------------
    "run.slice": {"en": "Slice the pie (all distributive)", "id": "Mengiris kue (semua distributif)"},
    "run.expand": {"en": "Expand the pie (all integrative)", "id": "Memperbesar kue (semua integratif)"},
    "run.yours": {"en": "Your mix", "id": "Campuran Anda"},
    "run.slice.short": {"en": "Slice", "id": "Iris"},
    "run.expand.short": {"en": "Expand", "id": "Perbesar"},
    "run.yours.short": {"en": "Yours", "id": "Anda"},
    "compare.intro": {
        "en": "The same river, the same organisations and the same luck, bargaining three ways.",
        "id": "Sungai yang sama, organisasi yang sama, dan keberuntungan yang sama, berunding dengan tiga cara.",
    },
    "card.welfare": {"en": "Total welfare", "id": "Kesejahteraan total"},
    "card.water": {"en": "Water left", "id": "Air tersisa"},
    "card.gini": {"en": "Inequality (Gini)", "id": "Ketimpangan (Gini)"},
    "card.agreements": {"en": "Agreements reached", "id": "Kesepakatan tercapai"},
    "card.collapse": {"en": "Commons collapsed", "id": "Sumber daya bersama runtuh"},
    "card.collapse.never": {"en": "never", "id": "tidak pernah"},
    "card.collapse.at": {"en": "in season {season}", "id": "pada musim {season}"},
    "sentence.welfare": {
        "en": "Expanding the pie yields {diff} the total welfare of slicing it ({expand} vs {slice}).",
        "id": "Memperbesar kue menghasilkan kesejahteraan total {diff} dibanding mengirisnya ({expand} vs {slice}).",
    },
    "sentence.water": {
        "en": "At the end, {expand} of the storage is full when organisations expand the pie, {slice} when they slice it.",
        "id": "Di akhir, {expand} tampungan masih terisi bila organisasi memperbesar kue, {slice} bila mereka mengirisnya.",
    },
    "sentence.gini": {
        "en": "Inequality between organisations: {expand} when expanding, {slice} when slicing (0 is perfectly equal).",
        "id": "Ketimpangan antarorganisasi: {expand} saat memperbesar, {slice} saat mengiris (0 berarti setara sempurna).",
    },
    "sentence.agreements": {
        "en": "Pairs reach agreement {expand} of the time when expanding, {slice} when slicing; the rest end in grabs.",
        "id": "Pasangan mencapai kesepakatan {expand} dari waktu saat memperbesar, {slice} saat mengiris; sisanya berakhir perebutan.",
    },
    "sentence.where": {
        "en": "Where expanding gains: its agreements get {table_e} of what the two sides could have had together ({table_s} when slicing); {breaks_e} promises broken per season ({breaks_s}); wells and canals standing, on average {wells_e} ({wells_s}).",
        "id": "Dari mana keuntungannya: kesepakatan saat memperbesar kue meraih {table_e} dari yang bisa didapat kedua pihak bersama ({table_s} saat mengiris); {breaks_e} janji diingkari per musim ({breaks_s}); sumur dan saluran yang berdiri, rata-rata {wells_e} ({wells_s}).",
    },
    "sentence.yours": {
        "en": "Your mix ends with welfare {welfare} and {water} of the storage full; {collapse}.",
        "id": "Campuran Anda berakhir dengan kesejahteraan {welfare} dan tampungan terisi {water}; {collapse}.",
    },
    "sentence.collapsed": {"en": "the commons collapsed in season {season}", "id": "sumber daya bersama runtuh pada musim {season}"},
    "sentence.held": {"en": "the commons held", "id": "sumber daya bersama bertahan"},
    "diff.times": {"en": "{ratio:.1f} times", "id": "{ratio:.1f} kali"},
    "diff.more_pct": {"en": "{percent} more than", "id": "{percent} lebih besar"},
    "diff.less_pct": {"en": "{percent} less than", "id": "{percent} lebih kecil"},
    "diff.more": {"en": "more than", "id": "lebih besar"},
    "diff.less": {"en": "less than", "id": "lebih kecil"},
    "diff.same": {"en": "about the same as", "id": "kurang lebih sama"},
    # -- metrics (chart titles) -------------------------------------------------------------------------------------------
    "metric.stock_share": {"en": "Water stock (share of storage)", "id": "Persediaan air (bagian dari tampungan)"},
    "metric.infrastructure": {"en": "Infrastructure (wells, canals)", "id": "Infrastruktur (sumur, saluran)"},
    "metric.total_welfare": {"en": "Total welfare per season", "id": "Kesejahteraan total per musim"},
    "metric.gini": {"en": "Inequality (Gini)", "id": "Ketimpangan (Gini)"},
    "metric.mean_trust": {"en": "Trust between partners", "id": "Kepercayaan antarmitra"},
    "metric.agreement_rate": {"en": "Agreement rate", "id": "Tingkat kesepakatan"},
    "metric.shares": {"en": "Strategy shares", "id": "Bagian strategi"},
    "axis.season": {"en": "Season", "id": "Musim"},
    "river.head": {"en": "head of the river (upstream)", "id": "hulu"},
    "river.tail": {"en": "tail (downstream)", "id": "hilir"},
    "axis.utility_a": {"en": "Utility of {name}", "id": "Utilitas {name}"},
    # -- watch ------------------------------------------------------------------------------------------------------------
    "watch.intro": {
        "en": "Press play. Each circle is an organisation, sized by its payoff and coloured by its strategy; lines join this term's partners, darker the more they trust each other.",
        "id": "Tekan putar. Setiap lingkaran adalah organisasi, ukurannya menurut hasilnya dan warnanya menurut strateginya; garis menghubungkan mitra periode ini, makin gelap makin saling percaya.",
    },
    "watch.play": {"en": "Play", "id": "Putar"},
    "watch.pause": {"en": "Pause", "id": "Jeda"},
    "watch.season": {"en": "Season {season}", "id": "Musim {season}"},
    "watch.stock": {"en": "water {stock}", "id": "air {stock}"},
    # -- negotiation -------------------------------------------------------------------------------------------------------
    "neg.intro": {
        "en": "Every yearly meeting is a negotiation per pair. Pick one to see its dance: the offers in utility space, the Pareto frontier, the Nash point, the BATNAs and where it ended.",
        "id": "Setiap pertemuan tahunan adalah satu perundingan per pasangan. Pilih satu untuk melihat tariannya: tawaran dalam ruang utilitas, batas Pareto, titik Nash, BATNA, dan di mana berakhir.",
    },
    "neg.season": {"en": "Meeting in season", "id": "Pertemuan pada musim"},
    "neg.pair": {"en": "Pair", "id": "Pasangan"},
    "neg.pair.label": {"en": "{a} ({sa}) with {b} ({sb})", "id": "{a} ({sa}) dengan {b} ({sb})"},
    "neg.org": {"en": "Organisation {i}", "id": "Organisasi {i}"},
    "neg.offers": {"en": "Offers by {name}", "id": "Tawaran dari {name}"},
    "neg.frontier": {"en": "Pareto frontier", "id": "Batas Pareto"},
    "neg.nash": {"en": "Nash point", "id": "Titik Nash"},
    "neg.ks": {"en": "Kalai–Smorodinsky point", "id": "Titik Kalai–Smorodinsky"},
    "neg.welfare": {"en": "Most welfare", "id": "Kesejahteraan terbesar"},
    "neg.batna": {"en": "BATNAs (walk-away)", "id": "BATNA (pilihan mundur)"},
    "neg.agreement": {"en": "Agreement", "id": "Kesepakatan"},
    "neg.impasse": {"en": "Impasse: both fall back on their BATNA", "id": "Jalan buntu: keduanya kembali ke BATNA"},
    "neg.facilitated": {
        "en": "A backbone or broker guided this meeting: it passed on priorities only when both sides told theirs.",
        "id": "Backbone atau perantara memandu pertemuan ini: prioritas hanya disampaikan bila kedua pihak sama-sama menyampaikannya.",
    },
    "neg.disclosed": {"en": "{name} shared its priorities.", "id": "{name} membagikan prioritasnya."},
    "neg.silent": {"en": "{name} kept its priorities to itself.", "id": "{name} menyimpan prioritasnya sendiri."},
    "neg.misreported": {"en": "{name} announced false priorities.", "id": "{name} mengumumkan prioritas palsu."},
    "neg.claimed": {
        "en": "{name} used its partner's openness to claim value.",
        "id": "{name} memanfaatkan keterbukaan mitranya untuk merebut nilai.",
    },
    "neg.outcome": {
        "en": "Ended in round {rounds}: {name_a} {ua}, {name_b} {ub}; joint utility {share} of the best possible; {pareto}.",
        "id": "Berakhir di putaran {rounds}: {name_a} {ua}, {name_b} {ub}; utilitas bersama {share} dari yang terbaik; {pareto}.",
    },
    "neg.pareto.yes": {"en": "on the Pareto frontier", "id": "di batas Pareto"},
    "neg.pareto.no": {"en": "value left on the table", "id": "ada nilai yang tertinggal"},
    "neg.none": {"en": "No meeting was recorded.", "id": "Tidak ada pertemuan yang tercatat."},
    # -- data ----------------------------------------------------------------------------------------------------------------
    "data.intro": {"en": "The tables behind the charts, as CSV.", "id": "Tabel di balik grafik, dalam CSV."},
    "data.seasons": {"en": "Download per-season table (CSV)", "id": "Unduh tabel per musim (CSV)"},
    "data.organisations": {"en": "Download per-organisation table (CSV)", "id": "Unduh tabel per organisasi (CSV)"},
    "data.png": {
        "en": "Every chart has a camera button (top right) that saves it as PNG.",
        "id": "Setiap grafik punya tombol kamera (kanan atas) untuk menyimpannya sebagai PNG.",
    },
    # -- strategies ---------------------------------------------------------------------------------------------------------
    "strategy.distributive": {"en": "distributive", "id": "distributif"},
    "strategy.integrative": {"en": "integrative", "id": "integratif"},
    "strategy.reciprocal": {"en": "reciprocal", "id": "resiprokal"},
    # -- learn ----------------------------------------------------------------------------------------------------------------
    "learn.slice.title": {"en": "Slice the pie or expand it", "id": "Mengiris kue atau memperbesarnya"},
    "learn.slice.body": {
        "en": "**Distributive strategy** – “get as much as you can from limited resources”: based on positions and bargaining power, like haggling; often win–lose (zero-sum). **Integrative strategy** – “create more value for everyone, search for collective gains”: based on interests or principles; looks for solutions and treats differences of interest as a shared problem. In the model, distributive negotiators split the difference on every issue and even on the well both want; integrative ones trade what matters less to them for what matters more, and build the well. *Controls: mix of strategies, interest diversity.*",
        "id": "**Strategi distributif** – “dapatkan sebanyak mungkin dari sumber daya yang terbatas”: berdasarkan posisi atau kekuatan tawar, seperti tawar-menawar; sering menang–kalah (zero-sum). **Strategi integratif** – “ciptakan nilai lebih bagi semua, cari keuntungan bersama”: berdasarkan kepentingan atau prinsip; mencari solusi dan menempatkan perbedaan kepentingan sebagai masalah bersama. Dalam model, perunding distributif membagi selisih di setiap isu, bahkan untuk sumur yang sama-sama diinginkan; perunding integratif menukar yang kurang penting dengan yang lebih penting, dan membangun sumur. *Kontrol: campuran strategi, keragaman kepentingan.*",
    },
    "learn.dilemma.title": {"en": "The negotiator's dilemma and trust", "id": "Dilema perunding dan kepercayaan"},
    "learn.dilemma.body": {
        "en": "Creating value needs openness, but openness can be exploited (Lax & Sebenius). An integrative negotiator shares its priorities only as far as it trusts its partner; a claimer who learns them gives back only part of each concession. Trust is built in drops and lost in buckets. *Controls: initial trust, how fast it grows or breaks.*",
        "id": "Menciptakan nilai butuh keterbukaan, tetapi keterbukaan bisa dimanfaatkan (Lax & Sebenius). Perunding integratif berbagi prioritas hanya sejauh ia mempercayai mitranya; perebut nilai yang mengetahuinya hanya membalas sebagian dari setiap konsesi. Kepercayaan dibangun setetes demi setetes dan hilang seember sekaligus. *Kontrol: kepercayaan awal, seberapa cepat tumbuh atau runtuh.*",
    },
    "learn.ci.title": {"en": "Collective Impact: five conditions", "id": "Collective Impact: lima syarat"},
    "learn.ci.body": {
        "en": "A **common agenda** for change, **shared measurement** of data and results, **mutually reinforcing activities**, **open and continuous communication**, and a **backbone** coordinating organisation. In the model the backbone performs the six functions below, plus open and continuous communication. It brings organisations together and guides their meetings; it never decides for them.",
        "id": "**Agenda bersama** untuk perubahan, **pengukuran bersama** atas data dan hasil, **kegiatan yang saling menguatkan**, **komunikasi terbuka dan berkelanjutan**, dan organisasi **backbone** yang mengoordinasi. Dalam model, backbone menjalankan enam fungsi di bawah, ditambah komunikasi terbuka dan berkelanjutan. Ia mempertemukan organisasi dan memandu pertemuan mereka; ia tidak pernah memutuskan untuk mereka.",
    },
    "learn.backbone.title": {"en": "The backbone's six functions", "id": "Enam fungsi backbone"},
    "learn.backbone.body": {
        "en": "1. **Guide vision and strategy**: a common understanding of the problem. More negotiators see that both sides want the well; each keeps its own priorities.\n2. **Support aligned activities**: partners whose needs fit are brought together, and their meeting is guided.\n3. **Establish shared measurement**: broken agreements are seen, what each one built is counted, results are reported.\n4. **Build public will**: agreements are made in public, so breaking one's word costs more.\n5. **Advance policy**: a limit on taking water by force.\n6. **Mobilise funding**: outside money added to what organisations build together.\n\nAnd **open, continuous communication**: trust grows faster, and everyone hears who kept their word.\n\nTry them one at a time with the sliders. A backbone costs a fee every season and can fail to pay for itself.",
        "id": "1. **Memandu visi dan strategi**: pemahaman bersama tentang masalah. Lebih banyak perunding sadar bahwa kedua pihak sama-sama ingin sumur; masing-masing tetap punya prioritasnya sendiri.\n2. **Mendukung kegiatan yang selaras**: mitra yang kebutuhannya saling melengkapi dipertemukan, dan pertemuan mereka dipandu.\n3. **Membangun pengukuran bersama**: kesepakatan yang dilanggar terlihat, apa yang dibangun masing-masing tercatat, hasilnya dilaporkan.\n4. **Membangun kemauan publik**: kesepakatan dibuat di depan warga, sehingga ingkar janji terasa lebih berat.\n5. **Mendorong kebijakan**: batas bagi yang mengambil air dengan paksa.\n6. **Menggalang dana**: dana pendamping dari luar untuk apa yang dibangun bersama.\n\nDan **komunikasi terbuka dan berkelanjutan**: kepercayaan tumbuh lebih cepat, dan semua orang tahu siapa yang menepati janji.\n\nCoba satu per satu dengan penggeser. Backbone memungut iuran setiap musim dan bisa saja tidak sepadan dengan biayanya.",
    },
    "learn.broker.title": {"en": "Broker organisations and coalitions", "id": "Organisasi perantara dan koalisi"},
    "learn.broker.body": {
        "en": "A **broker organisation** mediates, promotes and maintains relations between organisations, bridging information and resources inside and across communities (for example PIKUL in Nusa Tenggara Timur). In the *broker* scenario two communities never meet unless a broker pairs some of them across the divide and mediates. Coalitions, broad or issue-focused, need dedicated resources to keep communication going.",
        "id": "**Organisasi perantara** menengahi, mempromosikan, dan memelihara hubungan antarorganisasi, menjembatani informasi dan sumber daya di dalam dan antarkomunitas (misalnya PIKUL di Nusa Tenggara Timur). Dalam skenario *perantara*, dua komunitas tidak pernah bertemu kecuali perantara mempertemukan sebagian dari mereka dan menengahi. Koalisi, luas maupun berfokus isu, butuh sumber daya khusus agar komunikasi terus berjalan.",
    },
    "learn.hubs.title": {"en": "Gotong royong, and hubs that keep it going", "id": "Gotong royong, dan hub yang menjaganya"},
    "learn.hubs.body": {
        "en": "**Gotong royong** – “together, to reach the same mission” – is the Indonesian name for what the model calls expanding the pie: organisations that trust each other share their priorities, trade, and build the well together. Goodwill alone does not keep it going. The **Weaving Resilience** hubs (in Indonesia the Jalin Tenggara alliance) name what does: a hub set up for the purpose, organisations chosen and strengthened, a communication strategy, follow-up with monitoring and evaluation, and a plan for the hub itself to last, with funding that does not rest on one donor. In the model these are the backbone's shared measurement, the funding it mobilises and the fee it charges: a backbone that costs more than it adds does not pay for itself. Their “river of life” draws an organisation's journey from upstream (hulu) through the middle to downstream (hilir); here the river is the water itself. *Controls: a backbone organisation, establish shared measurement, mobilise funding, backbone fee.*",
        "id": "**Gotong royong** – “bersama-sama untuk mencapai misi yang sama” – adalah nama Indonesia untuk apa yang dalam model disebut memperbesar kue: organisasi yang saling percaya berbagi prioritas, saling bertukar, dan membangun sumur bersama. Niat baik saja tidak cukup untuk menjaganya. Hub **Weaving Resilience** (di Indonesia aliansi Jalin Tenggara) menyebut apa yang menjaganya: hub yang didirikan untuk itu, organisasi yang dipilih dan diperkuat, strategi komunikasi, tindak lanjut dengan pemantauan dan evaluasi, serta rencana agar hub itu sendiri berkelanjutan, dengan pendanaan yang tidak bergantung pada satu donor. Dalam model, itulah pengukuran bersama oleh backbone, dana yang digalangnya, dan iuran yang dipungutnya: backbone yang biayanya lebih besar daripada manfaatnya tidak sepadan. “River of life” mereka menggambarkan perjalanan organisasi dari hulu, tengah, hingga hilir; di sini sungainya adalah air itu sendiri. *Kontrol: ada organisasi backbone, membangun pengukuran bersama, menggalang dana, iuran backbone.*",
    },
    "learn.river.title": {"en": "Upstream and downstream, wells and droughts", "id": "Hulu dan hilir, sumur dan kemarau"},
    "learn.river.body": {
        "en": "With a river order, the head takes water first: a stronger walk-away option (BATNA) is bargaining power, and shortages fall on the tail. Joint investment in wells and canals captures more of each season's water, which is expanding the pie across time. Droughts test whether agreements hold when everyone is short.",
        "id": "Dengan urutan sungai, hulu mengambil air lebih dulu: pilihan mundur (BATNA) yang lebih kuat adalah kekuatan tawar, dan kekurangan jatuh ke hilir. Investasi bersama pada sumur dan saluran menampung lebih banyak air setiap musim, itulah memperbesar kue dari waktu ke waktu. Kemarau menguji apakah kesepakatan bertahan ketika semua kekurangan.",
    },
}


def t(key: str, lang: str = "en", **values: object) -> str:
    """The text for ``key`` in ``lang`` (English when the language is unknown), with placeholders filled."""
    entry = TEXT[key]
    text = entry.get(lang) or entry["en"]
    return text.format(**values) if values else text
