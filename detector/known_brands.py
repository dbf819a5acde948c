"""Well-known brands that a misspelt-mark match must never be: they are someone else's mark.

A seller who writes "Samsung" is naming Samsung, not misspelling a registered SAMSONG; a
disguise is evidence of intent only when the form is no other brand. The list holds widely
sold consumer brands (electronics and phones, sport, fashion, home, beauty, toys, tools),
folded to lower case with spaces and punctuation dropped, the way the matcher compares
compact text. A registered mark that is itself on the list is still matched: the exception is
for *other* brands only. A deployment adds the brands of its own categories with the
``other_brands`` detection setting.
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
    alcatel allview archos beko blackview blaupunkt bq cubot doogee doro elephone emporia
    fairphone fujitsu gigaset gionee grundig hotwav infinix itel karbonn kyocera lava leagoo
    meitu meizu micromax nubia oukitel poco redmi tecno ulefone umidigi vernee wiko zte
    akai aiwa alba benq bush denon harman hama hoover indesit kenmore loewe marantz
    medion metz onkyo pioneer polaroid razer roku skyworth sonos tcl technics telefunken
    thomson vizio xbox
    anta bata benetton birkenstock calvin champion clarks desigual ecco gant hollister kappa
    lining mango mizuno napapijri newbalance pepe quiksilver replay speedo stussy
    wrangler
    avene bioderma cerave dove garnier lush nyx olay revlon rimmel shiseido sisley vichy
    bestway brio hape ravensburger schleich
    """

KNOWN_BRANDS: frozenset[str] = frozenset(_BRANDS.split())
