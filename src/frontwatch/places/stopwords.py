"""English words that are also names in the gazetteer.

Derived by intersecting the lower-case words of a public-domain English word list with
the gazetteer's one-word settlement keys (names and alternate names), then reviewed by
hand: names that war news uses for the place itself (Perm, Astrakhan, Archangel, Saky,
Shanghai ...) were taken out, and country names are never vetoed anyway. Capitalised at
the start of a sentence or in a headline these words are ordinary English, so their
settlement reading is dropped. Short function words are added so that they also count
as ordinary words next to a name.
"""

from __future__ import annotations

_WORDS = """
    abate abbey abridge abut acacias academy accord achy acme acre add admiralty adobes advance
    after agar agency ague ail aim airport ajar akin alabaster albino ales alga alibi alit
    alkali all allege alley alliance aloha along alpha alpine also altar alter alto altos amble
    amen amir amity ampere an anaconda anchovy and anew angel anger angered angers angles angora
    ani annex anon another ant antelope anthem antique antlers anus any apace ape apex apples
    apt aquaria aquarium arbutus arc arcade arch archer arches arching archway are area arena
    arenas ares argyle aria arias armada aroma aromas arrest arroyo arroyos arsenal artillery as
    asbestos ascension ascot ash ask asp aspen assent assumption at ate atlas auburn auditorium
    august aura auras awash awe axis aye azure baa babel bacon bad bade badger bag bagatelle bah
    bail bailing bake baker bale baling balk balky ball ballast ballots balm balsa balsas bamboo
    ban banana band bandana bane banes bang banged bangs bani banister banjo bank banks banner
    banning bantam bar barber barbing bard bare barge baring barium bark barker barkers barking
    barley barman barn baron barrage barren barrens barrios barrow basalt base basic basil basin
    basing bass bassi basso bast baste bat bate bates bath batik battle battlefield battleground
    batty baud bay baying beach beacon bean bear beaux beaver bed bedbug bee beech been beer
    beers beets before beg began begun being bell belle bells belt bend bender bent berg berry
    best bet beta betting bevel bias bicker bid biding bier big bigger biking bile billed billet
    billings billy bimbo bin binder binges bingo birch bishop bison bites biting bittern
    blackjack blacks blacksmiths blades bland blarney bled blender blessing bliss blond bloods
    bloom bloomer blossom bluff bluffs blur boar boas bode bodega bodkins boggy bogie boil bola
    bolder bole boll bolt bonanza bonbon bone bong bongo bonito bonny bony boo book boom
    boomerang boon boons boos boot booth bore born borne boron borsch bot botany both bottom
    bottoms bouillon boulder boundary bountiful bourbon bow bowling bowman box bra brad brains
    bran branch brand bras brash brass brassy bravo bray breakers breakwater brewer brewers
    briar brick bride bridge brier brig brigantine bright brilliant brims brine broach broke
    bronco brook brooks brown browning bruin brush brusque buckeye buckram bucks buckwheat bud
    buffalo bugle bullet bullion bulls bully bum bun buncombe bung bungalow bur burden burg
    burns burr burrow burs burst bury bus busby bush bushmen busing buss bust busy but butler
    butte butterfly buttermilk buttes buy by cab cabana cabanas cabaret cacao cache cactus
    cairns caisson cal calabash calamity calcium caller calliope callow callus calypso camber
    came cams can canal canals canaries candor cane canes canning canoe canoes canon cant canton
    cantor canyon caper car caraway carbonate cardigan care carefree cargo caribou carnation
    carp carpenter carpi cars carver cascade cash cashmere casino casinos cassia cassino cast
    caster castle castor cat cathedral causeway cavalier cave caves cayenne cedar celebration
    cell cement centenary centennial center central cents centurion century cerise chafe chagrin
    chair chalet chamber chamberlain chambers chamois champagne champion chance chancy chandler
    change chap chaparral charge chars chase chat checkpoint cheddar chevron chi chichis chili
    chilly chin chinchilla chinking chino chipping choir chore chum church cicadas circa
    circle cis citadel cite citrus clans claret clarion clay clefs clemency clever cliffs climax
    clit clones clot cloud clover cloverleaf coal coaling coats cobra cockatoo cocoa cod codas
    cognac cohort coin col cola college collie colliers colon colony columbine coma comas
    combine combs come comer comet comfort comma commerce commissioner commonwealth communal
    communism compendium competition compound conception concession concise concord concrete
    condom condor cone confederation confines confluence congas congress conservation
    consolation constitution content contention contest continental convent converse conversion
    convoy coo cook cooks cool cooling cooper cop cope cordon cork corn cornea corners cornier
    corning cornucopia corona coronation corporation corpus corral cot cotes cottage cotter
    cottonwood couches could council countryside court cousins cove coven coves coward cowards
    cox coyote coyotes cranberry crane crap crater cray creek creel crescent crest crick cricket
    crinkle crone crook crooks crossroads crucible cruet crystal cube cults culture cumming
    curry cut cutoff cuts cygnet cypress dad dado dados daisy dale dam damask dame damp damps
    dandy dare dares darling date daunt dauphin davenport dawn daze deadwood deal dean deb debar
    debark deep deer defiance deforest delay deli delis delta delve demo democrat dent deport
    deposit derby desk devises dial diamond dibble dicks die dig dike dill dilly dim dimer
    dining diorama dip dire dirks dis discovery diss diva divan divas divide doc dock docking
    dodge doffing dogs dogwood dole dollar dolphin dome dominion don dongle doom dooms dosing
    dot dour downer downs downtown drain drains drakes drama dresser drew driver dromedary dross
    drowning drug drum dry dual ducats dud due duets dug duke dun dunes dung dunning duns duping
    dusty dyer each eagle ear early earnest earth ebbs echelon echo eclectic economy ecru eddy
    effort egg eight either eke elbow elixir elk ell elm emblem emerald emery eminence emo
    empire emporia emporium ems encamp energetic energy engineer enigma enter enterprise
    equality era eras erode err espy essay ester eta eureka even evens evergreen every excel
    exchange exhibition experiment export eye fairway fairyland faith falcon falconer fall fang
    far fare farina farmers farmland farms fate federal federation felicity felines fell felling
    fem fen fer ferns fertile few fey fez fiche fiddlesticks fie fife fig filler finale fines
    finis fireworks first firth fiscal fisher fishers fishhook five flagstaff flashing flea flee
    fleet flesh flint flocking flora florin floss flukes flushing folders fonts for fora force
    ford fords foreman fores forest forge forges forks forth fortune fossil foster fouler
    fountain four fours fowling fox frank freedom freehold freeman freer fresco freshwater
    friend friendly friendship frier from front frost fry fully fuming furnace fussing fussy
    gait gala gale galena gall gallant gals gaming gamma gamut gamy gander gang gap garb garden
    gardenia garland garner garnet garnish garrison garrote gas gasket gassing gates gateway gay
    gaze gees gel gem genes gent gentry germinal gets gibbon gibbons gill gills gin ginseng give
    glad glades gland glen glide globe glove god goes going golden goldenrod golf gondola gone
    gonna good goodwill google gooseberry gore gored gores gorges goring gory gosh gossip got
    gouty grab grabs grace graces grad graft grain gram grand grandson grange granges granite
    grant grants grapevine gratis grave graven gray grays great green greenback greens grenade
    griffin grill grim grimes grin grins grit groom gross grottoes grove groves grub grues guano
    guessing guide guise gums gunning guns guru gust gut guy gypsum hacienda hackney had hag
    haiku hail hake hale hales halfway hall hallow halls ham hamlet hank happy harbor hard
    harden hardy harem haring harmony harp harrow hart harts harvest has hassocks haste hat
    hatch hatting have haven hawker hawks hawthorn hay hays hazard headland headlands
    headquarters headstone healing heard heath heather heaths hector heel heist hell helper hem
    hemlock hemlocks hemp henpeck her herald here heritage hermitage hero heron hexing hey
    hickory hideaway hideout high highland highlands highways hill hillier hills hillside
    hilltop him hims hinge hinges hippo hire his hit hobo hock hocking holder hole holiday
    holler holly homburg home homeland homer homestead homesteader homesteads hometown hominy
    honcho hone honey hood hook hooker hooks hop hope horde horn horseshoe hosanna hose hospital
    hot hour hove how hub hue huff hula hull hum human humble hums humus hunt hunter hunting
    hurricane hurt hut hydra ibis icicle ids if ifs imperial in independence industry inland ins
    intercourse into iota irate island isle its ivy jabot jack jackpot jade jam jar jars jasper
    jay jelling jerky jib jingle jingling jinxing job joiner joy jubilee jug junco juncos
    junction junior juniper juntas jury just justice kale kapok karakul karma keel keener ken
    kens key keys keystone khan kill killdeer kiln kilo kin kinder kindred king kingfisher kings
    kissing kit kiting klutz knees knock krone lab labor laces lack lacrosse lacy lad lag lake
    lakes lam lama lamas lame lampoon lancing lander landfall landing landmark lane lapel laps
    largo lariat larkspur larva laser lases lash last latte lattes laurel lavender law lawn lay
    laze lazy lea lead leader lean lee leech leek leer leers lees leg legacy lei lemme lemon
    lemur lend lender lens lent lessen level lever levy lib liberal liberation liberty lice
    lichen licking lid lids lie liege lien liens lignite liking limbo lime limerick limestone
    liming limit limo limos linden line linen linger lint lints lion lions lira lire lisle list
    lit liter little lively lives lizard llama llano loans lob lobe lock locking locust lode
    lodes log logo logon logos lone long look lookout loon loop loose lop lopes lorn lorry loss
    lot lover loving low lowlands loyal luau luck lucky lucre lug lung lunge lupin lure luring
    lush luster lye lynch mace mackinaw mad madam made madras madrasa madrigal magazine magenta
    magnesia magnet magnolia mahogany maiden maidenhead maidens mailing main maize major make
    male males mall mallet mallow mama mammoth man manage mane manes manga mange manger mango
    manly manna manning manor mans mansion mantel mantilla many maraca maracas marathon marble
    march marches mare mares margarita margaritas maria marimba marina marine marines mark
    market marks marlin marlins marquise marrow mars marsh marshes mart marten martin martinet
    martinis martins mas mascara mascot mason massacre massing matador mate maximum may
    mayflower mayo maze mead meadow meadows means media medias medley medulla meek meeker
    megalopolis melon meme men mending mentor mercury mere meres meridian merino merinos merit
    mermaid mesa mescal meshed mesquite mess messy met meta metal mete meter metes metro
    metropolis mica mid midland midlands midstream midtown midway mien might mile miler miles
    mill miller millers millet mills miming min mine miner mining minis minister minor minster
    mire mires missal mission mite mobile mocha mod modern mogul moires mold mole moll molten
    monster monument moody moon moor moos mop mope moping moraine moral more mores moron morrow
    morrows morsel mos mosquito mosquitos moss mosses most mote moth motley mottling mound
    mounds mountain mountainside mountaintop much mud muddy muff mulberry mullion murk muse mush
    muskrat mussel must mustang muster mute muting mutters myrtle mystic nag nails name nape
    narrows nasal natal naval nave naves nay nearest neath needle needles neither neon neptunium
    nest net never new newborn newel newton newtons next nice nimbi nine nit nix no noble nods
    noel non none noonday nor normal north northeast northward northwest nose not novae novas
    nutrias oar oasis oblong occasion occidental oceanic ocher odder ode of off officer ogre oil
    okay old olden oleo omega on one only onset onto opal opera opportunity ops opus or oracle
    oral orange oratorio oratorios orchard orchards ore ores orient oriental osprey other otter
    our oust ousted outer outing outlook over overland oversee own oxbow pace pacific pacing
    pack pact page pail pains paint painter paisley pal palazzo pale paling palisade palisades
    palladium palling palls palmetto palms palmy palomino pals pampas pan panacea panda pandas
    pane pang panhandle panic panorama pant pantheon pap papa papas papaya paper par parabola
    parachute paradise paragon paramount parches parchment pare parent pares park parks parkway
    parole parse parsons partizan pas pasha passage pasta pastas paste pat pate patrol patsy
    pavilion pawing pawpaw pay pea peace pearl peck pecs peculiar peel peeling peer peerless
    pegs pelican pelt pelves pen penal pencil penguin peninsula per perches perish perk
    perseverance pest pet petal peters pets petting peyote phoenix phone piano piazza piazze
    pica picayune pierce pies pigeon pike pile piles pill pin pinch pine pines pining pinion
    pink pinnacle pinto pioneer pipes piranha piranhas pita piton placer plain plains plan
    planes plans plantation plaque plate plateau platen plaza pleasant plenty plot plover plugin
    plum plunge plunges plus pocking point poking pol pole police poll polling pollywogs polo
    pols pond ponder pool pop pope poplar poplin popular porches porcupine pore port portage
    portal porter poses posing posse posses possession post postal potting pouch pound pout
    powers pram prate pray presto prey price prickly prim prince principal pristine privateer
    proclamation proctor proctors progress promontory propel prospect prosper prosperity
    prosperous proven providence provost pry puck pueblo puke puma punch purchase pure purer
    purse pusher put qua quack quart quarter quarto quay queens quiches raccoon race radon raga
    raglan raiding rail rain rainbow rainier raja rake ram rams ran random ranger rapids rash
    rate ravel ravels raven ravine ray rayon razes reach reading real ream reborn receiving
    record recovery rector red redemption redhead redwood reeds reek reeves reform rehab rein
    reis reliance repose reps republic research reserve reservoir rest retreat rev revel revere
    rho rib rice rich rid riddle riddles ride rider ridge riding rifle rig rim rims rind ring
    ringlet ripe rise risen rivers riverside rivet road roan robe robins rock rod rode rodent
    rodeo roe roebuck roes rogers roles rolls romaine roman root rose rosebud rosemary roses
    rosette rosewood rot rote rots rotunda rouge roulette roundabout roundup rouse row rube rude
    rue rugby rule rum run rung ruse rush rusk rust rustic rye sabres sac sachet sack sad sag
    saga sagas sagebrush sago sahib said saints sake salamis sale sales saline salines sally
    salmon salon salt salute salve samba sambas same sampans samples sand sandbank sanders sands
    sandstone sandwich sandy sane sang sap sapphire sari saris sassafras sassier satin sating
    sauce sauces saucier savage savanna savannah save sawmill sawmills sax say scant scenic
    schooner scissors scone scurry sea seaboard seaman searchlight sears seaside sec second
    secretary section sector sedan see seem seen seer sees sell sells semaphore semen semi send
    senile senna sent sentinel sera seraglio sere serest serpentine servant servo settle seven
    severance shack shading shaft shag shale shall sham shaman shamrock shape shaping share
    shared sharpness she sheering shell shepherd sherry shields shilling shim shin shiner
    shipyard shit shoals shone shoo shore shoreline shortens shot should shove shudder shush
    shut sic side siding sigma signboard signpost silly silo silos silt silvan sim simian
    simmering sims sin since sine sing singer singleton sinning sins sir sire siren sis sisal
    sissy sisters sitters situ six sixteen ski skit skull skyline slashes slaughter sledge slide
    slope slough small smelter smile smiley smith smock snits snow snowflake snug so soapstone
    soars sober soda soften sol solarium sole soli solitude solo some son song sore sores sorrel
    sort sorts sos sot soul sour sours souse soy spa sparks spas spat spates spatula spay
    speedway spike spire spires split spoken spray spring springs spry spur spy squawk sriracha
    stables stagecoach stains stall stamps staple staples star stark start startup station stave
    steadfast steep stein steps sterling stern sterna sterns stiles still stilling stock stoke
    stokes stone stoner stoners stonewall store story stow strand straw strawberry street strong
    strum sturgeon sublimity success such sue sued sues sully sulphur sultan sultana summer
    summerhouse summit sumo sunbeam sunburn sunders sundown sunflower sung sunning sunrise
    sunset sunshine superior supreme surges surprise surrey swains swallow swamp swan sway sweet
    sweets swisher switch swords sycamore sylvan tab tabu tactic tad tadpole tailing taker
    taking tale talent tales talisman tall tallow talon tamale tame tamest tampon tan tang
    tangent tangerine tango tank tanner tans tape tapes taping tapping taps tar tare taro tarp
    tars tartar tasty tat taut tavern tea tell tells temperance tempi temple ten tender tendon
    tenon tent tequila termini terminus terrace terry than that thatcher the their them then
    there thermal these they third this thorn those thrall three thunderbolt thy tiara tic tiers
    tiling till tilt timberland timbre time timer tin tine ting tire tires tiring tiro tiros tit
    titan titling to toast toga tokes toll tom tomahawk tombstone tome ton tone tong tongue tool
    tooting tor tore torn tornado torrent tors torso tost tote totes tours tower trail train
    trainer tranquility tranquillity transit trap tray tree tresses trial triangle tribune
    tricolor trident trim trinity trip triumph troll tron trooper tropic troublesome trough
    troupe troy trundle tsunami tub tuba tubas tube tucker tug tulle tumble tun tuna tunas
    tundra tune tuner tunes turn turner tussling tutu tux tweed twin twist two tyro tyros under
    union unity university until up upland uplands upon uptown used uses usher utopia vale
    valence valentine valley valor van vane vans var vars varsity vary vase veld verdigris
    verges verier vermilion vermillion vernal verve very vesper vest veteran veto vex viburnum
    vicar vice victor victory vie villa villas vim vine vines vineyard vineyards viol viola
    violet virgin visa vise vista vogue vol volcano voles vols vote voters wad wade wadi wagoner
    wail waits wake waldo wales waling walk walker wall walling walls walnut wampum wan wangle
    wanna war ward warden warder wards ware warez warns warren warrior wary was washer
    watchtower waterfront waterproof waterways watt wave waver waxing ways we wean weasel weaver
    weavers wedding weed week weer wees weir welch welcome well welling wells welsh welt were
    west westerly western wetter what wheeler wheeling wheelwright when where whetstone which
    while whistler white whitefish whites whiting whitings who whom whose why wick wilder
    wilderness wildflower will willow willows windfall wines wing wink winner winters wiry wise
    with withers without woken woodbine woodland woodlands woods wool worms worth would wrangle
    wrens wright wrist xor yam yea yen yens yes yew yoga yore you young your zap zebra zens
    zephyr zero zest zincing zing zone zoo
"""

COMMON_WORDS: frozenset[str] = frozenset(_WORDS.split())
