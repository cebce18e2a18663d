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
    "group.backbone": {"en": "Backbone organisation (Collective Impact)", "id": "Organisasi penggerak (Collective Impact)"},
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
        "en": "Each kept agreement adds a little trust: trust is built drop by drop.",
        "id": "Setiap kesepakatan yang ditepati menambah kepercayaan sedikit demi sedikit: kepercayaan dibangun setetes demi setetes.",
    },
    "trust.cut": {"en": "Trust lost to exploitation or a breach", "id": "Kepercayaan yang hilang karena dimanfaatkan atau dikhianati"},
    "trust.cut.help": {
        "en": "Trust lost when a partner takes advantage of your openness or is caught breaking its word: it goes by the bucket.",
        "id": "Kepercayaan yang hilang ketika mitra memanfaatkan keterbukaan Anda atau ketahuan ingkar janji. Kata pepatah: sekali lancung ke ujian, seumur hidup orang tak percaya.",
    },
    "water.inflow": {"en": "Water inflow (share of total need)", "id": "Aliran air masuk (bagian dari total kebutuhan)"},
    "water.inflow.help": {
        "en": "Average inflow per season compared with what all organisations need. Below 1 the river cannot meet every need.",
        "id": "Rata-rata aliran per musim dibanding kebutuhan semua organisasi. Di bawah 1 sungai tidak dapat memenuhi semua kebutuhan.",
    },
    "water.drought_probability": {"en": "Chance of drought each season", "id": "Peluang kekeringan setiap musim"},
    "water.drought_probability.help": {"en": "Droughts cut the inflow of a season.", "id": "Kekeringan mengurangi aliran air dalam satu musim."},
    "water.drought_severity": {"en": "Drought severity", "id": "Parahnya kekeringan"},
    "water.drought_severity.help": {"en": "Share of inflow a drought takes away.", "id": "Bagian aliran air yang hilang saat kekeringan."},
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
    "backbone.present": {"en": "A backbone organisation", "id": "Ada organisasi penggerak"},
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
        "en": "A limit on taking water by force: walking away pays less, so agreements come easier.",
        "id": "Batas bagi yang mengambil air secara paksa: mundur dari perundingan jadi kurang menguntungkan, sehingga kesepakatan lebih mudah tercapai.",
    },
    "backbone.cost": {"en": "Backbone fee per organisation per season", "id": "Iuran backbone per organisasi per musim"},
    "backbone.cost.help": {"en": "A backbone can fail to pay for itself.", "id": "Backbone bisa saja tidak sepadan dengan biayanya."},
    "world.organisations": {"en": "Organisations", "id": "Jumlah organisasi"},
    "world.seasons": {"en": "Seasons (two per year)", "id": "Musim (dua per tahun)"},
    "world.seed": {"en": "Story number", "id": "Nomor cerita"},
    "world.seed.help": {
        "en": "The same settings and story number give exactly the same story; change it to see another possible one.",
        "id": "Pengaturan dan nomor cerita yang sama memberi cerita yang persis sama; ubah untuk melihat kemungkinan lain.",
    },
    # -- comparison -----------------------------------------------------------------------------------------------------
    "run.slice": {"en": "Everyone slices the pie", "id": "Semua mengiris kue"},
    "run.expand": {"en": "Everyone expands the pie", "id": "Semua memperbesar kue"},
    "run.yours": {"en": "Your mix", "id": "Campuran Anda"},
    "run.slice.short": {"en": "Slice", "id": "Iris"},
    "run.expand.short": {"en": "Expand", "id": "Perbesar"},
    "run.yours.short": {"en": "Yours", "id": "Anda"},
    "compare.intro": {
        "en": "The same river, the same organisations and the same luck, bargaining three ways.",
        "id": "Sungai yang sama, organisasi yang sama, dan keberuntungan yang sama, berunding dengan tiga cara.",
    },
    "card.welfare": {"en": "Total welfare", "id": "Kesejahteraan total"},
    "card.harvest": {"en": "Net harvest (% of a full harvest)", "id": "Panen bersih (% dari panen penuh)"},
    "card.gap": {"en": "Gap: best-off to worst-off quarter", "id": "Kesenjangan: seperempat teratas dibanding terbawah"},
    "card.times": {"en": "{x}×", "id": "{x}×"},
    "compare.same_line": {
        "en": "“{hidden}” gives exactly the same figures as “{over}” here, so its lines lie hidden under it.",
        "id": "“{hidden}” memberi angka yang persis sama dengan “{over}” di sini, sehingga garisnya tersembunyi di bawahnya.",
    },
    "card.water": {"en": "Water left", "id": "Air tersisa"},
    "card.gini": {"en": "Inequality (Gini)", "id": "Ketimpangan (Gini)"},
    "card.agreements": {"en": "Agreements reached", "id": "Kesepakatan tercapai"},
    "card.collapse": {"en": "River ran dry", "id": "Sungai kering"},
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
        "en": "Pairs reach agreement in {expand} of their meetings when expanding, {slice} when slicing; the others take water by force.",
        "id": "Pasangan mencapai kesepakatan pada {expand} pertemuan saat memperbesar kue, {slice} saat mengiris; sisanya mengambil air secara paksa.",
    },
    "sentence.agreements.all": {
        "en": "Every pair reaches agreement, both ways.",
        "id": "Semua pasangan mencapai kesepakatan, dengan kedua cara.",
    },
    "sentence.harvest": {
        "en": "Expanding the pie gives each organisation {expand} of a full harvest a season, after its costs; slicing it gives {slice}.",
        "id": "Memperbesar kue memberi tiap organisasi {expand} dari panen penuh per musim, setelah dikurangi biaya; mengirisnya memberi {slice}.",
    },
    "sentence.negative": {
        "en": "Below 0% means quarrels, taking water by force and the work cost more than the harvest brought in.",
        "id": "Di bawah 0% berarti pertengkaran, mengambil air secara paksa, dan kerja menghabiskan lebih banyak daripada hasil panen.",
    },
    "sentence.gap": {
        "en": "The best-off quarter of the organisations harvests {expand} times what the worst-off quarter harvests when expanding, {slice} times when slicing.",
        "id": "Seperempat organisasi yang paling beruntung memanen {expand} kali hasil seperempat yang paling kurang beruntung saat memperbesar kue, {slice} kali saat mengiris.",
    },
    "sentence.where": {
        "en": "Where expanding gains: its agreements get {table_e} of what the two sides could have had together ({table_s} when slicing); {breaks_e} promises broken per season ({breaks_s}); wells and canals standing, on average {wells_e} ({wells_s}).",
        "id": "Dari mana keuntungannya: kesepakatan saat memperbesar kue meraih {table_e} dari yang bisa didapat kedua pihak bersama ({table_s} saat mengiris); {breaks_e} janji diingkari per musim ({breaks_s}); sumur dan saluran yang berdiri, rata-rata {wells_e} ({wells_s}).",
    },
    "sentence.yours": {
        "en": "Your mix: each organisation's harvest is {harvest} of a full harvest after costs, and {water} of the storage is full at the end; {collapse}.",
        "id": "Campuran Anda: hasil panen tiap organisasi {harvest} dari panen penuh setelah biaya, dan tampungan terisi {water} di akhir; {collapse}.",
    },
    "sentence.collapsed": {"en": "the river ran dry in season {season}", "id": "sungai kering pada musim ke-{season}"},
    "sentence.held": {"en": "the river never ran dry", "id": "sungai tidak pernah kering"},
    "diff.times": {"en": "{ratio} times", "id": "{ratio} kali"},
    "diff.more_pct": {"en": "{percent} more than", "id": "{percent} lebih besar"},
    "diff.less_pct": {"en": "{percent} less than", "id": "{percent} lebih kecil"},
    "diff.more": {"en": "more than", "id": "lebih besar"},
    "diff.less": {"en": "less than", "id": "lebih kecil"},
    "diff.same": {"en": "about the same as", "id": "kurang lebih sama"},
    # -- metrics (chart titles) -------------------------------------------------------------------------------------------
    "metric.stock_share": {"en": "Water stock (share of storage)", "id": "Persediaan air (bagian dari tampungan)"},
    "metric.infrastructure": {"en": "Infrastructure (wells, canals)", "id": "Infrastruktur (sumur, saluran)"},
    "metric.total_welfare": {"en": "Harvest after costs, all organisations", "id": "Panen setelah biaya, semua organisasi"},
    "metric.gini": {"en": "Gap (0 = everyone equal)", "id": "Kesenjangan (0 = semua setara)"},
    "metric.mean_trust": {"en": "Trust between partners", "id": "Kepercayaan antarmitra"},
    "metric.agreement_rate": {"en": "Agreement rate", "id": "Tingkat kesepakatan"},
    "metric.shares": {"en": "Ways of bargaining", "id": "Komposisi strategi"},
    "axis.season": {"en": "Season", "id": "Musim"},
    "river.head": {"en": "head of the river (upstream)", "id": "hulu"},
    "river.tail": {"en": "tail (downstream)", "id": "hilir"},
    "axis.utility_a": {"en": "How good for {name}", "id": "Seberapa baik bagi {name}"},
    "axis.utility_a.expert": {"en": "Utility of {name}", "id": "Utilitas {name}"},
    "neg.round": {"en": "round", "id": "putaran"},
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
        "en": "Every year each pair meets and bargains. Pick one meeting to see how it went: each offer, how good it was for either side, the best deals for both, what each could get by walking away, and where it ended.",
        "id": "Setiap tahun tiap pasangan bertemu dan berunding. Pilih satu pertemuan untuk melihat jalannya: setiap tawaran, seberapa baik bagi masing-masing, kesepakatan terbaik bagi keduanya, apa yang didapat masing-masing bila mundur, dan di mana berakhir.",
    },
    "neg.intro.expert": {
        "en": "Every yearly meeting is a negotiation per pair. Pick one to see its dance: the offers in utility space, the Pareto frontier, the Nash point, the BATNAs and where it ended.",
        "id": "Setiap pertemuan tahunan adalah satu perundingan per pasangan. Pilih satu untuk melihat tariannya: tawaran dalam ruang utilitas, batas Pareto, titik Nash, BATNA, dan di mana berakhir.",
    },
    "neg.season": {"en": "Meeting in season", "id": "Pertemuan pada musim"},
    "neg.pair": {"en": "Pair", "id": "Pasangan"},
    "neg.pair.label": {"en": "{a} ({sa}) with {b} ({sb})", "id": "{a} ({sa}) dengan {b} ({sb})"},
    "neg.org": {"en": "Organisation {i}", "id": "Organisasi {i}"},
    "neg.offers": {"en": "Offers by {name}", "id": "Tawaran dari {name}"},
    "neg.frontier": {"en": "Best deals for both", "id": "Kesepakatan terbaik bagi keduanya"},
    "neg.frontier.expert": {"en": "Pareto frontier", "id": "Batas Pareto"},
    "neg.nash": {"en": "Nash point", "id": "Titik Nash"},
    "neg.ks": {"en": "Kalai–Smorodinsky point", "id": "Titik Kalai–Smorodinsky"},
    "neg.welfare": {"en": "Most welfare", "id": "Kesejahteraan terbesar"},
    "neg.batna": {"en": "Walk-away: what each gets with no deal", "id": "Bila mundur: yang didapat tanpa kesepakatan"},
    "neg.batna.expert": {"en": "BATNAs (walk-away)", "id": "BATNA (pilihan mundur)"},
    "neg.agreement": {"en": "Agreement", "id": "Kesepakatan"},
    "neg.impasse": {"en": "No deal: both walk away and take water on their own", "id": "Tidak sepakat: keduanya mundur dan mengambil air sendiri"},
    "neg.impasse.expert": {"en": "Impasse: both fall back on their BATNA", "id": "Jalan buntu: keduanya kembali ke BATNA"},
    "neg.facilitated": {
        "en": "A backbone or broker guided this meeting: it passed on priorities only when both sides told theirs.",
        "id": "Backbone atau perantara memandu pertemuan ini: prioritas hanya disampaikan bila kedua pihak sama-sama menyampaikannya.",
    },
    "neg.disclosed": {"en": "{name} shared its priorities.", "id": "{name} membagikan prioritasnya."},
    "neg.silent": {"en": "{name} kept its priorities to itself.", "id": "{name} tidak menyampaikan prioritasnya."},
    "neg.misreported": {"en": "{name} announced false priorities.", "id": "{name} mengumumkan prioritas palsu."},
    "neg.claimed": {
        "en": "{name} used its partner's openness to claim value.",
        "id": "{name} memanfaatkan keterbukaan mitranya untuk merebut nilai.",
    },
    "neg.outcome": {
        "en": "Agreed in round {rounds}: {name_a} got {ua} and {name_b} {ub} of all they wanted; together {share} of the best they could have had; {pareto}.",
        "id": "Sepakat di putaran {rounds}: {name_a} mendapat {ua} dan {name_b} {ub} dari semua keinginannya; bersama {share} dari yang terbaik yang bisa didapat; {pareto}.",
    },
    "neg.outcome.expert": {
        "en": "Ended in round {rounds}: {name_a} {ua}, {name_b} {ub}; joint utility {share} of the best possible; {pareto}.",
        "id": "Berakhir di putaran {rounds}: {name_a} {ua}, {name_b} {ub}; utilitas bersama {share} dari yang terbaik; {pareto}.",
    },
    "neg.pareto.yes": {"en": "no deal better for both was left", "id": "tidak ada kesepakatan lain yang lebih baik bagi keduanya"},
    "neg.pareto.yes.expert": {"en": "on the Pareto frontier", "id": "di batas Pareto"},
    "neg.pareto.no": {"en": "a deal better for both was left on the table", "id": "ada kesepakatan yang lebih baik bagi keduanya yang terlewat"},
    "neg.pareto.no.expert": {"en": "value left on the table", "id": "ada nilai yang tertinggal"},
    "neg.none": {"en": "No meeting was recorded.", "id": "Tidak ada pertemuan yang tercatat."},
    # -- data ----------------------------------------------------------------------------------------------------------------
    "data.intro": {"en": "The tables behind the charts, as CSV.", "id": "Tabel di balik grafik, dalam CSV."},
    "data.seasons": {"en": "Download per-season table (CSV)", "id": "Unduh tabel per musim (CSV)"},
    "data.organisations": {"en": "Download per-organisation table (CSV)", "id": "Unduh tabel per organisasi (CSV)"},
    "data.png": {
        "en": "In the expert view every chart has a camera button (top right) that saves it as a picture (PNG).",
        "id": "Di tampilan ahli setiap grafik punya tombol kamera (kanan atas) untuk menyimpannya sebagai gambar (PNG).",
    },
    "upload.drop": {"en": "Drag and drop a file here (.toml, at most 1 MB)", "id": "Tarik dan lepas berkas di sini (.toml, paling besar 1 MB)"},
    "upload.browse": {"en": "Upload", "id": "Unggah"},
    "story.versus": {"en": "against {other} ({who})", "id": "dibanding {other} ({who})"},
    "story.others": {"en": "the others", "id": "yang lain"},
    "column.season": {"en": "season", "id": "musim"},
    # -- strategies ---------------------------------------------------------------------------------------------------------
    "strategy.distributive": {"en": "slices the pie", "id": "mengiris kue"},
    "strategy.integrative": {"en": "expands the pie", "id": "memperbesar kue"},
    "strategy.reciprocal": {"en": "returns what it gets", "id": "membalas setimpal"},
    # -- the guided story ---------------------------------------------------------------------------------------------
    "view.story": {"en": "Story", "id": "Cerita"},
    "view.compare": {"en": "Slice or expand", "id": "Iris atau perbesar"},
    "view.watch": {"en": "Watch", "id": "Saksikan"},
    "view.negotiation": {"en": "One meeting", "id": "Satu perundingan"},
    "view.learn": {"en": "Learn", "id": "Belajar"},
    "view.data": {"en": "Data", "id": "Data"},
    "view.choose": {"en": "Show", "id": "Tampilkan"},
    "app.expert": {"en": "Expert view", "id": "Tampilan ahli"},
    "app.expert.help": {
        "en": "Shows the analysis terms (Gini, Pareto, Nash, BATNA, utility) and exact figures.",
        "id": "Menampilkan istilah analisis (Gini, Pareto, Nash, BATNA, utilitas) dan angka yang persis.",
    },
    "sidebar.story": {
        "en": "The story has its own village; each step has the one control to try. These controls change the other views.",
        "id": "Cerita punya desanya sendiri; setiap langkah punya satu kontrol untuk dicoba. Kontrol di sini mengubah tampilan lainnya.",
    },
    "story.step": {"en": "Step {i} of {n}", "id": "Langkah {i} dari {n}"},
    "story.back": {"en": "← Back", "id": "← Kembali"},
    "story.next": {"en": "Next →", "id": "Lanjut →"},
    "story.ask": {"en": "For the facilitator, ask the room", "id": "Untuk fasilitator, tanyakan kepada peserta"},
    "story.try": {"en": "Try it: ", "id": "Coba: "},
    "story.world": {
        "en": "The same village throughout: {n} organisations sharing one river for {years} years, with water for only {inflow} of what they need.",
        "id": "Desa yang sama dari awal sampai akhir: {n} organisasi berbagi satu sungai selama {years} tahun, dengan air hanya {inflow} dari yang mereka butuhkan.",
    },
    "story.dry": {"en": " The river ran dry in season {season}; after that nobody gets enough.", "id": " Sungai kering pada musim ke-{season}; sesudah itu tidak ada yang cukup."},
    "story.held": {"en": " The river did not run dry.", "id": " Sungai tidak kering."},
    "story.scarce.title": {"en": "Not enough water for everyone", "id": "Air tidak cukup untuk semua"},
    "story.scarce.sentence": {
        "en": "The river brings water for {inflow} of what the {n} organisations need. They get {need_met} of the water they need, and each one's harvest, after its costs, is {harvest} of a full harvest.",
        "id": "Sungai membawa air untuk {inflow} dari kebutuhan {n} organisasi. Mereka mendapat {need_met} dari air yang mereka butuhkan, dan hasil panen masing-masing, setelah dikurangi biaya, {harvest} dari panen penuh.",
    },
    "story.scarce.headline": {"en": "Water needs met", "id": "Kebutuhan air yang terpenuhi"},
    "story.scarce.ask": {
        "en": "When there is not enough for everyone, what do people do first?",
        "id": "Kalau air tidak cukup untuk semua, apa yang pertama kali dilakukan orang?",
    },
    "story.slice.title": {"en": "Everyone slices the pie", "id": "Semua mengiris kue"},
    "story.slice.sentence": {
        "en": "When everyone haggles for the biggest slice, {grab} of the organisations take water by force in an average season, and each one's harvest, after costs, is {harvest} of a full harvest.",
        "id": "Ketika semua tawar-menawar demi potongan terbesar, rata-rata {grab} organisasi mengambil air secara paksa setiap musim, dan hasil panen masing-masing, setelah dikurangi biaya, {harvest} dari panen penuh.",
    },
    "story.slice.headline": {"en": "Taking water by force, per season", "id": "Mengambil air secara paksa, per musim"},
    "story.slice.ask": {
        "en": "Why does each one grab, when all of them lose by it?",
        "id": "Mengapa masing-masing merebut, padahal semuanya rugi karenanya?",
    },
    "story.expand.title": {"en": "Looking for gains for both: say what matters, build together", "id": "Mencari untung bersama: terbuka dan membangun bersama"},
    "story.expand.sentence": {
        "en": "When they look for gains for both, they tell each other what matters most as far as they trust each other, trade, and build wells and canals together: {wells_e} stand at the end instead of {wells_s}, and each one's net harvest is {harvest_e} of a full harvest instead of {harvest_s}. Trust, starting at {trust_start}, grows to {trust_end} as agreements are kept.",
        "id": "Ketika mencari untung bersama, mereka saling menyampaikan apa yang paling penting sejauh mereka saling percaya, saling bertukar, dan membangun sumur serta saluran bersama: di akhir berdiri {wells_e}, bukan {wells_s}, dan panen bersih masing-masing {harvest_e} dari panen penuh, bukan {harvest_s}. Kepercayaan, yang mulai dari {trust_start}, tumbuh menjadi {trust_end} karena kesepakatan ditepati.",
    },
    "story.expand.headline": {"en": "Net harvest (% of a full harvest)", "id": "Panen bersih (% dari panen penuh)"},
    "story.expand.ask": {
        "en": "What did they have to tell each other before they could trade?",
        "id": "Apa yang harus mereka sampaikan satu sama lain sebelum bisa saling bertukar?",
    },
    "story.claimer.title": {"en": "Claimers among cooperators", "id": "Perebut di antara yang bekerja sama"},
    "story.claimer.sentence": {
        "en": "{claimers} claimers among {cooperators} cooperators. Whoever they take advantage of stops trusting them (trust falls from {trust_start} to {trust_claimer}), and in {alone} of the meetings nobody will sit with them.",
        "id": "{claimers} perebut di antara {cooperators} organisasi yang bekerja sama. Siapa pun yang mereka manfaatkan berhenti percaya (kepercayaan turun dari {trust_start} menjadi {trust_claimer}), dan pada {alone} pertemuan tidak ada yang mau duduk bersama mereka.",
    },
    "story.claimer.sentence.one": {
        "en": "One claimer among {cooperators} cooperators. Whoever it takes advantage of stops trusting it (trust falls from {trust_start} to {trust_claimer}), and in {alone} of the meetings nobody will sit with it.",
        "id": "Satu perebut di antara {cooperators} organisasi yang bekerja sama. Siapa pun yang dimanfaatkannya berhenti percaya (kepercayaan turun dari {trust_start} menjadi {trust_claimer}), dan pada {alone} pertemuan tidak ada yang mau duduk bersamanya.",
    },
    "story.claimer.pays": {
        "en": " Claiming still pays: a claimer's net harvest is {harvest_claimer} of a full harvest, the others' {harvest_others}.",
        "id": " Namun merebut tetap menguntungkan: panen bersih seorang perebut {harvest_claimer} dari panen penuh, yang lain {harvest_others}.",
    },
    "story.claimer.does_not_pay": {
        "en": " Here claiming no longer pays: a claimer's net harvest is {harvest_claimer} of a full harvest, the others' {harvest_others}.",
        "id": " Di sini merebut tidak lagi menguntungkan: panen bersih seorang perebut {harvest_claimer} dari panen penuh, yang lain {harvest_others}.",
    },
    "story.claimer.ask.does_not_pay": {
        "en": "With this many claimers, claiming stopped paying. What changed for them?",
        "id": "Dengan perebut sebanyak ini, merebut tidak lagi menguntungkan. Apa yang berubah bagi mereka?",
    },
    "story.backbone.none_pays": {
        "en": " Alone, no task pays its fee; “{best}” comes closest.",
        "id": " Sendiri-sendiri, tidak ada tugas yang sepadan dengan iurannya; “{best}” paling mendekati.",
    },
    "story.claimer.headline": {"en": "The claimer's harvest", "id": "Hasil panen si perebut"},
    "story.claimer.ask": {
        "en": "Claiming pays the claimer here. What would make it stop paying?",
        "id": "Di sini merebut menguntungkan si perebut. Apa yang bisa membuatnya tidak lagi menguntungkan?",
    },
    "story.backbone.title": {"en": "A backbone organisation, task by task", "id": "Organisasi penggerak, tugas demi tugas"},
    "story.backbone.sentence": {
        "en": "Back in the village where everyone haggles: a backbone doing all six tasks changes each one's harvest from {none} to {all} of a full harvest, its fee of {fee} included.{river}",
        "id": "Kembali ke desa tempat semua tawar-menawar: organisasi penggerak yang menjalankan keenam tugas mengubah hasil panen masing-masing dari {none} menjadi {all} dari panen penuh, sudah termasuk iurannya sebesar {fee}.{river}",
    },
    "story.backbone.alone": {
        "en": " Alone, “{best}” helps most; “{worst}” helps least.",
        "id": " Sendiri-sendiri, “{best}” paling membantu; “{worst}” paling sedikit.",
    },
    "story.backbone.alone.harms": {
        "en": " Alone, “{best}” helps most; “{worst}” even lowers it.",
        "id": " Sendiri-sendiri, “{best}” paling membantu; “{worst}” malah menurunkannya.",
    },
    "story.backbone.headline": {"en": "Harvest with all six tasks", "id": "Hasil panen dengan keenam tugas"},
    "story.backbone.ask": {
        "en": "Which of these tasks could the village do for itself, and which need someone to hold them?",
        "id": "Tugas mana yang bisa dilakukan desa sendiri, dan mana yang perlu ada yang memegangnya?",
    },
    "story.upstream.title": {"en": "Upstream and downstream: who pays?", "id": "Hulu dan hilir: siapa yang menanggung?"},
    "story.upstream.sentence": {
        "en": "Now the head of the river takes water first. When everyone haggles, those at the head harvest {ratio_s} times what those at the tail harvest, for each unit of water they need; when they expand the pie, {ratio_e} times.",
        "id": "Sekarang hulu mengambil air lebih dulu. Ketika semua tawar-menawar, yang di hulu memanen {ratio_s} kali hasil yang di hilir, untuk setiap satuan air yang mereka butuhkan; ketika mereka memperbesar kue, {ratio_e} kali.",
    },
    "story.upstream.headline": {"en": "Head's harvest for each of the tail's (haggling)", "id": "Panen hulu dibanding panen hilir (tawar-menawar)"},
    "story.upstream.ask": {
        "en": "Who at the tail would you talk to first, and what could the head offer them?",
        "id": "Siapa di hilir yang akan Anda ajak bicara lebih dulu, dan apa yang bisa ditawarkan hulu kepada mereka?",
    },
    "story.knob.water.inflow": {"en": "Water the river brings (1 = enough for everyone)", "id": "Air yang dibawa sungai (1 = cukup untuk semua)"},
    "story.knob.trust.initial": {"en": "Trust at the start", "id": "Kepercayaan di awal"},
    "story.knob.claimers": {"en": "Number of claimers", "id": "Jumlah perebut"},
    "story.knob.backbone.cost": {
        "en": "The backbone's fee, each season (share of a full harvest)",
        "id": "Iuran organisasi penggerak setiap musim (bagian dari panen penuh)",
    },
    "story.fn.none": {"en": "no backbone", "id": "tanpa penggerak"},
    "story.fn.all": {"en": "all six", "id": "keenamnya"},
    "story.fn.common_agenda": {"en": "common agenda", "id": "agenda bersama"},
    "story.fn.aligned_activities": {"en": "bring partners together", "id": "mempertemukan mitra"},
    "story.fn.shared_measurement": {"en": "shared measurement", "id": "pengukuran bersama"},
    "story.fn.public_will": {"en": "public commitment", "id": "komitmen warga"},
    "story.fn.policy": {"en": "policy", "id": "kebijakan"},
    "story.fn.funding": {"en": "matching funds", "id": "dana pendamping"},
    "chart.dry": {"en": "river dry", "id": "sungai kering"},
    "chart.water": {"en": "Water in the river", "id": "Air di sungai"},
    "chart.need_met": {"en": "Water needs met", "id": "Kebutuhan air terpenuhi"},
    "chart.grabbing": {"en": "Organisations taking water by force", "id": "Organisasi yang mengambil air secara paksa"},
    "chart.share": {"en": "Percent", "id": "Persentase"},
    "chart.wells": {"en": "Wells and canals standing", "id": "Sumur dan saluran yang berdiri"},
    "chart.trust": {"en": "Trust (0 = none, 1 = full)", "id": "Kepercayaan (0 = tidak ada, 1 = penuh)"},
    "chart.trust_among": {"en": "Cooperators' trust in each other", "id": "Kepercayaan antarorganisasi yang bekerja sama"},
    "chart.trust_claimer": {"en": "Partners' trust in a claimer", "id": "Kepercayaan mitra kepada perebut"},
    "chart.harvest": {"en": "Net harvest (% of a full harvest)", "id": "Panen bersih (% dari panen penuh)"},
    "chart.harvest_per_need": {"en": "Harvest after costs, per unit of need", "id": "Hasil panen setelah biaya, per satuan kebutuhan"},
    "chart.quarter.0": {"en": "head", "id": "hulu"},
    "chart.quarter.1": {"en": "upper middle", "id": "tengah atas"},
    "chart.quarter.2": {"en": "lower middle", "id": "tengah bawah"},
    "chart.quarter.3": {"en": "tail", "id": "hilir"},
    "room.create.title": {"en": "Live room (each participant plays an organisation)", "id": "Ruang langsung (tiap peserta memerankan satu organisasi)"},
    "room.create.seats": {"en": "Seats (empty ones are played by the computer)", "id": "Jumlah kursi (yang kosong dimainkan komputer)"},
    "room.create": {"en": "Create a room", "id": "Buat ruang"},
    "room.create.note": {
        "en": "Not finished yet: participants can join and see who they are; the meetings themselves come next.",
        "id": "Belum selesai: peserta bisa bergabung dan melihat siapa mereka; pertemuannya menyusul.",
    },
    "room.missing": {"en": "This room cannot be opened: {problem}", "id": "Ruang ini tidak bisa dibuka: {problem}"},
    "room.not_facilitator": {"en": "Only the facilitator's link opens this page.", "id": "Hanya tautan fasilitator yang membuka halaman ini."},
    "room.lobby": {"en": "Room {code}: scan the code, or open the link, and write your name.", "id": "Ruang {code}: pindai kode, atau buka tautannya, lalu tulis nama Anda."},
    "room.scan": {"en": "Scan to join", "id": "Pindai untuk bergabung"},
    "room.joined": {"en": "Joined", "id": "Sudah bergabung"},
    "room.nobody": {"en": "Nobody yet.", "id": "Belum ada."},
    "room.bots": {"en": "{bots} seats will be played by the computer.", "id": "{bots} kursi akan dimainkan komputer."},
    "room.next": {"en": "When everyone has joined, the meetings start (coming next).", "id": "Setelah semua bergabung, pertemuan dimulai (menyusul)."},
    "room.join.title": {"en": "Join room {code}", "id": "Bergabung ke ruang {code}"},
    "room.name": {"en": "Your name (as the room will see it)", "id": "Nama Anda (seperti yang akan dilihat peserta lain)"},
    "room.join": {"en": "Join", "id": "Bergabung"},
    "room.cannot_join": {"en": "You could not join: {problem}", "id": "Anda tidak bisa bergabung: {problem}"},
    "room.bad_seat": {"en": "This link does not open a seat in this room. Join again with the room's link.", "id": "Tautan ini tidak membuka kursi di ruang ini. Bergabunglah lagi dengan tautan ruang."},
    "room.you": {"en": "{name}, you are organisation {seat}", "id": "{name}, Anda organisasi {seat}"},
    "room.about": {
        "en": "You farm {place}. You need {need} of the water an average organisation needs. What matters most to you: {first}.",
        "id": "Anda bertani {place}. Anda butuh {need} dari air yang dibutuhkan rata-rata organisasi. Yang paling penting bagi Anda: {first}.",
    },
    "room.place.head": {"en": "at the head of the river (you take water first)", "id": "di hulu sungai (Anda mengambil air lebih dulu)"},
    "room.place.middle": {"en": "in the middle of the river", "id": "di tengah sungai"},
    "room.place.tail": {"en": "at the tail of the river (water reaches you last)", "id": "di hilir sungai (air sampai ke Anda paling akhir)"},
    "room.issue.volume_share": {"en": "your share of the water", "id": "bagian air Anda"},
    "room.issue.dry_season_schedule": {"en": "your turns in the dry season", "id": "giliran Anda di musim kemarau"},
    "room.issue.maintenance_labour": {"en": "less work maintaining the canals", "id": "lebih sedikit kerja merawat saluran"},
    "room.issue.joint_investment": {"en": "the well you could build together", "id": "sumur yang bisa dibangun bersama"},
    "room.wait": {"en": "Keep this page open: the first meeting starts when the facilitator says so.", "id": "Biarkan halaman ini terbuka: pertemuan pertama dimulai saat fasilitator memulainya."},
    "share.localhost": {
        "en": "Phones cannot open “localhost”: open the app by this laptop's network address and share that.",
        "id": "Ponsel tidak bisa membuka “localhost”: buka aplikasi lewat alamat jaringan laptop ini, lalu bagikan itu.",
    },
    "share.qr": {"en": "Scan to open this page on your phone", "id": "Pindai untuk membuka halaman ini di ponsel"},
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
    "learn.backbone.intro": {
        "en": "A backbone organisation does six things for the river. In the model, each is a control in the sidebar (0 = not at all, 1 = fully):",
        "id": "Organisasi backbone (penggerak) menjalankan enam hal untuk sungai. Dalam model, masing-masing adalah satu kontrol di samping (0 = sama sekali tidak, 1 = sepenuhnya):",
    },
    "learn.backbone.condition": {
        "en": "And one of Collective Impact's five conditions, also a control:",
        "id": "Dan satu dari lima syarat Collective Impact, juga sebuah kontrol:",
    },
    "learn.backbone.outro": {
        "en": "Move one control at a time and keep the others at 0 to see what each does alone (the story's step 5 does this for you). A backbone costs a fee every season and can fail to pay for itself.",
        "id": "Geser satu kontrol saja dan biarkan yang lain di 0 untuk melihat pengaruh masing-masing (langkah 5 dalam cerita melakukannya untuk Anda). Backbone memungut iuran setiap musim dan bisa saja tidak sepadan dengan biayanya.",
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
    "learn.river.title": {"en": "Upstream and downstream, wells and droughts", "id": "Hulu dan hilir, sumur dan kekeringan"},
    "learn.river.body": {
        "en": "With a river order, the head takes water first: a stronger walk-away option (BATNA) is bargaining power, and shortages fall on the tail. Joint investment in wells and canals captures more of each season's water, which is expanding the pie across time. Droughts test whether agreements hold when everyone is short.",
        "id": "Dengan urutan sungai, hulu mengambil air lebih dulu: pilihan mundur (BATNA) yang lebih kuat adalah kekuatan tawar, dan kekurangan jatuh ke hilir. Investasi bersama pada sumur dan saluran menampung lebih banyak air setiap musim, itulah memperbesar kue dari waktu ke waktu. Kekeringan menguji apakah kesepakatan bertahan ketika semua kekurangan.",
    },
}


