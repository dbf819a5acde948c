"""Currency codes from what pages print: ISO codes, symbols ($, US $, ¥, €) and words (RMB, 元)."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Active ISO 4217 codes (plus a few still widely printed); a code outside this set is rejected.
ISO_4217 = frozenset(
    re.findall(
        r"[A-Z]{3}",
        """AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN
    BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP
    GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS
    KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR
    MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF
    SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD
    TWD TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XOF XPF YER ZAR ZMW ZWL""",
    )
)
# Currencies without minor units: their prices print as whole numbers.
ZERO_DECIMAL = frozenset(
    re.findall(r"[A-Z]{3}", "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX VND VUV XAF XOF XPF")
)

# Unambiguous symbols and words, longest first when matched in text.
_SYMBOLS = {
    "US$": "USD",
    "US $": "USD",
    "USD$": "USD",
    "C$": "CAD",
    "CA$": "CAD",
    "CAD$": "CAD",
    "A$": "AUD",
    "AU$": "AUD",
    "NZ$": "NZD",
    "HK$": "HKD",
    "S$": "SGD",
    "SG$": "SGD",
    "NT$": "TWD",
    "R$": "BRL",
    "MX$": "MXN",
    "€": "EUR",
    "£": "GBP",
    "₹": "INR",
    "₩": "KRW",
    "₽": "RUB",
    "₺": "TRY",
    "₫": "VND",
    "₱": "PHP",
    "฿": "THB",
    "₪": "ILS",
    "₴": "UAH",
    "zł": "PLN",
    "Kč": "CZK",
    "RMB": "CNY",
    "人民币": "CNY",
    "円": "JPY",
    "원": "KRW",
    "Lei": "RON",
    "lei": "RON",
    "Ft": "HUF",
    "Rp": "IDR",
    "RM": "MYR",
    "Fr.": "CHF",
    "Euro": "EUR",
    "Euros": "EUR",
    "TL": "TRY",
    "руб.": "RUB",
    "руб": "RUB",
    "грн": "UAH",
    "лв": "BGN",
    "₸": "KZT",
    "₦": "NGN",
    "৳": "BDT",
    "KSh": "KES",
    "د.إ": "AED",
    "ر.س": "SAR",
    "ج.م": "EGP",
    "රු": "LKR",  # the rupee in Sinhala script, written only in Sri Lanka
}
# Dollar, yen/yuan and krona signs are shared: the page's country or language decides.
_DOLLAR = {
    "ca": "CAD",
    "au": "AUD",
    "nz": "NZD",
    "hk": "HKD",
    "sg": "SGD",
    "mx": "MXN",
    "tw": "TWD",
    "cl": "CLP",
    "co": "COP",
    "ar": "ARS",
    "uy": "UYU",
}
# Other shared signs and words, read by the page's country ("R" is the rand in South Africa,
# "درهم" the dirham of the Emirates unless the page is Moroccan, "元" the yuan unless the page is
# Taiwanese or from Hong Kong or Macau, "جنيه" the Egyptian pound unless the page is Sudanese).
_REGIONAL = {
    "R": ({"za": "ZAR"}, None),
    "درهم": ({"ma": "MAD"}, "AED"),
    "ريال": ({"qa": "QAR", "om": "OMR", "ye": "YER"}, "SAR"),
    "Rs": ({"pk": "PKR", "lk": "LKR", "np": "NPR", "mu": "MUR"}, "INR"),
    "ரூ": ({"lk": "LKR"}, "INR"),  # the rupee in Tamil script: India's, else Sri Lanka's
    "रु": ({"np": "NPR"}, "INR"),  # the rupee in Devanagari: India's, else Nepal's
    "रू": ({"in": "INR"}, "NPR"),  # Nepali spelling
    "جنيه": ({"sd": "SDG", "ss": "SSP"}, "EGP"),  # the pound in Arabic: Egypt's, else Sudan's
    "元": ({"tw": "TWD", "hk": "HKD", "mo": "MOP"}, "CNY"),
}
# The currency of a page's country, for a price it prints with no sign at all ('549,-').
_HOME = {
    **dict.fromkeys(
        re.findall(r"[a-z]{2}", "at be cy de ee es fi fr gr hr ie it lt lu lv mt nl pt si sk"),
        "EUR",
    ),
    "cz": "CZK", "pl": "PLN", "hu": "HUF", "ro": "RON", "bg": "BGN", "se": "SEK", "dk": "DKK",
    "no": "NOK", "ch": "CHF", "gb": "GBP", "uk": "GBP", "us": "USD", "ca": "CAD", "au": "AUD",
    "jp": "JPY", "kr": "KRW", "cn": "CNY", "in": "INR", "br": "BRL", "mx": "MXN", "tr": "TRY",
    "ru": "RUB", "ua": "UAH", "kz": "KZT", "za": "ZAR", "pk": "PKR", "vn": "VND", "id": "IDR",
    "sg": "SGD", "nz": "NZD", "hk": "HKD", "tw": "TWD", "my": "MYR", "th": "THB", "ph": "PHP",
    "il": "ILS", "ae": "AED", "sa": "SAR", "cl": "CLP", "ar": "ARS", "pe": "PEN", "uy": "UYU",
    "is": "ISK", "rs": "RSD", "eg": "EGP", "ng": "NGN", "ke": "KES",
}  # fmt: skip
# A language spoken in one currency's countries: the currency of a page in it that names no
# region or country domain ('<html lang="sv">', '4 990:-').
_LANGUAGE_HOME = {
    "sv": "SEK", "nb": "NOK", "nn": "NOK", "no": "NOK", "da": "DKK", "cs": "CZK", "pl": "PLN",
    "hu": "HUF", "bg": "BGN", "ja": "JPY", "ko": "KRW", "th": "THB", "he": "ILS", "vi": "VND",
    "id": "IDR", "uk": "UAH", "fi": "EUR", "el": "EUR", "et": "EUR", "lv": "EUR", "lt": "EUR",
}  # fmt: skip
_KRONA = {"se": "SEK", "sv": "SEK", "no": "NOK", "nb": "NOK", "dk": "DKK", "da": "DKK"}
_YEN_SIGNS = ("¥", "￥")
# Where a comma is the decimal mark: by language, except in these regions; by TLD without one.
_COMMA_LANGUAGES = frozenset(
    re.findall(
        r"[a-z]{2}",
        "de fr es it pt nl pl ru tr cs sk hu ro sv da nb nn no fi id vi el bg uk hr sl lt lv et",
    )
)
_DOT_REGIONS = frozenset({"ch", "li", "mx", "us", "pr", "gt", "do", "hn", "ni", "pa", "sv"})
_COMMA_COUNTRIES = frozenset(
    re.findall(
        r"[a-z]{2}",
        "de at fr be es it pt br nl pl ru tr cz sk hu ro se dk no fi id vn gr bg ua hr si ar cl co "
        "pe uy ve ec bo py",
    )
)

_TEXT_SIGNS = sorted([*_SYMBOLS, "$", "¥", "￥", "kr", *_REGIONAL], key=len, reverse=True)
_CJK_SIGN = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


def _sign_pattern(sign: str) -> str:
    """A sign that is a word must stand alone: 'руб' is not read in 'рубашка' (shirt), nor 'R'
    in 'RAM'; CJK signs are exempt ('100元包邮'), since those scripts do not separate words."""
    body = re.escape(sign)
    if not sign[-1].isalpha() or _CJK_SIGN.search(sign):
        return body
    if sign.isascii():
        return rf"(?<![A-Za-z]){body}(?![A-Za-z])"
    return rf"(?<![^\W\d_]){body}(?![^\W\d_])"


_SIGN_RE = re.compile("|".join(_sign_pattern(s) for s in _TEXT_SIGNS))
_CODE_RE = re.compile(r"(?<![A-Za-z])([A-Z]{3})(?![A-Za-z])")


@dataclass(frozen=True)
class LocaleHints:
    """Where the page is from: country code top-level domain, language, declared charset."""

    tld: str | None = None
    lang: str | None = None
    charset: str | None = None

    def country_or_lang(self) -> tuple[str, ...]:
        region = self.lang.replace("_", "-").split("-")[-1].lower() if self.lang else None
        lang = self.lang.split("-")[0].split("_")[0].lower() if self.lang else None
        return tuple(x for x in (self.tld, region, lang) if x)

    def decimal_comma(self) -> bool:
        """Whether the page's locale writes 12,99 rather than 12.99 (de-CH and es-MX do not)."""
        region = self.lang.replace("_", "-").split("-")[-1].lower() if self.lang else None
        lang = self.lang.split("-")[0].split("_")[0].lower() if self.lang else None
        if lang is None:
            return (self.tld or "") in _COMMA_COUNTRIES
        return lang in _COMMA_LANGUAGES and region not in _DOT_REGIONS

    def home_currency(self) -> str | None:
        """The currency of the page's country (its language's region, else its TLD), if known."""
        region = self.lang.replace("_", "-").split("-")[-1].lower() if self.lang else None
        if self.lang and "-" in self.lang.replace("_", "-") and region in _HOME:
            return _HOME[region]
        lang = self.lang.split("-")[0].split("_")[0].lower() if self.lang else ""
        return _HOME.get(self.tld or "") or _LANGUAGE_HOME.get(lang)

    def yen(self) -> str | None:
        """¥ is JPY on Japanese pages, CNY on Chinese ones; elsewhere it is left unknown."""
        charset = (self.charset or "").lower()
        hints = self.country_or_lang()
        if (
            "jp" in hints
            or "ja" in hints
            or charset in ("shift_jis", "cp932", "euc-jp", "iso-2022-jp")
        ):
            return "JPY"
        if any(h in ("cn", "zh") for h in hints) or charset.startswith(("gb", "big5")):
            return "CNY"
        return None


