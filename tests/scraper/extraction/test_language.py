"""The language detector on small hand-written news texts."""

from __future__ import annotations

import pytest

from scraper.extraction.language import MIN_CHARS, detect_language, dominant_script

TEXTS = {
    "en": (
        "The city council approved the new budget on Tuesday after a long debate about the "
        "cost of repairing the old bridge. The mayor said that the work would start in the "
        "spring and that the road will be closed for at least three months."
    ),
    "de": (
        "Der Stadtrat hat am Dienstag nach einer langen Debatte den neuen Haushalt beschlossen. "
        "Die Bürgermeisterin sagte, dass die Arbeiten an der alten Brücke im Frühjahr beginnen "
        "und die Straße für mindestens drei Monate gesperrt wird."
    ),
    "fr": (
        "Le conseil municipal a adopté mardi le nouveau budget après un long débat sur le coût "
        "de la réparation du vieux pont. Le maire a déclaré que les travaux commenceraient au "
        "printemps et que la route serait fermée pendant au moins trois mois."
    ),
    "es": (
        "El ayuntamiento aprobó el martes el nuevo presupuesto tras un largo debate sobre el "
        "coste de la reparación del viejo puente. El alcalde dijo que las obras comenzarán en "
        "primavera y que la carretera estará cerrada durante al menos tres meses."
    ),
    "pt": (
        "A câmara municipal aprovou na terça-feira o novo orçamento depois de um longo debate "
        "sobre o custo da reparação da velha ponte. O presidente disse que as obras vão começar "
        "na primavera e que a estrada ficará fechada durante pelo menos três meses."
    ),
    "it": (
        "Il consiglio comunale ha approvato martedì il nuovo bilancio dopo un lungo dibattito "
        "sul costo della riparazione del vecchio ponte. Il sindaco ha detto che i lavori "
        "inizieranno in primavera e che la strada resterà chiusa per almeno tre mesi."
    ),
    "nl": (
        "De gemeenteraad heeft dinsdag na een lang debat over de kosten van de reparatie van de "
        "oude brug de nieuwe begroting goedgekeurd. De burgemeester zei dat de werkzaamheden in "
        "het voorjaar beginnen en dat de weg minstens drie maanden dicht is."
    ),
    "pl": (
        "Rada miasta przyjęła we wtorek nowy budżet po długiej debacie na temat kosztów naprawy "
        "starego mostu. Burmistrz powiedział, że prace rozpoczną się wiosną, a droga będzie "
        "zamknięta przez co najmniej trzy miesiące."
    ),
    "hr": (
        "Gradsko vijeće u utorak je nakon duge rasprave o troškovima popravka starog mosta "
        "usvojilo novi proračun. Gradonačelnik je rekao da će radovi početi u proljeće i da će "
        "cesta biti zatvorena najmanje tri mjeseca. Stanovnici mogu koristiti obilaznicu."
    ),
    "ru": (
        "Городской совет во вторник утвердил новый бюджет после долгих споров о стоимости "
        "ремонта старого моста. Мэр сказал, что работы начнутся весной и что дорога будет "
        "закрыта по крайней мере на три месяца."
    ),
    "uk": (
        "Міська рада у вівторок затвердила новий бюджет після довгої дискусії про вартість "
        "ремонту старого мосту. Мер сказав, що роботи почнуться навесні, і що дорога буде "
        "закрита щонайменше на три місяці. Мешканцям запропонують об'їзні шляхи."
    ),
    "ar": (
        "وافق مجلس المدينة يوم الثلاثاء على الميزانية الجديدة بعد نقاش طويل حول تكلفة إصلاح "
        "الجسر القديم. وقال رئيس البلدية إن الأعمال ستبدأ في فصل الربيع وإن الطريق سيغلق لمدة "
        "ثلاثة أشهر على الأقل، مشيرا إلى أن السكان سيحصلون على طرق بديلة."
    ),
    "ja": (
        "市議会は火曜日、古い橋の修理費用をめぐる長い議論の末に新しい予算を承認した。市長は、"
        "工事は春に始まり、道路は少なくとも三か月間閉鎖されると述べた。住民には迂回路が案内される"
        "という。市によると、橋は五十年以上前に建設されたもので、近年はひび割れが目立っていた。"
        "専門家は早めの対策が必要だと指摘している。市は近く住民向けの説明会を開き、工事の日程や"
        "迂回路について詳しく説明する予定だ。また、工事期間中はバスの運行ルートも一部変更される。"
        "市の担当者は、住民の理解と協力を求めている。"
    ),
    "zh": (
        "市议会星期二在就修复旧桥费用进行长时间辩论后批准了新的预算。市长表示，工程将于春季开始，"
        "道路将至少关闭三个月。市政府说，这座桥建于五十多年前，近年来裂缝越来越明显。专家指出，"
        "必须尽早采取措施，以确保居民的安全。当局将为附近居民安排绕行路线，并在网站上公布最新消息。"
        "市政府还表示，施工期间部分公交线路将临时调整，并将在近期举行居民说明会，详细介绍工程安排。"
        "有关负责人呼吁居民给予理解和支持，并表示将尽量减少施工对日常生活的影响。"
    ),
    "ko": (
        "시의회는 화요일 오래된 다리의 수리 비용을 둘러싼 긴 논쟁 끝에 새 예산을 승인했다. 시장은 "
        "공사가 봄에 시작되며 도로는 최소 석 달 동안 폐쇄될 것이라고 말했다. 시에 따르면 이 다리는 "
        "오십여 년 전에 지어졌으며 최근 몇 년 동안 균열이 눈에 띄게 늘었다. 주민들에게는 우회로가 "
        "안내될 예정이다. 시는 조만간 주민 설명회를 열어 공사 일정과 우회로에 대해 자세히 설명할 "
        "계획이다. 공사 기간에는 일부 버스 노선도 임시로 변경된다. 시 관계자는 주민들의 이해와 "
        "협조를 부탁한다고 밝혔다."
    ),
    "el": (
        "Το δημοτικό συμβούλιο ενέκρινε την Τρίτη τον νέο προϋπολογισμό μετά από μακρά συζήτηση "
        "για το κόστος επισκευής της παλιάς γέφυρας. Ο δήμαρχος δήλωσε ότι οι εργασίες θα "
        "ξεκινήσουν την άνοιξη και ότι ο δρόμος θα μείνει κλειστός για τουλάχιστον τρεις μήνες."
    ),
    "he": (
        "מועצת העיר אישרה ביום שלישי את התקציב החדש לאחר ויכוח ארוך על עלות התיקון של הגשר "
        "הישן. ראש העיר אמר כי העבודות יתחילו באביב וכי הכביש ייסגר לשלושה חודשים לפחות. "
        "לדברי העירייה, הגשר נבנה לפני יותר מחמישים שנה."
    ),
}