# Validation messages come from the model's library in English; these patterns put them in Indonesian (the field
# names stay as they are written in a scenario file, which is what a facilitator would correct).
PROBLEM_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"must be between (.+) and (.+); you wrote (.+)", r"harus antara \1 dan \2; Anda menulis \3"),
    (r"must be at least (.+); you wrote (.+)", r"paling kecil \1; Anda menulis \2"),
    (r"must be at most (.+); you wrote (.+)", r"paling besar \1; Anda menulis \2"),
    (r"(?:must|Input should) be greater than or equal to (.+); you wrote (.+)",
     r"harus lebih besar dari atau sama dengan \1; Anda menulis \2"),
    (r"(?:must|Input should) be less than or equal to (.+); you wrote (.+)",
     r"harus lebih kecil dari atau sama dengan \1; Anda menulis \2"),
    (r"(?:must|Input should) be greater than (.+); you wrote (.+)", r"harus lebih besar dari \1; Anda menulis \2"),
    (r"(?:must|Input should) be less than (.+); you wrote (.+)", r"harus lebih kecil dari \1; Anda menulis \2"),
    (r"Input should be a valid (number|integer|boolean)(.*); you wrote (.+)", r"harus berupa angka atau ya/tidak; Anda menulis \3"),
    (r"^is missing$", r"belum diisi"),
    (r"is not a setting(.*)", r"bukan sebuah pengaturan\1"),
    (r"is not a preset; opened (.+)", r"bukan skenario siap pakai; yang dibuka \1"),
    (r"(.+) is not a value this setting takes", r"\1 bukan nilai yang diterima pengaturan ini"),
    (r"is (.+) bytes; a scenario is at most (.+)", r"berukuran \1 byte; skenario paling besar \2"),
)


def problem_text(message: str, lang: str) -> str:
    """A validation message in the page's language (English as written, Indonesian through PROBLEM_PATTERNS; an
    unknown message stays in English rather than disappearing)."""
    if lang != "id":
        return message
    import re

    for pattern, replacement in PROBLEM_PATTERNS:
        translated, count = re.subn(pattern, replacement, message)
        if count:
            return translated
    return message


def t(key: str, lang: str = "en", **values: object) -> str:
    """The text for ``key`` in ``lang`` (English when the language is unknown), with placeholders filled."""
    entry = TEXT[key]
    text = entry.get(lang) or entry["en"]
    return text.format(**values) if values else text
