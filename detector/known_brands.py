"""Well-known brands that a misspelt-mark match must never be: they are someone else's mark.

A seller who writes "Samsung" is naming Samsung, not misspelling a registered SAMSONG; a
disguise is evidence of intent only when the form is no other brand. The list holds widely
sold consumer brands (electronics, sport, fashion, home, beauty, toys, tools), folded to lower
case with spaces and punctuation dropped, the way the matcher compares compact text. A
registered mark that is itself on the list is still matched: the exception is for *other*
brands only.
"""

from __future__ import annotations

_BRANDS = """
    acer adidas aeg aldi alienware amazon amd anker apple armani asics asus audi
    bang bosch bose braun brother burberry canon carhartt cartier casio celine chanel
    chevrolet chicco citizen clarins clinique coach colgate columbia converse corsair
    crocs dell delonghi dewalt diesel dior dremel dyson electrolux epson esprit
    estee fendi fila fitbit fossil fujifilm garmin gillette givenchy google gopro gucci
    guess haier hasbro hermes hisense hitachi hoka honda honeywell hp huawei hublot hyundai
    ikea intel jbl kenwood kipling kitchenaid lacoste lancome lego lenovo levis lg logitech
    longines loreal makita mattel maybelline merrell microsoft miele milwaukee moncler
    montblanc motorola moulinex mulberry nikon nintendo nivea nokia northface nvidia
    oakley olympus omega oneplus oppo oral panasonic pandora patagonia pentax philips
    playmobil prada puma ralph ray rayban realme reebok remington rimowa roborock rolex
    ryobi salomon samsonite samsung sandisk sanyo saucony seagate seiko sennheiser
    sharp shimano siemens skechers skullcandy sony stabilo stanley steelseries superdry
    swarovski swatch tefal thermos timberland tissot tommy toshiba tupperware ugg
    umbro underarmour uniqlo valentino vans versace vivo vileda vtech whirlpool xiaomi
    yamaha zara zeiss zippo zwilling
    """

KNOWN_BRANDS: frozenset[str] = frozenset(_BRANDS.split())