def _from_sign(sign: str, hints: LocaleHints) -> str | None:
    if sign in _SYMBOLS:
        return _SYMBOLS[sign]
    if sign in _YEN_SIGNS:
        return hints.yen()
    if sign == "$":
        return next((_DOLLAR[h] for h in hints.country_or_lang() if h in _DOLLAR), "USD")
    if sign == "kr":
        return next((_KRONA[h] for h in hints.country_or_lang() if h in _KRONA), None)
    if sign in _REGIONAL:
        regions, default = _REGIONAL[sign]
        return next((regions[h] for h in hints.country_or_lang() if h in regions), default)
    return None


def to_currency(value: object, hints: LocaleHints) -> str | None:
    """A declared currency (code, symbol or word) as an ISO 4217 code, or None if not valid."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    if text.upper() in ISO_4217:
        return text.upper()
    if text in _SYMBOLS or text in _YEN_SIGNS or text in ("$", "kr", *_REGIONAL):
        return _from_sign(text, hints)
    return currency_in_text(text, hints) if len(text) <= 12 else None


def sign_allows(code: str, text: str, hints: LocaleHints) -> bool:
    """Whether a price printed as ``text`` may be in ``code``: a bare amount may be in any, a
    shared '$' in any dollar (a Canadian shop on a '.com' prints 'C$' as '$'), '¥' in the yen
    or the yuan; any other sign or code only in its own currency."""
    match = _CODE_RE.search(text[:200])
    if match and match.group(1) in ISO_4217:
        return match.group(1) == code
    sign = _SIGN_RE.search(text[:200])
    if sign is None:
        return True
    if sign.group(0) == "$":
        return code == "USD" or code in _DOLLAR.values()
    if sign.group(0) in _YEN_SIGNS:
        return code in ("JPY", "CNY")
    return _from_sign(sign.group(0), hints) == code


def currency_in_text(text: str, hints: LocaleHints) -> str | None:
    """The currency a printed price names: 'US $12.34' -> USD, '¥1,280' on a .jp page -> JPY."""
    text = text[:200]
    code: str | None = next((c for c in _CODE_RE.findall(text) if c in ISO_4217), None)
    if code:
        return code
    match = _SIGN_RE.search(text)
    return _from_sign(match.group(0), hints) if match else None


def has_currency_mark(text: str) -> bool:
    """Whether printed text names any currency (a symbol, word or ISO code), known or ambiguous."""
    codes = _CODE_RE.findall(text[:200])
    return bool(_SIGN_RE.search(text[:200])) or any(c in ISO_4217 for c in codes)


_SIGN_ALTERNATIVES = "|".join(_sign_pattern(s) for s in _TEXT_SIGNS)
# A sign or an ISO code printed right against an amount: '€ 15,76', '349,90 €', 'EUR 12'.
_SIGNED_AMOUNT = re.compile(
    rf"(?P<before>{_SIGN_ALTERNATIVES}|(?<![A-Za-z])[A-Z]{{3}})\s?\d"
    rf"|\d\s?(?P<after>{_SIGN_ALTERNATIVES}|[A-Z]{{3}}(?![A-Za-z]))"
)
LEAST_SIGNED_AMOUNTS = 2
# Codes that are also English words printed before numbers ('TOP 10', 'ALL 3 sizes', 'TRY 30
# days'): read in running text they name no currency.
_WORD_CODES = frozenset({"ALL", "TOP", "CUP", "PEN", "GEL", "MAD", "SOS", "TRY", "NAD", "BAM",
                         "BOB", "MOP"})  # fmt: skip


def one_printed_currency(text: str) -> str | None:
    """The currency of every amount a page prints with a sign, where there are at least two and
    all name one currency by an unambiguous sign or code ('€ 15,76', 'bezorgkosten € 39,95'):
    the currency of a price the page prints bare ('34,99'). A shared sign ('$', '¥', 'kr') or
    two currencies on the page settle nothing."""
    found: set[str] = set()
    count = 0
    for match in _SIGNED_AMOUNT.finditer(text):
        sign = match.group("before") or match.group("after")
        code = sign if sign in ISO_4217 else _SYMBOLS.get(sign)
        if sign in _WORD_CODES or (code is None and re.fullmatch(r"[A-Z]{3}", sign)):
            continue  # three capitals that are no currency code here ('USB 3', 'TOP 10')
        if code is None:
            return None
        found.add(code)
        count += 1
    return found.pop() if len(found) == 1 and count >= LEAST_SIGNED_AMOUNTS else None