@pytest.mark.parametrize("lang", sorted(TEXTS))
def test_detects_the_language_of_a_news_paragraph(lang: str) -> None:
    assert len(TEXTS[lang]) >= MIN_CHARS
    assert detect_language(TEXTS[lang], None) == lang


def test_short_text_keeps_the_declared_language() -> None:
    short = "Der Stadtrat hat den Haushalt beschlossen."
    assert detect_language(short, "de") == "de"
    assert detect_language(short, None) is None
    assert detect_language(short, "fr") == "fr"  # too short to overrule


def test_a_wrong_declared_language_is_overruled() -> None:
    assert detect_language(TEXTS["de"], "en") == "de"
    assert detect_language(TEXTS["ja"], "en") == "ja"


def test_declared_language_wins_a_near_tie() -> None:
    # Croatian and Bosnian share nearly all their function words
    assert detect_language(TEXTS["hr"], "bs") == "bs"
    assert detect_language(TEXTS["hr"], "sl") == "hr"
    assert detect_language(TEXTS["en"], "de") == "en"


def test_empty_and_whitespace_texts_give_the_declared_language() -> None:
    assert detect_language("", None) is None
    assert detect_language("", "en") == "en"
    assert detect_language(" \n\t " * 100, "fr") == "fr"


def test_digits_and_punctuation_give_the_declared_language() -> None:
    text = "2024-05-01 12:30 — 45,6 % (+3.2) / 1.000.000 € ... !? " * 10
    assert detect_language(text, "it") == "it"
    assert detect_language(text, None) is None


def test_dominant_script() -> None:
    assert dominant_script("Hello мир мир мир") == "Cyrillic"
    assert dominant_script("東京でニュース") == "Han"
    assert dominant_script("123 !?") is None


NAMES = " ".join(["Zorvikk Quellanth Brodmarr Tistrav Kelmpor Vashtune Ogrelby Fennawick"] * 4)


def test_a_text_of_no_known_words_keeps_the_declared_language() -> None:
    # a list of place names, captions of names: no function word of any language
    assert len(NAMES) >= MIN_CHARS
    assert detect_language(NAMES, "nl") == "nl"
    assert detect_language(NAMES, None) is None


def test_too_few_function_words_do_not_overrule_the_declared_language() -> None:
    text = NAMES + " ferry to the harbour"
    assert detect_language(text, "it") == "it"
    assert detect_language(text, None) is not None  # undeclared: the weak vote is all there is
